package io.embed4j.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.embed4j.Embed4jException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code _embed4j.json}: what an output directory was made with. A resumed run ({@code --skip-existing})
 * must agree on everything that decides the vectors or the bucket of an id, or it would mix two
 * kinds of vectors, or write an id into a second bucket.
 *
 * @param model the model every vector came from
 * @param buckets number of buckets ids are hashed into
 * @param idColumn the input's id column
 * @param text the input's text column, or the SQL expression that made the text
 * @param promptName the named prompt, or null for the model's default
 * @param prompt the raw prompt, or null
 * @param normalize whether vectors were normalized (null: as the model says)
 * @param chunkLongInput whether long inputs were pooled over windows instead of truncated
 */
record OutputManifest(ModelInfo model, int buckets, String idColumn, String text, String promptName, String prompt,
    Boolean normalize, boolean chunkLongInput) {

  static final String FILE = "_embed4j.json";
  static final String FORMAT = "embed4j-embeddings/1";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  static OutputManifest of(ModelInfo model, int buckets, String idColumn, String text, EmbedSpec spec) {
    return new OutputManifest(model, buckets, idColumn, text, spec.promptName(), spec.prompt(), spec.normalize(), spec.chunkLongInput());
  }

  /** The bucket count of a run that resumes this output ({@code where}), once it is checked to agree with it. */
  int resumedBuckets(EmbedRequest r, ModelInfo model, String where) {
    int n = r.partitions() > 0 ? r.partitions() : buckets;
    requireResumableBy(of(model, n, r.idColumn(), r.textDescription(), r.spec()), where);
    return n;
  }

  /** Refuses to resume {@code dir} (made with this manifest) with {@code run}, naming each difference. */
  void requireResumableBy(OutputManifest run, String dir) {
    List<String> diff = new ArrayList<>();
    if (!model.revision().equals(run.model.revision()) || model.dimensions() != run.model.dimensions()) {
      diff.add("model " + run.model.source() + " (" + run.model.dimensions() + "-d, weights sha256 " + shortHash(run.model.revision())
          + ") is not " + model.source() + " (" + model.dimensions() + "-d, weights sha256 " + shortHash(model.revision()) + ")");
    }
    if (buckets != run.buckets) {
      diff.add("--partitions " + run.buckets + " is not " + buckets);
    }
    compare(diff, "id column", idColumn, run.idColumn);
    compare(diff, "text", text, run.text);
    compare(diff, "prompt name", promptName, run.promptName);
    compare(diff, "prompt", prompt, run.prompt);
    compare(diff, "normalize", normalize, run.normalize);
    compare(diff, "long input chunking", chunkLongInput, run.chunkLongInput);
    if (!diff.isEmpty()) {
      throw new Embed4jException.InvalidInput(dir + " was written by a different run, so --skip-existing cannot resume it: "
          + String.join("; ", diff) + ". Run it with the settings in " + dir + "/" + FILE + ", or write to a new directory (or --overwrite)");
    }
  }

  private static void compare(List<String> diff, String what, Object was, Object now) {
    if (!Objects.equals(was, now)) {
      diff.add(what + " " + now + " is not " + was);
    }
  }

  private static String shortHash(String h) {
    return h.substring(0, Math.min(12, h.length()));
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    Map<String, Object> mm = new LinkedHashMap<>();
    mm.put("name", model.name());
    mm.put("source", model.source());
    mm.put("revision", model.revision());
    mm.put("dimensions", model.dimensions());
    m.put("model", mm);
    m.put("buckets", buckets);
    m.put("id_column", idColumn);
    m.put("text", text);
    m.put("prompt_name", promptName);
    m.put("prompt", prompt);
    m.put("normalize", normalize);
    m.put("chunk_long_input", chunkLongInput);
    return m;
  }

  @SuppressWarnings("unchecked")
  static OutputManifest fromJson(Map<String, Object> m, String where) {
    if (!FORMAT.equals(m.get("format"))) {
      throw new Embed4jException.InvalidInput(where + ": not an embed4j output manifest (format " + m.get("format") + ", expected " + FORMAT + ")");
    }
    Map<String, Object> mm = (Map<String, Object>) m.get("model");
    ModelInfo model = new ModelInfo((String) mm.get("name"), (String) mm.get("source"), (String) mm.get("revision"),
        ((Number) mm.get("dimensions")).intValue());
    return new OutputManifest(model, ((Number) m.get("buckets")).intValue(), (String) m.get("id_column"), (String) m.get("text"),
        (String) m.get("prompt_name"), (String) m.get("prompt"), (Boolean) m.get("normalize"),
        Boolean.TRUE.equals(m.get("chunk_long_input")));
  }

  /** Reads {@code dir/_embed4j.json}, or null when there is none. */
  @SuppressWarnings("unchecked")
  static OutputManifest read(FileSystem fs, String dir) {
    Path p = new Path(dir, FILE);
    try {
      if (!fs.exists(p)) {
        return null;
      }
      try (InputStream in = fs.open(p)) {
        return fromJson(JSON.readValue(in, Map.class), p.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code dir/_embed4j.json} under a temporary name first, so it is either whole or absent. */
  void write(FileSystem fs, String dir) {
    Path p = new Path(dir, FILE);
    Path tmp = new Path(dir, "." + FILE + ".tmp");
    try {
      fs.mkdirs(new Path(dir));
      try (OutputStream out = fs.create(tmp, true)) {
        JSON.writeValue(out, toJson());
      }
      fs.delete(p, false);
      if (!fs.rename(tmp, p)) {
        throw new IOException("cannot rename " + tmp + " to " + p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + p + ": " + e.getMessage(), e);
    }
  }
}

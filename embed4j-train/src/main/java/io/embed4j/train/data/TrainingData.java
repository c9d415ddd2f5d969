package io.embed4j.train.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.embed4j.Embed4jException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads training data:
 * <ul>
 *   <li>a BEIR directory: (query, relevant document) pairs of one split's qrels;</li>
 *   <li>a JSONL file, one object a line. Text columns are the string fields in the order the first
 *       line has them ({@code anchor, positive, negative} for pairs and triplets; {@code sentence1,
 *       sentence2} for scored pairs); a field holding a list of strings ({@code "negatives": [...]})
 *       becomes one column per element. A numeric {@code score}, {@code label} or {@code margin}
 *       field is the label. Id fields ({@code _id, id, qid, query_id}) are ignored.</li>
 *   <li>an STS Benchmark file ({@code .csv}/{@code .tsv}, tab-separated, no header:
 *       genre, file, years, id, score, sentence1, sentence2): scored pairs.</li>
 * </ul>
 */
public final class TrainingData {
  private static final Set<String> LABEL_FIELDS = Set.of("score", "label", "margin");
  private static final Set<String> ID_FIELDS = Set.of("_id", "id", "qid", "query_id", "query-id", "corpus_id");

  private TrainingData() {}

  public static TrainingSet load(Path path, String split) {
    if (BeirData.isBeir(path)) {
      return BeirData.read(path, split).pairs();
    }
    if (Files.isRegularFile(path)) {
      String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
      return name.endsWith(".csv") || name.endsWith(".tsv") ? readSts(path) : readJsonl(path);
    }
    throw new Embed4jException.InvalidInput(path + ": training data must be a BEIR directory (corpus.jsonl, queries.jsonl, qrels/) "
        + "or a JSONL file of pairs, triplets or scored pairs");
  }

  /** STS Benchmark's release format: split on TAB only (sentences hold quotes); fields 5-7 are score, sentence1, sentence2. */
  public static TrainingSet readSts(Path file) {
    List<TrainingExample> examples = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split("\t", -1);
        if (f.length < 7) {
          throw new Embed4jException.InvalidInput(file + " line " + n + ": expected 7 tab-separated fields "
              + "(genre, file, years, id, score, sentence1, sentence2), found " + f.length);
        }
        try {
          examples.add(new TrainingExample(List.of(f[5], f[6]), Double.parseDouble(f[4].strip())));
        } catch (NumberFormatException e) {
          throw new Embed4jException.InvalidInput(file + " line " + n + ": score '" + f[4] + "' is not a number");
        }
      }
    } catch (IOException e) {
      throw new Embed4jException.InvalidInput("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (examples.isEmpty()) {
      throw new Embed4jException.InvalidInput(file + ": no examples");
    }
    return new TrainingSet(file.toString(), List.of("sentence1", "sentence2"), examples, true);
  }

  public static TrainingSet readJsonl(Path file) {
    List<TrainingExample> examples = new ArrayList<>();
    List<String> columns = null;
    boolean labeled = false;
    try (JsonLines lines = JsonLines.open(file)) {
      for (JsonNode node; (node = lines.next()) != null; ) {
        int n = lines.lineNumber();
        if (!node.isObject()) {
          throw new Embed4jException.InvalidInput(file + " line " + n + ": expected a JSON object");
        }
        List<String> names = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        double label = Double.NaN;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> f = it.next();
          String key = f.getKey();
          JsonNode v = f.getValue();
          if (ID_FIELDS.contains(key)) {
            continue;
          }
          if (LABEL_FIELDS.contains(key) && v.isNumber()) {
            label = v.asDouble();
          } else if (v.isTextual()) {
            names.add(key);
            texts.add(v.asText());
          } else if (v.isArray()) {
            int k = 0;
            for (JsonNode e : v) {
              if (!e.isTextual()) {
                throw new Embed4jException.InvalidInput(file + " line " + n + ": field '" + key + "' must hold strings");
              }
              names.add(key + "_" + (++k));
              texts.add(e.asText());
            }
          }
        }
        if (columns == null) {
          if (texts.isEmpty()) {
            throw new Embed4jException.InvalidInput(file + " line " + n + ": no text fields");
          }
          columns = names;
          labeled = !Double.isNaN(label);
        } else if (texts.size() != columns.size()) {
          throw new Embed4jException.InvalidInput(file + " line " + n + ": " + texts.size() + " text fields " + names
              + ", but the first line has " + columns.size() + " " + columns);
        }
        if (labeled && Double.isNaN(label)) {
          throw new Embed4jException.InvalidInput(file + " line " + n + ": no score/label, but the first line has one");
        }
        examples.add(new TrainingExample(texts, label));
      }
    }
    if (examples.isEmpty()) {
      throw new Embed4jException.InvalidInput(file + ": no examples");
    }
    return new TrainingSet(file.toString(), columns, examples, labeled);
  }
}

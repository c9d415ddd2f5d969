package io.embed4j.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.embed4j.Embed4jException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which files of a Hub repository make a sentence-transformers model that embed4j can run: the
 * configuration files at the root and in each module's folder, Dense weights, and the ONNX export —
 * nothing else (no PyTorch or TensorFlow weights, no other ONNX variants).
 */
final class SnapshotFiles {
  /** Read before choosing the rest: it says where the modules and the transformer live. */
  static final String MODULES = "modules.json";

  static final List<String> CONFIG_FILES = List.of(MODULES, "config.json", "config_sentence_transformers.json",
      "sentence_bert_config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json");

  /** Module files found by name, as sentence-transformers names module folders ({@code 1_Pooling}, {@code 2_Dense}). */
  private static final Pattern MODULE_FILE = Pattern.compile("[0-9]+_[^/]+/config\\.json|[0-9]+_Dense/model\\.safetensors");

  private SnapshotFiles() {}

  /**
   * The files to download, small configuration first and ONNX weights last.
   *
   * @param repoId the repository, for messages
   * @param revision the revision asked for, for messages
   * @param siblings every file the repository lists (already checked by {@link HubNames})
   * @param modules the parsed modules.json, or null when the repository has none
   */
  static List<String> select(String repoId, String revision, Collection<String> siblings, JsonNode modules) {
    String repo = repoId + "@" + revision;
    Set<String> present = Set.copyOf(siblings);
    List<String> moduleDirs = new ArrayList<>();
    List<String> denseDirs = new ArrayList<>();
    String transformerDir = null;
    if (modules != null && modules.isArray()) {
      for (JsonNode module : modules) {
        String path = module.path("path").asText("").replaceAll("/+$", "");
        if (!path.isEmpty()) {
          HubNames.checkRelativePath(path, MODULES + " of " + repo);
        }
        String type = module.path("type").asText("");
        String simple = type.substring(type.lastIndexOf('.') + 1);
        if (simple.equals("Transformer") && transformerDir == null) {
          transformerDir = path;
        }
        if (simple.equals("Dense")) {
          denseDirs.add(path);
        }
        moduleDirs.add(path);
      }
    }
    if (transformerDir == null) {
      transformerDir = "";
    }

    LinkedHashSet<String> out = new LinkedHashSet<>();
    List<String> dirs = new ArrayList<>();
    dirs.add("");
    dirs.addAll(moduleDirs);
    for (String dir : dirs) {
      for (String file : CONFIG_FILES) {
        addIfPresent(out, present, join(dir, file));
      }
    }
    for (String dir : denseDirs) {
      addIfPresent(out, present, join(dir, "model.safetensors"));
    }
    siblings.stream().filter(s -> MODULE_FILE.matcher(s).matches()).sorted().forEach(out::add);

    if (!present.contains(join(transformerDir, "tokenizer.json")) && !present.contains("tokenizer.json")) {
      throw new Embed4jException.InvalidModel(repo + " has no tokenizer.json (the fast-tokenizer file embed4j reads);"
          + " it may ship only a slow tokenizer (vocab.txt, sentencepiece): save one with transformers' AutoTokenizer and load a local directory");
    }
    String onnx = null;
    for (String candidate : List.of(join(transformerDir, "onnx/model.onnx"), join(transformerDir, "model.onnx"), "onnx/model.onnx", "model.onnx")) {
      if (present.contains(candidate)) {
        onnx = candidate;
        break;
      }
    }
    if (onnx == null) {
      throw new Embed4jException.InvalidModel(repo + " has no ONNX export (no onnx/model.onnx or model.onnx); embed4j runs ONNX weights only."
          + " Export the model with optimum, e.g. in Python: SentenceTransformer(\"" + repoId + "\", backend=\"onnx\")"
          + ".save_pretrained(\"model-onnx\") (sentence-transformers >= 3.2 with optimum installed), then load the directory model-onnx");
    }
    out.add(onnx);
    // External data: tensors that do not fit a 2 GB protobuf live beside the graph.
    addIfPresent(out, present, onnx + "_data");
    addIfPresent(out, present, onnx + ".data");
    return List.copyOf(out);
  }

  private static void addIfPresent(Set<String> out, Set<String> present, String file) {
    if (present.contains(file)) {
      out.add(file);
    }
  }

  private static String join(String dir, String file) {
    return dir.isEmpty() ? file : dir + "/" + file;
  }
}

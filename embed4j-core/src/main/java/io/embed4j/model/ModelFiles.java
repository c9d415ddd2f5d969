package io.embed4j.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A model resolved to local files.
 *
 * @param onnxModel the ONNX graph
 * @param tokenizer the tokenizer.json
 * @param config what sentence-transformers' configuration says
 * @param source how the model was named: catalog name, directory or Hub id (with revision)
 */
public record ModelFiles(Path onnxModel, Path tokenizer, ModelConfig config, String source) {

  /** SHA-256 of the ONNX weights, hex: identifies the exact model that built an index or cache. */
  public String weightsSha256() {
    try (InputStream in = Files.newInputStream(onnxModel)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

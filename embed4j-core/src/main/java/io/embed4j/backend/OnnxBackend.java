package io.embed4j.backend;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.embed4j.Embed4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * ONNX Runtime backend. Input and output names are read from the graph: inputs input_ids,
 * attention_mask and optionally token_type_ids; the output is the first of token_embeddings,
 * last_hidden_state, output_0 (token level) or sentence_embedding (pooled) that the graph has.
 */
public final class OnnxBackend implements InferenceBackend {
  private static final List<String> TOKEN_OUTPUTS = List.of("token_embeddings", "last_hidden_state", "output_0");
  private static final List<String> POOLED_OUTPUTS = List.of("sentence_embedding", "pooler_output");

  private final OnnxTokenSession session;
  private final String outputName;
  private final boolean pooled;
  private final int width;

  /** The provider registered for {@link java.util.ServiceLoader}. */
  public static final class Provider implements InferenceBackend.Provider {
    @Override
    public String name() {
      return "onnxruntime";
    }

    @Override
    public InferenceBackend open(Path modelFile, BackendOptions options) {
      return new OnnxBackend(modelFile, options);
    }
  }

  public OnnxBackend(Path modelFile, BackendOptions options) {
    this.session = new OnnxTokenSession(modelFile, options);
    try {
      Map<String, NodeInfo> outputs = session.outputInfo();
      String chosen = TOKEN_OUTPUTS.stream().filter(outputs::containsKey).findFirst().orElse(null);
      boolean isPooled = false;
      if (chosen == null) {
        chosen = POOLED_OUTPUTS.stream().filter(outputs::containsKey).findFirst().orElse(null);
        isPooled = chosen != null;
      }
      if (chosen == null) {
        // Unknown names: take the first float output of rank 3 (token level) or 2 (pooled).
        for (Map.Entry<String, NodeInfo> e : outputs.entrySet()) {
          if (e.getValue().getInfo() instanceof TensorInfo t && t.getShape().length == 3) {
            chosen = e.getKey();
            break;
          }
        }
      }
      if (chosen == null) {
        close();
        throw new Embed4jException.InvalidModel(modelFile + ": no embedding output found; expected one of "
            + TOKEN_OUTPUTS + " or " + POOLED_OUTPUTS + ", graph has " + outputs.keySet());
      }
      this.outputName = chosen;
      this.pooled = isPooled;
      long[] shape = ((TensorInfo) outputs.get(chosen).getInfo()).getShape();
      this.width = (int) shape[shape.length - 1];
    } catch (OrtException e) {
      throw new Embed4jException.InvalidModel(modelFile + ": cannot read graph inputs/outputs: " + e.getMessage(), e);
    }
  }

  /**
   * Creates the session. With a cache directory, the first load writes the optimized graph there and
   * later loads read it back with optimization off, skipping the graph rewrites (it is specific to
   * this machine's CPU, hence kept per machine, never shipped).
   */
  static OrtSession createSession(OrtEnvironment env, Path modelFile, BackendOptions options) throws OrtException {
    Path cached = null;
    if (options.optimizedModelCache() != null && !options.optimizationLevel().equals("disable")) {
      try {
        Files.createDirectories(options.optimizedModelCache());
        cached = options.optimizedModelCache().resolve(fingerprint(modelFile) + "-" + options.optimizationLevel() + ".ort.onnx");
      } catch (IOException e) {
        cached = null; // a cache that cannot be written only costs start-up time
      }
    }
    if (cached != null && Files.isRegularFile(cached)) {
      try (OrtSession.SessionOptions so = sessionOptions(options, "disable")) {
        return env.createSession(cached.toString(), so);
      } catch (OrtException e) {
        // A stale or foreign cache entry: fall back to the original graph below.
      }
    }
    try (OrtSession.SessionOptions so = sessionOptions(options, options.optimizationLevel())) {
      if (cached != null) {
        Path tmp = cached.resolveSibling(cached.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        so.setOptimizedModelFilePath(tmp.toString());
        OrtSession s = env.createSession(modelFile.toString(), so);
        try {
          Files.move(tmp, cached, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          // another process won the race, or the cache is read-only
        }
        return s;
      }
      return env.createSession(modelFile.toString(), so);
    }
  }

  private static OrtSession.SessionOptions sessionOptions(BackendOptions options, String level) throws OrtException {
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    so.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
    so.setIntraOpNumThreads(options.effectiveThreads());
    so.setInterOpNumThreads(1);
    so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    so.setOptimizationLevel(switch (level) {
      case "disable" -> OrtSession.SessionOptions.OptLevel.NO_OPT;
      case "basic" -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
      case "extended" -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
      default -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
    });
    return so;
  }

  // Path, size and modification time identify the source graph without reading all of it.
  private static String fingerprint(Path file) throws IOException {
    String key = file.toAbsolutePath().normalize() + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis()
        + "|" + ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion();
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String name() {
    return "onnxruntime";
  }

  @Override
  public int outputWidth() {
    return width;
  }

  @Override
  public boolean outputsPooled() {
    return pooled;
  }

  @Override
  public EncoderOutput run(TokenBatch batch) {
    return session.run(batch, outputName, out -> {
      float[] values = OnnxTokenSession.floats(out);
      long[] outShape = out.getInfo().getShape();
      return pooled
          ? new EncoderOutput(values, (int) outShape[0], 1, (int) outShape[1], true)
          : new EncoderOutput(values, (int) outShape[0], (int) outShape[1], (int) outShape[2], false);
    });
  }

  @Override
  public void close() {
    session.close();
  }
}

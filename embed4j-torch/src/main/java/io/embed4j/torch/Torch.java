package io.embed4j.torch;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import io.embed4j.Embed4jException;

/**
 * DJL's PyTorch engine, started once, offline. libtorch comes from the {@code pytorch-native-cpu}
 * jar and the JNI glue from {@code pytorch-jni}, both on the class path; DJL extracts them to its
 * cache and never downloads anything ({@code ai.djl.offline=true}). Threads: the system property
 * {@code embed4j.torch.threads} (default: PyTorch's own choice, one per physical core).
 */
public final class Torch {
  private Torch() {}

  private static final class Holder {
    static final Engine ENGINE = start();
  }

  /** The PyTorch engine; the first call loads libtorch (about a second; longer on first extraction). */
  public static Engine engine() {
    return Holder.ENGINE;
  }

  private static Engine start() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    String threads = System.getProperty("embed4j.torch.threads");
    if (threads != null && System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", threads);
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
    ClassLoader cl = Torch.class.getClassLoader();
    if (cl.getResource("native/lib/pytorch.properties") == null && System.getenv("PYTORCH_LIBRARY_PATH") == null
        && System.getProperty("PYTORCH_LIBRARY_PATH") == null) {
      throw new Embed4jException("libtorch is not on the class path: add ai.djl.pytorch:pytorch-native-cpu (classifier "
          + "linux-x86_64) and ai.djl.pytorch:pytorch-jni; embed4j never downloads native libraries");
    }
    try {
      return Engine.getEngine("PyTorch");
    } catch (EngineException | IllegalArgumentException e) {
      throw new Embed4jException("cannot start DJL's PyTorch engine: " + e.getMessage(), e);
    }
  }
}

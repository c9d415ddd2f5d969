package io.embed4j;

/**
 * Base of embed4j's few unchecked exceptions. The message is written for the user: it names the
 * file, line, field or option at fault and, where there is one, the fix. Front ends (CLI, server)
 * print it as one line; they never show a stack trace for these.
 */
public class Embed4jException extends RuntimeException {
  public Embed4jException(String message) {
    super(message);
  }

  public Embed4jException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A model name, directory or Hub id that cannot be resolved to model files. */
  public static final class ModelNotFound extends Embed4jException {
    public ModelNotFound(String message) {
      super(message);
    }
  }

  /** Model files exist but are not usable: not ONNX, missing inputs, malformed configuration. */
  public static final class InvalidModel extends Embed4jException {
    public InvalidModel(String message) {
      super(message);
    }

    public InvalidModel(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Input or options supplied by the caller are wrong (bad file, bad UTF-8, bad option value). */
  public static final class InvalidInput extends Embed4jException {
    public InvalidInput(String message) {
      super(message);
    }

    public InvalidInput(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Too much work in flight: the caller should retry later (a server answers 429). */
  public static final class Overloaded extends Embed4jException {
    public Overloaded(String message) {
      super(message);
    }
  }

  /** The component is shutting down or stopped and takes no new work (a server answers 503). */
  public static final class Unavailable extends Embed4jException {
    public Unavailable(String message) {
      super(message);
    }
  }

  /**
   * Model files could not be fetched: the network or the server failed, or the bytes received do not
   * match what the server announced. Trying again may help; the message says what was tried.
   */
  public static final class DownloadFailed extends Embed4jException {
    public DownloadFailed(String message) {
      super(message);
    }

    public DownloadFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

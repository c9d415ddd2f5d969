package io.embed4j.server;

/**
 * An error the HTTP layer finds itself (body, JSON, fields, limits, auth): a status and a message
 * for the client. {@link ErrorMapper} turns it, like every other exception, into the response.
 */
final class ApiException extends RuntimeException {
  private final int status;
  private final String param;

  ApiException(int status, String message, String param) {
    super(message, null, false, false);
    this.status = status;
    this.param = param;
  }

  int status() {
    return status;
  }

  /** The request field at fault, or null. */
  String param() {
    return param;
  }

  /** 400: the body cannot be read as JSON (syntax, invalid UTF-8). */
  static ApiException badJson(String message) {
    return new ApiException(400, message, null);
  }

  /** 422: well-formed JSON that does not say something valid. */
  static ApiException invalid(String param, String message) {
    return new ApiException(422, message, param);
  }

  /** 413: more than the server takes in one request. */
  static ApiException tooLarge(String param, String message) {
    return new ApiException(413, message, param);
  }

  static ApiException unauthorized(String message) {
    return new ApiException(401, message, null);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, message, null);
  }

  /** 424, as TEI answers a route the served model cannot do (e.g. /rerank on an embedding model). */
  static ApiException unsupportedByModel(String message) {
    return new ApiException(424, message, null);
  }

  /** 499 (nginx's "client closed request"): the client went away before its answer; counted, never read. */
  static ApiException clientClosed() {
    return new ApiException(499, "client closed the connection before the answer", null);
  }
}

package io.embed4j.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.embed4j.Embed4jException;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place exceptions become HTTP statuses and error bodies. OpenAI routes ({@code /v1/...})
 * get OpenAI's shape, {@code {"error": {"message", "type", "param", "code"}}}; the others get
 * TEI's, {@code {"error": "...", "error_type": "..."}}.
 *
 * <table>
 *   <caption>Statuses</caption>
 *   <tr><th>cause</th><th>status</th><th>TEI error_type</th><th>OpenAI type</th></tr>
 *   <tr><td>body is not JSON, or not UTF-8</td><td>400</td><td>validation</td><td>invalid_request_error</td></tr>
 *   <tr><td>no or wrong API key</td><td>401</td><td>unauthorized</td><td>invalid_request_error (code invalid_api_key)</td></tr>
 *   <tr><td>unknown route</td><td>404</td><td>not_found</td><td>invalid_request_error</td></tr>
 *   <tr><td>body over --payload-limit, more inputs than --max-client-batch-size</td><td>413</td><td>validation</td><td>invalid_request_error</td></tr>
 *   <tr><td>/rerank or /embed_sparse without a reranker or sparse model</td><td>424</td><td>backend</td><td>invalid_request_error</td></tr>
 *   <tr><td>wrong field types or values, empty input, over-long input without truncation ({@link Embed4jException.InvalidInput})</td><td>422</td><td>validation</td><td>invalid_request_error</td></tr>
 *   <tr><td>more than --max-concurrent-requests in flight ({@link Embed4jException.Overloaded})</td><td>429</td><td>overloaded</td><td>rate_limit_error</td></tr>
 *   <tr><td>shutting down ({@link Embed4jException.Unavailable})</td><td>503</td><td>unhealthy</td><td>server_error</td></tr>
 *   <tr><td>the client closed its connection before the answer (nobody reads it; counted)</td><td>499</td><td>validation</td><td>invalid_request_error</td></tr>
 *   <tr><td>anything else</td><td>500</td><td>backend</td><td>server_error</td></tr>
 * </table>
 */
final class ErrorMapper {
  /** A mapped error: status, TEI type, message and the field at fault. */
  record ApiError(int status, String teiType, String message, String param) {}

  private ErrorMapper() {}

  static ApiError map(Throwable e) {
    if (e instanceof ApiException a) {
      return new ApiError(a.status(), teiType(a.status()), a.getMessage(), a.param());
    }
    if (e instanceof Embed4jException.InvalidInput) {
      return new ApiError(422, "validation", e.getMessage(), null);
    }
    if (e instanceof Embed4jException.Overloaded) {
      return new ApiError(429, "overloaded", "model is overloaded: " + e.getMessage(), null);
    }
    if (e instanceof Embed4jException.Unavailable) {
      return new ApiError(503, "unhealthy", e.getMessage(), null);
    }
    if (e instanceof JsonProcessingException j) {
      return new ApiError(400, "validation", "request body is not valid JSON: " + j.getOriginalMessage(), null);
    }
    if (e instanceof HttpResponseException h) {
      int status = h.getStatus();
      String message = status == 404 ? "no such route" : h.getMessage();
      return new ApiError(status, teiType(status), message, null);
    }
    return new ApiError(500, "backend", "internal error: " + e, null);
  }

  private static String teiType(int status) {
    return switch (status) {
      case 401 -> "unauthorized";
      case 404 -> "not_found";
      case 424, 500 -> "backend";
      case 429 -> "overloaded";
      case 503 -> "unhealthy";
      default -> "validation";
    };
  }

  /** The error body in the shape the route's clients expect. */
  static Map<String, Object> body(ApiError error, boolean openAi) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (!openAi) {
      out.put("error", error.message());
      out.put("error_type", error.teiType());
      return out;
    }
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("message", error.message());
    inner.put("type", switch (error.status()) {
      case 429 -> "rate_limit_error";
      case 500, 503 -> "server_error";
      default -> "invalid_request_error";
    });
    inner.put("param", error.param());
    inner.put("code", switch (error.status()) {
      case 401 -> "invalid_api_key";
      case 429 -> "rate_limit_exceeded";
      case 503 -> "service_unavailable";
      default -> null;
    });
    out.put("error", inner);
    return out;
  }

  /** OpenAI's clients live under /v1; everything else speaks TEI. */
  static boolean isOpenAiPath(String path) {
    return path.startsWith("/v1/");
  }
}

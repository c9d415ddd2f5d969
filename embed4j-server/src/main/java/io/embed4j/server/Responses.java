package io.embed4j.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;

/** Writes JSON responses with the server's own mapper (Javalin's is not involved). */
final class Responses {
  private Responses() {}

  static void json(Context ctx, Object body) {
    try {
      ctx.contentType("application/json").result(JsonBodies.MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the response: " + e.getMessage(), e);
    }
  }
}

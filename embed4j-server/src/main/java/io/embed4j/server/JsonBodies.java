package io.embed4j.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.batch.BatchRequest;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads request bodies within the payload limit and takes typed fields out of them, with errors
 * that name the field, what it must be and what it was. Requests are parsed to a tree rather than
 * bound to classes, so every wrong type gets its own message instead of a binder's.
 */
final class JsonBodies {
  static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Bodies up to this size are drained before a 413; larger ones are refused unread. */
  static final long DRAIN_LIMIT = 64L << 20;

  private JsonBodies() {}

  private static void discard(Context ctx) {
    try (InputStream in = ctx.req().getInputStream()) {
      in.skip(DRAIN_LIMIT);
      byte[] sink = new byte[1 << 16];
      while (in.read(sink) > 0) {
        // skip() may stop early; read the rest
      }
    } catch (IOException e) {
      // the client went away; nothing to answer
    }
  }

  /** The body as a JSON object; 413 past {@code limit} bytes (declared or read), 400 when not JSON. */
  static JsonNode readObject(Context ctx, long limit) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > limit) {
      // Read and discard a moderately oversized body so the client, still sending, gets to read the
      // 413 instead of a reset connection; past DRAIN_LIMIT the body stays unread. Either way the
      // connection ends with the answer.
      if (declared <= DRAIN_LIMIT) {
        discard(ctx);
      }
      ctx.header("Connection", "close");
      throw ApiException.tooLarge(null, "request body of " + declared + " bytes is over the payload limit of " + limit + " bytes");
    }
    byte[] body;
    try (InputStream in = ctx.req().getInputStream()) {
      body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the request body: " + e.getMessage(), e);
    }
    if (body.length > limit) {
      discard(ctx);
      ctx.header("Connection", "close");
      throw ApiException.tooLarge(null, "request body is over the payload limit of " + limit + " bytes");
    }
    if (body.length == 0) {
      throw ApiException.badJson("request body is empty; send a JSON object");
    }
    String text = strictUtf8(body);
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw ApiException.badJson("request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badJson("request body cannot be read as JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw ApiException.invalid(null, "request body must be a JSON object, got " + kind(root));
    }
    return root;
  }

  /** Decodes strictly: Jackson alone lets encoded surrogates and some overlong forms through. */
  private static String strictUtf8(byte[] body) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(body);
    CharBuffer out = CharBuffer.allocate(body.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw ApiException.badJson("request body is not valid UTF-8: malformed byte sequence at byte " + in.position());
    }
    return out.flip().toString();
  }

  static String kind(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "nothing";
    }
    return switch (n.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }

  static boolean absent(JsonNode n) {
    return n == null || n.isMissingNode() || n.isNull();
  }

  static Boolean optBoolean(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (absent(n)) {
      return null;
    }
    if (!n.isBoolean()) {
      throw ApiException.invalid(field, "`" + field + "` must be true or false, got " + kind(n));
    }
    return n.booleanValue();
  }

  static String optString(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (absent(n)) {
      return null;
    }
    if (!n.isTextual()) {
      throw ApiException.invalid(field, "`" + field + "` must be a string, got " + kind(n));
    }
    return n.textValue();
  }

  /** An optional integer in {@code [min, max]}; 0 when absent. */
  static int optInt(JsonNode body, String field, int min, int max) {
    JsonNode n = body.get(field);
    if (absent(n)) {
      return 0;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < min || n.longValue() > max) {
      throw ApiException.invalid(field, "`" + field + "` must be an integer from " + min + " to " + max + ", got "
          + (n.isNumber() ? n.asText() : kind(n)));
    }
    return n.intValue();
  }

  static String truncationDirection(JsonNode body) {
    String d = optString(body, "truncation_direction");
    if (d == null) {
      return "right";
    }
    String lower = d.toLowerCase(java.util.Locale.ROOT);
    if (!lower.equals("left") && !lower.equals("right")) {
      throw ApiException.invalid("truncation_direction", "`truncation_direction` must be \"left\" or \"right\", got \"" + d + "\"");
    }
    return lower;
  }

  /**
   * Model inputs: a string, an array of strings, one array of token ids, or an array of token-id
   * arrays (strings and id arrays may mix, as TEI allows). Empty input and id lists are 422; more
   * than {@code maxBatch} inputs is 413.
   */
  static List<BatchRequest.Input> inputs(JsonNode body, String field, int maxBatch) {
    JsonNode n = body.get(field);
    String expected = "`" + field + "` must be a string, an array of strings, or an array of token-id arrays";
    if (absent(n)) {
      throw ApiException.invalid(field, "`" + field + "` is missing; it must be a string, an array of strings, or an array of token-id arrays");
    }
    if (n.isTextual()) {
      return List.of(BatchRequest.Input.text(n.textValue()));
    }
    if (!n.isArray()) {
      throw ApiException.invalid(field, expected + ", got " + kind(n));
    }
    if (n.isEmpty()) {
      throw ApiException.invalid(field, "`" + field + "` must not be empty");
    }
    if (n.get(0).isNumber()) {
      return List.of(BatchRequest.Input.ids(ids(n, field)));
    }
    if (n.size() > maxBatch) {
      throw ApiException.tooLarge(field, "batch size " + n.size() + " > maximum allowed batch size " + maxBatch
          + " (--max-client-batch-size)");
    }
    List<BatchRequest.Input> out = new ArrayList<>(n.size());
    for (int i = 0; i < n.size(); i++) {
      JsonNode e = n.get(i);
      if (e.isTextual()) {
        out.add(BatchRequest.Input.text(e.textValue()));
      } else if (e.isArray()) {
        out.add(BatchRequest.Input.ids(ids(e, field + "[" + i + "]")));
      } else {
        throw ApiException.invalid(field, "`" + field + "[" + i + "]` must be a string or an array of token ids, got " + kind(e));
      }
    }
    return out;
  }

  /** A token-id array: non-empty, integers only (range is the tokenizer's to check). */
  static long[] ids(JsonNode array, String what) {
    if (array.isEmpty()) {
      throw ApiException.invalid(what, "`" + what + "` is an empty token-id list");
    }
    long[] ids = new long[array.size()];
    for (int i = 0; i < ids.length; i++) {
      JsonNode e = array.get(i);
      if (!e.isIntegralNumber() || !e.canConvertToLong()) {
        throw ApiException.invalid(what, "`" + what + "[" + i + "]` must be an integer token id, got "
            + (e.isNumber() ? e.asText() : kind(e)));
      }
      ids[i] = e.longValue();
    }
    return ids;
  }

  /** A string or an array of strings, as /tokenize takes. */
  static List<String> texts(JsonNode body, String field, int maxBatch) {
    JsonNode n = body.get(field);
    if (n != null && n.isTextual()) {
      return List.of(n.textValue());
    }
    if (n == null || !n.isArray()) {
      throw ApiException.invalid(field, "`" + field + "` must be a string or an array of strings, got " + kind(n));
    }
    if (n.isEmpty()) {
      throw ApiException.invalid(field, "`" + field + "` must not be empty");
    }
    if (n.size() > maxBatch) {
      throw ApiException.tooLarge(field, "batch size " + n.size() + " > maximum allowed batch size " + maxBatch
          + " (--max-client-batch-size)");
    }
    List<String> out = new ArrayList<>(n.size());
    for (int i = 0; i < n.size(); i++) {
      if (!n.get(i).isTextual()) {
        throw ApiException.invalid(field, "`" + field + "[" + i + "]` must be a string, got " + kind(n.get(i)));
      }
      out.add(n.get(i).textValue());
    }
    return out;
  }
}

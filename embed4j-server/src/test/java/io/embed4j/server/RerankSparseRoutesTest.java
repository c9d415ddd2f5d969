package io.embed4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.embed4j.rerank.CrossEncoder;
import io.embed4j.rerank.CrossEncoderOptions;
import io.embed4j.rerank.TextPair;
import io.embed4j.sparse.SparseEncoder;
import io.embed4j.sparse.SparseVector;
import io.embed4j.testing.TinyModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /rerank and /embed_sparse on a real server over the hand-computable tiny cross-encoder and
 * masked-LM graphs (TinyModels): the answers equal the library's, in TEI's shapes; bad input is 422;
 * /info and /metrics show the models.
 */
class RerankSparseRoutesTest {
  @TempDir static Path dir;
  private static CrossEncoder library;
  private static SparseEncoder sparseLibrary;
  private static Reranker reranker;
  private static SparseEncoder sparse;
  private static TestServer s;

  private static final List<String> DOCS = List.of("cat", "the big red cat sat", "a dog", "one two", "fish");

  @BeforeAll
  static void start() {
    Path ce = TinyModels.crossEncoder(dir.resolve("ce"), 1, "");
    Path mlm = TinyModels.splade(dir.resolve("mlm"));
    library = CrossEncoder.load(ce.toString());
    sparseLibrary = SparseEncoder.load(mlm.toString());
    reranker = Reranker.load(ce.toString(), CrossEncoderOptions.defaults());
    sparse = SparseEncoder.load(mlm.toString());
    s = TestServer.start(new ServedModels(TestServer.model(), reranker, sparse), ServerConfig.defaults().withLimits(512, 8, 2_000_000));
  }

  @AfterAll
  static void stop() {
    s.close();
    reranker.close();
    sparse.close();
    library.close();
    sparseLibrary.close();
  }

  private static String rerankBody(String extra) {
    return "{\"query\": \"query\", \"texts\": [\"cat\", \"the big red cat sat\", \"a dog\", \"one two\", \"fish\"]" + extra + "}";
  }

  @Test
  void rerankAnswersTheLibrarysScoresBestFirstInTeisShape() {
    float[] expected = library.predict(DOCS.stream().map(d -> TextPair.of("query", d)).toList());
    TestServer.Response r = s.post("/rerank", rerankBody(""));
    assertEquals(200, r.status(), r.body());
    JsonNode ranked = r.json();
    assertEquals(DOCS.size(), ranked.size());
    List<Integer> order = new ArrayList<>();
    for (JsonNode d : ranked) {
      int index = d.get("index").asInt();
      order.add(index);
      assertEquals(expected[index], d.get("score").floatValue(), 0f, "score of text " + index + " as CrossEncoder.predict gives it");
      assertFalse(d.has("text"), "no text unless return_text");
    }
    assertEquals(List.of(1, 2, 3, 0, 4), order, "best first; equal scores keep input order");
    assertEquals(TinyModels.sigmoid(TinyModels.crossEncoderLogit(5)), ranked.get(0).get("score").floatValue(), 1e-6f);
  }

  @Test
  void rawScoresAreTheLogitsAndReturnTextAddsTheText() {
    JsonNode ranked = s.post("/rerank", rerankBody(", \"raw_scores\": true, \"return_text\": true")).json();
    assertEquals(TinyModels.crossEncoderLogit(5), ranked.get(0).get("score").floatValue(), 0f);
    assertEquals("the big red cat sat", ranked.get(0).get("text").asText());
    assertEquals(TinyModels.crossEncoderLogit(1), ranked.get(4).get("score").floatValue(), 0f);
    assertEquals("fish", ranked.get(4).get("text").asText());
  }

  @Test
  void concurrentRerankRequestsShareCallsAndAllGetTheirOwnAnswers() {
    List<CompletableFuture<TestServer.Response>> all = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      String text = "cat ".repeat(1 + i % 6).trim();
      all.add(CompletableFuture.supplyAsync(() -> s.post("/rerank", "{\"query\": \"q\", \"texts\": [\"" + text + "\", \"dog\"], \"raw_scores\": true}")));
    }
    for (int i = 0; i < all.size(); i++) {
      TestServer.Response response = all.get(i).join();
      assertEquals(200, response.status(), response.body());
      JsonNode r = response.json();
      int catTokens = 1 + i % 6;
      JsonNode cat = r.get(0).get("index").asInt() == 0 ? r.get(0) : r.get(1);
      assertEquals(TinyModels.crossEncoderLogit(catTokens), cat.get("score").floatValue(), 0f, "request " + i);
    }
    String metrics = s.get("/metrics").body();
    assertTrue(metrics.contains("embed4j_batch_texts_count{kind=\"rerank\"}"), metrics);
    assertTrue(metrics.contains("embed4j_http_requests_total{method=\"POST\",route=\"/rerank\",status=\"200\"}"), metrics);
    assertTrue(metrics.contains("embed4j_queue_depth{kind=\"rerank\"} 0.0"), metrics);
  }

  @Test
  void rerankRejectsBadInputWith422AndTooManyTextsWith413() {
    assertEquals(422, s.post("/rerank", "{\"texts\": [\"a\"]}").status());
    assertEquals(422, s.post("/rerank", "{\"query\": 3, \"texts\": [\"a\"]}").status());
    assertEquals(422, s.post("/rerank", "{\"query\": \"q\", \"texts\": []}").status());
    assertEquals(422, s.post("/rerank", "{\"query\": \"q\", \"texts\": [\"a\", 2]}").status());
    assertEquals(422, s.post("/rerank", "{\"query\": \"q\", \"texts\": [\"a\"], \"raw_scores\": \"yes\"}").status());
    assertEquals(422, s.post("/rerank", "{\"query\": \"q\", \"texts\": [\"a\"], \"truncation_direction\": \"left\"}").status());
    assertEquals(413, s.post("/rerank", "{\"query\": \"q\", \"texts\": [\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\"]}").status());
    String longDoc = "cat ".repeat(600);
    TestServer.Response refused = s.post("/rerank", "{\"query\": \"cat\", \"texts\": [\"" + longDoc + "\"], \"truncate\": false}");
    assertEquals(422, refused.status());
    assertEquals("validation", refused.json().get("error_type").asText());
    assertTrue(refused.json().get("error").asText().contains("604 tokens") && refused.json().get("error").asText().contains("at most 512"),
        refused.body());
    TestServer.Response cut = s.post("/rerank", "{\"query\": \"cat\", \"texts\": [\"" + longDoc + "\"], \"raw_scores\": true}");
    assertEquals(TinyModels.crossEncoderLogit(508), cut.json().get(0).get("score").floatValue(), 0f,
        "truncated longest first to [CLS] cat [SEP] + 508 + [SEP] = 512 tokens");
  }

  @Test
  void embedSparseAnswersTheLibrarysVectorsAsIndexValueEntries() {
    List<String> texts = List.of("the cat sat on the mat", "dog", "fish runs");
    SparseVector[] expected = sparseLibrary.encodeDocument(texts);
    TestServer.Response r = s.post("/embed_sparse", "{\"inputs\": [\"the cat sat on the mat\", \"dog\", \"fish runs\"]}");
    assertEquals(200, r.status(), r.body());
    JsonNode all = r.json();
    assertEquals(texts.size(), all.size());
    for (int i = 0; i < texts.size(); i++) {
      JsonNode entries = all.get(i);
      int[] indices = new int[entries.size()];
      float[] values = new float[entries.size()];
      for (int k = 0; k < entries.size(); k++) {
        indices[k] = entries.get(k).get("index").asInt();
        values[k] = entries.get(k).get("value").floatValue();
      }
      assertArrayEquals(expected[i].indices(), indices, "input " + i);
      assertArrayEquals(expected[i].values(), values, 0f, "input " + i);
    }
    // "the" last occurs at position 6 of [CLS] the cat sat on the mat [SEP]
    int the = sparseLibrary.tokens(expected[0]).indexOf("the");
    assertEquals((float) Math.log1p(6), all.get(0).get(the).get("value").floatValue(), 1e-6f);
    JsonNode one = s.post("/embed_sparse", "{\"inputs\": \"dog\", \"side\": \"query\"}").json();
    assertEquals(1, one.size(), "a string input gives one vector");
    assertEquals(expected[1].size(), one.get(0).size());
  }

  @Test
  void embedSparseRejectsBadInputWith422() {
    assertEquals(422, s.post("/embed_sparse", "{\"inputs\": []}").status());
    assertEquals(422, s.post("/embed_sparse", "{\"inputs\": 5}").status());
    assertEquals(422, s.post("/embed_sparse", "{\"inputs\": [[1, 2]]}").status());
    assertEquals(422, s.post("/embed_sparse", "{\"inputs\": \"a\", \"side\": \"middle\"}").status());
    TestServer.Response prompt = s.post("/embed_sparse", "{\"inputs\": \"a\", \"prompt_name\": \"nope\"}");
    assertEquals(422, prompt.status());
    assertTrue(prompt.json().get("error").asText().contains("no prompt named 'nope'"), prompt.body());
    String longText = "cat ".repeat(600);
    TestServer.Response refused = s.post("/embed_sparse", "{\"inputs\": \"" + longText + "\", \"truncate\": false}");
    assertEquals(422, refused.status());
    assertTrue(refused.json().get("error").asText().contains("602 tokens"), refused.body());
    TestServer.Response cut = s.post("/embed_sparse", "{\"inputs\": \"" + longText + "\"}");
    assertEquals(200, cut.status());
    assertEquals(sparseLibrary.encodeDocument(List.of(longText))[0].size(), cut.json().get(0).size());
    assertEquals(400, s.post("/embed_sparse", "{\"inputs\": ").status());
  }

  @Test
  void infoListsEveryServedModel() {
    JsonNode models = s.get("/info").json().get("models");
    assertEquals(3, models.size(), models.toString());
    assertEquals("embedding", models.get(0).get("model_type").asText());
    assertEquals("reranker", models.get(1).get("model_type").asText());
    assertEquals("ce", models.get(1).get("model_id").asText());
    assertEquals("sigmoid", models.get(1).get("activation").asText());
    assertEquals("sparse", models.get(2).get("model_type").asText());
    assertEquals("mlm", models.get(2).get("model_id").asText());
    assertEquals(io.embed4j.testing.TestModels.TINY_VOCAB, models.get(2).get("dimensions").asInt());
  }
}

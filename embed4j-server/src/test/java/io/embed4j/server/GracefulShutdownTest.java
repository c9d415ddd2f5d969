package io.embed4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** shutdown(): requests in flight are answered in full, then the port is closed. */
class GracefulShutdownTest {
  @Test
  void shutdownAnswersEveryRequestInFlightThenRefusesConnections() throws Exception {
    TestServer s = TestServer.start();
    String url = s.server.url();
    // Four requests of 16 long texts each: several seconds of encoder work queued at once.
    String body = "{\"inputs\": [" + String.join(",", Collections.nCopies(16, "\"" + "drain me ".repeat(60) + "\"")) + "]}";
    List<CompletableFuture<TestServer.Response>> inFlight = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      inFlight.add(CompletableFuture.supplyAsync(() -> s.post("/embed", body)));
    }
    while (s.server.inFlight() < 4) {
      Thread.sleep(2);
    }
    long t0 = System.nanoTime();
    s.server.shutdown();
    long drainMillis = (System.nanoTime() - t0) / 1_000_000;
    for (CompletableFuture<TestServer.Response> f : inFlight) {
      TestServer.Response r = f.get();
      assertEquals(200, r.status(), r.body());
      assertEquals(16, r.json().size());
    }
    assertTrue(drainMillis > 50, "shutdown waited for the work in flight (" + drainMillis + " ms)");
    try (HttpClient fresh = HttpClient.newHttpClient()) {
      HttpRequest health = HttpRequest.newBuilder(URI.create(url + "/health")).timeout(Duration.ofSeconds(5)).build();
      IOException refused = assertThrows(IOException.class, () -> fresh.send(health, HttpResponse.BodyHandlers.ofString()));
      assertTrue(refused instanceof ConnectException || refused.getCause() instanceof ConnectException, refused.toString());
    }
    s.close(); // idempotent
  }
}

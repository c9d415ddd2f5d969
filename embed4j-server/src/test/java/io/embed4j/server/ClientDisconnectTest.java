package io.embed4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A client that closes its connection while its request is queued gets its inputs dropped, not inferred. */
class ClientDisconnectTest {
  private static Socket send(int port, String path, String json) throws Exception {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    OutputStream out = socket.getOutputStream();
    out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: " + body.length
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    return socket;
  }

  private static String statusLine(InputStream in) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int b; (b = in.read()) != -1 && b != '\n'; ) {
      sb.append((char) b);
    }
    return sb.toString().trim();
  }

  private static double metric(TestServer s, String line) {
    return s.get("/metrics").body().lines().filter(l -> l.startsWith(line + " ")).mapToDouble(l -> Double.parseDouble(l.substring(line.length() + 1)))
        .findFirst().orElse(-1);
  }

  @Test
  void queuedInputsOfAClientThatHungUpAreDroppedAndKeepAliveStillWorks() throws Exception {
    try (TestServer s = TestServer.start(ServerConfig.defaults().withInferenceWorkers(1))) {
      // A long request holds the only worker: its 96 inputs are older than anything queued after it.
      List<String> longTexts = new ArrayList<>();
      for (int i = 0; i < 96; i++) {
        longTexts.add("\"" + ("vector search on the jvm " + i + " ").repeat(40) + "\"");
      }
      CompletableFuture<TestServer.Response> big = CompletableFuture.supplyAsync(
          () -> s.post("/embed", "{\"inputs\": [" + String.join(",", longTexts) + "]}"));
      while (s.server.inFlight() < 1) {
        Thread.sleep(5);
      }
      List<Socket> gone = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        gone.add(send(s.server.port(), "/embed", "{\"inputs\": \"hang up " + i + "\"}"));
      }
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (s.server.inFlight() < 11 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertTrue(!big.isDone(), "the long request still runs while the others hang up; make it longer if this fails");
      for (Socket g : gone) {
        g.close();
      }
      assertEquals(200, big.join().status());
      deadline = System.nanoTime() + 30_000_000_000L;
      while (s.server.inFlight() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(10, metric(s, "embed4j_queue_dropped_total{kind=\"embedding\"}"), "the ten hung-up inputs were dropped");
      assertEquals(96, metric(s, "embed4j_batch_texts_sum{kind=\"embedding\"}"), "only the long request's inputs ran");
      assertEquals(10, metric(s, "embed4j_http_requests_total{method=\"POST\",route=\"/embed\",status=\"499\"}"));

      // Withdrawing the watch leaves a kept-alive connection reading its next request as usual.
      try (Socket keep = send(s.server.port(), "/embed", "{\"inputs\": \"first\"}")) {
        InputStream in = keep.getInputStream();
        assertEquals("HTTP/1.1 200 OK", statusLine(in));
        String line;
        int length = 0;
        while (!(line = statusLine(in)).isEmpty()) {
          if (line.toLowerCase().startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).trim());
          }
        }
        in.readNBytes(length);
        byte[] body = "{\"inputs\": \"second\"}".getBytes(StandardCharsets.UTF_8);
        keep.getOutputStream().write(("POST /embed HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        keep.getOutputStream().write(body);
        assertEquals("HTTP/1.1 200 OK", statusLine(in));
      }
    }
  }
}

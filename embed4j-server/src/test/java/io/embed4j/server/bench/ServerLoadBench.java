package io.embed4j.server.bench;

import io.embed4j.EmbeddingModel;
import io.embed4j.batch.DynamicBatcher;
import io.embed4j.server.EmbeddingServer;
import io.embed4j.server.ServerConfig;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded load generator for docs/benchmarks.md, section "Server". It starts the server in this
 * JVM on 127.0.0.1 and talks to it over loopback only (the address is never configurable), sends a
 * fixed amount of traffic and stops by itself. Three parts:
 *
 * <ol>
 *   <li>throughput: offline {@code encode} of the texts, then {@code --clients} keep-alive clients
 *       sending one text per {@code POST /v1/embeddings} until every text has been sent once;
 *   <li>overload: a server with {@code --max-concurrent-requests 32} gets bursts of 500 simultaneous
 *       requests; counts statuses and transport errors, and heap after GC between rounds;
 *   <li>abuse: a barrage of malformed requests, then /health and a known answer.
 * </ol>
 *
 * The clients are raw HTTP/1.1 on sockets (like wrk) so the generator spends little of the CPU the
 * server shares with it. Run: {@code scripts/bench-server.sh [texts.tsv] [--clients 64] [--texts 8000]}.
 */
public final class ServerLoadBench {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new TreeMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int clients = Integer.parseInt(opt.getOrDefault("clients", "64"));
    int limit = Integer.parseInt(opt.getOrDefault("texts", "8000"));
    String format = opt.getOrDefault("format", "both");
    Path source = Path.of(opt.getOrDefault("input", "../shared/datasets/stsbenchmark/sts-train.csv"));
    List<String> texts = readTexts(source, limit);
    String modelName = opt.getOrDefault("model", "all-MiniLM-L6-v2");
    System.out.printf(Locale.ROOT, "texts: %d from %s; clients: %d; format: %s; cores: %d; load average at start: %s%n", texts.size(), source,
        clients, format, Runtime.getRuntime().availableProcessors(), loadAverage());

    try (EmbeddingModel model = EmbeddingModel.load(modelName)) {
      if (!opt.containsKey("skip-throughput")) {
        ServerConfig config = ServerConfig.defaults().withPort(0);
        config = config.withBatching(Integer.parseInt(opt.getOrDefault("max-batch-tokens", "" + config.maxBatchTokens())),
            Integer.parseInt(opt.getOrDefault("max-batch-size", "" + config.maxBatchSize())));
        // As `embed4j serve` sets it up: one batch per core (up to 4), each on cores / workers threads.
        int workers = Integer.parseInt(opt.getOrDefault("inference-workers", "" + ServerConfig.autoInferenceWorkers()));
        int threads = Integer.parseInt(opt.getOrDefault("model-threads", "" + Math.max(1, Runtime.getRuntime().availableProcessors() / workers)));
        config = config.withInferenceWorkers(workers);
        // The server may run its own instance of the model, e.g. one thread per batch and one batch per core.
        System.out.printf(Locale.ROOT, "server: %s; model threads per batch: %d%n", config, threads);
        try (EmbeddingModel served = threads == 0 ? null
            : EmbeddingModel.load(modelName, io.embed4j.backend.BackendOptions.defaults().withThreads(threads))) {
          throughput(model, served == null ? model : served, texts, clients, format, Integer.parseInt(opt.getOrDefault("rounds", "2")), config);
        }
      }
      if (!opt.containsKey("skip-overload")) {
        overload(model, texts, Integer.parseInt(opt.getOrDefault("overload-rounds", "10")));
      }
      if (!opt.containsKey("skip-abuse")) {
        abuse(model);
      }
    }
    System.out.printf(Locale.ROOT, "load average at end: %s%n", loadAverage());
  }

  /** The 1, 5 and 15 minute load averages: other work on the machine shares its cores with this run. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  static List<String> readTexts(Path tsv, int limit) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
      String[] f = line.split("\t");
      for (int c = 5; c <= 6 && c < f.length && out.size() < limit; c++) {
        out.add(f[c]);
      }
      if (out.size() >= limit) {
        break;
      }
    }
    return out;
  }

  // ---- 1. throughput and latency

  /** One offline encode of all texts: texts/s, and a description of the run. */
  static double offline(EmbeddingModel model, List<String> texts, StringBuilder note) {
    long t0 = System.nanoTime();
    long c0 = cpuNanos();
    var stats = model.embed(texts, io.embed4j.encode.EncodeOptions.defaults()).stats();
    double rate = texts.size() / ((System.nanoTime() - t0) / 1e9);
    note.append(cpu(c0, t0, texts.size())).append(String.format(Locale.ROOT, "; %d batches, padding %.1f %%", stats.batches(),
        100 * stats.paddingRatio()));
    return rate;
  }

  static void throughput(EmbeddingModel model, EmbeddingModel served, List<String> texts, int clients, String format, int rounds,
      ServerConfig config) throws Exception {
    model.encode(texts.subList(0, Math.min(512, texts.size()))); // warm-up
    StringBuilder note = new StringBuilder();
    double firstOffline = offline(model, texts, note);
    System.out.printf(Locale.ROOT, "offline encode: %.0f texts/s; %s%n", firstOffline, note);
    inProcess(served, texts, clients, config, firstOffline);
    if (Boolean.getBoolean("bench.inProcessOnly")) {
      return;
    }
    List<String> formats = format.equals("both") ? List.of("float", "base64") : List.of(format);
    java.util.Map<String, byte[][]> bodiesByFormat = new java.util.LinkedHashMap<>();
    for (String f : formats) {
      byte[][] bodies = new byte[texts.size()][];
      for (int i = 0; i < bodies.length; i++) {
        String body = "{\"input\": " + json(texts.get(i)) + ", \"model\": \"" + model.name() + "\""
            + ("base64".equals(f) ? ", \"encoding_format\": \"base64\"" : "") + "}";
        bodies[i] = body.getBytes(StandardCharsets.UTF_8);
      }
      bodiesByFormat.put(f, bodies);
    }
    EmbeddingServer server = EmbeddingServer.start(served, config);
    try {
      byte[][] first = bodiesByFormat.values().iterator().next();
      run(server.port(), first, 0, Math.min(2048, first.length), clients); // warm-up: JIT the HTTP path
      if (Boolean.getBoolean("bench.httpOnly")) {
        byte[][] tok = new byte[texts.size()][];
        for (int i = 0; i < tok.length; i++) {
          tok[i] = ("{\"inputs\": " + json(texts.get(i)) + "}").getBytes(StandardCharsets.UTF_8);
        }
        for (String path : List.of("/tokenize", "/health")) {
          long c0 = cpuNanos();
          long w0 = System.nanoTime();
          Run run = run(server.port(), tok, 0, tok.length, clients, path);
          System.out.printf(Locale.ROOT, "HTTP only, %s: %.0f requests/s, %s%n", path, tok.length / run.seconds(), cpu(c0, w0, tok.length));
        }
      }
      // Offline and server runs alternate, and each server run is compared with the offline run just
      // before it: on a shared machine, load changes from minute to minute.
      for (int r = 0; r < rounds; r++) {
        note.setLength(0);
        double offline = offline(model, texts, note);
        System.out.printf(Locale.ROOT, "round %d: offline encode %.0f texts/s; %s; load average %s%n", r + 1, offline, note, loadAverage());
        for (var e : bodiesByFormat.entrySet()) {
          byte[][] bodies = e.getValue();
          long c0 = cpuNanos();
          long w0 = System.nanoTime();
          Run run = run(server.port(), bodies, 0, bodies.length, clients);
          String cpu = cpu(c0, w0, bodies.length);
          long[] lat = run.latencies();
          Arrays.sort(lat);
          double rate = bodies.length / run.seconds();
          System.out.printf(Locale.ROOT,
              "round %d: server, %d clients x 1 text/request, %s: %.0f texts/s = %.0f %% of offline; latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms; non-200: %d, errors: %d; %s (load generator %.2f ms/text)%n",
              r + 1, clients, e.getKey(), rate, 100 * rate / offline, pct(lat, 50), pct(lat, 90), pct(lat, 99),
              lat[lat.length - 1] / 1e6, run.non200(), run.errors(), cpu, run.clientCpuNanos() / 1e6 / bodies.length);
        }
      }
      String metrics = get(server.port(), "/metrics");
      String kind = "{kind=\"embedding\"}";
      double batches = Double.parseDouble(metricLine(metrics, "embed4j_batch_texts_count" + kind));
      double inBatches = Double.parseDouble(metricLine(metrics, "embed4j_batch_texts_sum" + kind));
      double padded = Double.parseDouble(metricLine(metrics, "embed4j_batch_tokens_sum" + kind));
      double real = Double.parseDouble(metricLine(metrics, "embed4j_batch_real_tokens_total" + kind));
      System.out.printf(Locale.ROOT, "  server batches (warm-up included): %.0f of %.1f texts on average, padding %.1f %%%n",
          batches, inBatches / batches, 100 * (padded - real) / padded);
    } finally {
      server.shutdown();
    }
  }

  /** The same traffic through the DynamicBatcher in this JVM, no HTTP: what batching alone costs. */
  static void inProcess(EmbeddingModel model, List<String> texts, int clients, ServerConfig config, double offline) throws Exception {
    long[] sums = new long[4]; // batches, texts, padded, real... and nanos below
    AtomicLong inferNanos = new AtomicLong();
    DynamicBatcher.Listener listener = b -> {
      synchronized (sums) {
      sums[0]++;
      sums[1] += b.texts();
      sums[2] += b.paddedTokens();
      sums[3] += b.realTokens();
      inferNanos.addAndGet(b.nanos());
      }
    };
    try (DynamicBatcher batcher = DynamicBatcher.start(model, config.batcherConfig(), listener)) {
      for (int round = 0; round < 2; round++) {
        Arrays.fill(sums, 0);
        inferNanos.set(0);
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(clients);
        long t0 = System.nanoTime();
        long c0 = cpuNanos();
        for (int c = 0; c < clients; c++) {
          Thread.ofPlatform().daemon().start(() -> {
            for (int i; (i = next.getAndIncrement()) < texts.size(); ) {
              batcher.submit(texts.get(i)).join();
            }
            done.countDown();
          });
        }
        done.await();
        double rate = texts.size() / ((System.nanoTime() - t0) / 1e9);
        if (round == 1) {
          System.out.printf(Locale.ROOT, "in-process DynamicBatcher, %d callers x 1 text (batches of <= %d texts, %d tokens, %d workers): %.0f texts/s = %.0f %% of offline; %s%n",
              clients, config.maxBatchSize(), config.maxBatchTokens(), config.inferenceWorkers(), rate, 100 * rate / offline, cpu(c0, t0, texts.size()));
          double wall = (System.nanoTime() - t0) / 1e9;
          System.out.printf(Locale.ROOT, "  %d batches of %.1f texts on average, padding %.1f %%, workers busy %.0f %% of the time%n",
              sums[0], (double) sums[1] / sums[0], 100.0 * (sums[2] - sums[3]) / sums[2],
              100 * inferNanos.get() / 1e9 / wall / config.inferenceWorkers());
        }
      }
    }
  }

  record Run(double seconds, long[] latencies, int non200, int errors, long clientCpuNanos) {}

  /** {@code clients} keep-alive connections share bodies[from, to) through one counter: each body is sent exactly once. */
  static Run run(int port, byte[][] bodies, int from, int to, int clients) throws InterruptedException {
    return run(port, bodies, from, to, clients, "/v1/embeddings");
  }

  static Run run(int port, byte[][] bodies, int from, int to, int clients, String path) throws InterruptedException {
    AtomicInteger next = new AtomicInteger(from);
    long[] latencies = new long[to - from];
    AtomicInteger non200 = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicLong clientCpu = new AtomicLong();
    CountDownLatch done = new CountDownLatch(clients);
    long t0 = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      Thread.ofPlatform().daemon().name("load-" + c).start(() -> {
        try (Connection conn = new Connection(port)) {
          for (int i; (i = next.getAndIncrement()) < to; ) {
            long s = System.nanoTime();
            Response response = path.equals("/health") ? conn.get(path) : conn.post(path, bodies[i]);
            int status = response.status();
            latencies[i - from] = System.nanoTime() - s;
            if (status != 200) {
              if (non200.incrementAndGet() <= 3) {
                System.out.println("  non-200: " + status + " " + new String(response.body(), StandardCharsets.UTF_8));
              }
            }
          }
        } catch (IOException e) {
          errors.incrementAndGet();
        } finally {
          clientCpu.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
          done.countDown();
        }
      });
    }
    done.await();
    return new Run((System.nanoTime() - t0) / 1e9, latencies, non200.get(), errors.get(), clientCpu.get());
  }

  // ---- 2. overload: bursts far beyond --max-concurrent-requests

  static void overload(EmbeddingModel model, List<String> texts, int rounds) throws Exception {
    int burst = 500;
    int limit = 32;
    ServerConfig config = ServerConfig.defaults().withPort(0).withLimits(limit, 512, 2_000_000);
    EmbeddingServer server = EmbeddingServer.start(model, config);
    try {
      byte[][] bodies = new byte[burst][];
      for (int i = 0; i < burst; i++) {
        bodies[i] = ("{\"input\": [" + json(texts.get(i % texts.size())) + ", " + json(texts.get((i + 7) % texts.size())) + "]}")
            .getBytes(StandardCharsets.UTF_8);
      }
      Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
      long heapAfterFirst = 0;
      long threadsAfterFirst = 0;
      long t0 = System.nanoTime();
      for (int r = 0; r < rounds; r++) {
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(burst);
        for (int i = 0; i < burst; i++) {
          byte[] body = bodies[i];
          Thread.ofVirtual().start(() -> {
            String outcome;
            try (Connection conn = new Connection(server.port())) {
              go.await();
              outcome = Integer.toString(conn.post("/v1/embeddings", body).status());
            } catch (IOException e) {
              outcome = "transport error: " + e.getClass().getSimpleName();
            } catch (InterruptedException e) {
              outcome = "interrupted";
            }
            outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
            done.countDown();
          });
        }
        go.countDown();
        done.await();
        if (r == 0) {
          heapAfterFirst = heapAfterGc();
          threadsAfterFirst = Thread.activeCount();
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long heapAfterLast = heapAfterGc();
      System.out.printf(Locale.ROOT, "overload: %d rounds x %d simultaneous requests, --max-concurrent-requests %d, %.1f s: %s%n",
          rounds, burst, limit, seconds, new TreeMap<>(outcomes));
      System.out.printf(Locale.ROOT, "overload: heap after GC, after round 1: %.1f MiB, after round %d: %.1f MiB (%+.1f MiB); platform threads %d -> %d; /health %s%n",
          heapAfterFirst / 1048576.0, rounds, heapAfterLast / 1048576.0, (heapAfterLast - heapAfterFirst) / 1048576.0,
          threadsAfterFirst, Thread.activeCount(), status(server.port(), "/health"));
    } finally {
      server.shutdown();
    }
  }

  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  static String cpu(long cpu0, long wall0, int texts) {
    double cpu = (cpuNanos() - cpu0) / 1e9;
    double wall = (System.nanoTime() - wall0) / 1e9;
    return String.format(Locale.ROOT, "CPU %.2f ms/text, cores busy %.0f %%", 1000 * cpu / texts,
        100 * cpu / (wall * Runtime.getRuntime().availableProcessors()));
  }

  static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  // ---- 3. abuse

  static void abuse(EmbeddingModel model) throws Exception {
    EmbeddingServer server = EmbeddingServer.start(model, ServerConfig.defaults().withPort(0));
    try {
      Map<String, byte[]> bad = new java.util.LinkedHashMap<>();
      bad.put("malformed JSON", "{\"input\": [\"a\", ".getBytes(StandardCharsets.UTF_8));
      bad.put("wrong type", "{\"input\": {\"text\": 1}}".getBytes(StandardCharsets.UTF_8));
      bad.put("empty list", "{\"input\": []}".getBytes(StandardCharsets.UTF_8));
      bad.put("11 MB body", ("{\"input\": \"" + "x".repeat(11 << 20) + "\"}").getBytes(StandardCharsets.UTF_8));
      bad.put("100k-character text", ("{\"input\": \"" + "word ".repeat(20_000) + "\"}").getBytes(StandardCharsets.UTF_8));
      byte[] utf8 = "{\"input\": \"ab??\"}".getBytes(StandardCharsets.UTF_8);
      utf8[13] = (byte) 0xff;
      utf8[14] = (byte) 0xfe;
      bad.put("invalid UTF-8", utf8);
      bad.put("negative dimensions", "{\"input\": \"a\", \"dimensions\": -5}".getBytes(StandardCharsets.UTF_8));
      bad.put("huge dimensions", "{\"input\": \"a\", \"dimensions\": 1e300}".getBytes(StandardCharsets.UTF_8));
      bad.put("token id out of range", "{\"input\": [[101, 2147483647]]}".getBytes(StandardCharsets.UTF_8));
      bad.put("513 inputs", ("{\"input\": [" + String.join(",", java.util.Collections.nCopies(513, "\"a\"")) + "]}").getBytes(StandardCharsets.UTF_8));
      Map<String, String> results = new java.util.LinkedHashMap<>();
      long t0 = System.nanoTime();
      int sent = 0;
      for (int round = 0; round < 20; round++) {
        for (var e : bad.entrySet()) {
          try (Connection conn = new Connection(server.port())) {
            Response r = conn.post("/v1/embeddings", e.getValue());
            results.merge(e.getKey(), Integer.toString(r.status()), (a, b) -> a.equals(b) ? a : a + "/" + b);
          } catch (IOException ex) {
            results.merge(e.getKey(), "transport error", (a, b) -> a + "/" + b);
          }
          sent++;
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      float[] expected = model.encode("steady state");
      String answer;
      try (Connection conn = new Connection(server.port())) {
        answer = new String(conn.post("/embed", "{\"inputs\": \"steady state\"}".getBytes(StandardCharsets.UTF_8)).body(), StandardCharsets.UTF_8);
      }
      String first = answer.substring(2, answer.indexOf(','));
      System.out.printf(Locale.ROOT, "abuse: %d bad requests in %.1f s, statuses: %s%n", sent, seconds, results);
      System.out.printf(Locale.ROOT, "abuse: then /health %d; /embed first value %s (encode: %s)%n", status(server.port(), "/health"),
          first, Float.toString(expected[0]));
    } finally {
      server.shutdown();
    }
  }

  // ---- a minimal HTTP/1.1 keep-alive client, loopback only

  record Response(int status, byte[] body) {}

  static final class Connection implements AutoCloseable {
    private final Socket socket = new Socket();
    private final InputStream in;
    private final OutputStream out;
    private final byte[] head;

    Connection(int port) throws IOException {
      socket.connect(new InetSocketAddress(LOOPBACK, port), 10_000);
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(120_000);
      in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
      out = socket.getOutputStream();
      head = ("Host: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    Response post(String path, byte[] body) throws IOException {
      ByteArrayOutputStream req = new ByteArrayOutputStream(body.length + 160);
      req.writeBytes(("POST " + path + " HTTP/1.1\r\n").getBytes(StandardCharsets.US_ASCII));
      req.writeBytes(head);
      req.writeBytes(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      req.writeBytes(body);
      byte[] bytes = req.toByteArray();
      if (bytes.length < (1 << 20)) {
        out.write(bytes);
        out.flush();
        return read();
      }
      // A large body is written beside the read, as curl does: the server may answer 413 and close
      // before taking it all, and that answer is what counts.
      Thread writer = Thread.ofVirtual().start(() -> {
        try {
          out.write(bytes);
          out.flush();
        } catch (IOException ignored) {
          // the server stopped reading: its response says why
        }
      });
      try {
        return read();
      } finally {
        writer.interrupt();
      }
    }

    Response get(String path) throws IOException {
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return read();
    }

    private Response read() throws IOException {
      String status = line();
      if (status == null) {
        throw new IOException("connection closed before a response");
      }
      int code = Integer.parseInt(status.split(" ")[1]);
      long length = -1;
      boolean chunked = false;
      for (String h; !(h = line()).isEmpty(); ) {
        String lower = h.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Long.parseLong(lower.substring(15).trim());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        }
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (chunked) {
        for (int size; (size = Integer.parseInt(line().split(";")[0].trim(), 16)) > 0; ) {
          body.writeBytes(in.readNBytes(size));
          line();
        }
        line();
      } else if (length >= 0) {
        body.writeBytes(in.readNBytes((int) length));
      }
      return new Response(code, body.toByteArray());
    }

    private String line() throws IOException {
      StringBuilder sb = new StringBuilder();
      for (int b; (b = in.read()) != -1; ) {
        if (b == '\n') {
          int n = sb.length();
          return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
        }
        sb.append((char) b);
      }
      return sb.isEmpty() ? null : sb.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  static String get(int port, String path) throws IOException {
    try (Connection c = new Connection(port)) {
      return new String(c.get(path).body(), StandardCharsets.UTF_8);
    }
  }

  static int status(int port, String path) throws IOException {
    try (Connection c = new Connection(port)) {
      return c.get(path).status();
    }
  }

  /** The value of the first series named {@code name} (with its labels, if given). */
  static String metricLine(String metrics, String name) {
    return metrics.lines().filter(l -> l.startsWith(name + " ") || (!name.endsWith("}") && l.startsWith(name + "{")))
        .map(l -> l.substring(l.lastIndexOf(' ') + 1))
        .findFirst().orElse("?");
  }

  static double pct(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
  }

  static String json(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}

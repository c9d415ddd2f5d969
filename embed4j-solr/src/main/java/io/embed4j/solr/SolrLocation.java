package io.embed4j.solr;

import io.embed4j.Embed4jException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a SolrCloud store lives: {@code solr://HOST:PORT[,HOST:PORT...]/COLLECTION[?shards=N&replicas=N]}.
 * Every node listed can take any request (Solr routes it inside the cluster); listing several lets
 * the store carry on when one is down. {@code shards} and {@code replicas} apply when the collection
 * is created. {@code solrs://} talks HTTPS.
 *
 * @param baseUrls Solr base URLs, e.g. {@code http://host:8983/solr}
 * @param collection the collection's name
 * @param shards shards of a new collection
 * @param replicas replicas of each shard of a new collection
 */
public record SolrLocation(List<String> baseUrls, String collection, int shards, int replicas) {
  public static final String SCHEME = "solr://";
  public static final String SECURE_SCHEME = "solrs://";

  public SolrLocation {
    if (baseUrls.isEmpty()) {
      throw new IllegalArgumentException("no Solr node given");
    }
    baseUrls = List.copyOf(baseUrls);
    if (!collection.matches("[A-Za-z0-9_][A-Za-z0-9._-]*")) {
      throw new Embed4jException.InvalidInput("Solr collection name '" + collection
          + "': use letters, digits, '.', '_' and '-' (not starting with '.' or '-')");
    }
    if (shards < 1 || replicas < 1) {
      throw new Embed4jException.InvalidInput("Solr store: shards and replicas must be >= 1, got shards=" + shards + ", replicas=" + replicas);
    }
  }

  /** Whether {@code spec} names a Solr store rather than a directory. */
  public static boolean isSolr(String spec) {
    return spec != null && (spec.startsWith(SCHEME) || spec.startsWith(SECURE_SCHEME));
  }

  /** Parses a {@code solr://} address; a malformed one is refused with a message showing the expected form. */
  public static SolrLocation parse(String spec) {
    String form = "expected solr://HOST:PORT[,HOST:PORT...]/COLLECTION[?shards=N&replicas=N]";
    if (!isSolr(spec)) {
      throw new Embed4jException.InvalidInput("--store '" + spec + "': " + form);
    }
    boolean secure = spec.startsWith(SECURE_SCHEME);
    String rest = spec.substring(secure ? SECURE_SCHEME.length() : SCHEME.length());
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw new Embed4jException.InvalidInput("--store '" + spec + "': no collection; " + form);
    }
    String hosts = rest.substring(0, slash);
    String path = rest.substring(slash + 1);
    Map<String, String> query = new LinkedHashMap<>();
    int q = path.indexOf('?');
    if (q >= 0) {
      for (String kv : path.substring(q + 1).split("&")) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw new Embed4jException.InvalidInput("--store '" + spec + "': bad parameter '" + kv + "'; " + form);
        }
        query.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
      path = path.substring(0, q);
    }
    List<String> urls = new ArrayList<>();
    for (String host : hosts.split(",")) {
      try {
        URI u = URI.create((secure ? "https://" : "http://") + host.strip());
        if (u.getHost() == null || u.getPort() < 0 || (u.getPath() != null && !u.getPath().isEmpty())) {
          throw new IllegalArgumentException();
        }
        urls.add(u + "/solr");
      } catch (IllegalArgumentException e) {
        throw new Embed4jException.InvalidInput("--store '" + spec + "': '" + host + "' is not HOST:PORT; " + form);
      }
    }
    int shards = intParam(spec, query, "shards", 2);
    int replicas = intParam(spec, query, "replicas", 1);
    query.keySet().removeAll(List.of("shards", "replicas"));
    if (!query.isEmpty()) {
      throw new Embed4jException.InvalidInput("--store '" + spec + "': unknown parameter(s) " + query.keySet() + "; " + form);
    }
    return new SolrLocation(urls, path, shards, replicas);
  }

  private static int intParam(String spec, Map<String, String> query, String name, int dflt) {
    String v = query.get(name);
    if (v == null) {
      return dflt;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new Embed4jException.InvalidInput("--store '" + spec + "': " + name + "=" + v + " is not a number");
    }
  }

  @Override
  public String toString() {
    String hosts = String.join(",", baseUrls.stream().map(u -> URI.create(u).getAuthority()).toList());
    boolean secure = baseUrls.get(0).startsWith("https:");
    return (secure ? SECURE_SCHEME : SCHEME) + hosts + "/" + collection;
  }
}

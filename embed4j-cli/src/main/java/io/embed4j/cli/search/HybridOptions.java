package io.embed4j.cli.search;

import io.embed4j.Embed4jException;
import io.embed4j.index.fusion.Fusion;
import io.embed4j.index.store.SearchMode;
import java.util.List;
import picocli.CommandLine.Option;

/** What hybrid search fuses and how: a mixin of search and eval retrieval. */
public final class HybridOptions {
  @Option(names = "--fuse", defaultValue = "dense,bm25", paramLabel = "LIST",
      description = "The rankings hybrid fuses: two or three of dense, sparse, bm25 (sparse needs an index built with --sparse-model). "
          + "Default: ${DEFAULT-VALUE}.")
  String fuse;

  @Option(names = "--fusion", defaultValue = "rrf", description = "How hybrid merges its rankings: rrf (reciprocal rank) "
      + "or weighted (min-max normalized scores). Default: ${DEFAULT-VALUE}.")
  String fusion;

  @Option(names = "--dense-weight", defaultValue = "0.5", description = "With --fusion weighted over two rankings, one of them dense: "
      + "the weight of dense (the other gets 1 - W). Default: ${DEFAULT-VALUE}.")
  double denseWeight;

  @Option(names = "--weights", split = ",", paramLabel = "W",
      description = "With --fusion weighted: one weight per --fuse ranking, in its order (default: --dense-weight for two rankings "
          + "with dense, else equal).")
  List<Double> weights;

  public List<SearchMode> fused() {
    return SearchMode.parseFused(fuse);
  }

  public Fusion fusion() {
    if (denseWeight < 0 || denseWeight > 1) {
      throw new Embed4jException.InvalidInput("--dense-weight must be in [0, 1], got " + denseWeight);
    }
    List<SearchMode> fused = fused();
    if (weights != null && !weights.isEmpty() && !fusion.trim().equalsIgnoreCase("weighted")) {
      throw new Embed4jException.InvalidInput("--weights applies with --fusion weighted only");
    }
    List<Double> w = weights;
    if ((w == null || w.isEmpty()) && fused.size() == 2 && fused.contains(SearchMode.DENSE)) {
      w = fused.get(0) == SearchMode.DENSE ? List.of(denseWeight, 1 - denseWeight) : List.of(1 - denseWeight, denseWeight);
    }
    return Fusion.parse(fusion, w, fused.size());
  }

  /** What the fused rankings and fusion are, for reports: {@code dense+sparse+bm25 rrf}. */
  public String describe() {
    return String.join("+", fused().stream().map(SearchMode::cliName).toList()) + " " + fusion().toString();
  }
}

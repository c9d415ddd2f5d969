package io.embed4j.train.loss;

import java.util.List;

/** Losses by their command-line names. */
public final class Losses {
  /** The names {@link #create} knows. */
  public static final List<String> NAMES = List.of("mnrl", "mnrl-symmetric", "cached-mnrl", "cosent", "margin-mse", "triplet");

  private Losses() {}

  /**
   * The loss for a name, wrapped in {@link MatryoshkaLoss} when dimensions are given. "cached-mnrl"
   * is MNRL; the trainer's GradCache (mini-batch size) makes it cached.
   */
  public static EmbeddingLoss create(String name, int[] matryoshkaDimensions) {
    EmbeddingLoss base = switch (name) {
      case "mnrl", "cached-mnrl" -> new MultipleNegativesRankingLoss();
      case "mnrl-symmetric" -> new MultipleNegativesRankingLoss(20, true);
      case "cosent" -> new CoSENTLoss();
      case "margin-mse" -> new MarginMSELoss();
      case "triplet" -> new TripletLoss();
      default -> throw new IllegalArgumentException("unknown loss '" + name + "'; valid losses: " + NAMES);
    };
    return matryoshkaDimensions == null || matryoshkaDimensions.length == 0 ? base : new MatryoshkaLoss(base, matryoshkaDimensions);
  }
}

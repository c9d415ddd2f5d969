package io.embed4j.server;

import io.embed4j.Embed4jException;
import io.embed4j.rerank.Activation;
import io.embed4j.rerank.CrossEncoder;
import io.embed4j.rerank.CrossEncoderConfig;
import io.embed4j.rerank.CrossEncoderOptions;

/**
 * The cross-encoder behind {@code POST /rerank}. It is loaded to return raw logits, and the
 * activation its configuration names is applied per request, so that TEI's {@code raw_scores}
 * returns the exact logits rather than an activation inverted in floating point.
 *
 * @param encoder a one-label cross-encoder returning raw logits
 * @param activation what turns a logit into the model's score (sigmoid for most rerankers)
 */
public record Reranker(CrossEncoder encoder, Activation activation) implements AutoCloseable {
  public Reranker {
    if (encoder.numLabels() != 1) {
      throw new Embed4jException.InvalidModel("cross-encoder '" + encoder.name() + "' has " + encoder.numLabels() + " labels "
          + encoder.config().labels() + "; /rerank needs a one-label model (a relevance score)");
    }
    if (encoder.config().activation() != Activation.IDENTITY) {
      throw new IllegalArgumentException("load the reranker with Reranker.load, which keeps the logits raw");
    }
  }

  /** Loads a cross-encoder directory or Hub id ({@code org/name[@revision]}) for serving. */
  public static Reranker load(String model, CrossEncoderOptions options) {
    CrossEncoderConfig config = CrossEncoder.resolve(model);
    Activation activation = options.activation() != null ? options.activation() : config.activation();
    CrossEncoder encoder = CrossEncoder.load(config, options.withActivation(Activation.IDENTITY));
    try {
      return new Reranker(encoder, activation);
    } catch (RuntimeException e) {
      encoder.close();
      throw e;
    }
  }

  public String name() {
    return encoder.name();
  }

  /** The model's score of a raw logit. */
  public float score(float logit) {
    float[] v = {logit};
    activation.applyInPlace(v);
    return v[0];
  }

  @Override
  public void close() {
    encoder.close();
  }
}

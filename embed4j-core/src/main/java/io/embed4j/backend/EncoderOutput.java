package io.embed4j.backend;

/**
 * What an encoder returns for a batch: token embeddings [batch, seqLen, width] (row-major), or,
 * for graphs that pool inside, sentence embeddings [batch, width] with {@code seqLen == 1} and
 * {@code pooled == true}.
 */
public record EncoderOutput(float[] values, int batch, int seqLen, int width, boolean pooled) {
  public EncoderOutput {
    if ((long) batch * seqLen * width != values.length) {
      throw new IllegalArgumentException("output of " + values.length + " values is not " + batch + "x" + seqLen + "x" + width);
    }
  }
}

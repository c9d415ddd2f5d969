package io.embed4j.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.embed4j.Embed4jException;
import io.embed4j.backend.TokenBatch;
import io.embed4j.pooling.PoolingMode;
import io.embed4j.tokenize.TokenizedText;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The encoder on a tiny random BERT: gradients, padding, pooling, dropout. */
class BertEncoderTest {
  static final BertConfig TINY = new BertConfig(40, 8, 2, 2, 16, 12, 2, 1e-12, 0.0, 0.0);

  static TokenBatch batch(int... lengths) {
    Random r = new Random(7);
    List<TokenizedText> rows = new ArrayList<>();
    for (int len : lengths) {
      long[] ids = new long[len];
      ids[0] = 1;
      ids[len - 1] = 2;
      for (int i = 1; i < len - 1; i++) {
        ids[i] = 3 + r.nextInt(37);
      }
      rows.add(new TokenizedText(ids, new long[len], 1, 1));
    }
    return Batches.pad(rows, 12);
  }

  @Test
  void encoderGradientsMatchFiniteDifferences() {
    for (List<PoolingMode> pooling : List.of(List.of(PoolingMode.MEAN), List.of(PoolingMode.CLS, PoolingMode.MAX))) {
      try (BertEncoder encoder = BertEncoder.random(TINY, pooling, true, DataType.FLOAT64, 3);
          NDManager m = Torch.engine().newBaseManager()) {
        TokenBatch b = batch(5, 3, 7);
        NDArray[] in = BertEncoder.inputs(m, b);
        NDArray probe = m.randomNormal(new Shape(3, encoder.dimensions())).toType(DataType.FLOAT64, false);
        List<NDArray> params = new ArrayList<>(encoder.parameters().values());
        GradientCheck.Result r = GradientCheck.check(params,
            () -> encoder.sentenceEmbeddings(in[0], in[1], in[2]).mul(probe).sum(), 3, 1e-6, 11);
        assertTrue(r.maxRelativeError() < 1e-5, pooling + ": " + r);
        assertTrue(r.checked() > 50, "checked " + r.checked());
      }
    }
  }

  @Test
  void paddingDoesNotChangeAnEmbedding() {
    try (BertEncoder encoder = BertEncoder.random(TINY, List.of(PoolingMode.MEAN), true, DataType.FLOAT64, 5);
        NDManager m = Torch.engine().newBaseManager()) {
      double[] alone = encoder.sentenceEmbeddings(m, batch(4)).toDoubleArray();
      double[] padded = encoder.sentenceEmbeddings(m, batch(4, 9)).get("0").toDoubleArray();
      assertArrayEquals(alone, padded, 1e-12);
    }
  }

  @Test
  void dropoutActsOnlyWhenTraining() {
    BertConfig withDropout = TINY.withDropout(0.5, 0.5);
    try (BertEncoder encoder = BertEncoder.random(withDropout, List.of(PoolingMode.MEAN), true, DataType.FLOAT32, 5);
        NDManager m = Torch.engine().newBaseManager()) {
      float[] a = encoder.sentenceEmbeddings(m, batch(6)).toFloatArray();
      float[] b = encoder.sentenceEmbeddings(m, batch(6)).toFloatArray();
      assertArrayEquals(a, b);
      encoder.setTraining(true);
      float[] c = encoder.sentenceEmbeddings(m, batch(6)).toFloatArray();
      assertNotEquals(a[0], c[0]);
    }
  }

  @Test
  void weightsRoundTripThroughLoadWeights() {
    try (BertEncoder a = BertEncoder.random(TINY, List.of(PoolingMode.MEAN), false, DataType.FLOAT32, 1);
        BertEncoder b = BertEncoder.random(TINY, List.of(PoolingMode.MEAN), false, DataType.FLOAT32, 2);
        NDManager m = Torch.engine().newBaseManager()) {
      b.loadWeights(a.weights());
      assertArrayEquals(a.sentenceEmbeddings(m, batch(5)).toFloatArray(), b.sentenceEmbeddings(m, batch(5)).toFloatArray());
      assertEquals(a.parameterCount(), b.parameterCount());
    }
  }

  @Test
  void unsupportedPoolingIsRefusedWithTheSupportedList() {
    var e = assertThrows(Embed4jException.InvalidModel.class,
        () -> BertEncoder.random(TINY, List.of(PoolingMode.WEIGHTED_MEAN), true, DataType.FLOAT32, 1));
    assertTrue(e.getMessage().contains("supported"), e.getMessage());
  }
}

package io.embed4j.train.cross;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import io.embed4j.Embed4jException;
import io.embed4j.backend.TokenBatch;
import io.embed4j.modules.SafeTensors;
import io.embed4j.pooling.PoolingMode;
import io.embed4j.rerank.export.ClassifierHead;
import io.embed4j.torch.BertEncoder;
import io.embed4j.torch.ModelWeights;
import io.embed4j.torch.Torch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trainable cross-encoder, as Hugging Face's {@code BertForSequenceClassification}: a BERT-family
 * encoder reads the pair, the [CLS] token's last hidden state goes through the pooler
 * ({@code tanh(W_p h + b_p)}), dropout, and a linear classifier to one logit per pair.
 *
 * <pre>
 * logit = W_c · dropout(tanh(W_p · encoder(pair)[CLS] + b_p)) + b_c
 * </pre>
 *
 * The pooler starts from the encoder's pretrained pooler when its weights have one (as
 * transformers does when it turns a BertModel checkpoint into a classifier), the classifier from
 * N(0, 0.02). Parameters go by Hugging Face names: the encoder's, then {@code pooler.dense.*} and
 * {@code classifier.*}. Not thread-safe.
 */
public final class TrainableCrossEncoder implements AutoCloseable {
  static final String POOLER_W = "pooler.dense.weight";
  static final String POOLER_B = "pooler.dense.bias";
  static final String CLASSIFIER_W = "classifier.weight";
  static final String CLASSIFIER_B = "classifier.bias";

  private final BertEncoder encoder;
  private final NDManager manager;
  private final Map<String, NDArray> head = new LinkedHashMap<>();
  private final Map<String, NDArray> parameters = new LinkedHashMap<>();
  private final int hidden;

  private TrainableCrossEncoder(BertEncoder encoder, ClassifierHead initial) {
    this.encoder = encoder;
    this.hidden = encoder.config().hiddenSize();
    this.manager = Torch.engine().newBaseManager();
    head.put(POOLER_W, manager.create(initial.poolerWeight(), new Shape(hidden, hidden)));
    head.put(POOLER_B, manager.create(initial.poolerBias(), new Shape(hidden)));
    head.put(CLASSIFIER_W, manager.create(initial.classifierWeight(), new Shape(1, hidden)));
    head.put(CLASSIFIER_B, manager.create(initial.classifierBias(), new Shape(1)));
    parameters.putAll(encoder.parameters());
    parameters.putAll(head);
  }

  /** An encoder over the given weights with a new one-logit head (seeded); the pooler from the weights when they have one. */
  public static TrainableCrossEncoder of(ModelWeights weights, long seed) {
    int hidden = weights.config().hiddenSize();
    SafeTensors.Tensor pw = weights.weights().get(POOLER_W);
    SafeTensors.Tensor pb = weights.weights().get(POOLER_B);
    float[][] pooler = pw != null && pb != null && pw.values().length == hidden * hidden ? new float[][] {pw.values(), pb.values()} : null;
    ClassifierHead initial = ClassifierHead.initial(hidden, 1, pooler, seed);
    BertEncoder encoder = BertEncoder.of(weights.config(), weights.weights(), List.of(PoolingMode.CLS), false, DataType.FLOAT32);
    return new TrainableCrossEncoder(encoder, initial);
  }

  public BertEncoder encoder() {
    return encoder;
  }

  /** Every trainable parameter (encoder and head) by Hugging Face name: live arrays. */
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  public void requireGradients() {
    for (NDArray p : parameters.values()) {
      p.setRequiresGradient(true);
    }
  }

  public void setTraining(boolean training) {
    encoder.setTraining(training);
  }

  /** One logit per row of the batch, [rows], created in {@code m}. */
  public NDArray logits(NDManager m, TokenBatch batch) {
    NDArray[] in = BertEncoder.inputs(m, batch);
    NDArray cls = encoder.tokenEmbeddings(in[0], in[1], in[2]).get(":, 0, :");
    NDArray pooled = Linear.linear(cls, head.get(POOLER_W), head.get(POOLER_B)).get(0).tanh();
    double rate = encoder.config().hiddenDropout();
    if (encoder.isTraining() && rate > 0) {
      pooled = Dropout.dropout(pooled, (float) rate, true).get(0);
    }
    return Linear.linear(pooled, head.get(CLASSIFIER_W), head.get(CLASSIFIER_B)).get(0).reshape(batch.size());
  }

  /** The head's current values, for export. */
  public ClassifierHead head() {
    return new ClassifierHead(hidden, 1, floats(POOLER_W), floats(POOLER_B), floats(CLASSIFIER_W), floats(CLASSIFIER_B));
  }

  private float[] floats(String name) {
    return head.get(name).toFloatArray();
  }

  /** Every weight under Hugging Face names: the encoder's (its untouched extras too), then the head's. */
  public Map<String, SafeTensors.Tensor> weights() {
    Map<String, SafeTensors.Tensor> out = new LinkedHashMap<>(encoder.weights());
    for (Map.Entry<String, NDArray> e : head.entrySet()) {
      out.put(e.getKey(), new SafeTensors.Tensor(e.getValue().getShape().getShape(), e.getValue().toFloatArray()));
    }
    return out;
  }

  /** Overwrites every weight from a checkpoint of this model. */
  public void loadWeights(Map<String, SafeTensors.Tensor> weights) {
    encoder.loadWeights(weights);
    for (Map.Entry<String, NDArray> e : head.entrySet()) {
      SafeTensors.Tensor t = weights.get(e.getKey());
      if (t == null || t.values().length != e.getValue().size()) {
        throw new Embed4jException.InvalidModel("cannot load head weight '" + e.getKey() + "': " + (t == null ? "missing" : "wrong size"));
      }
      e.getValue().set(t.values());
    }
  }

  @Override
  public void close() {
    manager.close();
    encoder.close();
  }
}

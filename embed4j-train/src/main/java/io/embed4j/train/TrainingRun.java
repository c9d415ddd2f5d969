package io.embed4j.train;

import ai.djl.ndarray.types.DataType;
import io.embed4j.model.ModelFiles;
import io.embed4j.model.ModelResolver;
import io.embed4j.tokenize.TextTokenizer;
import io.embed4j.torch.BertEncoder;
import io.embed4j.torch.ModelWeights;
import io.embed4j.train.export.ModelExporter;
import io.embed4j.train.loss.EmbeddingLoss;
import java.nio.file.Path;

/**
 * A model opened for fine-tuning: its files, the trainable encoder over its weights (float32), its
 * tokenizer and an embedder using the model's own query and document prompts. Builds trainers and
 * exports the result.
 */
public final class TrainingRun implements AutoCloseable {
  private final ModelFiles files;
  private final ModelWeights weights;
  private final BertEncoder encoder;
  private final TextTokenizer tokenizer;
  private final TorchEmbedder embedder;
  private final int maxSeqLength;

  public TrainingRun(ModelFiles files, ModelWeights weights, int maxSeqLength) {
    this.files = files;
    this.weights = weights;
    this.maxSeqLength = Math.min(maxSeqLength, weights.config().maxPositions());
    this.encoder = weights.encoder(files, DataType.FLOAT32);
    try {
      this.tokenizer = TextTokenizer.load(files.tokenizer());
    } catch (RuntimeException e) {
      encoder.close();
      throw e;
    }
    this.embedder = new TorchEmbedder(encoder, tokenizer, this.maxSeqLength, files.config().doLowerCase(), files.config().queryPrompt(),
        files.config().documentPrompt(), 32);
  }

  /** Opens a catalog model, sentence-transformers directory or Hub id; max length defaults to the model's. */
  public static TrainingRun open(String model, int maxSeqLength) {
    ModelFiles files = ModelResolver.resolve(model);
    return new TrainingRun(files, ModelWeights.load(files), maxSeqLength > 0 ? maxSeqLength : files.config().maxSeqLength());
  }

  public ModelFiles files() {
    return files;
  }

  public BertEncoder encoder() {
    return encoder;
  }

  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  public TorchEmbedder embedder() {
    return embedder;
  }

  public int maxSeqLength() {
    return maxSeqLength;
  }

  /** A trainer for this model; {@code config.maxSeqLength()} is capped at the model's positions. */
  public Trainer trainer(EmbeddingLoss loss, TrainConfig config) {
    return new Trainer(encoder, embedder, loss, config.withMaxSeqLength(Math.min(config.maxSeqLength(), maxSeqLength)));
  }

  /** Writes the encoder as a sentence-transformers directory with onnx/model.onnx ({@link ModelExporter}). */
  public void export(Path out) {
    ModelExporter.export(encoder, weights.onnx(), files.tokenizer(), files.config(), maxSeqLength, out);
  }

  @Override
  public void close() {
    tokenizer.close();
    encoder.close();
  }
}

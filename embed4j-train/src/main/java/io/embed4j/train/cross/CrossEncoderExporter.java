package io.embed4j.train.cross;

import com.fasterxml.jackson.databind.JsonNode;
import io.embed4j.Embed4jException;
import io.embed4j.backend.BackendOptions;
import io.embed4j.backend.OnnxRunner;
import io.embed4j.modules.SafeTensors;
import io.embed4j.rerank.Activation;
import io.embed4j.rerank.export.CrossEncoderWriter;
import io.embed4j.torch.ModelWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a trained cross-encoder as a directory {@link io.embed4j.rerank.CrossEncoder} loads and
 * Hugging Face's {@code AutoModelForSequenceClassification} reads: the source encoder's ONNX graph
 * with the trained weights written into it plus the classification head ({@link CrossEncoderWriter}),
 * config.json as BertForSequenceClassification, and model.safetensors under transformers' names
 * ({@code bert.*}, {@code classifier.*}).
 */
public final class CrossEncoderExporter {
  private static final List<String> TOKEN_OUTPUTS = List.of("token_embeddings", "last_hidden_state", "output_0");

  private CrossEncoderExporter() {}

  /**
   * @param model the trained model
   * @param source the weights it started from (their ONNX graph receives the trained values)
   * @param tokenizerJson the tokenizer the model was trained with
   * @param baseConfig the source's config.json, or null (the encoder's shape is written either way)
   * @param activation recorded for inference: sigmoid after binary cross-entropy
   * @param maxLength tokens per pair, recorded as model_max_length
   */
  public static Path export(TrainableCrossEncoder model, ModelWeights source, Path tokenizerJson, JsonNode baseConfig, Activation activation,
      int maxLength, Path out) {
    if (source.onnx() == null) {
      throw new Embed4jException.InvalidModel("the source model has no ONNX graph to export the cross-encoder into (" + source.origin() + ")");
    }
    Map<String, SafeTensors.Tensor> weights = model.weights();
    Path target = out.toAbsolutePath().normalize();
    Path encoderOnnx = target.resolveSibling("." + target.getFileName() + ".encoder.onnx");
    try {
      Map<String, SafeTensors.Tensor> inGraph = new LinkedHashMap<>();
      for (Map.Entry<String, SafeTensors.Tensor> e : weights.entrySet()) {
        if (source.onnx().sources().containsKey(e.getKey())) {
          inGraph.put(e.getKey(), e.getValue());
        }
      }
      source.onnx().writeWith(inGraph, encoderOnnx);
      String hidden = tokenOutput(encoderOnnx);
      JsonNode config = baseConfig != null ? baseConfig : model.encoder().config().toJson();
      CrossEncoderWriter.write(target, encoderOnnx, hidden, tokenizerJson, config, model.head(), activation, maxLength);
      Map<String, SafeTensors.Tensor> hf = new LinkedHashMap<>();
      weights.forEach((k, v) -> hf.put(k.startsWith("classifier.") ? k : "bert." + k, v));
      SafeTensors.write(target.resolve("model.safetensors"), hf);
      return target;
    } finally {
      try {
        Files.deleteIfExists(encoderOnnx);
      } catch (IOException e) {
        // a leftover temporary file costs disk only
      }
    }
  }

  // The graph's token-level output, which the head reads.
  private static String tokenOutput(Path onnx) {
    try (OnnxRunner r = OnnxRunner.open(onnx, BackendOptions.defaults().withThreads(1))) {
      Map<String, long[]> outputs = r.floatOutputs();
      for (String name : TOKEN_OUTPUTS) {
        if (outputs.containsKey(name)) {
          return name;
        }
      }
      return outputs.entrySet().stream().filter(e -> e.getValue().length == 3).map(Map.Entry::getKey).findFirst()
          .orElseThrow(() -> new Embed4jException.InvalidModel(onnx + ": no token-level output [batch, tokens, hidden] to put a head on; outputs "
              + outputs.keySet()));
    }
  }
}

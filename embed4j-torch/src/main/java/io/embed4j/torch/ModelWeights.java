package io.embed4j.torch;

import ai.djl.ndarray.types.DataType;
import io.embed4j.Embed4jException;
import io.embed4j.model.ModelFiles;
import io.embed4j.modules.SafeTensors;
import io.embed4j.torch.onnx.OnnxWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's encoder weights under Hugging Face names, with its shape: from {@code model.safetensors}
 * and {@code config.json} when the model directory has them, else imported from the ONNX graph
 * (names of MatMul weights recovered, heads read from the graph).
 *
 * @param config the encoder's shape
 * @param weights the weights, Hugging Face names and layout
 * @param onnx the ONNX graph's weights when there is a graph (the exporter writes into a copy of it), else null
 * @param origin where the weights came from, for messages
 */
public record ModelWeights(BertConfig config, Map<String, SafeTensors.Tensor> weights, OnnxWeights onnx, String origin) {

  /** Loads the weights of resolved model files (catalog model, sentence-transformers directory). */
  public static ModelWeights load(ModelFiles files) {
    return load(files.onnxModel(), files.tokenizer().toAbsolutePath().getParent());
  }

  /**
   * Loads from a model directory's {@code model.safetensors} + {@code config.json} when both exist,
   * else from the ONNX file.
   */
  public static ModelWeights load(Path onnxFile, Path modelDir) {
    OnnxWeights onnx = onnxFile != null && Files.isRegularFile(onnxFile) ? OnnxWeights.read(onnxFile) : null;
    Path safetensors = modelDir == null ? null : modelDir.resolve("model.safetensors");
    Path configJson = modelDir == null ? null : modelDir.resolve("config.json");
    if (safetensors != null && Files.isRegularFile(safetensors) && Files.isRegularFile(configJson)) {
      Map<String, SafeTensors.Tensor> w = new LinkedHashMap<>();
      for (Map.Entry<String, SafeTensors.Tensor> e : SafeTensors.read(safetensors).entrySet()) {
        w.put(OnnxWeights.canonical(e.getKey()), e.getValue());
      }
      return new ModelWeights(BertConfig.read(configJson), w, onnx, safetensors.toString());
    }
    if (onnx == null) {
      throw new Embed4jException.InvalidModel("no weights found: neither " + safetensors + " with config.json nor an ONNX file " + onnxFile);
    }
    Map<String, SafeTensors.Tensor> w = onnx.tensors();
    BertConfig config;
    if (configJson != null && Files.isRegularFile(configJson)) {
      config = BertConfig.read(configJson);
    } else {
      SafeTensors.Tensor word = w.get("embeddings.word_embeddings.weight");
      if (word == null) {
        throw new Embed4jException.InvalidModel(onnxFile + ": not a BERT-family graph (no embeddings.word_embeddings.weight)");
      }
      int hidden = (int) word.shape()[1];
      int heads = onnx.attentionHeads(hidden);
      if (heads == 0) {
        throw new Embed4jException.InvalidModel(onnxFile + ": cannot tell the number of attention heads from the graph; "
            + "put the model's config.json beside it");
      }
      config = BertConfig.fromWeights(w, heads);
    }
    return new ModelWeights(config, w, onnx, onnxFile.toString());
  }

  /** A trainable encoder over these weights with the model's pooling and normalization. */
  public BertEncoder encoder(ModelFiles files, DataType dataType) {
    if (!files.config().denseLayers().isEmpty()) {
      throw new Embed4jException.InvalidModel(files.source() + ": Dense modules after pooling are not supported by the trainable encoder");
    }
    return BertEncoder.of(config, weights, files.config().pooling(), files.config().normalize(), dataType);
  }
}

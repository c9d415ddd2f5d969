package io.embed4j.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.model.ModelFiles;
import io.embed4j.model.ModelResolver;
import io.embed4j.modules.SafeTensors;
import io.embed4j.torch.onnx.OnnxWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weight import from the catalog's ONNX graph, and export into a copy of it. */
class OnnxWeightsTest {
  @TempDir Path tmp;

  @Test
  void anonymousMatMulWeightsGetTheirModuleNamesAndHuggingFaceLayout() {
    ModelFiles files = ModelResolver.resolve("all-MiniLM-L6-v2");
    OnnxWeights w = OnnxWeights.read(files.onnxModel());
    Map<String, SafeTensors.Tensor> t = w.tensors();
    for (Map.Entry<String, long[]> e : BertEncoder.parameterShapes(BertConfig.fromWeights(t, 12)).entrySet()) {
      assertTrue(t.containsKey(e.getKey()), "missing " + e.getKey());
      assertArrayEquals(e.getValue(), t.get(e.getKey()).shape(), e.getKey());
    }
    assertTrue(w.sources().get("encoder.layer.0.intermediate.dense.weight").transposed());
    assertEquals(12, w.attentionHeads(384));
    BertConfig c = BertConfig.fromWeights(t, 12);
    assertEquals(6, c.layers());
    assertEquals(1536, c.intermediateSize());
  }

  @Test
  void writingTheSameWeightsBackReproducesTheFileByteForByte() throws Exception {
    ModelFiles files = ModelResolver.resolve("all-MiniLM-L6-v2");
    OnnxWeights w = OnnxWeights.read(files.onnxModel());
    Path out = tmp.resolve("copy.onnx");
    w.writeWith(w.tensors(), out);
    assertEquals(-1, Files.mismatch(files.onnxModel(), out));
  }

  @Test
  void writtenWeightsAreReadBack() {
    ModelFiles files = ModelResolver.resolve("all-MiniLM-L6-v2");
    OnnxWeights w = OnnxWeights.read(files.onnxModel());
    Map<String, SafeTensors.Tensor> changed = new LinkedHashMap<>();
    SafeTensors.Tensor q = w.tensors().get("encoder.layer.3.attention.self.query.weight");
    float[] v = q.values().clone();
    v[5] += 1f;
    v[384 * 2 + 7] -= 2f; // row 2, column 7 in [out, in] layout
    changed.put("encoder.layer.3.attention.self.query.weight", new SafeTensors.Tensor(q.shape(), v));
    Path out = tmp.resolve("changed.onnx");
    w.writeWith(changed, out);
    assertArrayEquals(v, OnnxWeights.read(out).tensors().get("encoder.layer.3.attention.self.query.weight").values());
  }
}

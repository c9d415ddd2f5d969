package io.embed4j.cli.rerank;

import static io.embed4j.cli.rerank.RerankCliTest.assertOneLineError;
import static io.embed4j.cli.rerank.RerankCliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code embed4j encode --sparse} on the masked-LM directory whose SPLADE weights are known by hand. */
class SparseEncodeCliTest {
  @TempDir Path tmp;

  @Test
  void writesIndicesValuesAndTokensPerLineInInputOrder() throws Exception {
    Path model = TinyModels.splade(tmp.resolve("mlm"));
    Path in = tmp.resolve("in.txt");
    Files.write(in, List.of("the cat sat on the mat", "", "dog"));
    Path out = tmp.resolve("out.jsonl");
    RerankCliTest.Run r = run(tmp, "encode", "--sparse", "--tokens", "-m", model.toString(), "-i", in.toString(), "-o", out.toString(), "--quiet");
    assertEquals(0, r.exit(), r.err());
    List<String> lines = Files.readAllLines(out);
    assertEquals(3, lines.size());
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines.get(0));
    assertEquals(List.of("[CLS]", "[SEP]", "the", "on", "cat", "sat", "mat"), texts(first.get("tokens")));
    assertEquals(List.of(2, 3, 5, 10, 19, 23, 24), ints(first.get("indices")));
    // [CLS]=1 the=2 cat=3 sat=4 on=5 the=6 mat=7 [SEP]=8
    double[] positions = {1, 8, 6, 5, 3, 4, 7};
    for (int k = 0; k < positions.length; k++) {
      assertEquals((float) Math.log1p(positions[k]), (float) first.get("values").get(k).asDouble(), 1e-6f, "entry " + k);
    }
    assertEquals(List.of("[CLS]", "[SEP]"), texts(json.readTree(lines.get(1)).get("tokens")));
    assertEquals(List.of("[CLS]", "[SEP]", "dog"), texts(json.readTree(lines.get(2)).get("tokens")));
  }

  @Test
  void withoutTokensOnlyIndicesAndValuesAndTopKPrunes() throws Exception {
    Path model = TinyModels.splade(tmp.resolve("mlm"));
    Path in = tmp.resolve("in.txt");
    Files.write(in, List.of("java vector search fast"));
    RerankCliTest.Run r = run(tmp, "encode", "--sparse", "-m", model.toString(), "-i", in.toString(), "--max-active-dims", "2", "--side", "query");
    assertEquals(0, r.exit(), r.err());
    JsonNode v = new ObjectMapper().readTree(r.out().strip());
    assertEquals(List.of("indices", "values"), fieldNames(v));
    assertEquals(2, v.get("indices").size(), "top 2: [SEP] at 6 and fast at 5");
    assertEquals((float) Math.log1p(6), (float) v.get("values").get(0).asDouble(), 1e-6f);
  }

  @Test
  void sparseMistakesAreOneLine() throws Exception {
    Path model = TinyModels.splade(tmp.resolve("mlm"));
    Path in = tmp.resolve("in.txt");
    Files.write(in, List.of("cat"));
    assertOneLineError(run(tmp, "encode", "--sparse", "-i", in.toString()), "--sparse needs --model");
    assertOneLineError(run(tmp, "encode", "--tokens", "-i", in.toString()), "--tokens applies to --sparse only");
    assertOneLineError(run(tmp, "encode", "--sparse", "-m", model.toString(), "-i", in.toString(), "--precision", "int8"),
        "--precision does not apply to --sparse");
    assertOneLineError(run(tmp, "encode", "--sparse", "-m", model.toString(), "-i", in.toString(), "--side", "both"), "unknown --side 'both'");
    Path ce = TinyModels.crossEncoder(tmp.resolve("ce"), 1, "");
    assertOneLineError(run(tmp, "encode", "--sparse", "-m", ce.toString(), "-i", in.toString()), "no masked-LM output");
  }

  private static List<String> texts(JsonNode a) {
    List<String> out = new ArrayList<>();
    a.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<Integer> ints(JsonNode a) {
    List<Integer> out = new ArrayList<>();
    a.forEach(n -> out.add(n.asInt()));
    return out;
  }

  private static List<String> fieldNames(JsonNode o) {
    List<String> out = new ArrayList<>();
    o.fieldNames().forEachRemaining(out::add);
    return out;
  }
}

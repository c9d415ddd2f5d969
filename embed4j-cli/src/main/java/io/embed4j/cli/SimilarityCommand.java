package io.embed4j.cli;

import io.embed4j.EmbeddingModel;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code embed4j similarity A B [C...]}: how close the first text is to each other one. */
@Command(name = "similarity", mixinStandardHelpOptions = true,
    description = "Similarity of the first text to each of the others (or the full matrix with --matrix).")
public final class SimilarityCommand implements Callable<Integer> {
  @Mixin ModelOptions modelOptions;

  @Parameters(arity = "2..*", paramLabel = "TEXT", description = "Two or more texts.")
  List<String> texts;

  @Option(names = "--matrix", description = "Print the full similarity matrix.")
  boolean matrix;

  @Option(names = "--function", description = "cosine, dot, euclidean or manhattan (default: the model's).")
  String function;

  @Override
  public Integer call() {
    try (EmbeddingModel model = modelOptions.load()) {
      var f = function == null ? model.similarityFunction() : io.embed4j.vector.SimilarityFunction.fromName(function);
      float[][] v = model.encode(texts);
      if (matrix) {
        float[][] m = f.matrix(v, v);
        for (float[] row : m) {
          StringBuilder sb = new StringBuilder();
          for (float x : row) {
            sb.append(String.format(Locale.ROOT, "%8.4f", x));
          }
          System.out.println(sb);
        }
      } else {
        for (int i = 1; i < v.length; i++) {
          System.out.printf(Locale.ROOT, "%.4f\t%s%n", f.compare(v[0], v[i]), texts.get(i));
        }
      }
    }
    return 0;
  }
}

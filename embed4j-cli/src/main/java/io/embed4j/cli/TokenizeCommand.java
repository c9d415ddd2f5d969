package io.embed4j.cli;

import io.embed4j.EmbeddingModel;
import io.embed4j.tokenize.TokenizedText;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code embed4j tokenize TEXT}: the tokens and ids the model sees. */
@Command(name = "tokenize", mixinStandardHelpOptions = true, description = "Show the tokens and ids of a text.")
public final class TokenizeCommand implements Callable<Integer> {
  @Mixin ModelOptions modelOptions;

  @Parameters(paramLabel = "TEXT", description = "The text.")
  String text;

  @Override
  public Integer call() {
    try (EmbeddingModel model = modelOptions.load()) {
      TokenizedText t = model.tokenizer().tokenize(text);
      List<String> tokens = model.tokenizer().tokens(text);
      for (int i = 0; i < tokens.size(); i++) {
        System.out.println(i + "\t" + t.ids()[i] + "\t" + tokens.get(i));
      }
      System.out.println(t.length() + " tokens (max_seq_length " + model.maxSeqLength() + ")"
          + (t.length() > model.maxSeqLength() ? ", truncated when encoding" : ""));
    }
    return 0;
  }
}

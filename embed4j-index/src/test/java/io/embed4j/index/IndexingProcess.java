package io.embed4j.index;

import io.embed4j.index.job.FileSourceSet;
import io.embed4j.index.job.IndexJob;
import io.embed4j.index.job.IndexListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The child process of {@link KillResumeTest}: indexes a folder slowly, committing after every few
 * files and printing "committed N" after each commit, until it is killed.
 */
public final class IndexingProcess {
  private IndexingProcess() {}

  public static void main(String[] args) {
    Path docs = Path.of(args[0]);
    Path location = Path.of(args[1]);
    SemanticIndex.Options options = SemanticIndex.Options.defaults().withJob(new IndexJob.Options(4, Duration.ZERO));
    try (SemanticIndex index = SemanticIndex.openOrCreate(location, options)) {
      index.update(List.of(new FileSourceSet(docs, List.of(location))), new IndexListener() {
        @Override
        public void sourceDone(String sourceId, int chunks, String note) {
          try {
            Thread.sleep(40); // slow enough that the parent kills it mid-run
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }

        @Override
        public void committed(int sourcesSoFar) {
          System.out.println("committed " + sourcesSoFar);
          System.out.flush();
        }
      }, () -> false);
    }
    System.out.println("finished");
  }
}

package io.embed4j.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.index.job.FileSourceSet;
import io.embed4j.index.job.IndexListener;
import io.embed4j.index.job.IndexReport;
import io.embed4j.index.store.SearchMode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of indexing: a real child JVM is killed with {@code destroyForcibly} after
 * some commits. The index it leaves opens, holds exactly the committed sources, and the next run
 * resumes from there, embedding only the rest.
 */
class KillResumeTest {
  private static final int FILES = 120;
  @TempDir Path tmp;

  @Test
  void killedIndexerLeavesAnIndexThatOpensAndResumes() throws Exception {
    Path docs = tmp.resolve("docs");
    Files.createDirectories(docs);
    for (int i = 0; i < FILES; i++) {
      Files.writeString(docs.resolve(String.format("note-%03d.txt", i)), "Note " + i + " is about topic number " + i + ".\n");
    }
    Path location = tmp.resolve("index");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), IndexingProcess.class.getName(), docs.toString(), location.toString()));
    Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    int committedBeforeKill = -1;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        assertTrue(!line.equals("finished"), "the child finished before it was killed");
        if (line.startsWith("committed ") && Integer.parseInt(line.substring(10)) >= 12) {
          committedBeforeKill = Integer.parseInt(line.substring(10));
          break;
        }
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close, possibly mid-write
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }
    assertTrue(committedBeforeKill > 0, "the child never committed");

    int survived;
    try (SemanticIndex index = SemanticIndex.openForSearch(location, new SemanticIndex.Options(null, TestCorpus.Models.loader(), null, null))) {
      survived = index.store().sources().size();
      assertTrue(survived >= committedBeforeKill && survived < FILES,
          "the index holds the committed sources (" + committedBeforeKill + " seen, " + survived + " found) and not all " + FILES);
      assertEquals(survived, index.store().chunkCount(), "every source is whole: one chunk each, no half-written source");
      assertNotNull(index.search("topic number 3", SearchOptions.defaults().withMode(SearchMode.BM25)).hits());
    }
    try (SemanticIndex index = SemanticIndex.openOrCreate(location, new SemanticIndex.Options(null, TestCorpus.Models.loader(), null, null))) {
      IndexReport resumed = index.update(List.of(new FileSourceSet(docs, List.of(location))), IndexListener.NONE, () -> false);
      assertEquals(survived, resumed.unchanged(), "committed sources are not embedded again");
      assertEquals(FILES - survived, resumed.added());
      assertEquals(FILES, index.store().sources().size());
      assertEquals(FILES, index.store().chunkCount());
      assertTrue(index.search("Note 117 is about topic number 117", SearchOptions.defaults().withMode(SearchMode.EXACT)).hits()
          .get(0).path().endsWith("note-117.txt"));
    }
  }
}

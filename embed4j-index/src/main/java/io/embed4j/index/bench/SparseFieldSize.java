package io.embed4j.index.bench;

import io.embed4j.index.store.lucene.SparseFeatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.FeatureField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * What the sparse field of an index costs on disk: its features are read back from the postings and
 * written alone into a scratch index, merged into one segment, whose size is reported (Lucene has
 * no per-field size). Also counts the features: chunks with sparse vectors and (chunk, term) pairs.
 *
 * @param chunks live chunks with at least one feature
 * @param features (chunk, term) pairs
 * @param bytes on-disk bytes of the sparse field alone, one segment
 */
public record SparseFieldSize(long chunks, long features, long bytes) {

  public static SparseFieldSize measure(Path generation, Path scratch) {
    try (FSDirectory dir = FSDirectory.open(generation); DirectoryReader reader = DirectoryReader.open(dir);
        FSDirectory out = FSDirectory.open(scratch);
        IndexWriter w = new IndexWriter(out, new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE).setRAMBufferSizeMB(256))) {
      long chunks = 0;
      long features = 0;
      for (LeafReaderContext ctx : reader.leaves()) {
        Terms terms = ctx.reader().terms(SparseFeatures.FIELD);
        if (terms == null) {
          continue;
        }
        Bits live = ctx.reader().getLiveDocs();
        Map<Integer, List<FeatureField>> byDoc = new HashMap<>();
        TermsEnum te = terms.iterator();
        for (BytesRef term = te.next(); term != null; term = te.next()) {
          String name = term.utf8ToString();
          PostingsEnum pe = te.postings(null, PostingsEnum.FREQS);
          for (int doc = pe.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = pe.nextDoc()) {
            if (live == null || live.get(doc)) {
              byDoc.computeIfAbsent(doc, d -> new ArrayList<>()).add(
                  new FeatureField(SparseFeatures.FIELD, name, Float.intBitsToFloat(pe.freq() << 15)));
            }
          }
        }
        for (List<FeatureField> fields : byDoc.values()) {
          Document d = new Document();
          fields.forEach(d::add);
          w.addDocument(d);
          chunks++;
          features += fields.size();
        }
      }
      w.forceMerge(1);
      w.commit();
      w.close();
      long bytes = 0;
      for (long b : IndexFiles.bytesByExtension(scratch).values()) {
        bytes += b;
      }
      return new SparseFieldSize(chunks, features, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot measure the sparse field of " + generation + ": " + e.getMessage(), e);
    } finally {
      try (var s = Files.walk(scratch)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // scratch space; best effort
      }
    }
  }
}

package io.embed4j.spark;

import io.embed4j.Embed4jException;
import io.embed4j.EmbeddingModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * The job's Parquet output: one file per bucket, each written under {@code _temporary/} by a task
 * attempt and renamed into place when the attempt has written all of it.
 *
 * <pre>
 * OUT/_embed4j.json                        what made it: model, buckets, columns, options ({@link OutputManifest})
 * OUT/part-00000.parquet ... part-NNNNN    one per bucket; a bucket is all ids that hash to it
 * OUT/_temporary/part-00007.parquet.a12    an attempt in flight, or the remains of a failed one
 * OUT/_SUCCESS                             every bucket is there
 * </pre>
 *
 * A failed or killed attempt leaves only its temporary file, which no reader sees and the job
 * deletes; its retry writes the whole bucket again. Two attempts of one bucket (a retry after a lost
 * executor, a speculative copy) write the same ids to the same final name, so whichever lands, the
 * bucket is there once: no id is ever written twice. A committed bucket is never redone: a task
 * finds its file and returns, and {@code --skip-existing} does not even schedule it.
 *
 * <p>Rows: {@code id} string, {@code vector} array&lt;float&gt;, {@code model}, {@code model_revision}
 * (SHA-256 of the weights) and {@code dimensions}, as Spark and pyarrow read them.
 */
final class ParquetBuckets implements VectorSink {
  private static final long serialVersionUID = 1L;
  static final String TEMPORARY = "_temporary";
  static final String SUCCESS = "_SUCCESS";
  private static final Pattern PART = Pattern.compile("part-(\\d{5})\\.parquet");

  /** The Parquet schema of every bucket file. */
  static final MessageType SCHEMA = Types.buildMessage()
      .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("id")
      .requiredList().requiredElement(PrimitiveTypeName.FLOAT).named("vector")
      .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("model")
      .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("model_revision")
      .required(PrimitiveTypeName.INT32).named("dimensions")
      .named("embed4j_embedding");

  private final String dir;
  private final HadoopConf conf;

  ParquetBuckets(String dir, HadoopConf conf) {
    this.dir = dir;
    this.conf = conf;
  }

  String dir() {
    return dir;
  }

  static String partName(int bucket) {
    return String.format(Locale.ROOT, "part-%05d.parquet", bucket);
  }

  @Override
  public int prepare(EmbedRequest r, ModelInfo model, EmbeddingModel loaded, int defaultBuckets) {
    FileSystem fs = fs();
    OutputManifest existing = OutputManifest.read(fs, dir);
    try {
      Path root = new Path(dir);
      boolean nonEmpty = fs.exists(root) && (fs.getFileStatus(root).isFile() || fs.listStatus(root).length > 0);
      if (existing == null && nonEmpty) {
        throw new Embed4jException.InvalidInput(dir + " exists and is not an embed4j output directory (no "
            + OutputManifest.FILE + "); choose a new or empty directory for --output");
      }
      if (existing != null && r.skipExisting()) {
        return existing.resumedBuckets(r, model, dir);
      }
      if (existing != null && !r.overwrite()) {
        throw new Embed4jException.InvalidInput(dir + " already holds embed4j output; use --skip-existing to finish it, "
            + "or --overwrite to replace it");
      }
      if (existing != null) {
        fs.delete(root, true);
      }
      int buckets = r.partitions() > 0 ? r.partitions() : defaultBuckets;
      OutputManifest.of(model, buckets, r.idColumn(), r.textDescription(), r.spec()).write(fs, dir);
      return buckets;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Buckets whose files are in place. */
  @Override
  public Set<Integer> finished() {
    Set<Integer> done = new HashSet<>();
    try {
      FileSystem fs = fs();
      Path root = new Path(dir);
      if (!fs.exists(root)) {
        return done;
      }
      for (FileStatus s : fs.listStatus(root)) {
        Matcher m = PART.matcher(s.getPath().getName());
        if (s.isFile() && m.matches()) {
          done.add(Integer.parseInt(m.group(1)));
        }
      }
      return done;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes one bucket from a task attempt: rows to a temporary file, then a rename to the bucket's
   * name.
   */
  @Override
  public BucketResult write(int bucket, String attempt, BucketRows rows, ModelInfo model) {
    FileSystem fs = fs();
    Path target = new Path(dir, partName(bucket));
    Path temp = new Path(new Path(dir, TEMPORARY), partName(bucket) + "." + attempt);
    try {
      if (fs.exists(target)) {
        return BucketResult.skipped(bucket);
      }
      SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
      try (ParquetWriter<Group> out = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(temp, conf.get()))
          .withType(SCHEMA)
          .withConf(conf.get())
          .withCompressionCodec(CompressionCodecName.SNAPPY)
          .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
          .build()) {
        while (rows.hasNext()) {
          BucketRows.Entry e = rows.next();
          Group g = groups.newGroup().append("id", e.id());
          Group vector = g.addGroup("vector");
          for (float f : e.vector()) {
            vector.addGroup("list").append("element", f);
          }
          g.append("model", model.name()).append("model_revision", model.revision()).append("dimensions", e.vector().length);
          out.write(g);
        }
      }
      commit(fs, temp, target);
      return rows.result(bucket);
    } catch (IOException e) {
      deleteQuietly(fs, temp);
      throw new UncheckedIOException("bucket " + bucket + " of " + dir + ": " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      deleteQuietly(fs, temp);
      throw e;
    }
  }

  // rename is the commit: atomic on HDFS and local disks; on object stores a copy, still under one fixed name.
  private static void commit(FileSystem fs, Path temp, Path target) throws IOException {
    if (fs.rename(temp, target)) {
      return;
    }
    if (fs.exists(target)) {
      fs.delete(temp, false); // another attempt of this bucket committed first: same ids, keep one
      return;
    }
    throw new IOException("cannot rename " + temp + " to " + target);
  }

  /** Marks the output complete and removes what failed attempts left. */
  @Override
  public void finish(List<BucketResult> results) {
    try {
      FileSystem fs = fs();
      fs.delete(new Path(dir, TEMPORARY), true);
      fs.create(new Path(dir, SUCCESS), true).close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish " + dir + ": " + e.getMessage(), e);
    }
  }

  FileSystem fs() {
    try {
      return new Path(dir).getFileSystem(conf.get());
    } catch (IOException e) {
      throw new Embed4jException.InvalidInput("cannot open the file system of " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(FileSystem fs, Path p) {
    try {
      fs.delete(p, false);
    } catch (IOException ignored) {
      // the job deletes _temporary at the end anyway
    }
  }
}

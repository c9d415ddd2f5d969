package io.embed4j.spark;

import io.embed4j.EmbeddingModel;
import io.embed4j.solr.SolrLocation;
import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * Where the job's vectors go, one bucket at a time: Parquet files ({@link ParquetBuckets}) or a
 * SolrCloud collection ({@link SolrSink}). The driver prepares the output and finishes it; each
 * task writes one bucket. A bucket written twice (a retried task) must leave each id once.
 */
interface VectorSink extends Serializable {

  /** The sink {@code output} names: a {@code solr://} address, else a directory for Parquet. */
  static VectorSink of(String output, HadoopConf conf) {
    return SolrLocation.isSolr(output) ? new SolrSink(output) : new ParquetBuckets(output, conf);
  }

  /**
   * On the driver, before any task: checks what the output already holds against this run (refusing
   * what cannot be mixed or resumed), records the run, and returns the number of buckets.
   *
   * @param defaultBuckets the bucket count to use when neither the request nor a resumed output sets one
   */
  int prepare(EmbedRequest request, ModelInfo info, EmbeddingModel model, int defaultBuckets);

  /** Buckets already complete, which a resumed run ({@code --skip-existing}) does not redo. */
  Set<Integer> finished();

  /** In a task: writes every row of one bucket ({@code attempt} names the task attempt). */
  BucketResult write(int bucket, String attempt, BucketRows rows, ModelInfo model);

  /**
   * On the driver, after every bucket is written: checks and marks the output complete.
   *
   * @param results what each task reported, this run's buckets and the skipped ones
   */
  void finish(List<BucketResult> results);
}

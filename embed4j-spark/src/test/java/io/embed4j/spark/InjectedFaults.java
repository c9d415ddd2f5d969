package io.embed4j.spark;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * Task failures on demand, as SQL functions to use in a job's text expression (tasks run in the
 * test's JVM in local mode, so these counters see them):
 * {@code fail_first_attempt(text)} fails the first attempt of bucket 1 after it has read 20 rows;
 * {@code fail_bucket_2(text)} fails every attempt of bucket 2 while {@link #BREAK_BUCKET_2} is set.
 */
final class InjectedFaults {
  /** Rows the first attempt of bucket 1 has read; past 20 it fails. */
  static final AtomicInteger FIRST_ATTEMPT_ROWS = new AtomicInteger();
  static final AtomicBoolean BREAK_BUCKET_2 = new AtomicBoolean();

  private InjectedFaults() {}

  static void register(SparkSession spark) {
    spark.udf().register("fail_first_attempt", (UDF1<String, String>) text -> {
      TaskContext t = TaskContext.get();
      if (t.partitionId() == 1 && t.attemptNumber() == 0 && FIRST_ATTEMPT_ROWS.incrementAndGet() > 20) {
        throw new IllegalStateException("injected failure in the first attempt of bucket 1");
      }
      return text;
    }, DataTypes.StringType);
    spark.udf().register("fail_bucket_2", (UDF1<String, String>) text -> {
      if (BREAK_BUCKET_2.get() && TaskContext.get().partitionId() == 2) {
        throw new IllegalStateException("injected failure in every attempt of bucket 2");
      }
      return text;
    }, DataTypes.StringType);
  }
}

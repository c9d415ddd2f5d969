package io.embed4j.spark;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;

/**
 * The cores of the executor this JVM is, as Spark's configuration states them, and how many ONNX
 * Runtime threads each task's inference should use.
 *
 * <p>Every task slot of an executor runs its own encode calls on the one shared model, so the
 * executor's cores are divided among its slots: with {@code spark.executor.cores=8} and
 * {@code spark.task.cpus=1}, eight tasks each run inference on one thread — eight independent
 * streams, no thread contention, no idle cores while a slot waits on its tokenizer.
 *
 * @param cores cores of this executor
 * @param taskCpus {@code spark.task.cpus}
 */
record ExecutorCores(int cores, int taskCpus) {
  private static final Pattern LOCAL = Pattern.compile("local\\[(\\*|\\d+)(?:\\s*,\\s*\\d+)?]");

  /** Task slots of this executor. */
  int slots() {
    return Math.max(1, cores / taskCpus);
  }

  /** Intra-op threads for one task's inference. */
  int threadsPerTask() {
    return Math.max(1, Math.min(cores, taskCpus));
  }

  /** This JVM's executor, read from the running Spark environment; every core of the machine outside Spark. */
  static ExecutorCores current() {
    SparkEnv env = SparkEnv.get();
    int machine = Runtime.getRuntime().availableProcessors();
    if (env == null) {
      return new ExecutorCores(machine, machine);
    }
    return fromConf(env.conf(), machine);
  }

  static ExecutorCores fromConf(SparkConf conf, int machineCores) {
    int taskCpus = Math.max(1, conf.getInt("spark.task.cpus", 1));
    int cores;
    if (conf.contains("spark.executor.cores")) {
      cores = conf.getInt("spark.executor.cores", machineCores);
    } else {
      cores = localCores(conf.get("spark.master", ""), machineCores);
    }
    return new ExecutorCores(Math.max(1, cores), taskCpus);
  }

  // local, local[N], local[*], local[N,F]: the driver is the executor and runs N tasks at once.
  // Anything else without spark.executor.cores (standalone's default) gets the whole machine.
  private static int localCores(String master, int machineCores) {
    if (master.equals("local")) {
      return 1;
    }
    Matcher m = LOCAL.matcher(master);
    if (m.matches()) {
      return m.group(1).equals("*") ? machineCores : Integer.parseInt(m.group(1));
    }
    return machineCores;
  }
}

#!/usr/bin/env bash
# Spark's overhead (issue 8): the embed4j-spark job in local[2] against `embed4j encode`, same texts,
# same model, same machine, alternating runs. Both are timed whole (JVM start, model load, reading
# the input, writing the output), as a user would time them.
#
# Usage: scripts/bench-spark.sh [N_TEXTS] [MODEL] [ROUNDS]   (defaults: 100000 all-MiniLM-L6-v2-q 2)
# With EMBED4J_BENCH_SOLR=solr://HOST:PORT[,HOST:PORT...] each round also runs the job into a SolrCloud
# collection there (bench_spark_N, rewritten each round); its CPU column counts the Spark JVM only, not Solr's.
# Texts: `embed4j bench texts` (SciFact sentences, STS-B, NQ-UTD from ../shared or $EMBED4J_SHARED; not committed).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
n=${1:-100000}
model=${2:-all-MiniLM-L6-v2-q}
rounds=${3:-2}
work=$root/target/bench-spark
mkdir -p "$work"
source "$root/scripts/find-jdk.sh"
java=$JAVA_HOME/bin/java

"$root/embed4j" bench texts --count "$n" --output "$work/texts-$n" --shared "${EMBED4J_SHARED:-$root/../shared}"
texts=$work/texts-$n

# The CLI as ./embed4j runs it (built here once, so no build check lands inside a timing).
"$root/embed4j" models list >/dev/null
cli_cp="$root/embed4j-cli/target/classes:$root/embed4j-cli/target/lib/*"
# The Spark job with Spark itself on the class path, as spark-submit would put it there.
(cd "$root" && mvn -q -B -o -pl embed4j-spark -am compile dependency:build-classpath \
  -Dmdep.includeScope=compile -Dmdep.outputFile="$work/spark.cp" >/dev/null)
spark_cp="$root/embed4j-spark/target/classes:$(cat "$work/spark.cp")"
opts=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)

# Wall seconds and CPU seconds (user + sys) of a command: "WALL CPU". Its stdout and stderr go to
# $work/last.out and $work/last.err. On a shared machine the wall time swings with the neighbours' load;
# the CPU time much less.
measure() {
  /usr/bin/time -f '%e %U %S' -o "$work/time.txt" "$@" >"$work/last.out" 2>"$work/last.err"
  awk '{printf "%s %.2f\n", $1, $2 + $3}' "$work/time.txt"
}
encode_cmd=("$java" "${opts[@]}" -Xmx3g -cp "$cli_cp" io.embed4j.cli.Embed4jCli encode -m "$model" -i "$texts/texts.txt"
  -o "$work/encode.npy" --format npy --quiet)
spark_cmd=("$java" "${opts[@]}" -Xmx3g -cp "$spark_cp" io.embed4j.spark.EmbedJob --master 'local[2]' -m "$model"
  -i "$texts/texts.jsonl" -o "$work/spark-out" --overwrite)

solr=${EMBED4J_BENCH_SOLR:-}
solr_cmd=("$java" "${opts[@]}" -Xmx3g -cp "$spark_cp" io.embed4j.spark.EmbedJob --master 'local[2]' -m "$model"
  -i "$texts/texts.jsonl" -o "$solr/bench_spark_$n" --overwrite)

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; model $model; $n texts; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$rounds"); do
  read -r e ec < <(measure "${encode_cmd[@]}")
  read -r s sc < <(measure "${spark_cmd[@]}")
  cp "$work/last.err" "$work/spark-stderr.txt"
  job=$(grep -o 'in [0-9.]* s: [0-9]* texts/s' "$work/spark-stderr.txt" || true)
  printf 'round %d: encode %.1f s wall (%.0f texts/s), %.1f s CPU | spark local[2] %.1f s wall (%.0f texts/s), %.1f s CPU; job itself %s | spark/encode wall %.3f, CPU %.3f | load %s\n' \
    "$r" "$e" "$(echo "$n / $e" | bc -l)" "$ec" "$s" "$(echo "$n / $s" | bc -l)" "$sc" "$job" \
    "$(echo "$s / $e" | bc -l)" "$(echo "$sc / $ec" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)"
  if [[ -n $solr ]]; then
    read -r so soc < <(measure "${solr_cmd[@]}")
    cp "$work/last.err" "$work/solr-stderr.txt"
    printf 'round %d: spark local[2] into Solr %.1f s wall (%.0f texts/s), %.1f s CPU (Spark JVM) | solr/parquet wall %.3f | load %s\n' \
      "$r" "$so" "$(echo "$n / $so" | bc -l)" "$soc" "$(echo "$so / $s" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)"
  fi
done
echo "spark job report (last round):"; grep "^embed4j-spark:" "$work/spark-stderr.txt" || tail -5 "$work/spark-stderr.txt"

#!/usr/bin/env bash
# Spark's overhead (issue 8): the embed4j-spark job in local[2] against `embed4j encode`, same texts,
# same model, same machine, alternating runs. Both are timed whole (JVM start, model load, reading
# the input, writing the output), as a user would time them.
#
# Usage: scripts/bench-spark.sh [N_TEXTS] [MODEL] [ROUNDS]   (defaults: 100000 all-MiniLM-L6-v2-q 2)
# Texts: scripts/make-bench-texts.py (SciFact sentences, STS-B, NQ-UTD from ../shared; not committed).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
n=${1:-100000}
model=${2:-all-MiniLM-L6-v2-q}
rounds=${3:-2}
work=$root/target/bench-spark
mkdir -p "$work"
source "$root/scripts/find-jdk.sh"
java=$JAVA_HOME/bin/java

python3 "$root/scripts/make-bench-texts.py" "$n" "$work/texts-$n"
texts=$work/texts-$n

# The CLI as ./embed4j runs it (built here once, so no build check lands inside a timing).
"$root/embed4j" models list >/dev/null
cli_cp="$root/embed4j-cli/target/classes:$root/embed4j-cli/target/lib/*"
# The Spark job with Spark itself on the class path, as spark-submit would put it there.
(cd "$root" && mvn -q -B -o -pl embed4j-spark -am compile dependency:build-classpath \
  -Dmdep.includeScope=compile -Dmdep.outputFile="$work/spark.cp" >/dev/null)
spark_cp="$root/embed4j-spark/target/classes:$(cat "$work/spark.cp")"
opts=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)

seconds() { local t0 t1; t0=$(date +%s.%N); "$@"; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }

run_encode() {
  "$java" "${opts[@]}" -Xmx3g -cp "$cli_cp" io.embed4j.cli.Embed4jCli encode -m "$model" -i "$texts/texts.txt" \
    -o "$work/encode.npy" --format npy --quiet 2> >(grep -v '^WARNING: Using incubator' >&2)
}
run_spark() {
  "$java" "${opts[@]}" -Xmx3g -cp "$spark_cp" io.embed4j.spark.EmbedJob --master 'local[2]' -m "$model" \
    -i "$texts/texts.jsonl" -o "$work/spark-out" --overwrite >"$work/spark-report.txt" 2>"$work/spark-stderr.txt"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; model $model; $n texts; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$rounds"); do
  e=$(seconds run_encode)
  s=$(seconds run_spark)
  printf 'round %d: encode %.1f s = %.0f texts/s | spark local[2] %.1f s = %.0f texts/s | spark/encode time %.3f (overhead %+.1f%%) | load %s\n' \
    "$r" "$e" "$(echo "$n / $e" | bc -l)" "$s" "$(echo "$n / $s" | bc -l)" "$(echo "$s / $e" | bc -l)" \
    "$(echo "($s / $e - 1) * 100" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)"
done
echo "spark job report (last round):"; grep "^embed4j-spark:" "$work/spark-stderr.txt" || tail -5 "$work/spark-stderr.txt"

#!/usr/bin/env bash
# Server load benchmark (docs/benchmarks.md, "Server"): builds embed4j-server with its tests, then runs
# io.embed4j.server.bench.ServerLoadBench, which starts the server in-process on 127.0.0.1 and sends a
# bounded amount of traffic over loopback only. Arguments go to the bench, e.g. --clients 64 --texts 8000.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/find-jdk.sh"
cd "$root"
# -am: embed4j-core comes from this checkout's build, not from whatever ~/.m2 holds.
mvn -q -B test-compile dependency:build-classpath -pl embed4j-server -am -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/embed4j-server/target/test.classpath" >/dev/null
cp="$root/embed4j-server/target/test-classes:$root/embed4j-server/target/classes:$(cat "$root/embed4j-server/target/test.classpath")"
exec "$jdk/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx4g ${BENCH_JAVA_OPTS:-} \
  -cp "$cp" io.embed4j.server.bench.ServerLoadBench --input "$root/../shared/datasets/stsbenchmark/sts-train.csv" "$@" \
  2> >(grep -v --line-buffered '^WARNING: Using incubator modules' >&2)

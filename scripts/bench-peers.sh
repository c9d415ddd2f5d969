#!/usr/bin/env bash
# Side-by-side encode throughput: embed4j against LangChain4j and transformers.js on the same texts,
# in one session (machines here are noisy: compare the ratios of one run). Usage: scripts/bench-peers.sh TEXTS.txt
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
peers=${EMBED4J_PEERS:-$root/../shared/peers}
input=${1:?usage: bench-peers.sh TEXTS.txt}
out=$(mktemp -d)
n=$(wc -l < "$input")
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $n texts from $input"
"$root/embed4j" models list >/dev/null   # build once, outside the timings

embed4j_run() { # whole encode run: JVM start, model load, encode, write JSONL
  local model=$1 t0 t1
  t0=$(date +%s.%N)
  "$root/embed4j" encode --model "$model" --input "$input" --output "$out/$model.jsonl" 2>"$out/$model.err"
  t1=$(date +%s.%N)
  echo "{\"system\":\"embed4j\",\"model\":\"$model\",\"whole_run_s\":$(echo "$t1 - $t0" | bc),$(sed -n 's/.*in \([0-9.]*\)s: \([0-9]*\) texts\/s.*/"encode_s":\1,"texts_per_s":\2/p' "$out/$model.err")}"
}

for round in 1 2; do
  "$peers/langchain4j/run.sh" all-MiniLM-L6-v2 "$input"
  embed4j_run all-MiniLM-L6-v2
  embed4j_run all-MiniLM-L6-v2-q
  if [[ $round == 1 ]]; then "$peers/langchain4j/run.sh" all-MiniLM-L6-v2-q "$input"; fi
done
if [[ -x $peers/transformers-js/run.sh ]]; then "$peers/transformers-js/run.sh" "$input" 32 || echo '{"peer":"transformers.js","error":"did not run"}'; fi
"$root/embed4j" bench encode --input "$input" --runs 2 --json
"$root/embed4j" bench encode --input "$input" --runs 2 --json --model all-MiniLM-L6-v2-q
rm -rf "$out"

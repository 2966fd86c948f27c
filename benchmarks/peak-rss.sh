#!/bin/bash
# Peak RSS of whole `squeaky fit` runs (one EM iteration, no standard errors, one thread), for the
# default model and `--emission "~ 1"`, on each panel given. One JSON line per run.
# Usage: benchmarks/peak-rss.sh P2M.csv P10M.csv ...   (needs /usr/bin/time and a build)
cd "$(dirname "$0")/.."
out=$(mktemp -d)
for file in "$@"; do
  rows=$(($(wc -l < "$file") - 1))
  for model in default one; do
    extra=()
    [ "$model" = one ] && extra=(--emission "~ 1")
    /usr/bin/time -v node bin/squeaky.js fit "$file" --max-iter 1 --starts 0 --se none --threads 1 --quiet --out "$out/fit" "${extra[@]}" > /dev/null 2> "$out/time.err"
    kb=$(grep "Maximum resident" "$out/time.err" | awk '{print $6}')
    user=$(grep "User time" "$out/time.err" | awk '{print $4}')
    echo "{\"benchmark\":\"peak-rss\",\"panel\":\"$file\",\"rows\":$rows,\"emission\":\"$([ $model = one ] && echo '~ 1' || echo default)\",\"peakRssKb\":$kb,\"bytesPerRow\":$(echo "scale=1; $kb * 1024 / $rows" | bc),\"userSeconds\":$user,\"load\":$(cut -d' ' -f1 /proc/loadavg)}"
  done
done
rm -rf "$out"

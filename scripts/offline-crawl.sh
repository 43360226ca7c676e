#!/usr/bin/env bash
# The main job, offline: start the replica of The Japan News on a free loopback port, run the
# politics crawl against it with the project's default settings (a dated JSONL file per run under
# data/hosts/<replica host>/, its own crawl state under .newscrawl/hosts/), stop the replica, and
# show where the JSON lines went.
# Extra arguments go to `scrapy crawl`, e.g.: scripts/offline-crawl.sh -a section=politics,business
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python}

log=$(mktemp)
"$python" -m newscrawl replica --port 0 >"$log" 2>&1 &
replica=$!
trap 'kill "$replica" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do
  grep -q "serving" "$log" && break
  kill -0 "$replica" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -n 1)
[ -n "$url" ] || { echo "offline-crawl: the replica did not start" >&2; cat "$log" >&2; exit 1; }
echo "offline-crawl: replica at $url"

"$python" -m scrapy crawl japannews -a base_url="$url" -s LOG_LEVEL=WARNING "$@"

# A crawl of another host than the real site keeps its files apart: data/hosts/<host>/...
newest=$(ls -t data/hosts/*/japannews/*/*.jsonl | head -n 1)
echo "offline-crawl: $(wc -l <"$newest") articles in $newest"

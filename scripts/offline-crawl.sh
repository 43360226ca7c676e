#!/usr/bin/env bash
# The main job, offline: start the replica of The Japan News on a free loopback port, run the
# politics crawl against it with the project's default settings (but the replica's own state,
# data folder and run history, whatever the port), stop the replica, and say where this run's
# JSON lines went. Incremental, like a scheduled run: a second run exports only what is new or
# changed (nothing: the replica's corpus is fixed, whatever the day), and names the file of the
# last run that exported articles.
# Extra arguments go to `scrapy crawl`, e.g.: scripts/offline-crawl.sh -a section=politics,business
# Exit status: the crawl's (0 healthy, 1 unhealthy, 2 bad command line, 3 state locked).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python}

# One state, data folder and run history for the replica whatever its port (the port is free
# and random, so runs in parallel never collide on it; the lock of the state keeps them apart).
# The state may be shared across ports: it keys articles by post ID, and exported URLs always
# name the real site.
state=.newscrawl/hosts/replica/state.sqlite
data=data/hosts/replica
history=.newscrawl/hosts/replica/runs.jsonl

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

lines_before=$( [ -f "$history" ] && wc -l <"$history" || echo 0)
status=0
"$python" -m scrapy crawl japannews -a base_url="$url" -s LOG_LEVEL=WARNING \
  -s NEWSCRAWL_STATE="$state" -s NEWSCRAWL_DATA_DIR="$data" -s NEWSCRAWL_SUMMARY="$history" \
  "$@" || status=$?
# 2 and 3: the crawl did not start (its one line on stderr says why) and wrote no history line.
[ "$status" -le 1 ] || exit "$status"

# This run's line of the run history says what it exported, and into which file; after a run
# that exported nothing, the latest earlier run that did names the file that holds the articles.
"$python" - "$history" "$lines_before" "$data" <<'EOF' || exit 1
import json
import sys
from pathlib import Path

history, before, data = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]


def record(line):
    """A run's line; None for one torn by a killed run (`newscrawl runs` skips those too)."""
    try:
        run = json.loads(line)
    except ValueError:
        return None
    return run if isinstance(run, dict) else None


lines = history.read_text("utf-8", errors="replace").splitlines() if history.exists() else []
written = [run for line in lines[before:] if (run := record(line))]  # by this run
if not written:
    sys.exit(f"offline-crawl: the run wrote no line to {history}")
runs = [run for line in lines[:before] if (run := record(line))] + written


def dated_file(run):
    """The run's file under the data folder (not an -o/-O file of the command line)."""
    files = [f for f in run.get("feeds") or () if f["uri"].startswith(data + "/") and f["items"]]
    return files[0] if files else None


run = runs[-1]
# An unhealthy run says so first: "0 new articles" alone would read as a quiet, healthy run.
verdict = "" if run.get("exit_status") == 0 else (
    f"unhealthy run (exit status {run.get('exit_status')}): {run.get('reason')}; "
)
mine = dated_file(run)
if mine:
    counts = f"{run['new']} new, {run['updated']} updated"
    print(f"offline-crawl: {verdict}{mine['items']} articles ({counts}) in {mine['uri']}")
    sys.exit()
earlier = next((f for r in reversed(runs[:-1]) if (f := dated_file(r))), None)
where = f"; the last ones exported ({earlier['items']}) are in {earlier['uri']}" if earlier else ""
print(f"offline-crawl: {verdict}0 new articles{where}")
EOF
exit "$status"

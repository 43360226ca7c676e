#!/usr/bin/env bash
# Check the declared lower bounds: a fresh venv with every runtime dependency of pyproject.toml
# at exactly its `>=` minimum, the project on top (--no-deps), `pip check`, then a politics crawl
# of the offline replica (incremental mode off) verified against the replica's manifest with
# newscrawl.replica.verify, the same oracle as the end-to-end tests.
# Run it whenever a bound changes (README, "Checking the lowest versions").
#
#   scripts/check-lowest.sh [--redis] [--tests] [--pins] [VENV_DIR]
#
# --redis   also the `redis` extra at its minima: import the shared frontier and, when
#           redis-server is installed, crawl once more through a frontier in a local Redis.
# --tests   also run the offline unit tests of readers, pipelines, spiders and extensions in the
#           venv (pytest and hypothesis added, unpinned): they reach what a crawl of the
#           replica does not, such as the generic reader and the progress bar. About a minute.
# --pins    only print what would be installed (one `name==minimum` a line), and exit.
# VENV_DIR  where to make the venv (kept afterwards; must not exist yet). Default: a temp dir.
# PYTHON    the interpreter that makes the venv (default python3; 3.11 or newer).
# Transitive dependencies are whatever pip resolves today: only the declared bounds are pinned.
set -euo pipefail
# VENV_DIR and a PYTHON path are the caller's, relative to where the script was started.
here=$PWD
absolute() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$here/$1" ;; esac; }
python=${PYTHON:-python3}
case $python in */*) python=$(absolute "$python") ;; esac
script=$(absolute "$0")
cd "$(dirname "$0")/.."
fail() {
  echo "check-lowest: FAILED: $*" >&2
  exit 1
}

extras=()
venv=""
only_pins=""
tests=""
for arg in "$@"; do
  case $arg in
    --redis) extras+=(redis) ;;
    --pins) only_pins=1 ;;
    --tests) tests=1 ;;
    -h | --help) sed -n '2,18p' "$script" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "check-lowest: unknown option $arg" >&2; exit 2 ;;
    *) venv=$(absolute "$arg") ;;
  esac
done

# The pins come from pyproject.toml itself, so this list cannot drift from the declared one.
pins=$("$python" - "${extras[@]}" <<'EOF'
import re
import sys
import tomllib

with open("pyproject.toml", "rb") as f:
    project = tomllib.load(f)["project"]
requirements = list(project["dependencies"])
for extra in sys.argv[1:]:
    requirements += project["optional-dependencies"][extra]
for requirement in requirements:
    # name[extras] specifiers ; marker: the minimum is the `>=` specifier
    spec, _, marker = requirement.partition(";")
    match = re.fullmatch(r"\s*([A-Za-z0-9._-]+(?:\[[^\]]*\])?)\s*(.*?)\s*", spec)
    lower = [s.strip()[2:].strip() for s in match[2].split(",") if s.strip().startswith(">=")]
    if not lower:
        sys.exit(f"check-lowest: FAILED: {requirement!r} declares no >= lower bound")
    print(f"{match[1]}=={lower[0]}" + (f"; {marker.strip()}" if marker.strip() else ""))
EOF
) || exit 1
mapfile -t pins <<<"$pins"
if [ -n "$only_pins" ]; then
  printf '%s\n' "${pins[@]}"
  exit 0
fi

work=$(mktemp -d)
children=()
cleanup() {
  for pid in "${children[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
if [ -z "$venv" ]; then
  venv=$work/venv
elif [ -e "$venv" ]; then
  echo "check-lowest: $venv exists; give a new folder" >&2
  exit 2
fi

make_venv() {
  echo "check-lowest: a fresh venv in $venv, pinned: ${pins[*]}"
  "$python" -m venv "$venv"
  "$vpy" -m pip install -q "${pins[@]}" >"$work/pip.log" 2>&1 \
    || { tail -n 20 "$work/pip.log" >&2; fail "pip could not install the minima together"; }
  "$vpy" -m pip install -q --no-deps -e . >>"$work/pip.log" 2>&1 \
    || { tail -n 20 "$work/pip.log" >&2; fail "pip could not install the project"; }
  "$vpy" -m pip check >"$work/check.log" 2>&1 \
    || { cat "$work/check.log" >&2; fail "pip check: the minima are not consistent"; }
}

# The versions really installed, of what is pinned (plus Python and Twisted, which Scrapy brings).
installed_versions() {
  local names=("${pins[@]%%==*}")
  "$vpy" - "${names[@]%%\[*}" twisted <<'EOF'
import platform
import sys
from importlib.metadata import version

found = [f"{name}=={version(name)}" for name in sys.argv[1:]]
print(" ".join([f"python=={platform.python_version()}", *found]))
EOF
}

# The replica, as scripts/offline-crawl.sh starts it, under the venv's interpreter too.
start_replica() {
  "$vpy" -m newscrawl replica --port 0 >"$work/replica.log" 2>&1 &
  children+=($!)
  for _ in $(seq 100); do
    grep -q "serving" "$work/replica.log" && break
    kill -0 "${children[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/replica.log" | head -n 1) \
    || { cat "$work/replica.log" >&2; fail "the replica did not start"; }
}

# crawl OUT [SETTING...]: the politics crawl into OUT; data and run summary stay in the temp dir.
crawl() {
  local out=$1 status=0 setting args=()
  shift
  for setting in "$@"; do args+=(-s "$setting"); done
  "$vpy" -m scrapy crawl japannews -a base_url="$url" -s NEWSCRAWL_STATE= \
    -s NEWSCRAWL_DATA_DIR="$work/data" -s NEWSCRAWL_SUMMARY="$work/runs.jsonl" \
    -s LOG_LEVEL=WARNING "${args[@]}" -O "$out" 2>"$work/crawl.log" || status=$?
  [ "$status" -eq 0 ] || { tail -n 20 "$work/crawl.log" >&2; fail "the crawl exited $status"; }
}

# verify OUT WHAT: OUT holds every politics article of the manifest once, as it says.
verify() {
  "$vpy" - "$1" "$work/manifest.jsonl" "$2" <<'EOF'
import json
import sys
from pathlib import Path

from newscrawl.replica.verify import verify

out, manifest, what = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
records = [json.loads(line) for line in manifest.read_text("utf-8").splitlines()]
result = verify(out.read_text("utf-8"), records, "politics")
first = (result.mismatched or result.lost or result.unexpected or ["-"])[0]
if not result.exact:
    sys.exit(
        f"check-lowest: FAILED: {result.exported} lines for {result.expected} politics articles:"
        f" {len(result.lost)} lost, {result.duplicates} duplicates, {result.corrupt} corrupt,"
        f" {len(result.unexpected)} unexpected, {len(result.mismatched)} fields differ"
        f" (first: {first}) {what}"
    )
print(f"check-lowest: ok: {result.exported} of {result.expected} politics articles {what}")
EOF
}

# The same crawl through a shared frontier in a throwaway redis-server, if there is one.
frontier_crawl() {
  # The frontier is imported only when NEWSCRAWL_FRONTIER is set: import it in any case.
  "$vpy" -c "import newscrawl.frontier.scheduler, newscrawl.state.redis" \
    || fail "the shared frontier does not import with the redis extra's minima"
  if ! command -v redis-server >/dev/null; then
    echo "check-lowest: no redis-server: the frontier was imported, not crawled through"
    return
  fi
  local port
  port=$("$vpy" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" \
    >"$work/redis.log" 2>&1 &
  children+=($!)
  "$vpy" -c "import sys, time, redis
client = redis.Redis(port=int(sys.argv[1]))
for _ in range(100):
    try:
        sys.exit(not client.ping())
    except redis.ConnectionError:
        time.sleep(0.1)
sys.exit(1)" "$port" || { cat "$work/redis.log" >&2; fail "redis-server did not start"; }
  crawl "$work/frontier.jsonl" NEWSCRAWL_FRONTIER="redis://127.0.0.1:$port/0"
  verify "$work/frontier.jsonl" "through the shared frontier"
}

# --tests: the suites that need neither the network nor a second service.
unit_tests() {
  "$vpy" -m pip install -q pytest pytest-xdist hypothesis >>"$work/pip.log" 2>&1 \
    || { tail -n 20 "$work/pip.log" >&2; fail "pip could not install pytest"; }
  "$vpy" -m pytest -q -x -p no:cacheprovider tests/sites tests/pipelines tests/spiders \
    tests/extensions tests/test_compat.py tests/page tests/state/test_sqlite.py >"$work/pytest.log" 2>&1 \
    || { grep -E '^(E  |FAILED|ERROR)' "$work/pytest.log" | head -n 20 >&2; fail "the unit tests fail"; }
  echo "check-lowest: tests: $(tail -n 1 "$work/pytest.log" | tr -d '=' | sed 's/^ *//')"
}

vpy=$venv/bin/python
make_venv
versions=$(installed_versions)
echo "check-lowest: installed $versions"
start_replica
"$vpy" -m newscrawl replica --manifest >"$work/manifest.jsonl"
if [ -n "$tests" ]; then unit_tests; fi
if [ ${#extras[@]} -gt 0 ]; then frontier_crawl; fi
crawl "$work/out.jsonl"
verify "$work/out.jsonl" "with $versions"

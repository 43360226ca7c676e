"""Crawl throughput: `scrapy crawl japannews` against a bare Scrapy spider, same pages, same run.

    python benchmarks/crawl_throughput.py [--articles 20000] [--sections politics,business,...]

Each crawler gets a freshly started replica of the same corpus and crawls all SECTIONS in full
(default: politics,business,society,world, every section the replica has):
(a) `scrapy crawl japannews -a base_url=... -a section=...` with a fresh state, the project's
settings, pipelines and dated feed; (b) `scrapy runspider benchmarks/bare_spider.py`, which
requests the same pages and yields `{"url": ...}` per article, with Scrapy's defaults except
the settings that decide how the pages are fetched, copied from newscrawl.settings:
concurrency, download slots (loopback: 8 at a time, no delay), reactor, robots.txt, download
timeout and log level (Scrapy's default DEBUG would log every request and item of the bare
crawl only). Both export JSON lines through Scrapy's feed exports.

Measured per crawl: wall seconds and CPU seconds (user + sys, from os.wait4) of the crawl
process, its peak RSS, the replica's CPU seconds over the crawl (/proc), requests and exported
articles. It checks that both export the same article URLs (those of the manifest) and make the
same number of requests, prints a table, the CPU per request of each component (both crawls
run under benchmarks/cpu_sampler.py) and one JSON line, and exits 1 when the crawl CPU
ratio japannews/bare is above the issue's target of 1.3 or a check fails. Run from the
repository root after `pip install -e .`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import scrapy

from newscrawl import settings as project
from newscrawl.sites.japannews import KNOWN_SUBSECTIONS
from tests.e2e.conftest import ROOT, replica, stat, wait_measured

TARGET = 1.3  # issue 6: crawl CPU at most 1.3x the bare spider's
SECTIONS = "politics,business,society,world"
BARE_SPIDER = Path(__file__).resolve().parent / "bare_spider.py"
# Each crawl runs under the in-process sampler (benchmarks/cpu_sampler.py): both crawlers alike,
# so the ratio stays fair, and the breakdown per component comes from the same runs.
SAMPLER = Path(__file__).resolve().parent / "cpu_sampler.py"
# What decides how pages are fetched: the same for both crawlers.
SHARED_SETTINGS = (
    "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_DELAY",
    "DOWNLOAD_SLOTS",
    "DOWNLOAD_TIMEOUT",
    "TWISTED_REACTOR",
    "ROBOTSTXT_OBEY",
    "LOG_LEVEL",
)
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    name: str
    status: int
    wall: float
    cpu: float
    user: float
    sys: float
    peak_rss_mb: float
    replica_cpu: float
    log: str
    paths: set[str]
    exported_lines: int
    profile: dict

    def component_seconds(self, view: str = "components") -> dict[str, float]:
        """CPU seconds per component (or per innermost newscrawl module, VIEW "modules"): the
        sampler's counts scaled to the measured CPU."""
        counts = self.profile.get(view, {})
        total = sum(counts.values())
        return {name: count / total * self.cpu for name, count in counts.items()} if total else {}

    def requests(self) -> int:
        return stat(self.log, "downloader/request_count") or 0

    def count(self, key: str) -> int:
        return stat(self.log, key) or 0


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a running process, all its threads (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


# The replica's handler writes the headers and the body of a response in two send() calls; with
# Nagle's algorithm on, the body would wait for the client's delayed ACK of the headers: about
# 40 ms per response on Linux loopback, so 8 connections got ~170 responses a second whatever
# the CPU costs. The replica now sets TCP_NODELAY (ReplicaHandler.disable_nagle_algorithm);
# --nagle turns it back off to show the difference.
NAGLE = (
    "import sys; from newscrawl.replica.server import ReplicaHandler;"
    " ReplicaHandler.disable_nagle_algorithm = False;"
    " from newscrawl.cli import main; sys.exit(main())"
)


def run(
    name: str, command: list[str], replica_pid: int, tmp: Path, feed_glob: str, cwd: Path = ROOT
) -> Run:
    """Run COMMAND (a crawl) in CWD to its end; its resources from os.wait4, the replica's
    from /proc."""
    log_path = tmp / f"{name}.log"
    profile_path = tmp / f"{name}.profile.json"
    command = [command[0], str(SAMPLER), str(profile_path), *command[1:]]
    replica_before = process_cpu(replica_pid)
    started = time.perf_counter()
    with open(log_path, "w") as log:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        if cwd != ROOT:  # outside the project: no project settings at all
            env = {k: v for k, v in env.items() if not k.startswith("SCRAPY_")}
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=log, env=env)
        status, peak_kb, usage = wait_measured(process, timeout=24 * 3600)
    wall = time.perf_counter() - started
    replica_cpu = process_cpu(replica_pid) - replica_before
    paths, lines = set(), 0
    for feed in sorted(tmp.glob(feed_glob)):
        for line in feed.read_text("utf-8").split("\n"):
            if line:
                lines += 1
                paths.add(urlsplit(json.loads(line)["url"]).path)
    return Run(
        name=name,
        status=status,
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        user=usage.ru_utime,
        sys=usage.ru_stime,
        peak_rss_mb=peak_kb / 1024,  # its own VmHWM (see tests/e2e/conftest.peak_rss_kb)
        replica_cpu=replica_cpu,
        log=log_path.read_text("utf-8", errors="replace"),
        paths=paths,
        exported_lines=lines,
        profile=json.loads(profile_path.read_text()) if profile_path.exists() else {},
    )


def japannews(url: str, sections: str, replica_pid: int, tmp: Path) -> Run:
    """The project's crawl as shipped: fresh state, pipelines, the dated feed (no -O)."""
    work = tmp / "japannews"
    command = [sys.executable, "-m", "scrapy", "crawl", "japannews"]
    command += ["-a", f"base_url={url}", "-a", f"section={sections}"]
    command += ["-s", f"NEWSCRAWL_DATA_DIR={work / 'data'}"]
    command += ["-s", f"NEWSCRAWL_STATE={work / 'state' / 'state.sqlite'}"]
    work.mkdir()
    return run("japannews", command, replica_pid, work, "data/**/*.jsonl")


def bare(url: str, sections: str, replica_pid: int, tmp: Path) -> Run:
    """The bare spider with Scrapy's defaults plus SHARED_SETTINGS, run in a temporary folder
    (no scrapy.cfg there or above, no SCRAPY_* variables: the project settings are not loaded)."""
    work = tmp / "bare"
    work.mkdir()
    menu = ",".join(
        f"{s}/{sub}" for s in sections.split(",") for sub in KNOWN_SUBSECTIONS.get(s, ())
    )
    command = [sys.executable, "-m", "scrapy", "runspider", str(BARE_SPIDER)]
    command += ["-a", f"base_url={url}", "-a", f"section={sections}", "-a", f"menu={menu}"]
    for key in SHARED_SETTINGS:
        value = getattr(project, key)
        text = json.dumps(value) if isinstance(value, dict) else str(value)
        command += ["-s", f"{key}={text}"]
    command += ["-O", str(work / "bare.jsonl")]
    return run("bare", command, replica_pid, work, "bare.jsonl", cwd=work)


def ratio(a: float, b: float) -> float:
    return round(a / b, 3) if b else float("inf")


def print_breakdown(j: Run, b: Run, top: int = 30) -> None:
    """Per component, the CPU of each crawl per request and what japannews adds over bare."""
    js, bs = j.component_seconds(), b.component_seconds()
    jr, br = max(j.requests(), 1), max(b.requests(), 1)
    names = sorted(set(js) | set(bs), key=lambda n: js.get(n, 0) / jr - bs.get(n, 0) / br)[::-1]
    print(
        "CPU per request by component (ms; benchmarks/cpu_sampler.py, 4 ms samples scaled to"
        " each crawl's CPU):"
    )
    print(f"{'japannews':>10} {'bare':>8} {'added':>8}  component")
    shown = names[:top]
    for name in shown:
        a, c = js.get(name, 0) * 1000 / jr, bs.get(name, 0) * 1000 / br
        print(f"{a:10.3f} {c:8.3f} {a - c:+8.3f}  {name}")
    rest_j = sum(js.get(n, 0) for n in names[top:]) * 1000 / jr
    rest_b = sum(bs.get(n, 0) for n in names[top:]) * 1000 / br
    print(f"{rest_j:10.3f} {rest_b:8.3f} {rest_j - rest_b:+8.3f}  ({len(names) - top} others)")
    print(f"{j.cpu * 1000 / jr:10.3f} {b.cpu * 1000 / br:8.3f} "
          f"{j.cpu * 1000 / jr - b.cpu * 1000 / br:+8.3f}  total")  # fmt: skip
    modules = j.component_seconds("modules")
    print("japannews: CPU per request inside newscrawl, by innermost module (ms):")
    for name, seconds in sorted(modules.items(), key=lambda item: -item[1])[:15]:
        if name.startswith("newscrawl."):
            print(f"{seconds * 1000 / jr:10.3f}  {name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--sections", default=SECTIONS)
    parser.add_argument(
        "--nagle",
        action="store_true",
        help="serve the replica with Nagle's algorithm on (~40 ms per response, wall time bound)",
    )
    args = parser.parse_args()
    corpus = ("--articles", str(args.articles))
    sections = args.sections.split(",")
    runs: dict[str, Run] = {}
    launcher = ("-c", NAGLE) if args.nagle else ("-m", "newscrawl")
    with tempfile.TemporaryDirectory() as tmp:
        for crawler in (japannews, bare):
            with replica(*corpus, launcher=launcher) as server:
                if not runs:
                    manifest = server.manifest()
                runs[crawler.__name__] = crawler(server.url, args.sections, server.pid, Path(tmp))
    expected = {urlsplit(r["url"]).path for r in manifest if r["section"] in sections}
    j, b = runs["japannews"], runs["bare"]
    checks = {
        "japannews_exit_0": j.status == 0,
        "bare_exit_0": b.status == 0,
        "same_article_urls": j.paths == b.paths,
        "articles_equal_manifest": j.paths == expected and j.exported_lines == len(expected),
        "same_request_count": j.requests() == b.requests(),
    }
    cpu_ratio = ratio(j.cpu, b.cpu)
    print(
        f"crawl throughput: {args.articles} articles, sections {args.sections}; "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Scrapy {scrapy.__version__}; replica "
        + ("with Nagle's algorithm on" if args.nagle else "with TCP_NODELAY (as shipped)")
    )
    header = ("crawler", "requests", "404", "exported", "wall s", "CPU s", "user", "sys",
              "peak MB", "replica CPU s", "articles/CPU s")  # fmt: skip
    rows = [
        (
            r.name,
            r.requests(),
            r.count("downloader/response_status_count/404"),
            r.exported_lines,
            f"{r.wall:.1f}",
            f"{r.cpu:.1f}",
            f"{r.user:.1f}",
            f"{r.sys:.1f}",
            f"{r.peak_rss_mb:.0f}",
            f"{r.replica_cpu:.1f}",
            f"{r.exported_lines / r.cpu:.0f}" if r.cpu else "-",
        )
        for r in (j, b)
    ]
    rows.append(("japannews/bare", "", "", "", f"{ratio(j.wall, b.wall)}", f"{cpu_ratio}",
                 "", "", f"{ratio(j.peak_rss_mb, b.peak_rss_mb)}", "", ""))  # fmt: skip
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        print("  ".join(str(cell).rjust(width) for cell, width in zip(row, widths, strict=True)))
    met = cpu_ratio <= TARGET
    print(
        f"target: crawl CPU at most {TARGET}x the bare spider's: {cpu_ratio}x, "
        + ("met" if met else f"missed by {cpu_ratio - TARGET:.2f}x")
        + (
            f"; replica busy {j.replica_cpu / j.wall:.0%} / {b.replica_cpu / b.wall:.0%}"
            " of the wall time"
        )
    )
    print_breakdown(j, b)
    for name, ok in checks.items():
        if not ok:
            print(f"check failed: {name}")
    print(
        json.dumps(
            {
                "benchmark": "crawl_throughput",
                "machine": f"{platform.machine()} {os.cpu_count()} cores",
                "python": platform.python_version(),
                "scrapy": scrapy.__version__,
                "corpus_articles": args.articles,
                "replica_tcp_nodelay": not args.nagle,
                "sections": args.sections,
                "expected_articles": len(expected),
                **{
                    f"{r.name}_{key}": value
                    for r in (j, b)
                    for key, value in {
                        "exit_status": r.status,
                        "requests": r.requests(),
                        "exported": r.exported_lines,
                        "wall_seconds": round(r.wall, 2),
                        "cpu_seconds": round(r.cpu, 2),
                        "peak_rss_mb": round(r.peak_rss_mb, 1),
                        "replica_cpu_seconds": round(r.replica_cpu, 2),
                    }.items()
                },
                "wall_ratio": ratio(j.wall, b.wall),
                "cpu_ratio": cpu_ratio,
                "target_cpu_ratio": TARGET,
                "target_met": met,
                "checks": checks,
                "japannews_components_cpu_seconds": {
                    k: round(v, 2) for k, v in j.component_seconds().items() if v >= 0.1
                },
                "bare_components_cpu_seconds": {
                    k: round(v, 2) for k, v in b.component_seconds().items() if v >= 0.1
                },
            }
        )
    )
    return 0 if met and all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())

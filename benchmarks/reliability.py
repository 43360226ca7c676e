"""The reliability table (docs/reliability.md, and the fault table of docs/faults.md): each
replica fault, issue 5's two combinations, and the faults of the machine around the crawl
(benchmarks/machine_faults.py), crawled with the shipped settings and checked against the
manifest.

    python benchmarks/reliability.py [--articles N] [--only ROW] [--write]

For each row: politics articles the manifest expects, articles the fault touched, lost,
duplicates, corrupt lines (split as `str.splitlines()` splits them), fields unlike the
manifest, requests that reached the replica's internal service or another host, the exit
status (and whether it is the one a correct crawl gives), the checks a machine scenario failed,
wall seconds and peak RSS of the `scrapy crawl` process. `--write` also writes
docs/reliability.md and the fault table of docs/faults.md (from benchmarks/fault_table.py and the
measured exit statuses). Exit status 1 when any row misses its target. Run from the
repository root after `pip install -e ".[test]"` (the machine scenarios need `unshare`, from
util-linux, and the right to make a mount namespace).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.fault_table import ROWS  # noqa: E402
from benchmarks.machine_faults import SCENARIOS  # noqa: E402
from newscrawl.replica.faults import FAULTS  # noqa: E402
from newscrawl.replica.verify import UNHEALTHY_FAULTS, verify  # noqa: E402
from tests.e2e.conftest import crawl, replica, stat  # noqa: E402

RECOVERABLE = "flaky,throttle,reset,stall,truncate,empty,charset,separators,loop"
REFUSED = "private,bomb,baddates,notitle"
SECTION = "politics"
REQUEST_LINE = re.compile(r"^\S+Z (?:GET|HEAD) \S+ \d{3}$", re.MULTILINE)


@dataclass
class Row:
    faults: str
    expected: int
    unexportable: int  # politics articles the fault made impossible to export
    affected: int
    lost: int
    duplicates: int
    corrupt: int
    mismatched: int
    unexpected: int
    off_site: int
    exit_status: int
    seconds: float
    peak_rss_mb: float | None  # None: not measured (a crawl behind a launcher)
    wanted_exit: int | None = None  # a machine scenario's; replica faults: UNHEALTHY_FAULTS
    failed_checks: list[str] = field(default_factory=list)  # a machine scenario's

    @property
    def right_exit(self) -> bool:
        if self.wanted_exit is not None:
            return self.exit_status == self.wanted_exit
        unhealthy = bool(set(self.faults.split(",")) & UNHEALTHY_FAULTS)
        return (self.exit_status != 0) is unhealthy

    @property
    def on_target(self) -> bool:
        errors = (self.lost, self.duplicates, self.corrupt, self.mismatched, self.unexpected)
        return not any(errors) and not self.off_site and self.right_exit and not self.failed_checks


def measure(faults: str, articles: int) -> Row:
    args = ["--articles", str(articles), "--verbose"] + (["--faults", faults] if faults else [])
    with replica(*args) as server, tempfile.TemporaryDirectory() as tmp:
        result = crawl(Path(tmp), f"base_url={server.url}", f"section={SECTION}")
        manifest = server.manifest()
        log = server.log()
    check = verify(result.text, manifest, SECTION)
    names = set(faults.split(",")) if faults else set()
    section = [r for r in manifest if r["section"] == SECTION]
    touched = [r for r in section if names & set(r.get("faults", ()))]
    return Row(
        faults=faults or "(none)",
        expected=check.expected,
        unexportable=sum(1 for r in section if not r.get("expected_export", True)),
        affected=len(touched),
        lost=len(check.lost),
        duplicates=check.duplicates,
        corrupt=check.corrupt,
        mismatched=len(check.mismatched),
        unexpected=len(check.unexpected),
        off_site=off_site_requests(result.log, log),
        exit_status=result.returncode,
        seconds=round(result.seconds, 1),
        peak_rss_mb=round(result.peak_rss_mb, 1),
    )


def off_site_requests(crawl_log: str, replica_log: str) -> int:
    """Requests that reached anything but the replica. The witnesses are outside the crawler:
    the replica logs every request it gets (--verbose), and its internal service (the `private`
    fault) every request that reached it; whatever the crawler sent beyond what the replica got
    went somewhere else."""
    sent = stat(crawl_log, "downloader/request_count") or 0
    received = len(REQUEST_LINE.findall(replica_log))
    return replica_log.count("internal service reached") + max(0, sent - received)


HEADER = (
    "| faults | expected | made unexportable | touched | lost | duplicates | corrupt lines "
    "| fields unlike manifest | unexpected | off-site requests | exit status | checks | seconds "
    "| peak RSS MB |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
)


def table(rows: list[Row]) -> str:
    lines = [
        f"| `{r.faults}` | {r.expected} | {r.unexportable} | {r.affected} | {r.lost} "
        f"| {r.duplicates} | {r.corrupt} | {r.mismatched} | {r.unexpected} | {r.off_site} "
        f"| {r.exit_status}{'' if r.right_exit else ' (wrong)'} "
        f"| {', '.join(r.failed_checks) + ' failed' if r.failed_checks else 'ok'} "
        f"| {r.seconds} | {'–' if r.peak_rss_mb is None else r.peak_rss_mb} |"
        for r in rows
    ]
    return HEADER + "\n".join(lines) + "\n"


def fault_rows(rows: list[Row]) -> str:
    """The fault table of docs/faults.md: one row per single fault, its measured exit status."""
    lines = [
        "| the site or the machine does | newscrawl does | counted as | exit status |",
        "|---|---|---|---|",
    ]
    measured = {r.faults: r for r in rows}
    for name, (does, handles, counted) in ROWS.items():  # in the table's order, not the runs'
        if name in measured:
            fault = f" (`{name}`)" if name in FAULTS else ""
            lines.append(
                f"| {does}{fault} | {handles} | {counted} | {measured[name].exit_status} |"
            )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1500, help="replica corpus size")
    parser.add_argument("--only", help="comma list of rows (fault names or a combination)")
    parser.add_argument("--write", action="store_true", help="write docs/reliability.md")
    args = parser.parse_args()
    rows_wanted = ["", *sorted(FAULTS), RECOVERABLE, REFUSED, *SCENARIOS]
    undescribed = [n for n in (*FAULTS, *SCENARIOS) if n not in ROWS]
    if undescribed:
        parser.error(f"no row in benchmarks/fault_table.py for {', '.join(undescribed)}")
    if args.only:
        rows_wanted = [args.only]
    rows = []
    for name in rows_wanted:
        scenario = SCENARIOS.get(name)
        rows.append(Row(**scenario(args.articles)) if scenario else measure(name, args.articles))
        print(table(rows[-1:]).splitlines()[-1], flush=True)
    text = table(rows)
    print("\n" + text)
    if args.write:
        write_doc(text, args.articles)
        write_fault_table(fault_rows(rows))
    return 0 if all(r.on_target for r in rows) else 1


DOC = """# Reliability under faults

Written by `{command}` on {date} ({machine}); the replica holds {articles} articles and every
row is a politics crawl with the shipped settings. Re-run the command to refresh this file.

A row is on target when nothing expected is lost, nothing is exported twice, no line is corrupt,
every field equals the manifest, nothing unexpected is exported, no request reaches another host
(the replica's internal service counts what it gets), and the exit status is non-zero exactly
for faults that really lose or break something (`down`, `robots5xx`, `outage`, `blank`,
`biglisting`). The last rows are the machine's faults (benchmarks/machine_faults.py): each has
the exit status it must give (2 for a bad location, 1 for a damaged state, an unreachable host,
a vanished request or a full disk) and the checks it must pass ("checks": what the run summary
and the files must say); for the full disk, "lost" and "duplicates" count over the archive of
both runs (the full one and the next). Peak RSS is not measured ("–") for a crawl started behind
`unshare`.
"Expected" counts the politics articles a correct crawl exports under the fault; "made
unexportable" those the site itself made impossible to export (they stay down, redirect to an
internal address or another host, are bombs, have no title, are no article, or are listed only
beyond an unreadable listing page; all of them under `blank`, `outage` and `robots5xx`): a
correct crawl reports them, it cannot export them. "Touched" counts the politics
articles the fault affected (listing-level faults touch none). "Off-site requests" compares
what the crawler sent (`downloader/request_count`) with what the replica logged receiving, plus
what the replica's internal service received.
The bombs' peak memory is bounded by the downloads in flight times DOWNLOAD_MAXSIZE (8 × 16 MiB
on loopback, 2 × 16 MiB on the real site), not by the 128 MiB a bomb expands to. `stall` and
`throttle` take their seconds waiting, as they must: 15 s per stalled attempt, 2 s per
`Retry-After`. What each fault does, and what the crawler does about it, is in
[faults.md](faults.md).
"""


TABLE_BEGIN = "<!-- fault table: written by benchmarks/reliability.py --write -->\n"
TABLE_END = "<!-- end of the fault table -->\n"


def write_fault_table(rows: str) -> None:
    """Replace the fault table of docs/faults.md (between its markers) with ROWS."""
    path = ROOT / "docs" / "faults.md"
    text = path.read_text("utf-8")
    head, rest = text.split(TABLE_BEGIN, 1)
    _, tail = rest.split(TABLE_END, 1)
    path.write_text(head + TABLE_BEGIN + rows + TABLE_END + tail, "utf-8")


def write_doc(text: str, articles: int) -> None:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    body = DOC.format(
        date=datetime.now(UTC).strftime("%Y-%m-%d"),
        machine=machine,
        articles=articles,
        command=f"python benchmarks/reliability.py --articles {articles} --write",
    )
    (ROOT / "docs" / "reliability.md").write_text(body + "\n" + text, "utf-8")


if __name__ == "__main__":
    sys.exit(main())

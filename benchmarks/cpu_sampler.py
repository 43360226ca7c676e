"""Where a Python process spends its CPU, per component: a sampling profiler inside the process.

    python benchmarks/cpu_sampler.py OUT.json -m scrapy crawl japannews ...
    python benchmarks/cpu_sampler.py OUT.json SCRIPT.py ARGS...

The kernel's profiling timer (ITIMER_PROF) fires every INTERVAL of CPU time the process uses;
the signal handler records which component the main thread is in. No ptrace (py-spy needs it,
and containers often refuse it) and no tracing of every call (cProfile's cost per call would
weigh most on the small, frequent calls being measured). Time in C code (lxml, sqlite, json) is
counted to the Python code that called it: the handler runs when the call returns.

A sample is counted twice, under two names:
- `component`: the innermost Scrapy component of newscrawl on the stack (a spider, a pipeline,
  a middleware, an extension, the exporter), so a middleware's generator that resumes the
  spider's callback counts the callback's work to the spider; else the outermost newscrawl
  frame (the crawl command only for its own work); with no newscrawl frame, the innermost
  scrapy, twisted or asyncio module (Scrapy's own work: `scrapy.core.downloader`, ...);
- `module`: the innermost newscrawl module (the work itself: `newscrawl.page.tree`, ...), else
  the same as `component`.
Start-up imports are one component of their own (`(imports)`), whoever imports.

At exit OUT.json holds the interval, the sample counts per component and per module, and the
process's CPU seconds (resource.getrusage), so a reader can scale samples to seconds.
"""

from __future__ import annotations

import atexit
import json
import resource
import runpy
import signal
import sys
from collections import Counter
from pathlib import Path

# Seconds of CPU time between samples. The kernel's timer ticks every 4 ms here (HZ=250): a
# shorter interval gives no more samples. Samples are scaled to the process's CPU seconds.
INTERVAL = 0.004
IMPORTS = "(imports)"
NO_FRAME = "(no Python frame)"
ENTRY = ("newscrawl.commands", "newscrawl.cli", "newscrawl.__main__")
# Where Scrapy's components live: a sample is the innermost one's on its stack (a middleware's
# generator resumes the spider's callback: the work is the callback's).
COMPONENTS = tuple(
    f"newscrawl.{name}"
    for name in ("spiders", "pipelines", "middlewares", "extensions", "exporters", "frontier")
)
LIBRARIES = ("scrapy", "twisted", "asyncio", "pydispatch")


def library_module(name: str) -> str:
    """`scrapy.core.downloader.handlers.http11` -> `scrapy.core.downloader`."""
    return ".".join(name.split(".")[:3])


def classify(modules: list[str]) -> tuple[str, str]:
    """(component, module) of one stack, modules innermost first."""
    if "importlib._bootstrap" in modules or "importlib._bootstrap_external" in modules:
        return IMPORTS, IMPORTS
    # The command runs the whole crawl: it is the component only of its own work.
    entry = next((i for i, name in enumerate(modules) if name.startswith(ENTRY)), None)
    if entry is not None:
        if entry == 0:
            return modules[0], modules[0]
        modules = modules[:entry]
    ours = [name for name in modules if name.startswith("newscrawl.")]
    if ours:
        component = next((name for name in ours if name.startswith(COMPONENTS)), ours[-1])
        return component, ours[0]
    if not modules:
        return NO_FRAME, NO_FRAME
    name = next((name for name in modules if name.split(".", 1)[0] in LIBRARIES), modules[0])
    return library_module(name), library_module(name)


class Sampler:
    def __init__(self, out: Path, interval: float = INTERVAL) -> None:
        self.out = out
        self.interval = interval
        self.components: Counter[str] = Counter()
        self.modules: Counter[str] = Counter()

    def start(self) -> None:
        signal.signal(signal.SIGPROF, self.sample)
        signal.setitimer(signal.ITIMER_PROF, self.interval, self.interval)
        atexit.register(self.write)

    def sample(self, signum: int, frame) -> None:
        modules = []
        while frame is not None:
            modules.append(frame.f_globals.get("__name__", "?"))
            frame = frame.f_back
        component, module = classify(modules)
        self.components[component] += 1
        self.modules[module] += 1

    def write(self) -> None:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        self.out.write_text(
            json.dumps(
                {
                    "interval": self.interval,
                    "cpu_seconds": usage.ru_utime + usage.ru_stime,
                    "components": dict(self.components.most_common()),
                    "modules": dict(self.modules.most_common()),
                }
            )
        )


def main() -> None:
    out, *rest = sys.argv[1:]
    Sampler(Path(out)).start()
    if rest[0] == "-m":
        sys.argv = [rest[1], *rest[2:]]
        runpy.run_module(rest[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = rest
        runpy.run_path(rest[0], run_name="__main__")


if __name__ == "__main__":
    main()

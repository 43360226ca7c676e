"""Every command the README and docs/ show copy-pastes as is: each `scrapy crawl` line names a
spider that exists, spider arguments its own validation accepts and settings that exist; each
`newscrawl` line parses; each script named exists. Nothing is crawled: the checks are the ones
the crawl command runs before its first request."""

from __future__ import annotations

import re
import shlex
from datetime import date
from pathlib import Path

import pytest
from scrapy.settings import default_settings
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

from newscrawl import settings as project_settings
from newscrawl.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Commands of a shell line are separated by lists and pipes; a comment, a redirection or a
# trailing & (in the background) ends one.
SEPARATOR = re.compile(r"\s(?:&&|\|\||\||;)\s")
REDIRECTION = re.compile(r"\s(?:#|[12]?>>?).*$|\s&$")


def code_lines(path: Path) -> list[str]:
    """The lines of a file's fenced code blocks that are shell (sh, cron or unmarked)."""
    lines, language = [], None
    for line in path.read_text("utf-8").splitlines():
        if line.strip().startswith("```"):
            language = None if language is not None else (line.strip()[3:].strip() or "sh")
        elif language in {"sh", "bash", "cron"} and not line.lstrip().startswith("#"):
            lines.append(line.strip())
    return lines


def commands(program: str) -> list[tuple[str, str]]:
    """(file name, command) for every command of the code lines that runs PROGRAM (its first
    word may be a path, as .venv/bin/scrapy), without redirections."""
    first, *rest = program.split()
    found = []
    for path in DOCS:
        for line in code_lines(path):
            for part in SEPARATOR.split(line):
                words = REDIRECTION.sub("", part).split()
                if words and Path(words[0]).name == first and words[1 : 1 + len(rest)] == rest:
                    found.append((path.name, " ".join([first, *words[1:]])))
    return found


def spider_arguments(words: list[str]) -> tuple[str, dict[str, str], dict[str, str]]:
    """(spider, -a arguments, -s settings) of `scrapy crawl SPIDER ...` split into words."""
    spider, arguments, settings = words[2], {}, {}
    pairs = zip(words[3:], [*words[4:], ""], strict=True)
    for flag, value in pairs:
        if flag in {"-a", "-s"}:
            name, _, given = value.partition("=")
            (arguments if flag == "-a" else settings)[name] = given
    return spider, arguments, settings


def known_setting(name: str) -> bool:
    return hasattr(project_settings, name) or hasattr(default_settings, name)


CRAWLS = commands("scrapy crawl")


def test_the_docs_show_crawls() -> None:
    assert len(CRAWLS) >= 10


@pytest.mark.parametrize(("doc", "command"), CRAWLS)
def test_each_crawl_command_is_accepted(
    doc: str, command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spider_name, arguments, settings = spider_arguments(shlex.split(command))
    loader = SpiderLoader.from_settings(get_project_settings())
    spider = loader.load(spider_name)
    assert [n for n in settings if not known_setting(n)] == []
    monkeypatch.chdir(tmp_path)
    if "urls_file" in arguments:  # the user's own file: one that exists, as theirs would
        Path(arguments["urls_file"]).write_text("https://www.example.com/2024/10/13/story/\n")
    spider.validate_arguments(arguments)


NEWSCRAWL = [
    (doc, command)
    for doc, command in commands("newscrawl")
    # a synopsis ([--port N]) or a placeholder (URL) is not a command to paste
    if "[" not in command and not re.search(r"\bURL\b", command)
]


@pytest.mark.parametrize(("doc", "command"), NEWSCRAWL)
def test_each_newscrawl_command_parses(doc: str, command: str) -> None:
    build_parser().parse_args(shlex.split(command)[1:])


SCRIPTS = sorted(
    {
        (doc, word)
        for doc, command in commands("python") + commands("bash")
        for word in shlex.split(command)[1:2]
        if word.endswith((".py", ".sh"))
    }
    | {
        (path.name, word)
        for path in DOCS
        for line in code_lines(path)
        for part in SEPARATOR.split(line)
        for word in part.split()[:1]
        if word.startswith(("scripts/", "benchmarks/"))
    }
)


@pytest.mark.parametrize(("doc", "script"), SCRIPTS)
def test_each_script_named_exists(doc: str, script: str) -> None:
    assert (ROOT / script).is_file()


def test_the_crontab_recipe_runs_the_flags_the_cron_log_test_runs() -> None:
    """tests/e2e/test_cron_log.py holds the recipe's crawl to a screenful of cron log: the
    README's crontab line must be that crawl, or the test proves nothing about it."""
    from tests.e2e.test_cron_log import RECIPE

    (recipe,) = [c for d, c in CRAWLS if d == "README.md" and "LOG_FILE=" in c]
    words = shlex.split(recipe.replace(r"$(date +\%F)", date.today().isoformat()))
    assert words[:3] == ["scrapy", "crawl", "japannews"] and tuple(words[3:]) == RECIPE

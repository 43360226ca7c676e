"""The package's structure, read from its imports: layers only point down, components do not
reach into one another, nothing reaches into another module's private names, no cycles, no module
outside the replica over 500 lines, and Scrapy's internals are touched in newscrawl/compat.py only.

The layers, lowest first (README, Layout):
- core: items, text, charset, times, stats, paths, ... and the page/ and state/ packages;
- sites: newscrawl/sites/ (the site modules and the generic reader);
- components: spiders/, pipelines/, extensions/, middlewares/, frontier/, the exporter, the
  preflight check, the feed files: each a unit that imports core and sites, never another unit;
- top: the commands and the console tools, which put the rest together.
The replica (the offline test site) imports core and itself only.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "newscrawl"
CORE, SITES, COMPONENTS, TOP, REPLICA = 0, 1, 2, 3, 9
LAYER_NAMES = {CORE: "core", SITES: "sites", COMPONENTS: "components", TOP: "top"}
PACKAGE_LAYERS = {
    "page": CORE,
    "state": CORE,
    "sites": SITES,
    "spiders": COMPONENTS,
    "pipelines": COMPONENTS,
    "extensions": COMPONENTS,
    "middlewares": COMPONENTS,
    "frontier": COMPONENTS,
    "commands": TOP,
    "replica": REPLICA,
}
# Modules directly in newscrawl/ that are not core.
MODULE_LAYERS = {
    "exporters": COMPONENTS,
    "preflight": COMPONENTS,
    "feed_files": COMPONENTS,
    "cli": TOP,
    "extract": TOP,
    "runs": TOP,
    "report": TOP,
    "report_data": TOP,
    "report_page": TOP,
    "charts": TOP,
    "settings": TOP,
    "__main__": TOP,
}
MAX_LINES = 500
# Scrapy internals we use; only newscrawl/compat.py may name them.
SCRAPY_INTERNALS = (
    "_slot",
    "nextcall",
    "_response_downloaded",
    "_decode",
    "_DecompressionMaxSizeExceeded",
    "_create_crawler",
)


@cache
def modules() -> list[str]:
    return sorted(_dotted(path) for path in PACKAGE.rglob("*.py"))


def _dotted(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _path(module: str) -> Path:
    base = PACKAGE.parent.joinpath(*module.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def layer(module: str) -> int:
    parts = module.split(".")[1:]
    if not parts:
        return CORE
    if len(parts) > 1 or (PACKAGE / parts[0]).is_dir():
        return PACKAGE_LAYERS[parts[0]]
    return MODULE_LAYERS.get(parts[0], CORE)


def unit(module: str) -> str:
    """The component a module belongs to: its package (spiders, pipelines, ...) or itself."""
    return ".".join(module.split(".")[:2])


@cache
def tree(module: str) -> ast.Module:
    return ast.parse(_path(module).read_text(encoding="utf-8"))


@cache
def imports(module: str) -> list[tuple[str, list[str], int]]:
    """(imported newscrawl module, names taken from it, line) for every import, lazy ones too."""
    known = set(modules())
    found = []
    for node in ast.walk(tree(module)):
        if isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names if a.name in known]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith("newscrawl"):
                continue
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                if sub in known:
                    found.append((sub, [], node.lineno))
                else:
                    found.append((node.module, [alias.name], node.lineno))
    return found


def test_every_module_has_a_layer() -> None:
    for module in modules():
        parts = module.split(".")[1:]
        if parts and (PACKAGE / parts[0]).is_dir():
            assert parts[0] in PACKAGE_LAYERS, f"{module}: add its package to PACKAGE_LAYERS"


@pytest.mark.parametrize("module", modules())
def test_imports_point_down(module: str) -> None:
    mine = layer(module)
    for target, _names, line in imports(module):
        theirs = layer(target)
        if mine == REPLICA or theirs == REPLICA:
            assert theirs in (CORE, REPLICA) and mine in (REPLICA, TOP), (
                f"{module}:{line} imports {target}: the replica and the crawler meet in core only"
            )
            continue
        assert theirs <= mine, (
            f"{module}:{line} ({LAYER_NAMES[mine]}) imports {target} ({LAYER_NAMES[theirs]})"
        )
        if mine == theirs == COMPONENTS:
            assert unit(module) == unit(target), (
                f"{module}:{line} imports {target}: components share through core, not each other"
            )


@pytest.mark.parametrize("module", modules())
def test_no_private_names_of_other_modules(module: str) -> None:
    aliases: dict[str, str] = {}
    for target, names, line in imports(module):
        for name in names:
            assert not name.startswith("_"), f"{module}:{line} imports {target}.{name}"
        if not names:
            aliases[target.rsplit(".", 1)[-1]] = target
    for node in ast.walk(tree(module)):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            target = aliases.get(node.value.id)
            if target and target != module and node.attr.startswith("_"):
                assert node.attr.startswith("__"), (
                    f"{module}:{node.lineno} uses {target}.{node.attr}"
                )


def test_no_import_cycles() -> None:
    graph = {m: {t for t, _n, _l in imports(m) if t != m} for m in modules()}
    for start in graph:
        path = _cycle_from(start, graph)
        assert path is None, "import cycle: " + " -> ".join(path or [])


def _cycle_from(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    stack, seen = [(start, [start])], set()
    while stack:
        node, path = stack.pop()
        for nxt in graph.get(node, ()):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


@pytest.mark.parametrize("module", [m for m in modules() if layer(m) != REPLICA])
def test_modules_stay_small(module: str) -> None:
    lines = len(_path(module).read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module}: {lines} lines (at most {MAX_LINES} outside the replica)"


@pytest.mark.parametrize("module", [m for m in modules() if m != "newscrawl.compat"])
def test_scrapy_internals_only_in_compat(module: str) -> None:
    for node in ast.walk(tree(module)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("scrapy"):
            assert "._" not in f".{node.module}", f"{module}:{node.lineno} imports {node.module}"
            for alias in node.names:
                assert not alias.name.startswith("_"), f"{module}:{node.lineno} {alias.name}"
        if isinstance(node, ast.Attribute) and node.attr in SCRAPY_INTERNALS:
            pytest.fail(f"{module}:{node.lineno} uses Scrapy's {node.attr}: go through compat")


def test_the_checks_see_the_package() -> None:
    """The checks above read real imports (a broken reader would pass everything)."""
    assert "newscrawl.sites.registry" in modules()
    assert layer("newscrawl.spiders.base") == COMPONENTS
    assert any(t.startswith("newscrawl.") for t, _n, _l in imports("newscrawl.spiders.base"))
    assert _cycle_from("a", {"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle_from("a", {"a": {"b"}, "b": {"c"}, "c": set()}) is None

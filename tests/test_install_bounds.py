"""The install bounds of pyproject.toml hold together, as far as can be told offline and at once.

What this checks:
- every runtime dependency, and every package of the `redis` and `scrapyd` extras, declares a
  `>=` lower bound written as a full version (`==bound` then names a release to pin);
- the installed version of each satisfies what is declared;
- no declared lower bound is refused by what an installed dependent requires of it (its
  Requires-Dist). That metadata is the *installed* dependent's, usually newer than its declared
  minimum, whose requirements may have been lower. So the check is exact only for a dependent
  installed at its declared minimum: there a refused bound fails. For a newer dependent it is a
  warning: our bounds may still hold together, and only scripts/check-lowest.sh, which installs
  the minima and runs `pip check` on them (not this file), can tell. Only direct requirements
  between declared packages are compared (trafilatura's htmldate, which is not declared, asks
  python-dateutil for 2.9.0.post0: that is found by check-lowest, not here);
- scripts/check-lowest.sh exists, is executable, parses, and takes its pins from pyproject.toml
  (`--pins`), not from a list of its own.

That the minima really work together (a fresh venv, a crawl of the replica compared with its
manifest) is scripts/check-lowest.sh's job: slow, so a manual and CI-optional step, not a test.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import warnings
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import pytest
from packaging.requirements import Requirement  # Scrapy requires packaging
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "check-lowest.sh"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
RUNTIME = [Requirement(text) for text in PROJECT["dependencies"]]
EXTRAS = [
    Requirement(text)
    for extra in ("redis", "scrapyd")
    for text in PROJECT["optional-dependencies"][extra]
]
DECLARED = RUNTIME + EXTRAS


def lower_bound(requirement: Requirement) -> Version | None:
    bounds = [Version(s.version) for s in requirement.specifier if s.operator == ">="]
    return max(bounds) if bounds else None


def installed(requirement: Requirement) -> Version | None:
    try:
        return Version(distribution(requirement.name).version)
    except PackageNotFoundError:
        return None


BOUNDS = {canonicalize_name(r.name): lower_bound(r) for r in DECLARED}


@pytest.mark.parametrize("requirement", DECLARED, ids=str)
def test_every_dependency_declares_a_full_lower_bound(requirement: Requirement) -> None:
    bound = lower_bound(requirement)
    assert bound is not None, f"{requirement} has no >= lower bound"
    # `>=77` would be pinned as `==77`, that is 77.0.0, which setuptools never released
    assert len(bound.release) >= 3, f"{requirement}: write the minimum's full version"


@pytest.mark.parametrize("requirement", DECLARED, ids=str)
def test_the_installed_version_satisfies_the_bound(requirement: Requirement) -> None:
    version = installed(requirement)
    if version is None:
        assert str(requirement) not in PROJECT["dependencies"], f"{requirement} is not installed"
        pytest.skip(f"the extra's {requirement.name} is not installed")
    assert requirement.specifier.contains(version, prereleases=True), (requirement, version)


def refusals(dependent: Requirement) -> list[str]:
    """The declared bounds that the installed DEPENDENT's own requirements refuse."""
    found = []
    for text in distribution(dependent.name).requires or ():
        needed = Requirement(text)
        bound = BOUNDS.get(canonicalize_name(needed.name))
        if bound is None or (needed.marker and not needed.marker.evaluate({"extra": ""})):
            continue
        if not needed.specifier.contains(bound, prereleases=True):
            found.append(f"{needed.name} {bound} (declared) but {dependent.name} needs {needed}")
    return found


@pytest.mark.parametrize("dependent", DECLARED, ids=str)
def test_no_bound_is_refused_by_an_installed_dependent(dependent: Requirement) -> None:
    version = installed(dependent)
    if version is None:
        pytest.skip(f"{dependent.name} is not installed")
    found = refusals(dependent)
    if version == lower_bound(dependent):  # its requirements are the minimum's: exact
        assert found == []
    elif found:  # a newer release may ask for more than the declared minimum did
        warnings.warn(
            f"installed {dependent.name} {version} refuses {found}: run scripts/check-lowest.sh",
            stacklevel=1,
        )


def test_the_check_script_is_there_and_executable() -> None:
    assert SCRIPT.is_file() and os.access(SCRIPT, os.X_OK)
    subprocess.run(["bash", "-n", str(SCRIPT)], check=True)


def test_the_check_script_pins_the_declared_minima_from_pyproject() -> None:
    pins = subprocess.run(
        [str(SCRIPT), "--pins", "--redis"],
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    declared = RUNTIME + [Requirement(t) for t in PROJECT["optional-dependencies"]["redis"]]
    assert pins == [f"{r.name}=={lower_bound(r)}" for r in declared]
    text = SCRIPT.read_text("utf-8")
    for requirement in declared:  # no version list of its own
        assert not re.search(
            rf"(?<![\d.]){re.escape(str(lower_bound(requirement)))}(?![\d.])", text
        )


def test_the_test_extra_repeats_the_bounds_of_the_redis_and_scrapyd_extras() -> None:
    """The Scrapyd and Redis tests run with those extras' bounds (pyproject.toml says so): a
    bound changed in one list only would test another minimum than the one declared."""
    test = {
        canonicalize_name(r.name): r.specifier
        for r in map(Requirement, PROJECT["optional-dependencies"]["test"])
    }
    assert {canonicalize_name(r.name): r.specifier for r in EXTRAS}.items() <= test.items()


def upper_bound(requirement: Requirement) -> Version | None:
    bounds = [Version(s.version) for s in requirement.specifier if s.operator == "<"]
    return min(bounds) if bounds else None


def test_scrapy_is_bounded_to_the_releases_the_compat_tests_ran_on() -> None:
    """newscrawl/compat.py names Scrapy internals: Scrapy has an upper bound, the minor release
    after the one installed here (where tests/test_compat.py runs), so that a newer Scrapy is
    let in only once those tests have passed on it and the bound was raised. The lowest
    version (scripts/check-lowest.sh) is the other release they are run on."""
    scrapy = next(r for r in RUNTIME if canonicalize_name(r.name) == "scrapy")
    upper, version = upper_bound(scrapy), installed(scrapy)
    assert upper is not None, f"{scrapy}: no upper bound"
    assert version is not None and version < upper
    if version != lower_bound(scrapy):
        assert upper == Version(f"{version.major}.{version.minor + 1}"), (upper, version)

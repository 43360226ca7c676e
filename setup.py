"""Only for `scrapyd-deploy`, which runs `python setup.py bdist_egg` (and writes a setup.py of its
own, with the wrong name and packages, when there is none). Everything is in pyproject.toml."""

from setuptools import setup

setup()

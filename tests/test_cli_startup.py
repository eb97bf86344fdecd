"""Start-up cost: which modules ``wikitools`` imports for ``--version``, ``--help`` and a plain
``convert``, and the table of lazily imported commands. Guards the import budget, not a timing."""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from click.utils import make_default_short_help

import wikitools
import wikitools.cli
from wikitools.cli import main
from wikitools.cli.app import COMMANDS, load_command

SRC = Path(wikitools.__file__).resolve().parents[1]
#: Loaded only by the commands that talk to a wiki or lint, and by --jobs: never by start-up or by a
#: text <-> wikitext conversion.
HEAVY = ("requests", "urllib3", "wikitools.api", "wikitools.sync", "wikitools.lint", "multiprocessing")


def imported_modules(*args: str, cwd: Path | None = None) -> set[str]:
    """The modules a fresh ``python -m wikitools ARGS`` process imports, from ``-X importtime``."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "wikitools", *args],
        capture_output=True, text=True, env=env, cwd=cwd, check=True,
    )  # fmt: skip
    lines = done.stderr.splitlines()
    names = {line.rsplit("|", 1)[1].strip() for line in lines if line.startswith("import time:")}
    return names - {"imported package"}  # the header line


def loaded(modules: set[str], package: str) -> set[str]:
    return {m for m in modules if m == package or m.startswith(package + ".")}


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_version_and_help_import_no_command_module_and_no_parser(option):
    modules = imported_modules(option)
    assert "click" in modules  # the measurement works
    # the library front door binds the conversion verbs at import (issue 9), without their parsers
    front_door = {"wikitools." + name for name in ("convert", "markup", "model", "titles", "fileio")}
    startup = {"wikitools", "wikitools.cli", "wikitools.cli.app", "wikitools.errors", *front_door}
    assert loaded(modules, "wikitools") <= startup
    for package in ("mwparserfromhell", "lxml", *HEAVY):
        assert not loaded(modules, package), package


def seed_modules(tmp_path: Path) -> set[str]:
    (tmp_path / "a.txt").write_text("A page\n\nSome text.\n\nA heading\n\nMore text.\n")
    return imported_modules("convert", "a.txt", "-o", "a.wiki", cwd=tmp_path)


def test_text_to_wikitext_conversion_loads_no_http_client_lint_or_sync(tmp_path):
    modules = seed_modules(tmp_path)
    assert "wikitools.convert" in modules
    assert "== A heading ==" in (tmp_path / "a.wiki").read_text()
    for package in HEAVY:
        assert not loaded(modules, package), package


def test_text_to_wikitext_conversion_loads_no_xml_library(tmp_path):
    assert not loaded(seed_modules(tmp_path), "lxml")


def test_linting_a_page_loads_no_dump_machinery_http_client_or_sync(tmp_path):
    (tmp_path / "a.wiki").write_text("Some text about [[Lakes]].\n")
    modules = imported_modules("lint", "a.wiki", cwd=tmp_path)
    assert "wikitools.lint.engine" in modules  # the page was linted
    for package in ("wikitools.dump", "multiprocessing", "requests", "wikitools.api", "wikitools.sync"):
        assert not loaded(modules, package), package


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_row_loads_its_command_and_help_shows_its_docstring(name):
    command = load_command(name)
    assert isinstance(command, click.Command)
    assert command.get_short_help_str(1000) == make_default_short_help(COMMANDS[name].help, 1000)


def test_every_command_a_cli_module_defines_has_a_row():
    defined = [
        value
        for module in pkgutil.iter_modules(wikitools.cli.__path__)
        for value in vars(importlib.import_module(f"wikitools.cli.{module.name}")).values()
        if isinstance(value, click.Command) and value is not main
    ]
    subcommands = [c for group in defined if isinstance(group, click.Group) for c in group.commands.values()]
    top_level = {command.name for command in defined if all(command is not c for c in subcommands)}
    assert top_level <= set(COMMANDS)  # a command without a row is unreachable
    assert set(main.commands) <= set(COMMANDS)  # the @main.command()s the imports registered


def test_help_lists_every_command_once_in_order():
    result = CliRunner().invoke(main, ["--help"], terminal_width=200)
    assert result.exit_code == 0
    listed = result.output.split("Commands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed] == sorted(COMMANDS)
    assert "  rules     List the lint rules, or explain one (by code or name).\n" in result.output


def test_unknown_command_is_a_usage_error():
    result = CliRunner().invoke(main, ["nope"])
    assert result.exit_code == 2
    assert "No such command 'nope'" in result.output

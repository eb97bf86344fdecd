"""The wikitools settings file, one for every command.

Settings live under ``[tool.wikitools]`` in ``pyproject.toml``, or in ``wikitools.toml`` (at its top level
or under ``[tool.wikitools]``). The nearest such file at or above a starting directory counts; in one
directory ``wikitools.toml`` comes before ``pyproject.toml``. ``lint`` reads the ``lint`` table of the
settings, sync reads ``wiki`` and ``contact``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .fileio import read_text

CONFIG_FILES = ("wikitools.toml", "pyproject.toml")


@dataclass(frozen=True)
class Settings:
    """The wikitools table of one settings file (``path`` is ``None`` when there is none)."""

    path: Path | None = None
    table: Mapping[str, Any] = field(default_factory=dict)


def find_settings(start: Path) -> Settings:
    """The settings of the nearest file at or above ``start`` that has them (empty when none does)."""
    start = start.resolve()
    for directory in (start, *start.parents):
        for name in CONFIG_FILES:
            path = directory / name
            if path.is_file():
                table = _wikitools_table(path)
                if table is not None:
                    return Settings(path, table)
    return Settings()


def read_settings(path: Path) -> Settings:
    """The settings in ``path`` (empty when it has none), or :class:`ConfigError`."""
    return Settings(path, _wikitools_table(path) or {})


def _wikitools_table(path: Path) -> Mapping[str, Any] | None:
    try:
        data = tomllib.loads(read_text(path, allow_empty=True))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", subject=path) from None
    table = data.get("tool", {}).get("wikitools")
    if table is None and path.name == "wikitools.toml":
        table = {key: value for key, value in data.items() if key != "tool"}
    if table is not None and not isinstance(table, Mapping):
        raise ConfigError("[tool.wikitools] must be a table", subject=path)
    return table

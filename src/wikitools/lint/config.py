"""Lint configuration: which rules run where, at what severity, and where link targets are checked.

Read from ``[tool.wikitools.lint]`` in ``pyproject.toml`` or ``[lint]`` in ``wikitools.toml`` (the
nearest one found from the working directory upwards); command-line flags override it. Select and
ignore are decided in one place, :class:`Selection`: the longest matching code prefix wins, and on a
tie ``ignore`` wins.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import Any

from ..config import find_settings, read_settings
from ..errors import ConfigError
from .codes import all_rules, redirect
from .finding import Severity
from .languages import KINDS

_KEYS = {
    "select", "ignore", "severity", "per-path-ignores", "fail-on", "wiki", "titles", "check-targets",
    "language", "content-namespaces", "appendix-names", "duplicate-link-distance",
}  # fmt: skip
AppendixNames = tuple[tuple[str, tuple[str, ...]], ...]  # (kind, names): see languages.KINDS


def check_codes(patterns: Iterable[str], where: str) -> tuple[str, ...]:
    """The patterns upper-cased (renamed codes redirected), or :class:`ConfigError` for one that matches
    no rule code."""
    codes = [rule.code for rule in all_rules()]
    checked = []
    for pattern in patterns:
        wanted = redirect(pattern)
        if wanted != "ALL" and not any(code.startswith(wanted) for code in codes):
            raise ConfigError(f"{where}: unknown rule code {pattern!r}", hint="`wikitools rules` lists them")
        checked.append(wanted)
    return tuple(checked)


def _prefix_length(code: str, patterns: Iterable[str]) -> int:
    """Length of the longest pattern matching ``code`` (``ALL`` counts as 0), or -1 without a match."""
    best = -1
    for pattern in patterns:
        if pattern == "ALL":
            best = max(best, 0)
        elif code.startswith(pattern):
            best = max(best, len(pattern))
    return best


@dataclass(frozen=True)
class Selection:
    """Which rules apply to which path. ``per_path_ignores`` globs are relative to ``root`` (the
    directory of the config file that set them; ``None``: the working directory)."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    root: str | None = None

    def enabled(self, code: str, path: str | None = None) -> bool:
        ignore = self.ignore
        if path is not None and self.per_path_ignores:
            relative = _relative(path, self.root)
            ignore = ignore + tuple(
                c for glob, codes in self.per_path_ignores if _matches(relative, glob) for c in codes
            )
        selected = _prefix_length(code, self.select)
        return selected >= 0 and selected > _prefix_length(code, ignore)


def _relative(path: str, root: str | None) -> str:
    """``path`` as seen from ``root`` (POSIX separators); unchanged when it is not below ``root``."""
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(root or os.curdir))
    return PurePath(path if relative.startswith(os.pardir) else relative).as_posix()


def _matches(path: str, glob: str) -> bool:
    return fnmatch.fnmatch(path, glob) or PurePath(path).match(glob)


@dataclass(frozen=True)
class LintOptions:
    """What :func:`~wikitools.lint.lint_page` checks and how, for one page or a whole run. Plain data,
    so it can be sent to worker processes (a process pool, Dask).

    ``language``, when set, is the language of every page (appendix names, punctuation); otherwise a
    page's own (from its export's ``<siteinfo>``) counts, else English;
    ``content_namespaces`` are where article-style rules (``Rule.content_only``) apply. The last four
    fields only matter to a run over files (:func:`~wikitools.lint.lint_paths`)."""

    selection: Selection = field(default_factory=Selection)
    severities: Mapping[str, Severity] = field(default_factory=dict)
    language: str | None = None
    content_namespaces: frozenset[int] = frozenset({0})
    appendix_names: AppendixNames = ()  # local appendix headings added to every language's
    duplicate_link_distance: int = 500  # L110: characters; 0 reports repeats at any distance
    collect_links: bool = False  # keep each page's links for the link-target rules
    fix: bool = False  # rewrite wikitext files with the safe fixes
    diff: bool = False  # compute the fixes' diff instead of writing
    verify_xml: bool = False  # compare each XML revision with its sha1 (slower; lint ignores the result)


@dataclass(frozen=True)
class LintConfig:
    """Settings of a lint run, from a config file and then the command line."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    fail_on: Severity = Severity.WARNING
    wiki: str | None = None
    titles: str | None = None
    check_targets: bool = False
    language: str | None = None  # None: from the wiki or the export, else English
    content_namespaces: tuple[int, ...] = (0,)
    appendix_names: AppendixNames = ()
    duplicate_link_distance: int | None = None
    source: str | None = None  # the file the settings came from

    @property
    def selection(self) -> Selection:
        root = None if self.source is None else os.path.dirname(self.source)
        return Selection(self.select, self.ignore, self.per_path_ignores, root)

    def options(self, **run: Any) -> LintOptions:
        """The :class:`LintOptions` of these settings; ``run`` sets the run-only fields (``fix``...)."""
        return LintOptions(
            selection=self.selection,
            severities=dict(self.severity),
            language=self.language,
            content_namespaces=frozenset(self.content_namespaces),
            appendix_names=self.appendix_names,
            **(
                {}
                if self.duplicate_link_distance is None
                else {"duplicate_link_distance": self.duplicate_link_distance}
            ),
            **run,
        )

    def override(self, **flags: Any) -> LintConfig:
        """A copy with every flag that is not ``None`` (or empty) replacing the file's value."""
        return replace(self, **{k: v for k, v in flags.items() if v is not None and v != ()})


def find_config(start: Path) -> Path | None:
    """The nearest settings file with wikitools settings (see :mod:`wikitools.config`)."""
    return find_settings(start).path


def load_config(path: Path | None) -> LintConfig:
    """The lint settings in ``path`` (``None``: defaults): its wikitools ``lint`` table."""
    if path is None:
        return LintConfig()
    return parse_table(read_settings(path).table.get("lint", {}), str(path))


def parse_table(table: Mapping[str, Any], where: str) -> LintConfig:
    """A :class:`LintConfig` from a TOML table, or :class:`ConfigError` naming the bad key."""
    if not isinstance(table, Mapping):
        raise ConfigError("the lint settings must be a table", subject=where)
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(
            f"unknown setting {unknown[0]!r}", subject=where, hint=f"known: {', '.join(sorted(_KEYS))}"
        )

    def codes(key: str) -> tuple[str, ...] | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{key} must be a list of rule codes", subject=where)
        return check_codes(value, f"{where}: {key}")

    def text(key: str) -> str | None:
        value = table.get(key)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{key} must be a string", subject=where)
        return value

    severities = table.get("severity", {})
    if not isinstance(severities, Mapping):
        raise ConfigError("severity must be a table of CODE = level", subject=where)
    per_path = table.get("per-path-ignores", {})
    if not isinstance(per_path, Mapping):
        raise ConfigError("per-path-ignores must be a table of glob = [codes]", subject=where)
    fail_on = text("fail-on")
    check_targets = table.get("check-targets", False)
    if not isinstance(check_targets, bool):
        raise ConfigError("check-targets must be true or false", subject=where)
    distance = table.get("duplicate-link-distance")
    if distance is not None and (type(distance) is not int or distance < 0):
        raise ConfigError("duplicate-link-distance must be a number of characters (0: any)", subject=where)
    namespaces = table.get("content-namespaces")
    if namespaces is not None and (
        not isinstance(namespaces, list) or not all(type(n) is int for n in namespaces)
    ):
        raise ConfigError("content-namespaces must be a list of namespace numbers", subject=where)
    return LintConfig().override(
        select=codes("select"),
        ignore=codes("ignore"),
        severity=parse_severities(severities.items(), where),
        per_path_ignores=tuple(
            (glob, check_codes(_code_list(v, where), f"{where}: per-path-ignores"))
            for glob, v in per_path.items()
        ),
        fail_on=None if fail_on is None else Severity.parse(fail_on),
        wiki=text("wiki"),
        titles=text("titles"),
        check_targets=check_targets,
        language=text("language"),
        content_namespaces=None if namespaces is None else tuple(namespaces),
        appendix_names=_appendix_names(table.get("appendix-names", {}), where),
        duplicate_link_distance=distance,
        source=where,
    )


def _appendix_names(value: Any, where: str) -> AppendixNames:
    """``appendix-names = { see-also = ["Lásd még"], references = [...] }`` as ``(kind, names)`` pairs."""
    if not isinstance(value, Mapping) or not all(
        isinstance(names, list) and all(isinstance(n, str) for n in names) for names in value.values()
    ):
        raise ConfigError("appendix-names must be a table of kind = [names]", subject=where)
    unknown = sorted(set(value) - set(KINDS))
    if unknown:
        raise ConfigError(
            f"appendix-names: unknown kind {unknown[0]!r}", subject=where, hint=f"kinds: {', '.join(KINDS)}"
        )
    return tuple((kind, tuple(names)) for kind, names in value.items())


def _code_list(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError("per-path-ignores values must be lists of rule codes", subject=where)
    return value


def parse_severities(pairs: Iterable[tuple[str, Any]], where: str) -> dict[str, Severity]:
    """``{CODE: Severity}`` from ``(code, level)`` pairs; codes must name rules exactly."""
    known = {rule.code for rule in all_rules()}
    result: dict[str, Severity] = {}
    for name, level in pairs:
        code = redirect(name)
        if code not in known:
            raise ConfigError(f"{where}: unknown rule code {name!r}", hint="`wikitools rules` lists them")
        if not isinstance(level, str):
            raise ConfigError(f"{where}: the severity of {code} must be error, warning or info")
        result[code] = Severity.parse(level)
    return result

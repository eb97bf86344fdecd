"""``wikitools lint`` and ``wikitools rules``: thin commands over :mod:`wikitools.lint`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..errors import ConfigError, ExitCode, InputError
from ..lint.codes import get_rule
from ..lint.config import LintConfig, check_codes, find_config, load_config, parse_severities
from ..lint.docs import explain, rule_table, rules_markdown
from ..lint.finding import Severity
from ..lint.reporters import REPORTERS, make_reporter
from ..lint.runner import RunSummary, lint_paths
from .app import main
from .dump import dump_options, lint_dump_command, wants_dump

SEVERITIES = [s.label for s in Severity]


def _codes(value: str | None, flag: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    return check_codes([c for c in value.split(",") if c.strip()], flag)


def _severity_flags(values: tuple[str, ...]) -> dict[str, Severity]:
    pairs = []
    for value in values:
        code, sep, level = value.partition("=")
        if not sep:
            raise ConfigError(f"--severity {value!r}: expected CODE=LEVEL, e.g. L110=warning")
        pairs.append((code.strip(), level.strip()))
    return parse_severities(pairs, "--severity")


def _settings(config_path: str | None, **flags: object) -> LintConfig:
    path = Path(config_path) if config_path else find_config(Path.cwd())
    if config_path and not Path(config_path).is_file():
        raise InputError("no such config file", subject=config_path)
    config = load_config(path)
    severities = {**config.severity, **_severity_flags(flags.pop("severity"))}  # type: ignore[arg-type]
    return config.override(severity=severities, **flags)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format", "output_format", type=click.Choice([*REPORTERS, "jsonl"]), default="text", show_default=True,
    help="text (path:line:col: CODE message), json, github (workflow commands), sarif, jsonl (dumps).",
)  # fmt: skip
@click.option(
    "--fail-on", type=click.Choice(SEVERITIES), help="Exit 1 at this severity or above [default: warning]."
)
@click.option(
    "--select", metavar="CODES", help="Comma-separated codes or prefixes to check (ALL for every rule)."
)
@click.option("--ignore", metavar="CODES", help="Comma-separated codes or prefixes to skip.")
@click.option(
    "--severity", multiple=True, metavar="CODE=LEVEL", help="Change a rule's severity (repeatable)."
)
@click.option("--title", help="Page title (default: from the file name); needed for stdin.")
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1),
    help="Lint in N processes [default: every core when the input is 1 MB or more, or a dump].",
)  # fmt: skip
@click.option("--fix", is_flag=True, help="Apply the safe fixes to .wiki/.mediawiki files in place.")
@click.option("--diff", is_flag=True, help="Print the safe fixes as a unified diff; change nothing.")
@click.option("--wiki", metavar="URL", help="Check link targets on this wiki (api.php or base URL).")
@click.option(
    "--titles", "titles_file", metavar="FILE", help="Check link targets against these titles (one a line)."
)
@click.option(
    "--check-targets", is_flag=True, default=None,
    help="Check link targets offline, taking the pages being linted as every page that exists.",
)  # fmt: skip
@click.option(
    "--config",
    "config_path",
    metavar="FILE",
    help="Settings file (default: nearest wikitools.toml/pyproject.toml).",
)
@dump_options
def lint(
    paths: tuple[str, ...],
    output_format: str,
    fail_on: str | None,
    select: str | None,
    ignore: str | None,
    severity: tuple[str, ...],
    title: str | None,
    jobs: int | None,
    fix: bool,
    diff: bool,
    wiki: str | None,
    titles_file: str | None,
    check_targets: bool | None,
    config_path: str | None,
    **dump_flags: Any,
) -> ExitCode:
    """Check the structure and links of articles: .wiki/.mediawiki, .txt, .xml exports, or - for stdin.

    Exit status: 0 clean, 1 findings at or above --fail-on, 2 bad input or usage.
    """
    if fix and "-" in paths:
        raise InputError("--fix cannot rewrite stdin", subject="<stdin>", hint="use --diff")
    config = _settings(
        config_path,
        select=_codes(select, "--select"),
        ignore=_codes(ignore, "--ignore"),
        severity=severity,
        fail_on=None if fail_on is None else Severity.parse(fail_on),
        wiki=wiki,
        titles=titles_file,
        check_targets=check_targets,
    )
    if wants_dump(paths, output_format, dump_flags):
        return lint_dump_command(paths, config, output_format, jobs, dump_flags)
    resolver = None
    language = None
    if config.wiki:
        from ..api.client import connect

        client = connect(config.wiki)
        client.ensure_login()  # a private wiki answers only after a login
        resolver = client.link_targets
        if config.language is None:  # the wiki says which language its pages are in
            info = client.call({"action": "query", "meta": "siteinfo", "siprop": "general"})
            language = info.get("query", {}).get("general", {}).get("lang")
    stdout = click.get_text_stream("stdout")
    results = lint_paths(
        paths, config, title=title, processes=jobs, fix=fix, diff=diff, resolver=resolver,
        language=language,
    )  # fmt: skip
    reporter = make_reporter(output_format, stdout)
    summary = RunSummary()
    reporter.start()
    for result in results:
        summary.add(result)
        if diff:
            stdout.write(result.diff)
        else:
            reporter.handle(result)
    reporter.finish()
    for error in summary.errors:
        click.echo(f"wikitools: {error}", err=True)
    if summary.fixed and not diff:
        problems = "problem" if summary.fixed == 1 else "problems"
        files = "file" if summary.files_fixed == 1 else "files"
        click.echo(f"Fixed {summary.fixed} {problems} in {summary.files_fixed} {files}.", err=True)
    return _exit_code(summary, config.fail_on, diff=diff)


def _exit_code(summary: RunSummary, fail_on: Severity, *, diff: bool) -> ExitCode:
    """2 when an input was unusable, else 1 for findings at or above ``fail_on`` (with ``--diff``: for
    pending fixes), else 0."""
    if summary.errors:
        return ExitCode.USAGE
    if diff:
        return ExitCode.FINDINGS if summary.diffs else ExitCode.OK
    if summary.worst is not None and summary.worst >= fail_on:
        return ExitCode.FINDINGS
    return ExitCode.OK


@main.command()
@click.argument("code", required=False)
@click.option("--markdown", is_flag=True, help="Print the full rule reference as Markdown (docs/rules.md).")
def rules(code: str | None, markdown: bool) -> None:
    """List the lint rules, or explain one (by code or name)."""
    if markdown:
        click.echo(rules_markdown(), nl=False)
    elif code:
        click.echo(explain(get_rule(code)), nl=False)
    else:
        click.echo(rule_table(), nl=False)

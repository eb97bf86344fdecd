"""Rule documentation as text (``wikitools rules``) and as Markdown (``docs/rules.md``), from one source:
the rule classes' own attributes."""

from __future__ import annotations

from .codes import FAMILIES, REDIRECTS, all_rules
from .precision import COMMAND, MEASURED
from .rule import Rule


def rule_table() -> str:
    """One line per rule: code, name, severity, fixable mark and summary."""
    lines = []
    for rule in all_rules():
        fix = "fix" if rule.fixable else "   "
        known = f" [{rule.references()}]" if rule.references() else ""
        lines.append(f"{rule.code}  {rule.name:<30} {rule.severity.label:<7} {fix}  {rule.summary}{known}")
    return "\n".join(lines) + "\n"


def explain(rule: Rule) -> str:
    """Everything about one rule, as ``wikitools rules CODE`` prints it."""
    fix = "yes (--fix)" if rule.fixable else "no"
    return (
        f"{rule.code} {rule.name}\n"
        f"{rule.summary}\n\n"
        f"Severity: {rule.severity.label}    Fix: {fix}    {_scope(rule)}\n"
        f"Known as: {rule.references() or '-'}\n"
        f"Precision on real pages: {precision(rule)}\n\n"
        f"What it does\n  {rule.what}\n\n"
        f"Why\n  {rule.why}\n\n"
        f"Example\n{_indent(rule.example)}\n\n"
        f"Use instead\n{_indent(rule.use_instead)}\n"
    )


def precision(rule: Rule) -> str:
    """What the last corpus measurement says about ``rule`` (see :mod:`.precision`)."""
    measured = MEASURED.get(rule.code)
    return "not measured yet" if measured is None else measured.summary()


def _short_precision(rule: Rule) -> str:
    measured = MEASURED.get(rule.code)
    if measured is None or measured.precision is None:
        return "" if measured is None or measured.findings else "–"
    return f"{measured.precision:.0%}".replace("%", " %")


def _scope(rule: Rule) -> str:
    return "Applies to: content pages" if rule.content_only else "Applies to: every page"


def _names(values: tuple[object, ...]) -> str:
    return ", ".join(f"`{v}`" if isinstance(v, str) else str(v) for v in values)


def _indent(text: str) -> str:
    return "\n".join("    " + line if line else "" for line in text.splitlines())


def rules_markdown() -> str:
    """The whole of ``docs/rules.md``."""
    rules = all_rules()
    out = [
        "# Lint rules",
        "",
        "<!-- Generated from the rule classes in src/wikitools/lint/rules/ by "
        "`wikitools rules --markdown > docs/rules.md`; a test checks it is up to date. -->",
        "",
        "Codes are stable and never reused; a renamed code keeps working as an alias. *CheckWiki* is the "
        "number of the matching Check Wikipedia (or WPCleaner, 5xx) error, *WikiLint* the rule name of "
        "WikiLint (wikiparser-node), *Parsoid* the Parsoid Linter category; `MOS:...` and `WP:...` are "
        "Wikipedia Manual of Style and guideline shortcuts. Rules marked *content* apply only to content "
        "namespaces (articles) unless `content-namespaces` says otherwise. Severity is the "
        "default (change it with `severity` in the config or `--severity CODE=LEVEL`); *fix* means "
        "`wikitools lint --fix` can repair it safely. W and S108/S109 need `--wiki`, `--titles` or "
        "`--check-targets`.",
        "",
        f"*Precision* is measured on the corpus (5,829 pages of eight Wikipedias) with `{COMMAND}`: "
        "up to 15 findings of each warning/error rule, drawn with a fixed seed and judged against "
        "MediaWiki's behaviour and the Manual of Style (– means the rule found nothing there; info "
        "rules are not judged). Every false-positive family found on the way is fixed and kept as a "
        "silent fixture case (`tests/data/lint/families.toml`).",
        "",
        "| Code | Name | Severity | Fix | Scope | Precision | CheckWiki | WikiLint | Parsoid | Reference "
        "| Summary |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for rule in rules:
        fix = "fix" if rule.fixable else ""
        scope = "content" if rule.content_only else ""
        out.append(
            f"| [{rule.code}](#{rule.code.lower()}-{rule.name}) | `{rule.name}` "
            f"| {rule.severity.label} | {fix} | {scope} | {_short_precision(rule)} "
            f"| {_names(rule.checkwiki)} | {_names(rule.wikilint)} "
            f"| {_names(rule.parsoid)} | {rule.reference} | {rule.summary} |"
        )
    if REDIRECTS:
        out += [
            "",
            "Renamed codes, still accepted wherever a code is read:",
            "",
            "| Old | Now |",
            "|---|---|",
        ]
        out += [f"| {old} | {new} |" for old, new in sorted(REDIRECTS.items())]
    for prefix, family in FAMILIES.items():
        out += ["", f"## {family}"]
        for rule in rules:
            if rule.code.startswith(prefix):
                out += _rule_markdown(rule)
    return "\n".join(out) + "\n"


def _rule_markdown(rule: Rule) -> list[str]:
    fix = "yes" if rule.fixable else "no"
    return [
        "",
        f"### {rule.code} {rule.name}",
        "",
        f"{rule.summary}. Severity: **{rule.severity.label}**. Fix: {fix}. {_scope(rule)}. "
        f"Known as: {rule.references() or '-'}. Precision on real pages: {precision(rule)}.",
        "",
        f"**What it does.** {rule.what}",
        "",
        f"**Why.** {rule.why}",
        "",
        "**Example**",
        "",
        "```wikitext",
        rule.example,
        "```",
        "",
        "**Use instead**",
        "",
        "```wikitext",
        rule.use_instead,
        "```",
    ]

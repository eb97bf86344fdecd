"""Rule documentation as text (``wikitools rules``) and as Markdown (``docs/rules.md``), from one source:
the rule classes' own attributes."""

from __future__ import annotations

from .registry import Rule, all_rules

FAMILIES = {
    "H": "Headings",
    "L": "Internal links",
    "S": "See also and appendices",
    "W": "Link targets on a wiki",
}


def rule_table() -> str:
    """One line per rule: code, name, severity, fixable mark and summary."""
    lines = []
    for rule in all_rules():
        fix = "fix" if rule.fixable else "   "
        lines.append(f"{rule.code}  {rule.name:<30} {rule.severity.label:<7} {fix}  {rule.summary}")
    return "\n".join(lines) + "\n"


def explain(rule: Rule) -> str:
    """Everything about one rule, as ``wikitools rules CODE`` prints it."""
    fix = "yes (--fix)" if rule.fixable else "no"
    return (
        f"{rule.code} {rule.name}\n"
        f"{rule.summary}\n\n"
        f"Severity: {rule.severity.label}    Fix: {fix}    Reference: {rule.reference}\n\n"
        f"What it does\n  {rule.what}\n\n"
        f"Why\n  {rule.why}\n\n"
        f"Example\n{_indent(rule.example)}\n\n"
        f"Use instead\n{_indent(rule.use_instead)}\n"
    )


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
        "Codes are stable and never reused. `CW n` is the number of the matching Check Wikipedia error; "
        "`MOS:...` and `WP:...` are Wikipedia Manual of Style and guideline shortcuts. Severity is the "
        "default (change it with `severity` in the config or `--severity CODE=LEVEL`); *fix* means "
        "`wikitools lint --fix` can repair it safely. W and S108/S109 need `--wiki`, `--titles` or "
        "`--check-targets`.",
        "",
        "| Code | Name | Severity | Fix | Reference | Summary |",
        "|---|---|---|---|---|---|",
    ]
    for rule in rules:
        fix = "fix" if rule.fixable else ""
        out.append(
            f"| [{rule.code}](#{rule.code.lower()}-{rule.name}) | `{rule.name}` "
            f"| {rule.severity.label} | {fix} | {rule.reference} | {rule.summary} |"
        )
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
        f"{rule.summary}. Severity: **{rule.severity.label}**. Fix: {fix}. Reference: {rule.reference}.",
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

"""SARIF 2.1.0 with the rule metadata, for code-scanning dashboards (GitHub code scanning and others)."""

from __future__ import annotations

import json
from pathlib import PurePath
from urllib.parse import quote

from ... import __version__
from ..codes import all_rules
from ..finding import Finding, Severity
from ..rule import Rule
from .base import Reporter

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rule_descriptor(rule: Rule) -> dict[str, object]:
    help_text = (
        f"{rule.what}\n\nWhy: {rule.why}\n\nExample:\n{rule.example}\n\nUse instead:\n{rule.use_instead}"
    )
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.what},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "properties": {
            "checkwiki": list(rule.checkwiki),
            "wikilint": list(rule.wikilint),
            "parsoid": list(rule.parsoid),
            "reference": rule.reference,
            "fixable": rule.fixable,
        },
    }


def artifact_uri(path: str) -> str:
    """A path as a SARIF ``uri`` (RFC 3986): percent-encoded, so that ``Q%3A_What,_now%3F.wiki`` is not
    read back as ``Q:_What,_now?.wiki``."""
    return quote(PurePath(path).as_posix(), safe="/")


def _region(finding: Finding) -> dict[str, int]:
    region = {"startLine": finding.line, "startColumn": finding.column}
    if finding.end is not None:
        region["endLine"], region["endColumn"] = finding.end
    return region


class SarifReporter(Reporter):
    def start(self) -> None:
        self.rules = all_rules()
        self.index = {rule.code: i for i, rule in enumerate(self.rules)}
        self.results: list[dict[str, object]] = []

    def write_finding(self, finding: Finding) -> None:
        location: dict[str, object] = {
            "physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(finding.path)},
                "region": _region(finding),
            }
        }
        if finding.title is not None:
            location["logicalLocations"] = [{"name": finding.title, "kind": "page"}]
        self.results.append(
            {
                "ruleId": finding.code,
                "ruleIndex": self.index[finding.code],
                "level": _LEVELS[finding.severity],
                "message": {"text": finding.message},
                "locations": [location],
            }
        )

    def finish(self) -> None:
        log = {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "wikitools",
                            "version": __version__,
                            "rules": [_rule_descriptor(rule) for rule in self.rules],
                        }
                    },
                    "columnKind": "unicodeCodePoints",
                    "results": self.results,
                }
            ],
        }
        json.dump(log, self.stream, indent=2, ensure_ascii=False)
        self.stream.write("\n")

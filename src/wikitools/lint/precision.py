"""Measured precision of the rules on real pages, shown by ``wikitools rules`` and in ``docs/rules.md``.

Every page of the corpus (the English excerpt and the Bengali, Greek, Armenian, Japanese, Marathi,
Ukrainian and Vietnamese dumps: 5,829 pages, 105 MB of wikitext) linted with every rule in its
page's language; up to 15 findings of each warning/error rule drawn with a fixed seed and judged
against MediaWiki's behaviour and the Manual of Style. Reproduce with :data:`COMMAND`; the
judgements are in ``benchmarks/lint_precision_judged.tsv`` and every false-positive family found is
reproduced in our own markup in ``tests/data/lint/families.toml``. Info rules are not judged; the W
rules and S108/S109 need a wiki and are not measured here.
"""

from __future__ import annotations

from dataclasses import dataclass

COMMAND = "python benchmarks/lint_precision.py --judged benchmarks/lint_precision_judged.tsv"


@dataclass(frozen=True)
class Measured:
    """One rule on the corpus: findings and pages, and its sample's true/false/unclear judgements."""

    findings: int
    pages: int
    true: int
    false: int
    unclear: int

    @property
    def precision(self) -> float | None:
        """True / (true + false) of the judged sample, or ``None`` when nothing was judged."""
        judged = self.true + self.false
        return self.true / judged if judged else None

    def summary(self) -> str:
        """``100 % (14 of 14; 1 unclear), 559 findings on 293 pages`` or why there is no figure."""
        if self.findings == 0:
            return "no findings on the corpus"
        if self.precision is None:
            return f"not judged, {self.findings} findings on {self.pages} pages"
        unclear = f"; {self.unclear} unclear" if self.unclear else ""
        judged = self.true + self.false
        return (
            f"{self.precision:.0%} ({self.true} of {judged}{unclear}), "
            f"{self.findings} findings on {self.pages} pages"
        ).replace("%", " %", 1)


#: Code -> what the last measurement found.
MEASURED: dict[str, Measured] = {
    "G101": Measured(0, 0, 0, 0, 0),
    "H101": Measured(12, 7, 10, 0, 2),
    "H102": Measured(16, 16, 15, 0, 0),
    "H103": Measured(77, 44, 15, 0, 0),
    "H104": Measured(3, 3, 3, 0, 0),
    "H105": Measured(2, 2, 2, 0, 0),
    "H106": Measured(22, 13, 15, 0, 0),
    "H107": Measured(41, 25, 15, 0, 0),
    "H108": Measured(0, 0, 0, 0, 0),
    "H109": Measured(1, 1, 1, 0, 0),
    "H110": Measured(559, 293, 14, 0, 1),
    "H111": Measured(32, 30, 15, 0, 0),
    "H112": Measured(719, 260, 15, 0, 0),
    "H113": Measured(10, 7, 10, 0, 0),
    "H114": Measured(0, 0, 0, 0, 0),
    "L101": Measured(104, 68, 10, 0, 5),
    "L102": Measured(7, 2, 7, 0, 0),
    "L103": Measured(2, 2, 2, 0, 0),
    "L104": Measured(359, 145, 0, 0, 0),
    "L105": Measured(106, 76, 15, 0, 0),
    "L106": Measured(0, 0, 0, 0, 0),
    "L107": Measured(8, 8, 8, 0, 0),
    "L108": Measured(1, 1, 1, 0, 0),
    "L109": Measured(103, 21, 14, 0, 1),
    "L110": Measured(5820, 906, 0, 0, 0),
    "L111": Measured(2, 2, 2, 0, 0),
    "S101": Measured(24, 24, 15, 0, 0),
    "S102": Measured(224, 95, 15, 0, 0),
    "S103": Measured(24, 13, 15, 0, 0),
    "S104": Measured(1057, 416, 15, 0, 0),
    "S105": Measured(12, 8, 12, 0, 0),
    "S106": Measured(47, 47, 15, 0, 0),
    "S107": Measured(21, 10, 15, 0, 0),
}

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
    # coverage rules (B-U, H2xx, L2xx): benchmarks/lintrules_precision_judged.tsv, docs/rules-coverage.md
    "B101": Measured(1, 1, 1, 0, 0),
    "B102": Measured(93, 75, 15, 0, 0),
    "B103": Measured(37, 4, 15, 0, 0),
    "B104": Measured(75, 66, 0, 0, 0),
    "C101": Measured(13, 12, 13, 0, 0),
    "C102": Measured(7, 4, 0, 0, 0),
    "C103": Measured(28, 20, 0, 0, 0),
    "C104": Measured(6, 6, 0, 0, 0),
    "C105": Measured(33, 14, 15, 0, 0),
    "C106": Measured(0, 0, 0, 0, 0),
    "C107": Measured(11, 11, 0, 0, 0),
    "C108": Measured(1, 1, 1, 0, 0),
    "C109": Measured(35, 35, 15, 0, 0),
    "C110": Measured(0, 0, 0, 0, 0),
    "C111": Measured(0, 0, 0, 0, 0),
    "C112": Measured(0, 0, 0, 0, 0),
    "C113": Measured(0, 0, 0, 0, 0),
    "E101": Measured(1, 1, 1, 0, 0),
    "E102": Measured(0, 0, 0, 0, 0),
    "E103": Measured(4, 4, 4, 0, 0),
    "E104": Measured(84, 28, 15, 0, 0),
    "E105": Measured(12, 11, 12, 0, 0),
    "E106": Measured(37, 25, 15, 0, 0),
    "E107": Measured(1, 1, 0, 0, 1),
    "E108": Measured(185, 92, 0, 0, 0),
    "E109": Measured(176, 46, 0, 0, 0),
    "F101": Measured(393, 91, 0, 0, 0),
    "F102": Measured(288, 16, 0, 0, 0),
    "F103": Measured(11, 3, 11, 0, 0),
    "F104": Measured(55, 12, 15, 0, 0),
    "F105": Measured(28, 11, 0, 0, 0),
    "F106": Measured(1, 1, 1, 0, 0),
    "F107": Measured(1032, 57, 0, 0, 0),
    "F108": Measured(2, 2, 2, 0, 0),
    "F109": Measured(18, 15, 15, 0, 0),
    "F110": Measured(181, 143, 0, 0, 0),
    "F111": Measured(73, 44, 15, 0, 0),
    "F112": Measured(9, 8, 9, 0, 0),
    "F113": Measured(124, 39, 0, 0, 0),
    "F114": Measured(31, 6, 0, 0, 0),
    "F115": Measured(28, 3, 0, 0, 0),
    "H201": Measured(0, 0, 0, 0, 0),
    "H202": Measured(3, 3, 3, 0, 0),
    "H203": Measured(2, 2, 0, 0, 0),
    "H204": Measured(26, 20, 15, 0, 0),
    "L201": Measured(3881, 184, 0, 0, 0),
    "L202": Measured(647, 173, 0, 0, 0),
    "L203": Measured(0, 0, 0, 0, 0),
    "L204": Measured(0, 0, 0, 0, 0),
    "L205": Measured(0, 0, 0, 0, 0),
    "M101": Measured(19, 18, 15, 0, 0),
    "M102": Measured(5, 5, 5, 0, 0),
    "M103": Measured(10, 8, 9, 0, 1),
    "M104": Measured(108, 38, 15, 0, 0),
    "M105": Measured(80, 5, 15, 0, 0),
    "M106": Measured(31, 29, 15, 0, 0),
    "M107": Measured(0, 0, 0, 0, 0),
    "M108": Measured(0, 0, 0, 0, 0),
    "M109": Measured(0, 0, 0, 0, 0),
    "M110": Measured(2, 1, 2, 0, 0),
    "N101": Measured(16, 7, 15, 0, 0),
    "N102": Measured(46, 39, 15, 0, 0),
    "N103": Measured(0, 0, 0, 0, 0),
    "N104": Measured(6, 6, 6, 0, 0),
    "N105": Measured(1, 1, 1, 0, 0),
    "R101": Measured(294, 294, 15, 0, 0),
    "R102": Measured(0, 0, 0, 0, 0),
    "R103": Measured(6, 6, 6, 0, 0),
    "R104": Measured(166, 75, 15, 0, 0),
    "R105": Measured(111, 8, 15, 0, 0),
    "R106": Measured(11, 8, 11, 0, 0),
    "R107": Measured(1, 1, 1, 0, 0),
    "R108": Measured(0, 0, 0, 0, 0),
    "R109": Measured(474, 205, 0, 0, 0),
    "R110": Measured(229, 76, 12, 0, 3),
    "T101": Measured(5, 5, 5, 0, 0),
    "T102": Measured(357, 79, 15, 0, 0),
    "T103": Measured(74, 40, 13, 0, 2),
    "T104": Measured(2221, 374, 15, 0, 0),
    "T105": Measured(9865, 394, 15, 0, 0),
    "T106": Measured(71, 25, 15, 0, 0),
    "T107": Measured(76, 6, 15, 0, 0),
    "T108": Measured(110, 71, 0, 0, 0),
    "T109": Measured(124, 48, 0, 0, 0),
    "T110": Measured(41, 16, 15, 0, 0),
    "T111": Measured(47, 15, 10, 0, 5),
    "T112": Measured(13, 11, 13, 0, 0),
    "T113": Measured(5, 5, 5, 0, 0),
    "T114": Measured(15, 12, 15, 0, 0),
    "T115": Measured(10, 5, 10, 0, 0),
    "T116": Measured(0, 0, 0, 0, 0),
    "T117": Measured(5, 5, 5, 0, 0),
    "T118": Measured(1375, 59, 15, 0, 0),
    "T119": Measured(18, 4, 15, 0, 0),
    "T120": Measured(0, 0, 0, 0, 0),
    "T121": Measured(218, 11, 15, 0, 0),
    "T122": Measured(0, 0, 0, 0, 0),
    "T123": Measured(0, 0, 0, 0, 0),
    "T124": Measured(25, 15, 15, 0, 0),
    "T125": Measured(1, 1, 1, 0, 0),
    "U101": Measured(493, 140, 15, 0, 0),
    "U102": Measured(75, 33, 15, 0, 0),
}

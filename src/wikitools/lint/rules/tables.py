"""Table rules (B1xx): wiki tables that are never closed, have rows of different widths or lose text."""

from __future__ import annotations

from collections.abc import Iterator

from ..finding import Severity
from ..rule import PageContext, Rule, Violation
from .shared import tags_named
from .structure import Table, TableRow, tables


class UnclosedTable(Rule):
    code = "B101"
    name = "unclosed-table"
    severity = Severity.ERROR
    checkwiki = (28,)
    wikilint = ("unclosed-table",)
    summary = "Table opened with `{|` and never closed with `|}`"
    what = "Finds wiki tables without their closing `|}` line."
    why = "MediaWiki closes the table at the end of the page: everything after it is laid out as table text."
    example = '{| class="wikitable"\n| cell\n\n== Next section =='
    use_instead = '{| class="wikitable"\n| cell\n|}\n\n== Next section =='

    def check(self, page: PageContext) -> Iterator[Violation]:
        for table in tables(page.scan):
            if table.end is None:
                yield Violation(table.start, "table is not closed by '|}'")


def _layout(table: Table) -> list[list[int]]:
    """The grid of a table: for each row, the index of the cell occupying each column (row spans included)."""
    grid: list[list[int]] = []
    carried: dict[tuple[int, int], int] = {}  # (row, column) -> cell taken by a row span from above
    cell_number = 0
    rows = [row for row in table.rows if row.cells]
    for y, row in enumerate(rows):
        line: list[int] = []
        x = 0
        for _offset, colspan, rowspan in row.cells:
            while (y, x) in carried:
                line.append(carried.pop((y, x)))
                x += 1
            for _ in range(colspan):
                line.append(cell_number)
                for below in range(1, min(rowspan, len(rows) - y)):
                    carried[(y + below, x)] = cell_number
                x += 1
            cell_number += 1
        while (y, x) in carried:
            line.append(carried.pop((y, x)))
            x += 1
        grid.append(line)
    return grid


def _extents(table: Table, rows: list[TableRow]) -> list[tuple[int, int]]:
    """``(width, 1-based column where the last cell starts)`` of each of ``rows`` (those with cells)."""
    if any(rowspan > 1 for row in rows for _offset, _colspan, rowspan in row.cells):
        return [(len(line), line.index(line[-1]) + 1) for line in _layout(table)]
    extents = []  # no row spans (most tables): each row is its own cells, no grid to lay out
    for row in rows:
        width = sum([colspan for _offset, colspan, _rowspan in row.cells])
        extents.append((width, width - row.cells[-1][1] + 1))
    return extents


def inconsistent_row(table: Table) -> int | None:
    """The offset of the first row that cannot share one width with the rows above it (WikiLint's test)."""
    if any(row.generated for row in table.rows):
        return None
    rows = [row for row in table.rows if row.cells]
    if len(rows) < 2:
        return None
    low, high = 1, 1 << 30
    for row, (width, last_start) in zip(rows, _extents(table, rows), strict=True):
        if width < low:
            return row.start
        high = min(high, width)
        if last_start > high:
            return row.start
        low = max(low, last_start)
    return None


class TableLayout(Rule):
    code = "B102"
    name = "table-layout"
    severity = Severity.WARNING
    wikilint = ("table-layout",)
    summary = "Table rows with different numbers of columns (row and column spans counted)"
    what = (
        "Finds the first row of a table whose width, after `rowspan` and `colspan`, does not fit the "
        "rows above."
    )
    why = "Short or overlong rows leave holes or push cells out of their column; usually a span is wrong."
    example = "{|\n|-\n| a || b || c\n|-\n| d || e\n|}"
    use_instead = "{|\n|-\n| a || b || c\n|-\n| d || e || f\n|}"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for table in tables(page.scan):
            offset = inconsistent_row(table)
            if offset is not None:
                yield Violation(
                    offset, "inconsistent table layout: this row's width differs from the rows above"
                )


class FosteredContent(Rule):
    code = "B103"
    name = "fostered-content"
    severity = Severity.WARNING
    wikilint = ("fostered-content",)
    parsoid = ("fostered",)
    summary = "Text inside a table but outside any cell"
    what = "Finds lines of text after `{|` or `|-` that are not in a cell or caption."
    why = "Browsers move such text above the table ('fostering'), far from where the editor put it."
    example = "{|\nStray text\n|-\n| cell\n|}"
    use_instead = "Stray text\n{|\n|-\n| cell\n|}"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for table in tables(page.scan):
            for offset in table.fostered:
                yield Violation(offset, "text outside any table cell is moved out of the table")


class HtmlTable(Rule):
    code = "B104"
    name = "html-table"
    severity = Severity.INFO
    checkwiki = (31,)
    summary = "HTML `<table>` instead of wiki table syntax"
    what = "Finds HTML tables."
    why = "Wiki table syntax (`|-`, `|`, `!`) is what editors and the visual editor expect."
    example = "<table><tr><td>a</td></tr></table>"
    use_instead = "{|\n|-\n| a\n|}"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for tag in tags_named(page.scan, ("table",)):
            if tag.name == "table" and not tag.closing:
                yield Violation(tag.start, "HTML <table>; use wiki table syntax")

"""Read the examples out of README.md and docs/*.md so that every one of them runs as a test.

A ``console`` block (or a plain fenced block whose first line starts with ``$``) is a shell session:
``$ command`` lines, each followed by the exact output it prints (stdout and stderr together). The
blocks of one Markdown file run in order in one bash session, in a scratch folder holding a copy of
``fixtures/``, so a later block sees the files an earlier one wrote. A ``python`` block runs as a
program in the session's current folder: a block of ``>>>`` lines is a doctest; any other block must
print what the next fenced block shows when the text between them ends with "prints". Blocks of other
kinds (``sh``, ``text``, ``toml``...) are not run: a benchmark's command and its recorded figures go
there.

Expected output may use ``...`` as in doctest's ELLIPSIS: inside a line it stands for any text; a line
of just ``...`` stands for any number of lines. It is for what cannot repeat (a generated password,
a timing), never to hide a wrong answer.

A comment right before a block steers it:
``<!-- docs-test: setup: COMMAND -->`` runs COMMAND (shell) first, unseen;
``<!-- docs-test: skip: REASON -->`` does not run the block (REASON says why, e.g. it needs the corpus).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_FENCE = re.compile(r"^```(\w*)\s*$")
_DIRECTIVE = re.compile(r"<!--\s*docs-test:\s*(\w+)\s*(?::\s*(.*?))?\s*-->")


@dataclass
class Command:
    """One ``$`` line of a console block and the output the document shows for it."""

    line: int
    command: str
    expected: list[str] = field(default_factory=list)


@dataclass
class Block:
    """One fenced example and the directives written right before it."""

    path: Path
    line: int  # 1-based line of the opening fence
    kind: str  # "console" or "python"
    body: list[str]
    setup: list[str] = field(default_factory=list)
    skip: str | None = None
    prints: list[str] | None = None  # what a python program block prints, when the document shows it

    @property
    def is_doctest(self) -> bool:
        return self.kind == "python" and any(line.startswith(">>> ") for line in self.body)

    @property
    def is_program(self) -> bool:
        return self.kind == "python" and not self.is_doctest

    @property
    def name(self) -> str:
        return f"{self.path.name}:{self.line}"

    def commands(self) -> list[Command]:
        """The ``$`` lines of a console block, with the output lines under each."""
        commands: list[Command] = []
        for number, text in enumerate(self.body, start=self.line + 1):
            if text.startswith("$ "):
                commands.append(Command(number, text[2:]))
            elif commands:
                commands[-1].expected.append(text)
        return commands


def _directives_before(lines: list[str], fence: int) -> list[tuple[str, str]]:
    """The ``docs-test`` comments on the lines right above a fence (blank lines between are fine)."""
    found: list[tuple[str, str]] = []
    index = fence - 1
    while index >= 0 and (not lines[index].strip() or _DIRECTIVE.search(lines[index])):
        directive = _DIRECTIVE.search(lines[index])
        if directive:
            found.insert(0, (directive.group(1), directive.group(2) or ""))
        index -= 1
    return found


def read_blocks(path: Path) -> list[Block]:
    """Every console and python example of one Markdown file, in order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if not match:
            index += 1
            continue
        end = index + 1
        while end < len(lines) and not lines[end].startswith("```"):
            end += 1
        kind, body = match.group(1), lines[index + 1 : end]
        if not kind and body and body[0].startswith("$ "):
            kind = "console"  # a shell session in a plain fence is still an example
        lead_in = " ".join(line.strip() for line in lines[max(0, index - 3) : index]).strip()
        last = blocks[-1] if blocks else None
        if last and last.is_program and last.prints is None and lead_in.endswith("prints"):
            last.prints = body
        elif kind in ("console", "python"):
            block = Block(path, index + 1, kind, body)
            for name, value in _directives_before(lines, index):
                if name == "setup":
                    block.setup.append(value)
                elif name == "skip":
                    block.skip = value or "no reason given"
            blocks.append(block)
        index = end + 1
    return blocks


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` lines fit ``expected``, where ``...`` is a wildcard (see the module docstring)."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head == "...":
        return any(matches(rest, actual[start:]) for start in range(len(actual) + 1))
    if not actual:
        return False
    pattern = "^" + ".*".join(re.escape(part) for part in head.split("...")) + "$"
    return re.match(pattern, actual[0]) is not None and matches(rest, actual[1:])

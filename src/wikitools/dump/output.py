"""Writing a dump's findings: JSON Lines or text, one finding a line, to a file written atomically
(``.gz`` compressed reproducibly) or a stream."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from ..fileio import atomic_stream
from .results import PageOutcome

FORMATS = ("jsonl", "text")


def outcome_lines(outcome: PageOutcome, output_format: str) -> Iterator[str]:
    """The lines a page contributes: one per finding, or one saying why it was set aside."""
    if output_format == "jsonl":
        base = {"page_id": outcome.page_id, "rev_id": outcome.rev_id, "title": outcome.title}
        if outcome.set_aside is not None:
            yield json.dumps({**base, "set_aside": outcome.set_aside}, ensure_ascii=False) + "\n"
        for f in outcome.findings:
            record = {**base, "rule": f.rule, "severity": f.severity, "line": f.line, "column": f.column}
            yield json.dumps({**record, "message": f.message}, ensure_ascii=False) + "\n"
        return
    if outcome.set_aside is not None:
        yield f"{outcome.title}: set aside: {outcome.set_aside}\n"
    for f in outcome.findings:
        yield f"{outcome.title}:{f.line}:{f.column}: {f.rule} {f.message}\n"


def partition_line(where: str, reason: str, output_format: str) -> str:
    """The line saying that the rest of a partition was set aside while it was read."""
    if output_format == "jsonl":
        return json.dumps({"partition": where, "set_aside": reason}, ensure_ascii=False) + "\n"
    return f"{where}: set aside: {reason}\n"


@contextlib.contextmanager
def open_output(path: str | Path) -> Iterator[TextIO]:
    """A text stream to ``path`` that replaces it only when the block ends without error; a ``.gz``
    name is gzip-compressed with no timestamp, so equal findings give equal bytes."""
    with atomic_stream(path) as raw:
        gz = Path(path).suffix == ".gz"
        binary = gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") if gz else raw
        text = io.TextIOWrapper(binary, encoding="utf-8", newline="\n")
        yield text
        text.flush()
        text.detach()
        if gz:
            binary.close()  # writes the gzip trailer; ``raw`` stays open

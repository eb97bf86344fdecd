"""Every example in README.md and docs/*.md runs, and prints what the document says it prints.

How a document marks its examples is in :mod:`tests.docexamples`. The blocks of one document share one
bash session in a scratch folder (with a copy of ``fixtures/``), so the test of a block reads the
outcome of that document's whole session, which runs once. A python block whose output the document
does not show must at least exit 0.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .docexamples import Block, matches, read_blocks

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCKS = [block for document in DOCUMENTS for block in read_blocks(document)]
SESSION_SECONDS = 600


_MARKER = re.compile(r"\x1e(\d+):(\d+)\x1e\n")


class Session:
    """One document's examples run in one bash process; ``outputs[(block line, command line)]`` holds
    the lines each command printed."""

    def __init__(self, document: Path, folder: Path) -> None:
        self.folder = folder
        shutil.copytree(ROOT / "fixtures", folder / "fixtures")
        for shared in ("tests", "benchmarks", "src", "docs"):
            (folder / shared).symlink_to(ROOT / shared)
        steps: list[tuple[int, int]] = []
        script = ["set +e", "__rc=0"]
        for block in (block for block in BLOCKS if block.path == document and not block.skip):
            script += [f"{{ {setup.strip()} ; }} >/dev/null 2>&1" for setup in block.setup]
            for line, command in self._commands(block):
                steps.append((block.line, line))
                marker = f"printf '\\036%d:%d\\036\\n' {len(steps) - 1} $__rc"
                script += [f"(exit $__rc); {command}", f"__rc=$?; {marker}"]
        env = {key: value for key, value in os.environ.items() if not key.startswith("WIKITOOLS_")}
        env.update(LC_ALL="C.UTF-8", COLUMNS="200", TERM="dumb", PYTHONDONTWRITEBYTECODE="1")
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        process = subprocess.Popen(
            ["bash", "-c", "\n".join(script)],
            cwd=folder,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            raw, _ = process.communicate(timeout=SESSION_SECONDS)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # whatever an example left running
            _stop_dev_wikis(folder)
        text = raw.decode("utf-8", errors="replace")
        self.outputs: dict[tuple[int, int], list[str]] = {}
        self.exit_codes: dict[tuple[int, int], int] = {}
        start = 0
        for marker in _MARKER.finditer(text):
            step = steps[int(marker.group(1))]
            self.outputs[step] = text[start : marker.start()].splitlines()
            self.exit_codes[step] = int(marker.group(2))
            start = marker.end()
        for step in steps:
            self.outputs.setdefault(step, ["<the session ended before this command>"])

    def _commands(self, block: Block) -> Iterator[tuple[int, str]]:
        if block.kind == "console":
            for command in block.commands():
                yield command.line, command.command
            return
        suffix = ".txt" if block.is_doctest else ".py"  # doctest reads a .py file as a module to import
        program = self.folder / f".example-{block.path.stem}-{block.line}{suffix}"
        program.write_text("\n".join(block.body) + "\n", encoding="utf-8")
        if block.is_doctest:
            yield block.line, f"python3 -m doctest -o ELLIPSIS {program}"
        else:
            yield block.line, f"python3 {program}"  # in the session's current folder, as the user runs it


def _stop_dev_wikis(folder: Path) -> None:
    """Stop the dev wikis a document started and did not stop (an example failed before its ``stop``):
    they run in their own process group, so killing the session leaves them holding their ports."""
    from wikitools.devwiki import DevWiki

    for state in folder.rglob("devwiki.json"):
        DevWiki(state.parent).stop()


@pytest.fixture(scope="session")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Session]:
    """Each document's session, started the first time one of its blocks is tested."""
    return _LazySessions(tmp_path_factory)


class _LazySessions(dict):
    def __init__(self, factory: pytest.TempPathFactory) -> None:
        super().__init__()
        self.factory = factory

    def __missing__(self, document: Path) -> Session:
        session = self[document] = Session(document, self.factory.mktemp(document.stem))
        return session


@pytest.mark.parametrize("block", [pytest.param(block, id=block.name) for block in BLOCKS])
def test_example_prints_what_the_document_shows(block: Block, sessions: dict[Path, Session]) -> None:
    if block.skip:
        pytest.skip(f"{block.name}: {block.skip}")
    session = sessions[block.path]
    if block.kind == "console":
        for command in block.commands():
            actual = session.outputs[(block.line, command.line)]
            assert matches(command.expected, actual), (
                f"{block.path.name}:{command.line}: $ {command.command}\n"
                + "expected:\n  "
                + "\n  ".join(command.expected)
                + "\nactual:\n  "
                + "\n  ".join(actual)
            )
    else:
        actual = session.outputs[(block.line, block.line)]
        expected = [] if block.is_doctest else block.prints
        if expected is None:
            assert session.exit_codes.get((block.line, block.line)) == 0, "\n".join(actual)
            return
        assert matches(expected, actual), (
            f"{block.name}: expected:\n  " + "\n  ".join(expected) + "\nactual:\n  " + "\n  ".join(actual)
        )

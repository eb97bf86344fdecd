"""Converting a folder: wikitools in one command against pandoc one process per file, and start-up.

Usage: python3 benchmarks/convert_folder.py [--corpus EXPORT.xml.bz2] [--repeat N] [--startup-runs N]
                                           [--skip-folder]

Needs pandoc (Debian: ``apt-get install pandoc``; the script stops and says so when it is missing).
Run it from the repository root with ``PYTHONPATH=src`` so that ``python -m wikitools`` is this tree.

1. The articles of the English corpus (its pages that are not redirects: 106) are written under a
   temporary folder in /tmp as ``.wiki`` files named by their titles, as ``wikitools unpack`` would,
   in one folder per initial (``A/Alabama.wiki``), so that the outputs have a tree to mirror.
2. Folder to plain text, best of ``--repeat`` (the three alternate, so load on the shared machine hits
   each alike): ``pandoc -f mediawiki -t plain FILE -o OUT`` once per file, as a shell loop runs it;
   ``wikitools convert FOLDER --to text -d OUT`` with ``--jobs 1`` and ``--jobs 2``. Once:
   ``wikitools convert FILE --to text -o OUT`` per file, and every one-command output must be byte for
   byte that per-file output.
3. Start-up, whole processes, median of ``--startup-runs`` (interleaved): ``python -c pass``,
   ``python -m wikitools --version`` and ``--help``, converting the seed article to wikitext
   (``-o FILE``), and ``pandoc --version``.

Every Python process runs with its bytecode cached (``PYTHONPYCACHEPREFIX`` in the temporary folder,
``PYTHONDONTWRITEBYTECODE`` dropped), as an installed wikitools runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from wikitools.formats.xml_common import redirect_target
from wikitools.formats.xml_read import iter_pages
from wikitools.titles import title_to_filename

ROOT = Path(__file__).resolve().parents[1]
CORPUS = next((p / "shared/corpus" for p in ROOT.parents if (p / "shared/corpus").is_dir()), Path("corpus"))
DEFAULT = CORPUS / "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
SEED = ROOT / "fixtures" / "us_japan_security_treaty.txt"
WIKITOOLS = [sys.executable, "-m", "wikitools"]


def unpack(export: Path, folder: Path) -> list[Path]:
    """Each article of ``export`` as ``folder/<initial>/<title>.wiki`` (a tree, for the outputs to
    mirror); redirects are left out."""
    taken: set[str] = set()
    files = []
    for page in iter_pages(export, on_warning=lambda _warning: None):
        text = page.latest.text if page.latest else ""
        if not text or redirect_target(text) is not None:
            continue
        name = title_to_filename(page.title, taken)
        taken.add(name)
        files.append(folder / (name[0] if name[0].isalnum() else "_") / name)
        files[-1].parent.mkdir(parents=True, exist_ok=True)
        files[-1].write_text(text, "utf-8")
    return files


def seconds(run: Callable[[], object]) -> tuple[float, object]:
    """How long ``run`` took, and what it returned."""
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def call(command: list[str | Path], *, check: bool = True) -> int:
    quiet = subprocess.DEVNULL
    return subprocess.run(command, check=check, stdout=quiet, stderr=quiet).returncode


def pandoc_one(source: Path, output: Path) -> list[str | Path]:
    return ["pandoc", "-f", "mediawiki", "-t", "plain", source, "-o", output]


def wikitools_one(source: Path, output: Path) -> list[str | Path]:
    return [*WIKITOOLS, "convert", source, "--to", "text", "-o", output]


def per_file(
    command: Callable[[Path, Path], list[str | Path]], folder: Path, files: list[Path], out: Path
) -> int:
    """One process per file, as a shell loop over the tree runs them, outputs mirroring it; how many
    failed (the loop goes on after a failure)."""
    shutil.rmtree(out, ignore_errors=True)
    failed = 0
    for path in files:
        output = out / path.relative_to(folder).with_suffix(".txt")
        output.parent.mkdir(parents=True, exist_ok=True)
        failed += call(command(path, output), check=False) != 0
    return failed


def one_command(folder: Path, out: Path, jobs: int) -> int:
    shutil.rmtree(out, ignore_errors=True)
    return call([*WIKITOOLS, "convert", folder, "--to", "text", "-d", out, "--jobs", str(jobs)])


def folder_case(files: list[Path], work: Path, repeat: int) -> dict[str, tuple[float, object]]:
    """Best time (and files failed) of each folder conversion; exits when a one-command output is
    not the per-file one."""
    folder = work / "articles"
    cases: dict[str, Callable[[], int]] = {
        "pandoc, one process per file": lambda: per_file(pandoc_one, folder, files, work / "pandoc"),
        "wikitools, one command": lambda: one_command(folder, work / "one", 1),
        "wikitools, one command, --jobs 2": lambda: one_command(folder, work / "two", 2),
    }
    runs: dict[str, list[tuple[float, object]]] = {name: [] for name in cases}
    for _ in range(repeat):
        for name, run in cases.items():
            runs[name].append(seconds(run))
    best = {name: min(values) for name, values in runs.items()}
    each = seconds(lambda: per_file(wikitools_one, folder, files, work / "each"))
    best["wikitools, one process per file"] = each
    expected = tree(work / "each")
    for out in ("one", "two"):
        if tree(work / out) != expected:
            sys.exit(f"the one-command outputs in {out} are not the per-file outputs")
    return best


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def startup(work: Path, runs: int) -> dict[str, float]:
    commands: dict[str, list[str | Path]] = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "wikitools --version": [*WIKITOOLS, "--version"],
        "wikitools --help": [*WIKITOOLS, "--help"],
        "wikitools convert seed -o X.wiki": [*WIKITOOLS, "convert", SEED, "-o", work / "seed.wiki"],
        "pandoc --version": ["pandoc", "--version"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for run in range(runs + 1):  # the first round fills the bytecode cache and is not counted
        for name, command in commands.items():
            took = seconds(lambda command=command: call(command))[0]
            if run:
                times[name].append(took)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--startup-runs", type=int, default=20)
    parser.add_argument("--skip-folder", action="store_true", help="measure start-up only")
    args = parser.parse_args()
    if shutil.which("pandoc") is None:
        sys.exit("pandoc is missing: install it (Debian: apt-get install pandoc) and run again")
    if "PYTHONPATH" not in os.environ:
        print(
            "note: PYTHONPATH is not set; python -m wikitools runs the installed wikitools", file=sys.stderr
        )
    with tempfile.TemporaryDirectory(prefix="wikitools-bench-", dir="/tmp") as tmp:
        work = Path(tmp)
        # Bytecode cached, as after pip install: start-up then measures imports, not compiling.
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        print("load average before: {:.1f} {:.1f} {:.1f} ({} cores)".format(*os.getloadavg(), os.cpu_count()))
        if not args.skip_folder:
            report_folder(args.corpus, work, args.repeat)
        report_startup(work, args.startup_runs)
        print("load average after: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


def report_folder(corpus: Path, work: Path, repeat: int) -> None:
    files = unpack(corpus, work / "articles")
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    pandoc = subprocess.run(["pandoc", "--version"], capture_output=True, text=True, check=True)
    version = pandoc.stdout.splitlines()[0]
    print(f"{len(files)} articles, {megabytes:.1f} MB of wikitext, to plain text; {version}")
    folder = folder_case(files, work, repeat)
    print(f"folder, best of {repeat} (per-file wikitools: once)")
    for name, (value, failed) in folder.items():
        print(f"  {name:36} {value:6.2f} s" + (f"  ({failed} files failed)" if failed else ""))
    loop = folder["pandoc, one process per file"][0]
    one, two = folder["wikitools, one command"][0], folder["wikitools, one command, --jobs 2"][0]
    print(f"  one command / pandoc loop: {one / loop:.2f}x (target <= 0.5x); --jobs 2: {two / loop:.2f}x")
    print("  one-command outputs are byte for byte the per-file outputs")


def report_startup(work: Path, runs: int) -> None:
    figures = startup(work, runs)
    bare = figures["python -c pass"]
    print(f"start-up, whole process, median of {runs}")
    for name, value in figures.items():
        print(f"  {name:36} {value * 1000:6.0f} ms {value / bare:6.1f}x bare python")
    print("  targets: --version and --help <= 6x bare python; seed conversion <= 150 ms")


if __name__ == "__main__":
    main()

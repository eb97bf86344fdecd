"""Reading input files with clear errors, and writing files atomically.

Every command reads through :func:`read_text` (so a bad file is one clear :class:`InputError`) and
writes through :func:`atomic_write` (so an interrupted run leaves the old file or the new one, never
half of one).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import InputError

STDIO = "-"


#: The largest input read whole. MediaWiki stores pages of at most 2 MiB by default ($wgMaxArticleSize).
MAX_INPUT_BYTES = 256 * 2**20
NO_SUCH_FILE = "no such file"
IS_A_DIRECTORY = "is a directory, not a file"


def require_file(path: str | Path) -> None:
    """Raise :class:`InputError` unless ``path`` is ``-`` or an existing file: checked before work
    that would otherwise fail on the name first (guessing a format from it, say)."""
    if str(path) == STDIO:
        return
    if Path(path).is_dir():
        raise InputError(IS_A_DIRECTORY, subject=path)
    if not Path(path).exists():
        raise InputError(NO_SUCH_FILE, subject=path)


def walk_files(directory: str | Path, suffixes: tuple[str, ...]) -> Iterator[Path]:
    """Files below ``directory`` whose names end with one of ``suffixes``, in sorted order; hidden
    files and folders (``.git``, ``.wikitools``, ...) are skipped."""
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and name.endswith(suffixes):
                yield Path(root) / name


def open_binary(path: str | Path) -> IO[bytes]:
    """``path`` opened for reading bytes, or :class:`InputError` naming the problem."""
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError(NO_SUCH_FILE, subject=path) from None
    except IsADirectoryError:
        raise InputError(IS_A_DIRECTORY, subject=path) from None
    except PermissionError:
        raise InputError("permission denied", subject=path) from None
    except OSError as exc:
        raise InputError(exc.strerror or "cannot be read", subject=path) from None


def read_bytes(path: str | Path, *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of ``path`` (``-`` is stdin), or :class:`InputError` naming the problem.

    Reads at most ``limit`` bytes: an endless or huge input (``/dev/zero``, a mistaken disk image) is
    refused instead of filling memory.
    """
    subject = "<stdin>" if str(path) == STDIO else path
    handle = sys.stdin.buffer if str(path) == STDIO else open_binary(path)
    try:
        data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(exc.strerror or "cannot be read", subject=subject) from None
    finally:
        if handle is not sys.stdin.buffer:
            handle.close()
    if len(data) > limit:
        raise InputError(f"larger than {limit // 2**20} MiB, the most wikitools reads", subject=subject)
    return data


def decode_text(data: bytes, subject: object, *, allow_empty: bool = False) -> str:
    """``data`` as UTF-8 text without NUL bytes; a leading byte-order mark is dropped."""
    if not data.strip() and not allow_empty:
        raise InputError("the file is empty", subject=subject)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}, line {line})",
            subject=subject,
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(f"contains a NUL byte (line {line}); is it a binary file?", subject=subject)
    return text.removeprefix("\ufeff")


def read_text(path: str | Path, *, allow_empty: bool = False) -> str:
    """The UTF-8 text of ``path`` (``-`` is stdin), or :class:`InputError`."""
    subject = "<stdin>" if str(path) == STDIO else path
    return decode_text(read_bytes(path), subject, allow_empty=allow_empty)


def atomic_write(path: str | Path, data: str | bytes, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` through a temporary file, fsync and rename; ``mode`` (e.g.
    ``0o600`` for a secret) holds from the first byte written, never widened afterwards."""
    with atomic_stream(path, mode=mode) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


@contextlib.contextmanager
def atomic_stream(path: str | Path, *, mode: int | None = None) -> Iterator[IO[bytes]]:
    """A binary file that replaces ``path`` (fsync, rename; an existing file's mode is kept) only when
    the block ends without error: :func:`atomic_write` for output too big to hold in memory."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise InputError(exc.strerror or "cannot write here", subject=directory) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        elif target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(exc.strerror or "cannot be written", subject=path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_directory(directory)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

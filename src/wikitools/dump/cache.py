"""The SQLite cache behind ``--cache DIR``: resume a killed run, and re-lint only what changed.

Two tables: ``partitions`` keeps every finished partition's outcomes under the digest of its
compressed bytes, so a resumed run (or an unchanged stream of a newer dump) gets them back without
decompressing anything; ``pages`` keeps each page's content digest and findings, so in a changed
partition only the pages whose text, title or namespace changed are linted again. Both are keyed by
the rules-and-settings fingerprint: other rules, other results.

The client is the only writer; workers open the file read-only (WAL mode lets them read while it
writes), so the cache must be on a file system the workers see, like the dump itself.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from pathlib import Path

from ..errors import InputError
from .lintpage import DumpFinding
from .results import PageOutcome, PartitionResult

CACHE_FILE = "lint-cache.sqlite3"
SCHEMA_VERSION = "1"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    page_id INTEGER PRIMARY KEY, key TEXT NOT NULL, fingerprint TEXT NOT NULL, findings TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS partitions (
    digest TEXT NOT NULL, fingerprint TEXT NOT NULL, outcomes BLOB NOT NULL, xml_bytes INTEGER NOT NULL,
    PRIMARY KEY (digest, fingerprint)
);
"""


def cache_file(directory: str | Path) -> Path:
    return Path(directory) / CACHE_FILE


class DumpCache:
    """The client's read-write handle: created if missing, one transaction per stored partition."""

    def __init__(self, directory: str | Path, fingerprint: str) -> None:
        self.path = cache_file(directory)
        self.fingerprint = fingerprint
        try:
            Path(directory).mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
            version = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except (OSError, sqlite3.Error) as error:
            raise InputError(f"cannot open the cache ({error})", subject=self.path) from None
        if version is None:
            self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        elif version[0] != SCHEMA_VERSION:
            raise InputError(
                f"the cache has schema {version[0]}, this wikitools writes {SCHEMA_VERSION}",
                subject=self.path,
                hint="delete the cache folder",
            )

    def store(self, result: PartitionResult) -> None:
        """Record a finished partition and the findings of each page linted in it."""
        if result.reused or result.error is not None or result.set_aside is not None:
            return
        rows = [
            (o.page_id, o.key, self.fingerprint, _findings_json(o.findings))
            for o in result.pages
            if o.linted and o.set_aside is None and o.key is not None
        ]
        self.db.execute("BEGIN")
        self.db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?)", rows)
        if result.digest is not None:
            self.db.execute(
                "INSERT OR REPLACE INTO partitions VALUES (?, ?, ?, ?)",
                (result.digest, self.fingerprint, _outcomes_blob(result.pages), result.xml_bytes),
            )
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()


class CacheReader:
    """A worker's read-only handle."""

    def __init__(self, path: str | Path, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        self.db = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True, isolation_level=None)

    def partition(self, digest: str) -> PartitionResult | None:
        row = self.db.execute(
            "SELECT outcomes, xml_bytes FROM partitions WHERE digest = ? AND fingerprint = ?",
            (digest, self.fingerprint),
        ).fetchone()
        if row is None:
            return None
        return PartitionResult(_outcomes(row[0]), xml_bytes=row[1], digest=digest, reused=True)

    def findings(self, page_id: int, key: str) -> tuple[DumpFinding, ...] | None:
        """The cached findings of a page whose content digest is still ``key``."""
        row = self.db.execute(
            "SELECT key, fingerprint, findings FROM pages WHERE page_id = ?", (page_id,)
        ).fetchone()
        if row is None or row[0] != key or row[1] != self.fingerprint:
            return None
        return tuple(DumpFinding(*f) for f in json.loads(row[2]))

    def close(self) -> None:
        self.db.close()


def _rows(findings: tuple[DumpFinding, ...]) -> list[list[object]]:
    return [[f.line, f.column, f.rule, f.severity, f.message] for f in findings]


def _findings_json(findings: tuple[DumpFinding, ...]) -> str:
    return json.dumps(_rows(findings), ensure_ascii=False)


def _outcomes_blob(outcomes: list[PageOutcome]) -> bytes:
    rows = [[o.page_id, o.rev_id, o.title, _rows(o.findings), o.set_aside] for o in outcomes]
    return zlib.compress(json.dumps(rows, ensure_ascii=False).encode("utf-8"))


def _outcomes(blob: bytes) -> list[PageOutcome]:
    return [
        PageOutcome(page_id, rev_id, title, tuple(DumpFinding(*f) for f in findings), set_aside, linted=False)
        for page_id, rev_id, title, findings, set_aside in json.loads(zlib.decompress(blob))
    ]

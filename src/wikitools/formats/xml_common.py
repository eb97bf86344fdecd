"""What the XML reader and writer share: site information, namespaces and MediaWiki's sha1 form.

MediaWiki stores a text's SHA-1 in base 36, left-padded with ``0`` to 31 characters; a revision with
several slots carries one combined hash (each further slot folded in, in role order).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..markup import parse_redirect
from ..model import Slot
from ..titles import normalize_title

EXPORT_VERSION = "0.11"
EXPORT_NAMESPACE = f"http://www.mediawiki.org/xml/export-{EXPORT_VERSION}/"
EXPORT_SCHEMA_URL = f"http://www.mediawiki.org/xml/export-{EXPORT_VERSION}.xsd"

# The canonical (English) namespace names every MediaWiki has.
DEFAULT_NAMESPACES: dict[int, str] = {
    -2: "Media",
    -1: "Special",
    0: "",
    1: "Talk",
    2: "User",
    3: "User talk",
    4: "Project",
    5: "Project talk",
    6: "File",
    7: "File talk",
    8: "MediaWiki",
    9: "MediaWiki talk",
    10: "Template",
    11: "Template talk",
    12: "Help",
    13: "Help talk",
    14: "Category",
    15: "Category talk",
}
# Old canonical names MediaWiki still accepts in titles.
NAMESPACE_ALIASES: dict[str, int] = {"Image": 6, "Image talk": 7}


def redirect_target(text: str) -> str | None:
    """The page a ``#REDIRECT [[...]]`` text points at (the magic word in any language
    :mod:`wikitools.markup` knows), without its section, or ``None``."""
    redirect = parse_redirect(text)
    return redirect.target if redirect is not None and redirect.target else None


@dataclass(frozen=True)
class SiteInfo:
    """The ``<siteinfo>`` of an export: which wiki it came from and its namespace names."""

    sitename: str | None = None
    dbname: str | None = None
    base: str | None = None
    generator: str | None = None
    case: str = "first-letter"
    namespaces: Mapping[int, str] = field(default_factory=lambda: dict(DEFAULT_NAMESPACES))

    def namespace_of(self, title: str) -> int:
        """The namespace number ``title``'s prefix names (0 when it names none)."""
        prefix, sep, rest = title.partition(":")
        if not sep or not rest.strip():
            return 0
        wanted = normalize_title(prefix).casefold()
        for number, name in self.namespaces.items():
            if name and normalize_title(name).casefold() == wanted:
                return number
        for alias, number in NAMESPACE_ALIASES.items():
            if alias.casefold() == wanted:
                return number
        return 0


def base36_sha1(data: bytes) -> str:
    """SHA-1 of ``data`` the way MediaWiki writes it: base 36, zero-padded to 31 characters."""
    number = int.from_bytes(hashlib.sha1(data).digest(), "big")
    return _base36(number).rjust(31, "0")


def revision_sha1(text: str, slots: Mapping[str, Slot] | None = None) -> str:
    """The ``<sha1>`` of a revision: each slot's hash folded into the last, in role order (as MediaWiki's
    ``RevisionSlots::computeSha1`` does), which for the usual single slot is the main text's hash."""
    texts = {"main": text, **{role: slot.text for role, slot in (slots or {}).items()}}
    combined: str | None = None
    for role in sorted(texts):
        sha1 = base36_sha1(texts[role].encode("utf-8"))
        combined = sha1 if combined is None else base36_sha1((combined + sha1).encode("ascii"))
    return combined or base36_sha1(b"")


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_DIGIT_PAIRS = [a + b for a in _DIGITS for b in _DIGITS]  # two base-36 digits per division: half the work


def _base36(number: int) -> str:
    pairs = []
    while number:
        number, rest = divmod(number, 36 * 36)
        pairs.append(_DIGIT_PAIRS[rest])
    return "".join(reversed(pairs)).lstrip("0") or "0"

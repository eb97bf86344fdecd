"""What lint knows about the languages of wikis: which language a wiki is written in, and (for the
appendix and heading rules) the local names of the standard sections and the punctuation of headings."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..formats.xml_common import SiteInfo

_PROJECTS = (
    "wiki", "wiktionary", "wikibooks", "wikinews", "wikiquote", "wikisource", "wikiversity", "wikivoyage",
)  # fmt: skip
_DBNAME = re.compile(rf"([a-z][a-z_]*?)(?:{'|'.join(_PROJECTS)})")
_HOSTS = (
    ".wikipedia.org", ".wiktionary.org", ".wikibooks.org", ".wikinews.org", ".wikiquote.org",
    ".wikisource.org", ".wikiversity.org", ".wikivoyage.org",
)  # fmt: skip
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]+)*")


def site_language(siteinfo: SiteInfo | None) -> str | None:
    """The language of a Wikimedia wiki from an export's ``<siteinfo>`` (``ukwiki``,
    ``https://uk.wikipedia.org/...``), or ``None`` when it does not say."""
    if siteinfo is None:
        return None
    candidates = []
    if siteinfo.dbname and (match := _DBNAME.fullmatch(siteinfo.dbname)):
        candidates.append(match.group(1).replace("_", "-"))
    host = urlsplit(siteinfo.base or "").hostname or ""
    if host.endswith(_HOSTS):
        candidates.append(host.split(".")[0])
    for candidate in candidates:
        if _LANGUAGE.fullmatch(candidate):
            return candidate
    return None

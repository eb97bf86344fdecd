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


# -- heading punctuation ---------------------------------------------------------------------------
#: Characters a heading should not end with (MOS:HEADINGS, CW 57), in every language.
TRAILING_PUNCTUATION = frozenset(":;,.：；，")
#: Languages whose question mark is written ``;`` (Greek: U+037E, which NFC turns into U+003B).
SEMICOLON_QUESTION = frozenset({"el"})

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Abbreviations that end a heading legitimately, per language, without their final dot. Words with
#: an inner dot (``i.e.``, ``μ.Χ.``, ``Մ.թ.ա.``, ``इ.स.पू.``) and words of one or two letters are
#: abbreviations in every language.
ABBREVIATIONS: dict[str, frozenset[str]] = {
    "en": _words(
        "etc jr sr inc ltd co corp st bros vs no nos mt dr mr mrs ms op pp vol vols ed eds rev gen col "
        "lt capt sgt ft approx ca cf dept univ assn est"
    ),
    "de": _words("usw bzw jh jhd chr nr str ca bzw ggf vgl hl evtl"),
    "fr": _words("etc av apr env hab ste st mgr nº"),
    "es": _words("etc sta sto avda aprox núm"),
    "it": _words("ecc sec ca sig"),
    "pt": _words("etc séc sta sto aprox"),
    "ru": _words("гг вв ст др тыс млн млрд стр им св"),
    "uk": _words("рр ст тис млн млрд ім св"),
    "pl": _words("itd itp wiek ok tzw św"),
    "nl": _words("enz ca nr"),
    "el": _words("αι κλπ κ.λπ π.χ"),
    "hy": _words("դ թ թթ"),
    "vi": _words("tp tt"),
}


def is_abbreviation(text: str, language: str) -> bool:
    """Whether ``text``, which ends with ``.``, ends with an abbreviation (or an ellipsis)."""
    if text.endswith("..."):
        return True
    words = text[:-1].split()
    word = words[-1].lstrip("([{\"'«„“") if words else ""
    if not word or not word[0].isalpha():
        return False
    if "." in word or sum(c.isalpha() for c in word) <= 2:
        return True
    known = ABBREVIATIONS.get(language.split("-")[0], frozenset()) | ABBREVIATIONS["en"]
    return word.casefold() in known


def ends_a_question(character: str, language: str) -> bool:
    """Whether a heading's last ``character`` is this language's question mark."""
    return character in ";;" and language.split("-")[0] in SEMICOLON_QUESTION

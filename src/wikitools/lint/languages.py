"""What lint knows about the languages of wikis: which language a wiki is written in, and (for the
appendix and heading rules) the local names of the standard sections and the punctuation of headings."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
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


# -- appendix sections ----------------------------------------------------------------------------
SEE_ALSO = "see-also"
REFERENCES = "references"  # notes, references, sources, footnotes
FURTHER_READING = "further-reading"
EXTERNAL_LINKS = "external-links"
APPENDIX = "appendix"  # a wrapper of appendices (fr "Annexes"): an appendix of no fixed rank
KINDS = (SEE_ALSO, REFERENCES, FURTHER_READING, EXTERNAL_LINKS, APPENDIX)
KIND_NAMES = {
    SEE_ALSO: "See also",
    REFERENCES: "Notes/References",
    FURTHER_READING: "Further reading",
    EXTERNAL_LINKS: "External links",
    APPENDIX: "appendix",
}

#: The standard appendix headings by language, ``kind: name | name | ...``. Names are compared case- and
#: space-insensitively; names from the corpus Wikipedias (bn el hy ja mr uk vi) were checked against the
#: headings their articles use, the others follow each Wikipedia's layout guideline. A name ending in
#: ``?`` is also an ordinary section title (uk "Література" is "Bibliography" and, in a year's article,
#: "Literature"): it is an appendix, but it does not start the appendices for S107.
_APPENDIX_TABLE = """
en see-also: see also | related articles | related pages | related topics
en references: notes | references | footnotes | citations | sources | bibliography | endnotes | note |
    reference | notes and references | references and notes | works cited | explanatory notes |
    general references | specific references | cited sources | sources cited | literature cited |
    cited works | works consulted | reference literature | reference notes | notes and citations |
    citations and notes | sources and references | references and sources | notes and sources |
    informational notes | inline citations | bibliography and references | references and bibliography
en further-reading: further reading | additional reading | literature? | selected bibliography |
    further reading and external links
en external-links: external links | external link | links | web links | external sources
de see-also: siehe auch
de references: einzelnachweise | anmerkungen | fußnoten | belege | quellen | referenzen | nachweise |
    quellenangaben | anmerkungen und einzelnachweise | einzelnachweise und anmerkungen
de further-reading: literatur? | weiterführende literatur | literatur und quellen
de external-links: weblinks | weblink | externe links
fr see-also: articles connexes | voir aussi sur wikipédia
fr references: notes et références | notes | références | sources | notes et sources | références et notes
fr further-reading: bibliographie | lectures complémentaires | pour approfondir
fr external-links: liens externes | lien externe
fr appendix: voir aussi | annexes
es see-also: véase también | ver también
es references: referencias | notas | notas y referencias | fuentes | citas | notas al pie
es further-reading: bibliografía | lectura adicional | lecturas adicionales | lectura complementaria
es external-links: enlaces externos | enlace externo
it see-also: voci correlate
it references: note | riferimenti | fonti | note e riferimenti
it further-reading: bibliografia | approfondimenti | letture consigliate
it external-links: collegamenti esterni | altri progetti | collegamento esterno
pt see-also: ver também | veja também
pt references: referências | notas | notas e referências | fontes | referências e notas
pt further-reading: bibliografia | leitura adicional | leitura complementar | leituras adicionais
pt external-links: ligações externas | links externos | ligação externa
ru see-also: см. также | смотри также | смотрите также
ru references: примечания | источники | сноски | комментарии | ссылки на источники
ru further-reading: литература? | дополнительная литература | рекомендуемая литература
ru external-links: ссылки | внешние ссылки
uk see-also: див. також | дивіться також | див також | дивись також
uk references: примітки | джерела | виноски | коментарі | посилання на джерела | джерела та література |
    примітки та джерела | примітки і джерела
uk further-reading: література? | додаткова література | рекомендована література
uk external-links: посилання | зовнішні посилання
pl see-also: zobacz też | zobacz także | patrz też
pl references: przypisy | uwagi | źródła | bibliografia | przypisy i uwagi
pl further-reading: literatura? | literatura dodatkowa
pl external-links: linki zewnętrzne | link zewnętrzny
nl see-also: zie ook
nl references: noten | referenties | bronnen | bronvermelding | voetnoten | bronnen en noten |
    bronnen, noten en/of referenties
nl further-reading: literatuur | verder lezen
nl external-links: externe links | externe link | weblinks
zh see-also: 参见 | 參見 | 参看 | 參看 | 另见 | 另見 | 相关条目 | 相關條目 | 参阅 | 參閱
zh references: 参考文献 | 參考文獻 | 参考资料 | 參考資料 | 注释 | 註釋 | 注解 | 註解 |
    脚注 | 腳註 | 来源 | 來源 | 引用 | 注释与参考文献
zh further-reading: 延伸阅读 | 延伸閱讀 | 扩展阅读 | 擴展閱讀 | 进一步阅读
zh external-links: 外部链接 | 外部連結 | 外部連接 | 外部鏈接
ja see-also: 関連項目
ja references: 脚注 | 注釈 | 出典 | 参考文献 | 註釈 | 注 | 出典・脚注 | 脚注・出典 | 脚注・注釈 | 注釈・出典
ja further-reading: 関連文献 | 関連書籍 | 外部文献
ja external-links: 外部リンク
vi see-also: xem thêm
vi references: chú thích | tham khảo | nguồn | ghi chú | tài liệu tham khảo | nguồn tham khảo | chú giải |
    chú thích và tham khảo | thư mục
vi further-reading: đọc thêm
vi external-links: liên kết ngoài | liên kết bên ngoài
hy see-also: տես նաև | տես նաեւ
hy references: ծանոթագրություններ | աղբյուրներ | նշումներ | ծանոթություններ | հղումներ | այլ աղբյուրներ
hy further-reading: գրականություն?
hy external-links: արտաքին հղումներ
el see-also: δείτε επίσης | δείτε ακόμη | δείτε ακόμα | βλέπε και | βλέπε επίσης
el references: παραπομπές | σημειώσεις | πηγές | υποσημειώσεις | αναφορές | άλλες πηγές |
    σημειώσεις και παραπομπές | παραπομπές και σημειώσεις
el further-reading: βιβλιογραφία | προτεινόμενη βιβλιογραφία | περαιτέρω ανάγνωση | επιπλέον βιβλιογραφία
el external-links: εξωτερικοί σύνδεσμοι | εξωτερικός σύνδεσμος | δικτυακοί τόποι
bn see-also: আরও দেখুন | আরো দেখুন | এছাড়াও দেখুন
bn references: তথ্যসূত্র | টীকা | পাদটীকা | উৎস | নোট | তথ্যসূত্র ও টীকা | গ্রন্থপঞ্জি
bn further-reading: আরও পড়ুন | আরো পড়ুন | অতিরিক্ত পঠন | আরো পড়া | আরও পড়া
bn external-links: বহিঃসংযোগ | বহিঃসংযোগসমূহ | বাহ্যিক সংযোগ | বহিসংযোগ | বহি:সংযোগ | বহিঃ সংযোগ
mr see-also: हे सुद्धा पहा | हेसुद्धा पहा | हे देखील पहा | हेही पहा | हे ही पहा | हे सुद्धा पाहा | हेही पाहा
mr references: संदर्भ | संदर्भ आणि नोंदी | संदर्भ व नोंदी | नोंदी | टीपा | टिपा | संदर्भ यादी | संदर्भसूची | स्रोत
mr further-reading: अधिक वाचन | पुढील वाचन
mr external-links: बाह्य दुवे | बाह्यदुवे | बाहेरील दुवे | बाह्य दुवा
"""

#: The order each Wikipedia's layout guideline gives its appendices (kinds not listed have no place in
#: it). A language without an entry gets no order rule (S106): its guideline is not known well enough.
ORDERS: dict[str, tuple[str, ...]] = {
    "en": (SEE_ALSO, REFERENCES, FURTHER_READING, EXTERNAL_LINKS),  # MOS:ORDER
    "de": (SEE_ALSO, FURTHER_READING, EXTERNAL_LINKS, REFERENCES),  # WP:Formatvorlage
    "es": (SEE_ALSO, REFERENCES, FURTHER_READING, EXTERNAL_LINKS),  # WP:ESTILO
    "it": (REFERENCES, FURTHER_READING, SEE_ALSO, EXTERNAL_LINKS),  # Aiuto:Sezioni standard
    "pt": (SEE_ALSO, REFERENCES, FURTHER_READING, EXTERNAL_LINKS),  # WP:LE
    "ru": (SEE_ALSO, REFERENCES, FURTHER_READING, EXTERNAL_LINKS),  # ВП:ОС
    "uk": (SEE_ALSO, REFERENCES, FURTHER_READING, EXTERNAL_LINKS),  # ВП:ОС
    "vi": (SEE_ALSO, REFERENCES, FURTHER_READING, EXTERNAL_LINKS),  # WP:CẨMNANG
    "zh": (SEE_ALSO, REFERENCES, FURTHER_READING, EXTERNAL_LINKS),  # WP:格式手冊/版面佈局
}
#: Words that join two appendix names into one heading ("Notes and references").
_JOINERS = re.compile(
    r"\s*(?:,|/|&|\+|;|・|、|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bи\b|\bі\b|\bта\b|\bi\b|\ben\b|\bvà\b|"
    r"\bκαι\b|\bու\b|\bև\b|\bও\b|\bआणि\b|\bव\b|与|與|和)\s*"
)
_DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Appendices:
    """The appendix headings of one language (plus English, plus a configuration's own names)."""

    kinds: Mapping[str, str]  # heading key (see :func:`appendix_key`) -> kind
    order: tuple[str, ...] | None  # the kinds in the order the language's guideline gives, if known
    ambiguous: frozenset[str] = frozenset()  # keys that are also ordinary section titles

    def kind(self, key: str) -> str | None:
        """The kind of the heading with this key, or ``None`` when it is no appendix. A heading that
        joins appendix names ("References and further reading") has the kind of its first name."""
        found = self.kinds.get(key)
        if found is not None or not _JOINERS.search(key):
            return found
        parts = [p for p in _JOINERS.split(key) if p]
        kinds = [self.kinds.get(p) for p in parts]
        return kinds[0] if parts and all(kinds) else None

    def rank(self, key: str) -> int | None:
        """The heading's place in :attr:`order` (1-based), or ``None``."""
        kind = self.kind(key)
        if kind is None or self.order is None or kind not in self.order:
            return None
        return self.order.index(kind) + 1

    def names(self, kind: str) -> list[str]:
        return sorted(key for key, k in self.kinds.items() if k == kind)


def appendix_key(name: str) -> str:
    """How appendix names are compared: case folded, runs of spaces and underscores one space."""
    return " ".join(name.replace("_", " ").split()).casefold()


def _parse_appendix_table(table: str) -> tuple[dict[str, dict[str, str]], dict[str, frozenset[str]]]:
    by_language: dict[str, dict[str, str]] = {}
    ambiguous: dict[str, set[str]] = {}
    for row in re.split(r"\n(?=\S)", table.strip()):
        head, _, names = row.partition(":")
        language, kind = head.split()
        assert kind in KINDS, kind
        for name in names.split("|"):
            key = appendix_key(name.strip().removesuffix("?"))
            by_language.setdefault(language, {}).setdefault(key, kind)
            if name.strip().endswith("?"):
                ambiguous.setdefault(language, set()).add(key)
    return by_language, {language: frozenset(keys) for language, keys in ambiguous.items()}


APPENDIX_NAMES, AMBIGUOUS_NAMES = _parse_appendix_table(_APPENDIX_TABLE)
#: The languages :data:`APPENDIX_NAMES` knows.
LANGUAGES = tuple(sorted(APPENDIX_NAMES))


@functools.lru_cache(maxsize=64)
def appendices_for(language: str, extra: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> Appendices:
    """The appendices of ``language`` (``uk``, ``zh-hant``...: the base language counts), with the
    English names too (pages on every Wikipedia use them) and ``extra`` ``(kind, names)`` pairs from a
    configuration's ``appendix-names``."""
    base = language.split("-")[0].lower() or _DEFAULT_LANGUAGE
    kinds = dict(APPENDIX_NAMES[_DEFAULT_LANGUAGE])
    kinds.update(APPENDIX_NAMES.get(base, {}))
    for kind, names in extra:
        kinds.update({appendix_key(name): kind for name in names})
    ambiguous = AMBIGUOUS_NAMES.get(_DEFAULT_LANGUAGE, frozenset()) | AMBIGUOUS_NAMES.get(base, frozenset())
    return Appendices(MappingProxyType(kinds), ORDERS.get(base), ambiguous)

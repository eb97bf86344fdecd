"""One model of MediaWiki markup, shared by convert and lint: what a tag's content is, what a link is.

Convert (a tree from mwparserfromhell) and lint (a line-based scan) read the same pages; when each keeps
its own idea of MediaWiki they disagree on what is a heading or a link. Everything they both need to know
lives here, as data with its source, in the spirit of mwparserfromhell's ``definitions.py``:

- :data:`TAGS`: tags whose content is not ordinary running text, with two flags: ``parsable`` (the content
  is wikitext) and ``visible`` (the content shows where the tag stands). :func:`is_parsable`,
  :func:`is_visible`, :func:`is_masked` answer for any tag name, HTML tags included.
- :class:`LinkKind` and :func:`classify_link`: what ``[[target]]`` is (article, section, file, media,
  category, interwiki, interlanguage, external, ...), whether it shows as text, and the text it shows
  (:func:`link_text`, :func:`pipe_trick`).
- :class:`Markup`: namespace names and aliases, interwiki and interlanguage prefixes and the redirect
  magic words. :data:`BUILTIN` covers the canonical names plus the common languages; a wiki's own names
  extend it (:meth:`Markup.with_siteinfo` for the Action API's ``siteinfo``, :meth:`Markup.extended` for
  an XML export's ``<siteinfo>``).
- :func:`parse_redirect`: ``#REDIRECT [[Target#Section]]`` in any language the table knows.
- :func:`masked_spans`: the comments and elements MediaWiki sets aside before reading structure.
- :func:`pair_link_brackets`: which ``[[`` and ``]]`` pair, and which are text, as MediaWiki decides.
- :func:`match_braces`: which brace runs make templates and parameters, as MediaWiki's preprocessor
  pairs them (lint's scan and its template rules both read it).

The API is small and stable: other modules import it, so names are added, never renamed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

# --------------------------------------------------------------------------------------------------
# Tags


@dataclass(frozen=True)
class TagRule:
    """How MediaWiki treats the content of one tag."""

    #: The content is wikitext (links, templates, headings inside it are markup).
    parsable: bool
    #: The content shows as text where the tag stands on the rendered page.
    visible: bool


_LITERAL = TagRule(parsable=False, visible=True)
_HIDDEN_DATA = TagRule(parsable=False, visible=False)
_HIDDEN_WIKITEXT = TagRule(parsable=True, visible=False)
_SHOWN_WIKITEXT = TagRule(parsable=True, visible=True)

#: Tags whose content is not ordinary running text: MediaWiki core and the extensions the Wikimedia
#: wikis run (https://www.mediawiki.org/wiki/Parser_extension_tags, mwparserfromhell's definitions.py).
#: Any other tag (``<b>``, ``<span>``, ``<code>``, ``<small>`` ...) is an HTML tag: parsable and visible.
TAGS: Mapping[str, TagRule] = MappingProxyType(
    {
        # Shown literally: the content is text, not markup.
        "nowiki": _LITERAL,
        "pre": _LITERAL,
        "syntaxhighlight": _LITERAL,
        "source": _LITERAL,
        "math": _LITERAL,  # a formula: a text copy shows its TeX
        "chem": _LITERAL,
        "ce": _LITERAL,
        # Data for an extension that draws something else (images, widgets, boxes, JSON).
        "gallery": _HIDDEN_DATA,
        "imagemap": _HIDDEN_DATA,
        "timeline": _HIDDEN_DATA,
        "score": _HIDDEN_DATA,
        "graph": _HIDDEN_DATA,
        "hiero": _HIDDEN_DATA,
        "templatedata": _HIDDEN_DATA,
        "templatestyles": _HIDDEN_DATA,
        "mapframe": _HIDDEN_DATA,
        "maplink": _HIDDEN_DATA,
        "categorytree": _HIDDEN_DATA,
        "inputbox": _HIDDEN_DATA,
        "charinsert": _HIDDEN_DATA,
        "section": _HIDDEN_DATA,
        "dynamicpagelist": _HIDDEN_DATA,
        "rss": _HIDDEN_DATA,
        # Wikitext shown somewhere else, or not on this page.
        "ref": _HIDDEN_WIKITEXT,  # in the reference list, not in the running text
        "references": _HIDDEN_WIKITEXT,
        "indicator": _HIDDEN_WIKITEXT,  # in the page's top corner
        "includeonly": _HIDDEN_WIKITEXT,  # only where the page is transcluded
        # Wikitext shown in place.
        "noinclude": _SHOWN_WIKITEXT,
        "onlyinclude": _SHOWN_WIKITEXT,
        "poem": _SHOWN_WIKITEXT,
    }
)
_HTML = _SHOWN_WIKITEXT


def tag_rule(name: str) -> TagRule:
    """The rule for tag ``name`` (any case); an HTML or unknown tag is parsable and visible."""
    return TAGS.get(name.strip().lower(), _HTML)


def is_parsable(name: str) -> bool:
    """Whether the content of tag ``name`` is wikitext."""
    return tag_rule(name).parsable


def is_visible(name: str) -> bool:
    """Whether the content of tag ``name`` shows in the running text where the tag stands."""
    return tag_rule(name).visible


def is_masked(name: str) -> bool:
    """Whether a reader of page structure (headings, body links) skips the content of tag ``name``:
    it is not wikitext, or it does not show in the running text."""
    rule = tag_rule(name)
    return not (rule.parsable and rule.visible)


#: The HTML tags MediaWiki allows in wikitext (``Sanitizer::getRecognizedTagData``, MediaWiki 1.39).
HTML_TAGS: frozenset[str] = frozenset(
    {
        "abbr", "b", "bdi", "bdo", "big", "blockquote", "br", "caption", "center", "cite", "code", "data",
        "dd", "del", "dfn", "div", "dl", "dt", "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
        "ins", "kbd", "li", "link", "mark", "meta", "ol", "p", "pre", "q", "rb", "rp", "rt", "rtc", "ruby",
        "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "table", "td", "th", "time", "tr",
        "tt", "u", "ul", "var", "wbr",
    }
)  # fmt: skip

#: Tags :func:`is_masked` skips, for a scanner that needs them as a list (one regex alternation).
MASKED_TAGS: tuple[str, ...] = tuple(name for name in TAGS if is_masked(name))

#: A comment, or the opening tag of an element whose content is not page structure (:data:`MASKED_TAGS`).
MASKED_OPENER = re.compile(rf"<!--|<({'|'.join(MASKED_TAGS)})\b([^<>]*)>", re.IGNORECASE)
_MASKED_CLOSERS = {tag: re.compile(rf"</{tag}\s*>", re.IGNORECASE) for tag in MASKED_TAGS}


def element_spans(
    text: str,
    opener: re.Pattern[str],
    closer_of: Callable[[re.Match[str]], re.Pattern[str]],
    *,
    comments: bool = False,
) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each element from an ``opener`` match to its closing tag, left to right and
    never nested; a self-closing tag (``<ref/>``) is an element of its own, an element never closed is
    text (MediaWiki shows it), and with ``comments`` a ``<!--`` runs to its ``-->`` or the end."""
    unclosed: set[str] = set()
    position = 0
    while (match := opener.search(text, position)) is not None:
        if comments and match.group() == "<!--":
            close = text.find("-->", match.end())
            end = len(text) if close == -1 else close + 3
        elif match.group(match.lastindex or 0).endswith("/"):
            end = match.end()
        else:
            closer = closer_of(match)
            found = None if closer.pattern in unclosed else closer.search(text, match.end())
            if found is None:
                unclosed.add(closer.pattern)
                position = match.end()
                continue
            end = found.end()
        yield match.start(), end
        position = end


def masked_spans(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each comment and each element of :data:`MASKED_TAGS` (``<nowiki>``,
    ``<ref>``, ``<math>``...): what MediaWiki sets aside before it reads a page's links and headings.
    Lint blanks these spans in its scan, and convert before it pairs link brackets."""
    return element_spans(text, MASKED_OPENER, lambda m: _MASKED_CLOSERS[m.group(1).lower()], comments=True)


#: Tags whose content is not wikitext (``<nowiki>``, ``<math>``, ``<gallery>``...).
UNPARSED_TAGS: tuple[str, ...] = tuple(name for name in TAGS if not is_parsable(name))
_UNPARSED_OPENER = re.compile(rf"<!--|<({'|'.join(UNPARSED_TAGS)})\b([^<>]*)>", re.IGNORECASE)


def unparsed_spans(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each comment and each element of :data:`UNPARSED_TAGS`, inside a ``<ref>``
    too: text in which MediaWiki finds no markup at all (no template, no link)."""
    return element_spans(text, _UNPARSED_OPENER, lambda m: _MASKED_CLOSERS[m.group(1).lower()], comments=True)


# --------------------------------------------------------------------------------------------------
# Namespaces, interwiki and interlanguage prefixes, redirect words

NAMESPACE_MEDIA = -2
NAMESPACE_SPECIAL = -1
NAMESPACE_MAIN = 0
NAMESPACE_FILE = 6
NAMESPACE_TEMPLATE = 10
NAMESPACE_CATEGORY = 14

#: Namespace names and aliases by language, ``number=Name,Alias,...`` (``_`` for a space), from MediaWiki
#: 1.39's ``languages/messages/Messages*.php`` (``$namespaceNames``, ``$namespaceAliases``). The canonical
#: English names (``en``) hold on every wiki; ``wikipedia`` is the Wikipedias' project namespaces and the
#: file aliases the Bengali and Marathi Wikipedias add in their configuration.
_NAMESPACE_TABLE = """
en: -2=Media -1=Special 1=Talk 2=User 3=User_talk 4=Project 5=Project_talk 6=File,Image
    7=File_talk,Image_talk 8=MediaWiki 9=MediaWiki_talk 10=Template 11=Template_talk 12=Help
    13=Help_talk 14=Category 15=Category_talk
af: -2=Media -1=Spesiaal 1=Bespreking 2=Gebruiker 3=Gebruikerbespreking 6=Lêer,Beeld
    7=Lêerbespreking,Beeldbespreking 8=MediaWiki 9=MediaWikibespreking 10=Sjabloon 11=Sjabloonbespreking
    12=Hulp 13=Hulpbespreking 14=Kategorie 15=Kategoriebespreking
ar: -2=ميديا,وسائط -1=خاص 1=نقاش 2=مستخدم 3=نقاش_المستخدم 6=ملف,صورة 7=نقاش_الملف,نقاش_الصورة
    8=ميدياويكي 9=نقاش_ميدياويكي 10=قالب 11=نقاش_القالب 12=مساعدة 13=نقاش_المساعدة 14=تصنيف
    15=نقاش_التصنيف
bn: -2=মিডিয়া -1=বিশেষ 1=আলাপ 2=ব্যবহারকারী 3=ব্যবহারকারী_আলাপ 6=চিত্র
    7=চিত্র_আলোচনা,চিত্র_আলাপ,MediaWiki_আলাপ 8=মিডিয়াউইকি 9=মিডিয়াউইকি_আলোচনা 10=টেমপ্লেট
    11=টেমপ্লেট_আলোচনা 12=সাহায্য 13=সাহায্য_আলোচনা 14=বিষয়শ্রেণী 15=বিষয়শ্রেণী_আলোচনা
cs: -2=Média -1=Speciální 1=Diskuse 2=Uživatel
    3=Diskuse_s_uživatelem,Uživatel_diskuse,Uživatelka_diskuse 6=Soubor
    7=Diskuse_k_souboru,Soubor_diskuse 8=MediaWiki 9=Diskuse_k_MediaWiki,MediaWiki_diskuse 10=Šablona
    11=Diskuse_k_šabloně,Šablona_diskuse 12=Nápověda 13=Diskuse_k_nápovědě,Nápověda_diskuse 14=Kategorie
    15=Diskuse_ke_kategorii,Kategorie_diskuse
de: -2=Medium -1=Spezial 1=Diskussion 2=Benutzer 3=Benutzer_Diskussion 6=Datei,Bild
    7=Datei_Diskussion,Bild_Diskussion 8=MediaWiki 9=MediaWiki_Diskussion 10=Vorlage
    11=Vorlage_Diskussion 12=Hilfe 13=Hilfe_Diskussion 14=Kategorie 15=Kategorie_Diskussion
el: -2=Μέσο,Μέσον -1=Ειδικό 1=Συζήτηση 2=Χρήστης 3=Συζήτηση_χρήστη 6=Αρχείο,Εικόνα
    7=Συζήτηση_αρχείου,Συζήτηση_εικόνας 8=MediaWiki 9=Συζήτηση_MediaWiki 10=Πρότυπο 11=Συζήτηση_προτύπου
    12=Βοήθεια 13=Συζήτηση_βοήθειας 14=Κατηγορία 15=Συζήτηση_κατηγορίας
es: -2=Medio -1=Especial 1=Discusión 2=Usuario 3=Usuario_discusión 6=Archivo,Imagen
    7=Archivo_discusión,Imagen_discusión 8=MediaWiki 9=MediaWiki_discusión 10=Plantilla
    11=Plantilla_discusión 12=Ayuda 13=Ayuda_discusión 14=Categoría 15=Categoría_discusión
fa: -2=مدیا,رسانه,رسانه‌ای -1=ویژه 1=بحث 2=کاربر 3=بحث_کاربر 6=پرونده,تصویر 7=بحث_پرونده,بحث_تصویر
    8=مدیاویکی 9=بحث_مدیاویکی 10=الگو 11=بحث_الگو 12=راهنما 13=بحث_راهنما 14=رده 15=بحث_رده
fr: -2=Média -1=Spécial 1=Discussion,Discuter 2=Utilisateur
    3=Discussion_utilisateur,Discussion_Utilisateur 6=Fichier
    7=Discussion_fichier,Discussion_Fichier,Discussion_Image 8=MediaWiki 9=Discussion_MediaWiki
    10=Modèle 11=Discussion_modèle,Discussion_Modèle 12=Aide 13=Discussion_aide,Discussion_Aide
    14=Catégorie 15=Discussion_catégorie,Discussion_Catégorie
he: -2=מדיה -1=מיוחד 1=שיחה 2=משתמש 3=שיחת_משתמש 6=קובץ,תמונה 7=שיחת_קובץ,שיחת_תמונה 8=מדיה_ויקי
    9=שיחת_מדיה_ויקי 10=תבנית 11=שיחת_תבנית 12=עזרה 13=שיחת_עזרה 14=קטגוריה 15=שיחת_קטגוריה
hy: -2=Մեդիա -1=Սպասարկող 1=Քննարկում 2=Մասնակից 3=Մասնակցի_քննարկում 6=Պատկեր 7=Պատկերի_քննարկում
    8=MediaWiki 9=MediaWiki_քննարկում 10=Կաղապար 11=Կաղապարի_քննարկում 12=Օգնություն
    13=Օգնության_քննարկում 14=Կատեգորիա 15=Կատեգորիայի_քննարկում
it: -2=Media -1=Speciale 1=Discussione 2=Utente 3=Discussioni_utente 6=File,Immagine
    7=Discussioni_file,Discussioni_immagine 8=MediaWiki 9=Discussioni_MediaWiki 10=Template
    11=Discussioni_template 12=Aiuto 13=Discussioni_aiuto 14=Categoria 15=Discussioni_categoria
ja: -2=メディア -1=特別 1=トーク,ノート 2=利用者 3=利用者・トーク,利用者‐会話 6=ファイル,画像
    7=ファイル・トーク,画像‐ノート,ファイル‐ノート 8=MediaWiki 9=MediaWiki・トーク,MediaWiki‐ノート
    10=テンプレート 11=テンプレート・トーク,Template‐ノート 12=ヘルプ 13=ヘルプ・トーク,Help‐ノート
    14=カテゴリ 15=カテゴリ・トーク,Category‐ノート
ko: -2=미디어 -1=특수,특,특수기능 1=토론 2=사용자 3=사용자토론 6=파일,그림 7=파일토론,그림토론
    8=미디어위키 9=미디어위키토론,MediaWiki토론 10=틀 11=틀토론 12=도움말 13=도움말토론 14=분류
    15=분류토론
mr: -2=मिडिया -1=विशेष 1=चर्चा 2=सदस्य 3=सदस्य_चर्चा 6=चित्र 7=चित्र_चर्चा 8=मिडियाविकी
    9=मिडियाविकी_चर्चा 10=साचा 11=साचा_चर्चा 12=सहाय्य,साहाय्य 13=सहाय्य_चर्चा,साहाय्य_चर्चा 14=वर्ग
    15=वर्ग_चर्चा
nl: -2=Media -1=Speciaal 1=Overleg 2=Gebruiker 3=Overleg_gebruiker 6=Bestand,Afbeelding
    7=Overleg_bestand,Overleg_afbeelding 8=MediaWiki 9=Overleg_MediaWiki 10=Sjabloon 11=Overleg_sjabloon
    12=Help 13=Overleg_help 14=Categorie 15=Overleg_categorie
pl: -2=Media -1=Specjalna 1=Dyskusja 2=Użytkownik 3=Dyskusja_użytkownika 6=Plik,Grafika
    7=Dyskusja_pliku,Dyskusja_grafiki 8=MediaWiki 9=Dyskusja_MediaWiki 10=Szablon 11=Dyskusja_szablonu
    12=Pomoc 13=Dyskusja_pomocy 14=Kategoria 15=Dyskusja_kategorii
pt: -2=Multimédia -1=Especial 1=Discussão 2=Utilizador,Usuário 3=Utilizador_Discussão,Usuário_Discussão
    6=Ficheiro,Imagem,Arquivo 7=Ficheiro_Discussão,Imagem_Discussão,Arquivo_Discussão 8=MediaWiki
    9=MediaWiki_Discussão 10=Predefinição 11=Predefinição_Discussão 12=Ajuda 13=Ajuda_Discussão
    14=Categoria 15=Categoria_Discussão
ru: -2=Медиа -1=Служебная 1=Обсуждение 2=Участник 3=Обсуждение_участника 6=Файл,Изображение
    7=Обсуждение_файла,Обсуждение_изображения 8=MediaWiki 9=Обсуждение_MediaWiki 10=Шаблон
    11=Обсуждение_шаблона 12=Справка 13=Обсуждение_справки 14=Категория 15=Обсуждение_категории
sv: -2=Media -1=Special 1=Diskussion 2=Användare 3=Användardiskussion 6=Fil,Bild
    7=Fildiskussion,Bilddiskussion 8=MediaWiki 9=MediaWiki-diskussion,MediaWiki_diskussion 10=Mall
    11=Malldiskussion 12=Hjälp 13=Hjälpdiskussion,Hjälp_diskussion 14=Kategori 15=Kategoridiskussion
tr: -2=Ortam,Medya -1=Özel 1=Tartışma 2=Kullanıcı 3=Kullanıcı_mesaj 6=Dosya,Resim
    7=Dosya_tartışma,Resim_tartışma 8=MediaWiki,MedyaViki 9=MediaWiki_tartışma,MedyaViki_tartışma
    10=Şablon 11=Şablon_tartışma 12=Yardım 13=Yardım_tartışma 14=Kategori 15=Kategori_tartışma
uk: -2=Медіа,Медиа -1=Спеціальна,Спеціальні,Служебная 1=Обговорення,Обсуждение 2=Користувач,Участник
    3=Обговорення_користувача,Обсуждение_участника 6=Файл,Зображення,Изображение
    7=Обговорення_файлу,Обговорення_зображення,Обсуждение_файла,Обсуждение_изображения 8=MediaWiki
    9=Обговорення_MediaWiki,Обсуждение_MediaWiki 10=Шаблон
    11=Обговорення_шаблону,Обговорення_шаблона,Обсуждение_шаблона 12=Довідка,Справка
    13=Обговорення_довідки,Обсуждение_справки 14=Категорія,Категория
    15=Обговорення_категорії,Обсуждение_категории
vi: -2=Phương_tiện -1=Đặc_biệt 1=Thảo_luận 2=Thành_viên 3=Thảo_luận_Thành_viên 6=Tập_tin,Hình
    7=Thảo_luận_Tập_tin,Thảo_luận_Hình 8=MediaWiki 9=Thảo_luận_MediaWiki 10=Bản_mẫu,Tiêu_bản
    11=Thảo_luận_Bản_mẫu,Thảo_luận_Tiêu_bản 12=Trợ_giúp 13=Thảo_luận_Trợ_giúp 14=Thể_loại
    15=Thảo_luận_Thể_loại
zh-hans: -2=媒体,媒体文件,媒体档案 -1=特殊 1=讨论,对话 2=用户 3=用户讨论,用户对话,使用者讨论,使用者对话
    4=专案 5=专案讨论 6=文件,Image,档案,图像,图片
    7=文件讨论,Image_talk,文件对话,档案讨论,档案对话,图像讨论,图像对话,图片讨论 8=MediaWiki
    9=MediaWiki讨论 10=模板,样板 11=模板讨论,模板对话,样板讨论,样板对话 12=帮助,说明,使用说明
    13=帮助讨论,帮助对话,说明讨论,使用说明讨论 14=分类 15=分类讨论,分类对话
zh-hant: -2=媒體,媒體檔案,媒體文件 -1=特殊 1=討論,對話 2=使用者,用戶
    3=使用者討論,使用者對話,用戶討論,用戶對話 4=專案 5=專案討論 6=檔案,Image,文件,圖像,圖片
    7=檔案討論,Image_talk,檔案對話,文件討論,文件對話,圖像討論,圖像對話,圖片討論 8=MediaWiki
    9=MediaWiki討論 10=模板,樣板 11=模板討論,模板對話,樣板討論,樣板對話 12=說明,幫助,使用說明
    13=說明討論,幫助討論,幫助對話,使用說明討論 14=分類 15=分類討論,分類對話
wikipedia: 4=Wikipedia,WP 5=Wikipedia_talk,WT 6=ফাইল,संचिका 100=Portal 101=Portal_talk 118=Draft
    119=Draft_talk
"""

#: Interlanguage prefixes: MediaWiki 1.39's language codes (``includes/languages/data/Names.php``) and
#: the Wikimedia wikis' historical codes (simple, be-x-old, zh-yue, ...).
_LANGUAGE_CODES = """
aa ab abs ace ady ady-cyrl aeb aeb-arab aeb-latn af ak aln als alt am ami an ang anp ar arc arn arq ary
arz as ase ast atj av avk awa ay az azb ba ban ban-bali bar bat-smg bbc bbc-latn bcc bci bcl be
be-tarask be-x-old bg bgn bh bho bi bjn blk bm bn bo bpy bqi br brh bs btm bto bug bxr ca cbk-zam cdo ce
ceb ch cho chr chy ckb co cps cr crh crh-cyrl crh-latn cs csb cu cv cy da dag de de-at de-ch de-formal
din diq dsb dtp dty dv dz ee egl el eml en en-ca en-gb eo es es-419 es-formal et eu ext fa fat ff fi fit
fiu-vro fj fo fon fr frc frp frr fur fy ga gaa gag gan gan-hans gan-hant gcr gd gl gld glk gn gom
gom-deva gom-latn gor got gpe grc gsw gu guc gur guw gv ha hak haw he hi hif hif-latn hil ho hr hrx hsb
hsn ht hu hu-formal hy hyw hz ia id ie ig ii ik ike-cans ike-latn ilo inh io is it iu ja jam jbo jut jv
ka kaa kab kbd kbd-cyrl kbp kcg kea kg khw ki kiu kj kjp kk kk-arab kk-cn kk-cyrl kk-kz kk-latn kk-tr kl
km kn ko ko-kp koi kr krc kri krj krl ks ks-arab ks-deva ksh ksw ku ku-arab ku-latn kum kv kw ky la lad
lb lbe lez lfn lg li lij liv lki lld lmo ln lo loz lrc lt ltg lus luz lv lzh lzz mad mai map-bms mdf mg
mh mhr mi min mk ml mn mni mnw mo mos mr mrh mrj ms ms-arab mt mus mwl my myv mzn na nah nan nap nb nds
nds-nl ne new ng nia niu nl nl-informal nmz nn no nod nov nqo nrm nso nv ny nyn nys oc ojb olo om or os
pa pag pam pap pcd pcm pdc pdt pfl pi pih pl pms pnb pnt prg ps pt pt-br pwn qu qug rgn rif rm rmc rmy
rn ro roa-rup roa-tara rsk ru rue rup ruq ruq-cyrl ruq-latn rw ryu sa sah sat sc scn sco sd sdc sdh se
se-fi se-no se-se sei ses sg sgs sh shi shi-latn shi-tfng shn shy shy-latn si simple sjd sje sk skr
skr-arab sl sli sm sma smn sms sn so sq sr sr-ec sr-el srn sro ss st stq sty su sv sw syl szl szy ta tay
tcy tdd te tet tg tg-cyrl tg-latn th ti tk tl tly tly-cyrl tn to tpi tr tru trv ts tt tt-cyrl tt-latn
tum tw ty tyv tzm udm ug ug-arab ug-latn uk ur uz uz-cyrl uz-latn ve vec vep vi vls vmf vmw vo vot vro
wa war wls wo wuu xal xh xmf xsy yi yo yrl yue za zea zgh zh zh-classical zh-cn zh-hans zh-hant zh-hk
zh-min-nan zh-mo zh-my zh-sg zh-tw zh-yue zu
"""
LANGUAGE_PREFIXES: frozenset[str] = frozenset(_LANGUAGE_CODES.split())
#: Interwiki prefixes: the Wikimedia sister projects and MediaWiki's default ``maintenance/interwiki.list``.
_INTERWIKI_CODES = """
    b c commons d foundation m meta mw n phab q s species v voy w wikibooks wikidata wikinews wikiquote
    wikisource wikispecies wikiversity wikivoyage wikt wiktionary wmf
    acronym advogato arxiv c2find cache dictionary doi drumcorpswiki dwjwiki elibre emacswiki foldoc
    foxwiki freebsdman gentoo-wiki google googlegroups hammondwiki hrwiki imdb kmwiki linuxwiki lojban
    lqwiki meatball mediawikiwiki memoryalpha metawiki metawikimedia mozillawiki oeis openwiki pmid
    pythoninfo rfc s23wiki seattlewireless senseislibrary shoutwiki squeak tmbw tmnet theopedia twiki
    uncyclopedia unreal usemod wiki wikia wikif1 wikihow wikinfo wikimedia wikipedia
"""
INTERWIKI_PREFIXES: frozenset[str] = frozenset(_INTERWIKI_CODES.split())
#: The ``#REDIRECT`` magic word in the table's languages (MediaWiki 1.39 ``$magicWords['redirect']``);
#: case does not matter, and the ``#`` may be full-width (``＃``).
_REDIRECT_WORDS = """
REDIRECT AANSTUUR تحويل পুনর্নির্দেশ পুনঃর্নির্দেশ পুনঃনির্দেশ পুননির্দেশ PŘESMĚRUJ WEITERLEITUNG
ΑΝΑΚΑΤΕΥΘΥΝΣΗ REDIRECCIÓN REDIRECCION تغییر_مسیر تغییرمسیر REDIRECTION הפניה ՎԵՐԱՀՂՈՒՄ RINVIA RINVIO
RIMANDO 転送 リダイレクト 넘겨주기 पुनर्निर्देशन पुर्ननिर्देशन DOORVERWIJZING PATRZ PRZEKIERUJ TAM REDIRECIONAMENTO
ПЕРЕНАПРАВЛЕНИЕ ПЕРЕНАПР OMDIRIGERING YÖNLENDİRME YÖNLENDİR ПЕРЕНАПРАВЛЕННЯ ĐỔI 重定向 重新導向
"""
REDIRECT_WORDS: tuple[str, ...] = tuple(_REDIRECT_WORDS.split())


def namespace_key(name: str) -> str:
    """The form namespace names and prefixes are compared in: ``_`` and runs of spaces are one space,
    trimmed, case folded (MediaWiki matches namespace and interwiki prefixes case-insensitively)."""
    return " ".join(name.replace("_", " ").split()).casefold()


def _parse_namespace_table(table: str) -> dict[str, int]:
    names: dict[str, int] = {}
    for entry in table.split():
        if entry.endswith(":"):  # a language code opening its row
            continue
        number, _, spellings = entry.partition("=")
        for spelling in spellings.split(","):
            names.setdefault(namespace_key(spelling), int(number))
    return names


def _canonical_names(table: str) -> dict[int, str]:
    """Number -> the first ``en`` spelling (with spaces), for every namespace pages live in (> 0)."""
    names: dict[int, str] = {}
    language = ""
    for entry in table.split():
        if entry.endswith(":"):
            language = entry[:-1]
            continue
        number, _, spellings = entry.partition("=")
        if language == "en" and int(number) > 0:
            names[int(number)] = spellings.split(",")[0].replace("_", " ")
    return names


#: Namespace number -> canonical name (the main namespace is ``""``): MediaWiki's English names, which
#: every wiki accepts, and Scribunto's ``Module`` namespaces (on every Wikimedia wiki). What a synced
#: folder names its namespace folders until the wiki's own names are known.
CANONICAL_NAMESPACES: Mapping[int, str] = MappingProxyType(
    {0: "", **_canonical_names(_NAMESPACE_TABLE), 828: "Module", 829: "Module talk"}
)


class LinkKind(StrEnum):
    """What a ``[[...]]`` link is. A file, category or interlanguage link written with a leading colon
    keeps its kind but shows as an ordinary link (see :attr:`LinkTarget.visible`)."""

    ARTICLE = "article"  # a page on this wiki, in any namespace but File, Media and Category
    SECTION = "section"  # ``[[#Section]]``: a section of this page
    FILE = "file"  # places an image or other file
    MEDIA = "media"  # ``[[Media:...]]``: a link straight to a file's content; shows as text
    CATEGORY = "category"  # files the page in a category
    INTERWIKI = "interwiki"  # a page on another wiki (``[[wikt:word]]``)
    INTERLANGUAGE = "interlanguage"  # this article in another language (``[[fr:Paris]]``)
    EXTERNAL = "external"  # a URL in double brackets: no link to MediaWiki, shown as text
    TEMPLATED = "templated"  # the target is made by a template or parameter: unknown until expanded
    INVALID = "invalid"  # empty or with characters no title may hold: MediaWiki shows the brackets


@dataclass(frozen=True)
class LinkTarget:
    """A classified link target. ``title`` is the page as written (prefix included, leading colon and
    fragment removed, spaces normalized); for interwiki and interlanguage links it is the part after the
    prefix, and ``prefix`` holds the prefix in lower case."""

    kind: LinkKind
    title: str
    fragment: str | None = None
    namespace: int = NAMESPACE_MAIN
    prefix: str = ""
    colon: bool = False

    @property
    def visible(self) -> bool:
        """Whether the link shows as text in the running prose (file, category and interlanguage links
        do not, unless written with a leading colon)."""
        hidden = self.kind in (LinkKind.FILE, LinkKind.CATEGORY, LinkKind.INTERLANGUAGE)
        return self.colon or not hidden


#: MediaWiki's default ``$wgUrlProtocols``: a link target starting with one is no page
#: (``[[TextEdithttp://x]]`` is a page, since "TextEdithttp:" is no protocol).
URL_PROTOCOLS = (
    "bitcoin:", "ftp://", "ftps://", "geo:", "git://", "gopher://", "http://", "https://", "irc://",
    "ircs://", "magnet:", "mailto:", "matrix:", "mms://", "news:", "nntp://", "redis://", "sftp://",
    "sip:", "sips:", "sms:", "ssh://", "svn://", "tel:", "telnet://", "urn:", "worldwind://", "xmpp:", "//",
)  # fmt: skip
_EXTERNAL = re.compile("|".join(map(re.escape, URL_PROTOCOLS)), re.I)
_FORBIDDEN_IN_TITLE = re.compile(r"[<>\[\]{}|\x00-\x1f\x7f]")
_SPACES = re.compile(r"[ _]+")


@dataclass(frozen=True)
class Markup:
    """The names a wiki gives its namespaces, interwiki and interlanguage prefixes and redirects.

    Build it once (:data:`BUILTIN`, or :meth:`with_siteinfo`/:meth:`extended` of it) and pass it to
    :func:`classify_link` and :func:`parse_redirect`.
    """

    namespaces: Mapping[str, int]  # namespace_key(name or alias) -> number
    interwiki: frozenset[str]  # lower-case prefixes of other wikis
    languages: frozenset[str]  # lower-case prefixes of this wiki's other-language versions
    redirect_words: tuple[str, ...] = REDIRECT_WORDS

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its names as a plain dict (a ``MappingProxyType`` does not pickle), so that a
        wiki's table reaches the worker processes of a batch convert."""
        return _unpickle, (dict(self.namespaces), self.interwiki, self.languages, self.redirect_words)

    def namespace(self, prefix: str) -> int | None:
        """The number of the namespace ``prefix`` names, or ``None``."""
        return self.namespaces.get(namespace_key(prefix))

    def names_of(self, number: int) -> frozenset[str]:
        """Every name (in :func:`namespace_key` form) of namespace ``number``."""
        return frozenset(name for name, n in self.namespaces.items() if n == number)

    def extended(
        self,
        namespaces: Mapping[int, str | Iterable[str]] | None = None,
        *,
        interwiki: Iterable[str] = (),
        languages: Iterable[str] = (),
        redirect_words: Iterable[str] = (),
    ) -> Markup:
        """This table plus a wiki's own names (number -> name or names), prefixes and redirect words.
        A wiki's names win over the built-in ones when they clash."""
        names = dict(self.namespaces)
        for number, spellings in (namespaces or {}).items():
            for spelling in [spellings] if isinstance(spellings, str) else spellings:
                if spelling.strip():
                    names[namespace_key(spelling)] = int(number)
        langs = {p.strip().lower() for p in languages if p.strip()}
        wikis = {p.strip().lower() for p in interwiki if p.strip()} - langs
        return Markup(
            namespaces=MappingProxyType(names),
            interwiki=(self.interwiki - langs) | wikis,
            languages=(self.languages - wikis) | langs,
            redirect_words=tuple(dict.fromkeys((*self.redirect_words, *redirect_words))),
        )

    def with_siteinfo(self, siteinfo: Mapping[str, Any]) -> Markup:
        """This table plus what the Action API's ``meta=siteinfo`` returned (the ``query`` object, or
        its content): ``namespaces``, ``namespacealiases``, ``interwikimap`` and ``magicwords`` are
        used when present, in either ``formatversion``."""
        info = siteinfo.get("query", siteinfo)
        names: dict[int, list[str]] = {}
        raw_namespaces = info.get("namespaces", {})
        for ns in raw_namespaces.values() if isinstance(raw_namespaces, Mapping) else raw_namespaces:
            spellings = names.setdefault(int(ns["id"]), [])
            spellings += [s for s in (ns.get("name", ns.get("*")), ns.get("canonical")) if s]
        for alias in info.get("namespacealiases", ()):
            names.setdefault(int(alias["id"]), []).append(alias.get("alias", alias.get("*", "")))
        interwiki, languages = [], []
        for entry in info.get("interwikimap", ()):
            (languages if "language" in entry else interwiki).append(entry["prefix"])
        words: list[str] = []
        for word in info.get("magicwords", ()):
            if word.get("name") == "redirect":
                words += [w.lstrip("#＃") for w in word.get("aliases", ())]
        return self.extended(names, interwiki=interwiki, languages=languages, redirect_words=words)

    def classify(self, target: str) -> LinkTarget:
        """What ``[[target]]`` is on this wiki (the part before any ``|``), as MediaWiki resolves it:
        a namespace prefix first, then an interwiki or interlanguage prefix."""
        raw = target.strip()
        if "{{" in raw or "{{{" in raw:
            return LinkTarget(LinkKind.TEMPLATED, raw)
        if _EXTERNAL.match(raw):
            return LinkTarget(LinkKind.EXTERNAL, raw)
        colon = raw.startswith(":")
        name = raw[1:].strip() if colon else raw
        page, hash_sign, fragment_part = name.partition("#")
        fragment = fragment_part.strip() if hash_sign else None
        page = _SPACES.sub(" ", page).strip()
        if not page:
            if fragment is not None and not colon:
                return LinkTarget(LinkKind.SECTION, "", fragment)
            return LinkTarget(LinkKind.INVALID, raw)
        if _FORBIDDEN_IN_TITLE.search(page):
            return LinkTarget(LinkKind.INVALID, raw)
        prefix, has_prefix, rest = page.partition(":")
        if has_prefix:
            number = self.namespace(prefix)
            if number is not None:
                kind = {
                    NAMESPACE_FILE: LinkKind.FILE,
                    NAMESPACE_MEDIA: LinkKind.MEDIA,
                    NAMESPACE_CATEGORY: LinkKind.CATEGORY,
                }.get(number, LinkKind.ARTICLE)
                return LinkTarget(kind, page, fragment, number, colon=colon)
            key = prefix.strip().lower()
            if key in self.languages:
                return LinkTarget(LinkKind.INTERLANGUAGE, rest.strip(), fragment, prefix=key, colon=colon)
            if key in self.interwiki:
                return LinkTarget(LinkKind.INTERWIKI, rest.strip(), fragment, prefix=key, colon=colon)
        return LinkTarget(LinkKind.ARTICLE, page, fragment, colon=colon)


BUILTIN = Markup(
    namespaces=MappingProxyType(_parse_namespace_table(_NAMESPACE_TABLE)),
    interwiki=INTERWIKI_PREFIXES - LANGUAGE_PREFIXES,
    languages=LANGUAGE_PREFIXES,
)
"""The built-in table: canonical names, the common languages, Wikimedia's prefixes."""


def classify_link(target: str, markup: Markup = BUILTIN) -> LinkTarget:
    """What ``[[target]]`` is (see :meth:`Markup.classify`)."""
    return markup.classify(target)


# --------------------------------------------------------------------------------------------------
# What a link shows

_PIPE_TRICK_PREFIX = re.compile(r"^:?[\w \-]+:|^:", re.UNICODE)
_PIPE_TRICK_CONTEXT = re.compile(r"^(.+?)(?: ?\(.+\)| ?（.+）)$")
_PIPE_TRICK_COMMA = re.compile(r"^(.+?)(?:, |，|、).+$")


def pipe_trick(target: str) -> str:
    """The label ``[[target|]]`` gets when saved (MediaWiki's pipe trick, ``Parser::pstPass2``): the
    leading colon and one namespace or interwiki prefix removed, then a trailing ``(context)`` or,
    failing that, everything from the first comma."""
    page = _PIPE_TRICK_PREFIX.sub("", target.strip(), count=1).strip()
    match = _PIPE_TRICK_CONTEXT.match(page) or _PIPE_TRICK_COMMA.match(page)
    return match.group(1) if match else page


def link_text(target: str) -> str:
    """The text ``[[target]]`` (no label) shows: the target as written, without a leading colon."""
    text = target.strip()
    return text[1:].lstrip() if text.startswith(":") else text


# --------------------------------------------------------------------------------------------------
# Redirects


@dataclass(frozen=True)
class Redirect:
    """A redirect page's target: the page, and the section when the redirect names one."""

    target: str
    fragment: str | None = None

    @property
    def link(self) -> str:
        """The link target as written: ``Page`` or ``Page#Section``."""
        return self.target if self.fragment is None else f"{self.target}#{self.fragment}"


def _redirect_pattern(words: Iterable[str]) -> re.Pattern[str]:
    alternation = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"\s*[#＃](?:{alternation})\s*:?\s*\[\[([^\[\]|\n]+)(?:\|[^\[\]\n]*)?\]\]", re.I)


_REDIRECT_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def parse_redirect(text: str, markup: Markup = BUILTIN) -> Redirect | None:
    """The redirect ``text`` (a page's whole wikitext) makes, or ``None`` when it is no redirect.

    MediaWiki reads a redirect only at the very start of a page: ``#REDIRECT [[Target]]``, the magic
    word in any case or in one of the wiki's languages, an optional ``:``; what follows the link is kept
    on the page but does not change the target.
    """
    pattern = _REDIRECT_PATTERNS.get(markup.redirect_words)
    if pattern is None:
        pattern = _REDIRECT_PATTERNS[markup.redirect_words] = _redirect_pattern(markup.redirect_words)
    match = pattern.match(text)
    if match is None:
        return None
    page, hash_sign, fragment = match.group(1).partition("#")
    page = _SPACES.sub(" ", page).strip()
    if not page and not hash_sign:
        return None
    return Redirect(page, fragment.strip() if hash_sign else None)


# --------------------------------------------------------------------------------------------------
# How ``[[`` and ``]]`` pair

#: A page's link brackets: ``[[``, ``]]``, and ``[[`` written as character references (``&#91;&#91;``),
#: which open no link but are closed by a ``]]`` (so that ``]]`` closes nothing else).
LINK_BRACKETS = re.compile(r"\[\[|\]\]|(?:&#91;|&#[xX]5[bB];|&lsqb;|&lbrack;){2}")
#: One ``[`` written as a character reference.
BRACKET_REFERENCE = re.compile(r"&#91;|&#[xX]5[bB];|&lsqb;|&lbrack;")
#: A link on one line with no bracket in it (most links); group 1 is what is between the brackets.
ONE_LINE_LINK = re.compile(r"\[\[([^\[\]\n]*)\]\]")
_BRACKETS = re.compile(r"\[\[|\]\]")


@dataclass(slots=True)
class LinkBrackets:
    """How MediaWiki pairs a page's link brackets (see :func:`pair_link_brackets`); offsets in order."""

    pairs: list[tuple[int, int]]  # (offset of the ``[[``, offset of its ``]]``): links, if valid
    unclosed: list[int]  # each ``[[`` MediaWiki shows as text
    stray: list[int]  # each ``]]`` that closes nothing
    in_captions: list[int]  # each ``[[`` of a link inside a (closed) file link's caption


def pair_link_brackets(
    text: str, brackets: Iterable[int] | None = None, markup: Markup = BUILTIN
) -> LinkBrackets:
    """Pair the ``[[`` and ``]]`` of ``text`` as MediaWiki's ``Parser::handleInternalLinks2`` does.
    ``brackets`` are the offsets of the :data:`LINK_BRACKETS` to walk (all of them by default; a caller
    may leave out one-line links met while nothing is open, which pair with themselves).

    Only a file link's caption holds links, and only links that hold no ``[[`` themselves: a ``[[`` met
    anywhere else leaves whatever is still open as text, and the links after it are plain links. So an
    unclosed file link whose caption runs into a second file link (``[[File:A|a [[X]]`` then
    ``[[File:B|b [[Y]] c]]``) leaves both file links as text and ``Y`` an ordinary link. A ``[[``
    written as character references is text that a ``]]`` closes."""
    found = LinkBrackets([], [], [], [])
    if brackets is None:
        if "[[[" in text or BRACKET_REFERENCE.search(text):  # every bracket, one by one
            brackets = [match.start() for match in LINK_BRACKETS.finditer(text)]
        else:
            tokens = bracket_tokens(text, ONE_LINE_LINK.finditer(text))
            brackets = brackets_to_walk(text, tokens, found.pairs)
    stack: list[int] = []
    literal: set[int] = set()
    inside: dict[int, list[int]] = {}  # links opened in an open file link: a caption's once it closes

    def give_up() -> None:
        for opened in stack:
            inside.pop(opened, None)
            if opened not in literal:
                found.unclosed.append(opened)
        stack.clear()

    for position in brackets:
        char = text[position]
        if char == "&":
            literal.add(position)
            stack.append(position)
        elif char == "[":
            top = stack[-1] if stack else None
            if top is not None and (
                len(stack) > 1 or top in literal or not _holds_links(text, top, position, markup)
            ):
                give_up()
            if stack:
                inside.setdefault(stack[-1], []).append(position)
            stack.append(position)
        elif not stack:
            found.stray.append(position)
        else:
            opened = stack.pop()
            found.in_captions += inside.pop(opened, ())
            if opened not in literal:
                found.pairs.append((opened, position))
    found.unclosed += [opened for opened in stack if opened not in literal]
    found.unclosed.sort()
    found.in_captions.sort()
    return found


def bracket_tokens(text: str, links: Iterable[re.Match[str]]) -> list[tuple[int, int]]:
    """``(start, end)`` of each one-line link (``links``, every :data:`ONE_LINE_LINK` match of ``text``)
    and ``(start, -1)`` of each ``[[`` and ``]]`` outside them, in text order, for a text with no
    ``[[[``: what one scan for links and brackets finds, faster (that alternation starts with no
    single literal, so ``re`` tries it at every offset; here only the text between links is searched,
    and rarely)."""
    tokens: list[tuple[int, int]] = []
    position = 0
    for link in links:
        start, end = link.span()
        if text.find("[[", position, start) != -1 or text.find("]]", position, start) != -1:
            tokens += [(match.start(), -1) for match in _BRACKETS.finditer(text, position, start)]
        tokens.append((start, end))
        position = end
    tokens += [(match.start(), -1) for match in _BRACKETS.finditer(text, position)]
    return tokens


def brackets_to_walk(
    text: str, tokens: Iterable[tuple[int, int]], skipped: list[tuple[int, int]] | None = None
) -> Iterator[int]:
    """The offsets of ``tokens`` (see :func:`bracket_tokens`) that :func:`pair_link_brackets` must walk:
    every lone bracket, and a one-line link's two brackets only while a bracket may be open. A link
    met while none is pairs with itself and changes nothing: it goes into ``skipped``, if given."""
    open_count = 0  # never less than what the walk holds open: while zero, nothing is
    for start, end in tokens:
        if end == -1:
            open_count = max(0, open_count - 1) if text[start] == "]" else open_count + 1
            yield start
        elif open_count:
            yield start
            yield end - 2
        elif skipped is not None:
            skipped.append((start, end - 2))


def _holds_links(text: str, opened: int, position: int, markup: Markup) -> bool:
    """Whether the ``[[`` at ``opened``, still open at ``position``, may hold a link: a file link may,
    in its caption (on any line); one written with a leading colon is an ordinary link and may not."""
    pipe = text.find("|", opened + 2, position)
    target = markup.classify(text[opened + 2 : position if pipe == -1 else pipe])
    return target.kind is LinkKind.FILE and not target.colon


# --------------------------------------------------------------------------------------------------
# How brace runs pair: templates ``{{...}}``, parameters ``{{{...}}}``

_OPENING_BRACES = re.compile(r"\{\{+")  # found apart: an alternation is tried at every offset (8x slower)
_CLOSING_BRACES = re.compile(r"\}\}+")
_ANY_CLOSING_BRACES = re.compile(r"\}+")  # with language variants: one ``}`` before ``-`` closes ``-{``
_BRACKET_RUNS = re.compile(r"\[\[+|\]\]+")  # searched between two brace runs only
_OPENING_VARIANT = re.compile(r"-\{(?!\{)")  # ``-{{`` opens a template (the rightmost opening wins)


@dataclass(slots=True)
class BraceMatch:
    """What :func:`match_braces` finds; offsets in text order."""

    #: ``(start, end, is_parameter, depth)`` of each ``{{...}}`` (``{{{...}}}`` when ``is_parameter``),
    #: ``end`` past its closing braces, sorted by start; ``depth`` counts the brace runs still open
    #: around it in its document (a run of five holding two elements counts once).
    elements: list[tuple[int, int, bool, int]]
    #: The :attr:`elements` of the page itself, not inside a set-aside element such as ``<ref>``.
    page: list[tuple[int, int, bool, int]]
    unclosed: list[int]  # the start of each opening run with two or more braces left that nothing closed
    stray: list[int]  # where two or more braces of a closing run are left that close nothing


def match_braces(
    text: str, skipped: Iterable[tuple[int, int]] = (), documents: Iterable[tuple[int, int]] = ()
) -> BraceMatch:
    """Pair the brace runs of ``text`` as MediaWiki's preprocessor does (``Preprocessor_Hash::
    buildDomTreeArrayFromText``, MediaWiki 1.39-1.43), in one pass over the runs.

    The preprocessor first sets aside what holds no markup: ``skipped`` are those spans (comments and
    elements whose content is not wikitext, see :func:`unparsed_spans`), sorted and disjoint.
    ``documents`` (sorted, disjoint) are extension elements with wikitext content (``<ref>``, see
    :func:`masked_spans`): each is one opaque node in the page, its content parsed apart, so a brace in
    it pairs only with braces in the same element. The preprocessor's rules, all kept here:

    - An opening run of two or more ``{`` is pushed whole; a closing run pairs with the innermost open
      run only, taking three braces when both have three or more left (a parameter ``{{{...}}}``), else
      two (a template ``{{...}}``), innermost braces first; what is left of either run carries on
      (``{{{{a}}}}`` is ``{`` + ``{{{a}}}`` + ``}``; ``{{{{{a}}}}}`` a template around a parameter;
      ``{{a}}}`` a template and a ``}``). An opening run left with one brace is text.
    - ``[[`` runs are pushed too, and while one is the innermost open run a ``}`` is text: so
      ``{{a|[[b}}]]}}`` is one template, and ``{{a|[[b}}`` none (the ``[[`` never closes, and an open
      run hides the closings of every run outside it). ``]]`` closes only an innermost ``[[``.
    - ``-{`` (language variants, read unless a wiki sets ``$wgDisableLangConversion``) is pushed as
      well and closed only by ``}-``:
      ``{{a|b-{c}}`` is no template either. A run written after ``-`` that keeps one brace becomes a
      ``-{``.
    - Not modelled: a heading line (``== x ==``) is a run of its own that ends at the line's end, so a
      ``}}`` on it cannot close a ``{{`` opened on an earlier line; it can here.
    """
    if "{{" not in text and "}}" not in text:
        return BraceMatch([], [], [], [])
    events = [(match.start(), match.end(), "{") for match in _OPENING_BRACES.finditer(text)]
    variants = "-{" in text
    if variants:
        events += [(match.start(), match.end(), "-") for match in _OPENING_VARIANT.finditer(text)]
    aside = False
    find = text.find
    for spans, enter, leave in ((skipped, "s", "S"), (documents, "d", "D")):
        for start, end in spans:
            # set-aside text with no brace and no link bracket in it changes nothing: most does not
            if (
                find("{", start, end) != -1
                or find("}", start, end) != -1
                or find("[[", start, end) != -1
                or find("]]", start, end) != -1
            ):
                events += ((start, start, enter), (end, end, leave))
                aside = True
    if aside or variants:
        events.sort()
    links = "[[" in text
    next_link = -1  # the first "[[" at or after the last gap's start, while it is before the gap
    found = BraceMatch([], [], [], [])
    stray, unclosed = found.stray, found.unclosed
    into = found.page  # where elements go: the page's, or (found.elements until the end) an element's
    stack: list[list[Any]] = []  # [start, characters left, kind] of each open run, innermost last
    depth = 0  # how many "{" runs the stack holds
    page: tuple[list[list[Any]], int] | None = None  # the page's stack while in an element's content
    skipping = False
    dashes: set[int] = set()  # each "-" a "}-" took: it opens nothing after
    index, count, previous = 0, len(events), 0

    closings = [
        match.span() for match in (_ANY_CLOSING_BRACES if variants else _CLOSING_BRACES).finditer(text)
    ]
    closings.append((len(text) + 1, len(text) + 1))  # past the end: takes the events after the last run
    for start, end in closings:
        first = index
        while index < count and events[index][0] <= start:  # a span may end where the run starts
            index += 1
        batch = None
        # A bracket run matters only while a brace run is open (it may hide that run's closing),
        # and a "]]" only while a "[[" is the innermost: the bracket runs before a closing are read
        # from the last closing if a run was open there, else from the first opening since; most
        # of a page's links are never read.
        if links and end <= len(text):
            if stack or (page is not None and page[0]):
                since = previous
            else:
                since = start
                if first < index:
                    event = events[first]
                    if event[2] == "{" or event[2] == "-":
                        since = event[0]
                    else:  # set-aside text starts or ends first
                        for event in events[first + 1 : index]:
                            if event[2] == "{" or event[2] == "-":
                                since = event[0]
                                break
            if next_link < since:  # the gaps only move forward: the next "[[" is found once
                next_link = find("[[", since)
                if next_link == -1:
                    next_link = len(text)
            if since < start and (
                next_link < start
                or (
                    (
                        (stack and stack[-1][2] == "[")
                        or (page is not None and page[0] and page[0][-1][2] == "[")
                    )
                    and find("]]", since, start) != -1
                )
            ):
                batch = events[first:index]
                runs = _BRACKET_RUNS.finditer(text, since, start)
                batch += [(run.start(), run.end(), run.group()[0]) for run in runs]
                batch.sort()
        if batch is None and first < index:
            event = events[first]
            if first == index - 1 and event[2] == "{" and not skipping:
                stack.append([event[0], event[1] - event[0], "{"])  # most often: one opening run
                depth += 1
            else:
                batch = events[first:index]
        # the events before this closing: push runs, enter and leave set-aside text
        for event_start, event_end, kind in batch or ():
            if kind == "{" or kind == "[" or kind == "-":
                if not skipping and (kind != "-" or event_start not in dashes):
                    stack.append([event_start, 2 if kind == "-" else event_end - event_start, kind])
                    depth += kind == "{"
            elif kind == "]":
                if not skipping:
                    left = event_end - event_start
                    while left >= 2 and stack and stack[-1][2] == "[":
                        frame = stack[-1]
                        frame[1] -= 2
                        left -= 2
                        if frame[1] < 2:
                            stack.pop()
            elif kind == "s" or kind == "S":
                skipping = kind == "s"
            elif kind == "d":
                page, stack, depth, into = (stack, depth), [], 0, found.elements
            elif page is not None:  # "D"
                if stack:
                    unclosed.extend(frame[0] for frame in stack if frame[2] == "{")
                (stack, depth), page, into = page, None, found.page
        previous = end
        if skipping:
            continue
        left = end - start
        while left >= 2 and stack and stack[-1][2] == "{":
            frame = stack[-1]
            width = 3 if frame[1] >= 3 and left >= 3 else 2
            frame[1] -= width
            into.append((frame[0] + frame[1], end - left + width, width == 3, depth - 1))
            left -= width
            if frame[1] >= 2:
                continue
            depth -= 1
            if frame[1] == 1 and frame[0] and text[frame[0] - 1] == "-" and frame[0] - 1 not in dashes:
                frame[0] -= 1  # "-{{{a}}": the brace left and the dash open a language variant
                frame[1], frame[2] = 2, "-"
            else:
                stack.pop()
        if variants and left and stack and stack[-1][2] == "-" and text.startswith("-", end):
            stack.pop()  # "}-": its "}" is the run's last, after any it leaves as text
            dashes.add(end)
            left -= 1
            if left >= 2:
                stray.append(end - left - 1)
            continue
        if left >= 2:
            stray.append(end - left)
    if page is not None:
        unclosed.extend(frame[0] for frame in stack if frame[2] == "{")
        stack = page[0]
    unclosed.extend(frame[0] for frame in stack if frame[2] == "{")
    found.page.sort()
    found.elements = sorted(found.elements + found.page) if found.elements else found.page
    unclosed.sort()
    return found


def _unpickle(
    namespaces: dict[str, int], interwiki: frozenset[str], languages: frozenset[str], words: tuple[str, ...]
) -> Markup:
    return Markup(MappingProxyType(namespaces), interwiki, languages, words)

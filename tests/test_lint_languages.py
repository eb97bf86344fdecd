"""Pages in other languages: appendix names, the page's language from config or export, punctuation,
and article-style rules limited to content namespaces."""

from __future__ import annotations

from pathlib import Path

import pytest

from wikitools.lint import LintConfig, LintOptions, Selection, lint_page, lint_paths
from wikitools.lint.config import load_config
from wikitools.lint.languages import (
    EXTERNAL_LINKS,
    LANGUAGES,
    REFERENCES,
    SEE_ALSO,
    appendices_for,
)


def found(text: str, select: str, **page: object) -> list[tuple[str, int]]:
    options = LintOptions(selection=Selection(select=(select,)))
    return [(f.code, f.line) for f in lint_page(text, "Test page", options, **page).findings]  # type: ignore[arg-type]


def local(language: str, kind: str) -> str:
    return appendices_for(language).names(kind)[0] if language == "en" else _own(language, kind)


def _own(language: str, kind: str) -> str:
    from wikitools.lint.languages import APPENDIX_NAMES

    return next(name for name, k in APPENDIX_NAMES[language].items() if k == kind)


def test_at_least_fifteen_languages_including_the_corpus_ones() -> None:
    assert len(LANGUAGES) >= 15
    assert {
        "bn",
        "el",
        "hy",
        "ja",
        "mr",
        "uk",
        "vi",
        "de",
        "fr",
        "es",
        "it",
        "pt",
        "ru",
        "zh",
        "pl",
        "nl",
    } <= set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_see_also_rules_fire_under_the_local_name(language: str) -> None:
    see_also = local(language, SEE_ALSO)
    text = f"Text about [[Okinawa]].\n\n== {see_also} ==\n* [[Okinawa]]\n* [[Kyushu]]\n* [[Kyushu]]\n"
    assert found(text, "S104", language=language) == [("S104", 4)]
    assert found(text, "S105", language=language) == [("S105", 6)]
    empty = f"Text about [[Okinawa]].\n\n== {see_also} ==\n<!-- nothing yet -->\n"
    assert found(empty, "S101", language=language) == [("S101", 3)]


def test_a_local_see_also_name_means_nothing_in_another_language() -> None:
    text = "Text about [[Okinawa]].\n\n== Siehe auch ==\n* [[Okinawa]]\n"
    assert found(text, "S104", language="de") == [("S104", 4)]
    assert found(text, "S104", language="fr") == []


def test_appendix_names_combine() -> None:
    en = appendices_for("en")
    assert en.kind("references and further reading") == REFERENCES
    assert en.kind("reference literature") == REFERENCES
    assert appendices_for("uk").kind("джерела та література") == REFERENCES
    assert en.kind("history and culture") is None


@pytest.mark.parametrize(
    ("language", "headings", "fires"),
    [
        ("en", ["See also", "References", "External links"], False),
        ("en", ["References", "See also", "External links"], True),
        ("de", ["Siehe auch", "Literatur", "Weblinks", "Einzelnachweise"], False),
        ("de", ["Einzelnachweise", "Weblinks"], True),
        ("it", ["Note", "Bibliografia", "Voci correlate", "Collegamenti esterni"], False),
        ("uk", ["Див. також", "Примітки", "Література", "Посилання"], False),
        ("uk", ["Посилання", "Примітки"], True),
        ("ja", ["脚注", "関連項目", "外部リンク"], False),  # no known order: no S106
    ],
)
def test_appendix_order_follows_the_language(language: str, headings: list[str], fires: bool) -> None:
    text = "Body about [[Japan]].\n" + "".join(f"== {h} ==\nText.\n" for h in headings)
    assert bool(found(text, "S106", language=language)) is fires


def test_content_after_appendix_knows_combined_names() -> None:
    text = "[[Japan]].\n== Legacy ==\nText.\n== References and further reading ==\n* A book.\n"
    assert found(text, "S107") == []


def test_language_from_config_and_extra_names(tmp_path: Path) -> None:
    (tmp_path / "wikitools.toml").write_text(
        '[lint]\nlanguage = "hu"\nappendix-names = { see-also = ["Lásd még"] }\n', encoding="utf-8"
    )
    config = load_config(tmp_path / "wikitools.toml")
    page = tmp_path / "Oldal.wiki"
    page.write_text("Szöveg [[Okinawa]].\n\n== Lásd még ==\n* [[Okinawa]]\n", encoding="utf-8")
    [result] = lint_paths([str(page)], config.override(select=("S104",)))
    assert [(f.code, f.line) for f in result.findings] == [("S104", 4)]


def test_language_from_the_export_siteinfo(tmp_path: Path) -> None:
    xml = (
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">\n'
        "<siteinfo><sitename>Вікіпедія</sitename><dbname>ukwiki</dbname>"
        "<base>https://uk.wikipedia.org/wiki/Main</base></siteinfo>\n"
        "<page><title>Київ</title><ns>0</ns><id>1</id><revision><id>2</id>"
        "<timestamp>2024-01-01T00:00:00Z</timestamp><model>wikitext</model><format>text/x-wiki</format>"
        '<text xml:space="preserve">Місто [[Дніпро]].\n\n== Див. також ==\n* [[Дніпро]]\n</text>'
        "</revision></page>\n</mediawiki>\n"
    )
    path = tmp_path / "uk.xml"
    path.write_text(xml, encoding="utf-8")
    [result] = lint_paths([str(path)], LintConfig(select=("S104",)))
    assert [(f.code, f.line) for f in result.findings] == [("S104", 4)]
    # a language set in the configuration wins over the export's
    [forced] = lint_paths([str(path)], LintConfig(select=("S104",), language="en"))
    assert forced.findings == []


@pytest.mark.parametrize("title", ["Template:Infobox town", "Help:Editing", "Wikipedia:Sandbox"])
def test_article_style_rules_stay_out_of_other_namespaces(title: str) -> None:
    text = "Plain text.\n\n== See also ==\n\n== References ==\n"
    options = LintOptions(selection=Selection(select=("S", "L111")))
    assert lint_page(text, title, options).findings == []
    assert {f.code for f in lint_page(text, "Some article", options).findings} == {"S101", "L111"}


def test_content_namespaces_are_configurable() -> None:
    text = "Plain text.\n"
    options = LintOptions(selection=Selection(select=("L111",)), content_namespaces=frozenset({0, 10}))
    assert [f.code for f in lint_page(text, "Template:Box", options).findings] == ["L111"]


def test_external_links_kind_in_every_language() -> None:
    for language in LANGUAGES:
        assert appendices_for(language).names(EXTERNAL_LINKS), language

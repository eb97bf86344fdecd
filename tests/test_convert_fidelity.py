"""Conversion keeps what the article says: one test per defect found on real pages (issue 9)."""

from __future__ import annotations

import doctest
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wikitools import Conversion, Format, convert, convert_article, read_article
from wikitools.errors import InputError
from wikitools.formats import plaintext, wikitext_read, wikitext_write
from wikitools.markup import BUILTIN, LINK_BRACKETS, pair_link_brackets
from wikitools.model import Article, Link, ListBlock, Paragraph, Table, Text

HEADING = re.compile(r"^(={1,6})[^=\n].*?\1[ \t]*$", re.M)


def to_text(source: str, title: str = "Page") -> str:
    return convert(source, Conversion("wikitext", "text", title=title))


def text_to_wiki_to_text(text: str) -> str:
    wiki = convert(text, Conversion("text", "wikitext"))
    return convert(wiki, Conversion("wikitext", "text", title=plaintext.read(text).title))


def wiki_to_text_to_wiki(source: str, title: str = "Page") -> str:
    return convert(to_text(source, title), Conversion("text", "wikitext"))


# -- The outline: no heading invented, none lost ------------------------------------------------------


def test_table_rows_captions_and_short_lines_do_not_come_back_as_headings() -> None:
    source = (
        "Intro sentence.\n\n== History ==\n"
        "{| class=wikitable\n|+ Award winners\n|-\n! Year !! Film\n|-\n| 1929 || Wings\n|-\n| 1930\n|}\n"
        "'''A bold line'''\n\n"
        "; Term\n: Definition\n\n"
        "Short line\n\n"
        "<gallery>\nA.jpg|Caption\n</gallery>\n"
        "== Legacy ==\nText.\n"
    )
    back = wiki_to_text_to_wiki(source)
    assert HEADING.findall(back) == HEADING.findall(source)
    assert [s.heading for s in wikitext_read.read(back, "Page").sections] == ["History", "Legacy"]


def test_a_table_is_tab_separated_rows_in_text_and_a_table_again_in_wikitext() -> None:
    source = "{|\n|+ Caption\n|-\n! H1 !! H2\n|-\n| a || [[b]]\n|-\n| alone\n|}"
    text = to_text(source)
    assert text == "Page\n\nCaption\t\nH1\tH2\na\tb\nalone\t"
    article = plaintext.read(text)
    assert isinstance(article.lead[0], Table)
    back = wikitext_write.write(article)
    assert back.startswith("{|") and back.endswith("|}")
    assert to_text(back) == text


def test_a_heading_that_ends_like_a_sentence_is_underlined_and_kept() -> None:
    source = "Lead.\n\n== 1933: Emigration to the U.S. ==\nText.\n\n== Next ==\nMore."
    text = to_text(source)
    assert "1933: Emigration to the U.S.\n============================" in text
    assert [s.heading for s in plaintext.read(text).sections] == ["1933: Emigration to the U.S.", "Next"]
    assert HEADING.findall(wiki_to_text_to_wiki(source)) == HEADING.findall(source)


def test_a_one_line_paragraph_that_looks_like_a_heading_is_marked_as_a_paragraph() -> None:
    text = to_text("== Section ==\nNot a heading\n\nA sentence.")
    assert text == "Page\n\nSection\n\n\\Not a heading\n\nA sentence."
    article = plaintext.read(text)
    assert [s.heading for s in article.sections] == ["Section"]
    assert article.sections[0].blocks[0] == Paragraph((Text("Not a heading"),), line=5)


def test_heading_followed_by_text_on_its_line_is_no_heading() -> None:
    article = wikitext_read.read("==Politics == and more text\n\n== Real ==\nx", "T")
    assert [s.heading for s in article.sections] == ["Real"]


def test_an_empty_heading_is_kept_both_ways() -> None:
    """MediaWiki shows ``==  ==`` (and a heading of only a comment) as an empty section heading (the dev
    wiki's parse gives a section with line ""); text writes it as ``===`` alone."""
    source = "Intro.\n\n==  ==\nUnder it.\n\n== <!-- c --> ==\nMore.\n\n== B ==\nEnd.\n"
    article = wikitext_read.read(source, "Page")
    assert [s.heading for s in article.sections] == ["", "", "B"]
    text = to_text(source)
    assert text == "Page\n\nIntro.\n\n===\n\nUnder it.\n\n===\n\nMore.\n\nB\n\nEnd."
    assert HEADING.findall(wiki_to_text_to_wiki(source)) == ["==", "==", "=="]
    assert [s.heading for s in plaintext.read(text).sections] == ["", "", "B"]
    assert text_to_wiki_to_text("Page\n\n\\===") == "Page\n\n\\==="  # a paragraph "===" stays one


def test_links_in_a_heading_survive_and_are_counted() -> None:
    source = "Intro.\n\n== [[Tokyo]] and [[Nara|old town]] ==\nText [[Kyoto]].\n"
    article = wikitext_read.read(source, "Page")
    assert article.sections[0].heading == "Tokyo and old town"
    assert [link.target for link in article.links()] == ["Tokyo", "Nara", "Kyoto"]
    again = wikitext_read.read(wikitext_write.write(article), "Page")
    assert again == article
    as_json = convert(source, Conversion("wikitext", "json", title="Page"))
    tokyo = {"type": "link", "target": "Tokyo", "label": None}
    assert json.loads(as_json)["sections"][0]["inlines"][0] == tokyo
    assert read_article(as_json, "json") == article


def test_a_nested_tables_links_are_kept_in_its_cell() -> None:
    source = "{|\n|\n{|\n| [[Tokyo|T]] || [[Nara]]\n|}\n|}\n"
    assert [link.target for link in wikitext_read.read(source, "Page").links()] == ["Tokyo", "Nara"]


def test_an_html_tag_across_a_templates_edge_does_not_undo_the_template() -> None:
    """bnwiki "Bolivia": ``{{nowrap|... <small>(...)}}...</small>`` in an infobox. MediaWiki (the dev
    wiki's parse) links nothing of the infobox; mwparserfromhell gave up the template and showed it."""
    box = "{{Infobox|capital = {{nowrap|[[A]] <small>(x)}}<br />{{coor}}</small>|anthem=[[C]]}}"
    source = box + "\nText [[D]].\n"
    assert [link.target for link in wikitext_read.read(source, "Page").links()] == ["D"]
    assert to_text(source) == "Page\n\nText D."


def test_an_html_tag_across_a_table_cells_edge_does_not_undo_the_table() -> None:
    """mrwiki's main page: a ``<div>`` opened in a cell and closed after the table. MediaWiki shows the
    table (its links are in the dev wiki's parse); mwparserfromhell showed the table's source."""
    source = "{|\n! Head\n|-\n| <div>[[A]] {{x}}\n|}\n</div>\n{|\n| <span>[[B]]\n| c</span>\n|}\n"
    article = wikitext_read.read(source, "Page")
    assert [link.target for link in article.links()] == ["A", "B"]
    assert to_text(source) == "Page\n\nHead\t\nA\t\n\nB\tc"


def test_stray_and_template_crossing_table_tags_do_not_undo_the_template() -> None:
    """hywiki "Denmark": ``</td></tr><tr><td>...<td>`` in an infobox argument (a stray ``</td>``, a
    ``<td>`` left open); MediaWiki links nothing of the infobox on the dev wiki."""
    source = "{{Infobox|area = {{convert|1}}</td></tr><tr><td>x</td><td>2\n|anthem = [[A]]}}\nText [[B]].\n"
    assert [link.target for link in wikitext_read.read(source, "Page").links()] == ["B"]


def test_a_template_whose_name_holds_a_link_is_text_and_does_not_close_the_one_around_it() -> None:
    """hywiki "India": ``{{Hlist`` with its items on the next lines and no ``|`` is no template name;
    MediaWiki shows it as text, and its ``}}`` closes it, not the infobox around it."""
    source = "{{Infobox|langs = {{Hlist\n [[A]]\n | [[B]]\n }}\n| demonym = [[C]]\n}}\nText {{x\n[[D]]}}.\n"
    assert [link.target for link in wikitext_read.read(source, "Page").links()] == ["D"]
    assert to_text(source) == "Page\n\nText {{x D}}."


def test_a_cell_whose_attributes_would_hold_a_link_is_all_content() -> None:
    """elwiki "List of prime ministers": ``| [[A]]|`` is a cell showing the link (MediaWiki takes the part
    before ``|`` for attributes only when it holds no ``[[``); mwparserfromhell took the link for
    attributes."""
    source = '{|\n| [[A]]|\n| style="x" | b || [[C]] | d\n|}\n'
    article = wikitext_read.read(source, "Page")
    assert [link.target for link in article.links()] == ["A", "C"]
    assert to_text(source) == "Page\n\nA|\tb\tC | d"


def test_a_comment_in_a_file_links_target_does_not_show_its_caption() -> None:
    """bnwiki "Rabindranath Tagore": ``[[চিত্র:A.jpg<!--File:B.jpg-->|thumb|caption]]``; MediaWiki drops
    comments before it reads links, so this is a file link and its caption is no text of the page."""
    source = "[[File:A.jpg<!--File:B.jpg-->|thumb|A [[Gandhi]] visit.]]\n\nText [[C]].\n"
    assert [link.target for link in wikitext_read.read(source, "Page").links()] == ["C"]


def test_a_closing_tag_of_no_known_name_does_not_end_a_ref() -> None:
    """bnwiki "Human": ``<ref>... [[Newsweek]] ...</refname=x>...</ref>``: MediaWiki ends the ref at
    ``</ref>`` only, so nothing of it shows in the text."""
    source = "A.<ref>In ''[[Newsweek]]''.</refname=x y>z.</ref> B [[C]].\n"
    assert [link.target for link in wikitext_read.read(source, "Page").links()] == ["C"]
    assert to_text(source) == "Page\n\nA. B C."
    unended = "A.<ref>In ''[[Newsweek]]''.</refname=x y</ref> B [[C]] </ d.\n"  # no ">" after it
    assert to_text(unended) == "Page\n\nA. B C </ d."


def test_content_of_a_table_outside_any_cell_is_shown() -> None:
    """mrwiki's main page: a table nested in a table but outside any of its cells. MediaWiki moves such
    content before the table and shows it (its links are in the dev wiki's parse); it was dropped."""
    source = "{|\n{|\n! [[A]]\n|}\n|-\n| b\n|}\nText [[C]].\n"
    assert [link.target for link in wikitext_read.read(source, "Page").links()] == ["A", "C"]
    assert to_text(source) == "Page\n\nA\t\n\nb\t\n\nText C."


def test_comments_are_read_as_mediawiki_drops_them() -> None:
    """mrwiki "Savarkar": ``<!--[[Category:A]]-->== References ==`` is a heading to MediaWiki (the dev
    wiki's parse lists the section); a comment never closed hides the rest of the page."""
    source = "Text.\n<!--[[Category:A]]\n[[Category:B]]-->== References ==\nA <!-- c -->== No ==\n"
    assert [s.heading for s in wikitext_read.read(source, "Page").sections] == ["References"]
    assert to_text("Text.\n<!-- never closed\n== H ==\nmore\n") == "Page\n\nText."


def test_a_link_shows_its_target_with_character_references_decoded() -> None:
    """ukwiki "Timeline": ``== [[XI століття до н.&nbsp;е.]] ==`` shows a no-break space, as MediaWiki's
    section line does, not "&nbsp;"."""
    article = wikitext_read.read("== [[XI ст. до н.&nbsp;е.]] ==\nText.\n", "Page")
    assert article.sections[0].heading == "XI ст. до н.\u00a0е."
    assert article.links()[0].target == "XI ст. до н.&nbsp;е."


def test_a_heading_in_an_unclosed_table_is_kept() -> None:
    article = wikitext_read.read("{|\n| a\n|-\n\n== See also ==\n* [[X]]", "T")
    assert [s.heading for s in article.sections] == ["See also"]


def test_a_link_left_open_does_not_swallow_the_headings_after_it() -> None:
    source = "[[File:A.jpg|thumb|caption [[x]]\n\nText.\n\n== One ==\nA.\n\n== Two ==\nB ]] c."
    assert [s.heading for s in wikitext_read.read(source, "T").sections] == ["One", "Two"]


# -- Redirects -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["json", "text", "wikitext", "xml"])
def test_a_redirect_stays_a_redirect_through_every_format(target: str) -> None:
    source = "#REDIRECT [[Lake Zürich#History]]\n[[Category:Redirects]]"
    converted = convert(source, Conversion("wikitext", target, title="Zürichsee"))
    back = convert(converted, Conversion(target, "wikitext", title="Zürichsee"))
    assert back.startswith("#REDIRECT [[Lake Zürich#History]]")
    if target == "text":
        assert converted == "Zürichsee\n\nRedirect to:\nLake Zürich#History"
    if target == "json":
        assert json.loads(converted)["redirect"] == "Lake Zürich#History"
    if target == "xml":
        assert '<redirect title="Lake Zürich" />' in converted


def test_a_localized_redirect_is_read() -> None:
    article = wikitext_read.read("#WEITERLEITUNG [[Zürichsee]]", "Zürcher See")
    assert article.redirect == "Zürichsee"


# -- Lists as MediaWiki renders them -------------------------------------------------------------------


def test_a_continuation_is_not_numbered() -> None:
    text = to_text("# one\n#: note\n# two")
    assert text == "Page\n\n  1. one\n\n    : note\n\n  2. two"
    assert text_to_wiki_to_text(text) == text


def test_a_numbered_list_after_a_bulleted_one_starts_at_one() -> None:
    text = to_text("* a\n* b\n# c\n# d")
    assert text == "Page\n\n  • a\n\n  • b\n\n  1. c\n\n  2. d"
    assert text_to_wiki_to_text(text) == text


def test_numbering_restarts_after_a_blank_line() -> None:
    text = to_text("# a\n# b\n\n# c")
    assert text == "Page\n\n  1. a\n\n  2. b\n\n  1. c"
    assert text_to_wiki_to_text(text) == text


def test_definition_lists_keep_terms_and_definitions() -> None:
    text = to_text("; Term : Definition one\n: Definition two\n;Other")
    assert text == "Page\n\n  ; Term\n\n  : Definition one\n\n  : Definition two\n\n  ; Other"
    assert text_to_wiki_to_text(text) == text
    wiki = convert(text, Conversion("text", "wikitext"))
    assert wiki == "; Term\n: Definition one\n: Definition two\n; Other"


def test_a_colon_inside_a_term_is_text() -> None:
    text = "Page\n\n  ; Time: 10:30\n\n  : Place"
    assert text_to_wiki_to_text(text) == text


# -- Links as MediaWiki renders them -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("See [[Help:Contents|]].", "See Contents."),
        ("See [[Pipe (computing)|]].", "See Pipe."),
        ("In [[:Category:Lakes]].", "In Category:Lakes."),
        ("In [[:File:A.jpg]].", "In File:A.jpg."),
        ("In [[:fr:Paris]].", "In fr:Paris."),
        ("[[Lêer:A.jpg|thumb|links|upright|A lake]]Text.", "Text."),
        ("[[Kategorie:Seen]][[En:Lake]]Text.", "Text."),
        ("Play [[Media:A.ogg|the sound]].", "Play the sound."),
    ],
)
def test_links_show_what_mediawiki_shows(source: str, shown: str) -> None:
    assert to_text(source) == f"Page\n\n{shown}"


def test_a_leading_colon_link_is_written_back_with_its_colon() -> None:
    article = wikitext_read.read("In [[:Category:Lakes|lakes]] and [[:fr:Paris]].", "T")
    assert article.links() == [Link("Category:Lakes", "lakes"), Link("fr:Paris")]
    wiki = wikitext_write.write(article, bold_title=False)
    assert wiki == "In [[:Category:Lakes|lakes]] and [[:fr:Paris]]."


def test_a_wikis_own_namespace_names_hide_its_file_links() -> None:
    markup = BUILTIN.with_siteinfo({"namespaces": {"6": {"id": 6, "name": "Fitxer"}}})
    how = Conversion("wikitext", "text", title="Page", markup=markup)
    assert convert("[[Fitxer:A.jpg|thumb|left|A lake]]Text.", how) == "Page\n\nText."
    assert to_text("[[Fitxer:A.jpg|thumb]]Text.") == "Page\n\nthumbText."  # a link to a page to others


# -- Byte-exact text round trip ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "See http://example.org/a</ref> now.",
        "See http://example.org/a&amp;b and http://example.org/c&x.",
        "See http://example.org/a{{b}} and http://example.org/a__TOC__.",
        "No\u00a0break, thin\u2009space, ideographic\u3000space.",
        "A\ttab.",
        "\\A backslash first.",
        "Redirect to: nowhere.",
    ],
)
def test_text_round_trips_byte_for_byte(body: str) -> None:
    text = f"Page\n\n{body}\n\nAfter."
    assert text_to_wiki_to_text(text) == text


def test_a_no_break_space_in_a_heading_survives() -> None:
    text = "Page\n\nLead.\n\nWorld War\u00a0II\n\nText."
    assert text_to_wiki_to_text(text) == text
    assert plaintext.read(text).sections[0].heading == "World War\u00a0II"


def test_a_title_ending_in_edit_keeps_it() -> None:
    text = "TextEdit\n\nTextEdit is a text editor."
    assert plaintext.read(text).title == "TextEdit"
    assert text_to_wiki_to_text(text) == text
    copied = "TextEditEdit\n\nTextEdit is a text editor."
    assert plaintext.read(copied).title == "TextEdit"
    assert plaintext.split_title("TextEditEdit", "TextEdit is a text editor.") == ("TextEdit", True)


# -- Code blocks, indented tables, stray tags ----------------------------------------------------------


def test_code_blocks_keep_their_lines() -> None:
    assert to_text("<pre>\nint a;\n  int b;\n</pre>") == "Page\n\nint a;\n  int b;"
    assert to_text(" int a;\n   int b;\nText.") == "Page\n\nint a;\n  int b;\n\nText."


def test_an_indented_table_is_a_table() -> None:
    assert to_text(":{|\n| a || b\n|}") == "Page\n\na\tb"


def test_stray_and_unclosed_html_tags_do_not_show() -> None:
    assert to_text("One <p> two <small>three.") == "Page\n\nOne  two three."
    assert to_text("One</span> two.") == "Page\n\nOne two."


# -- The lead bolds the title in any case --------------------------------------------------------------


def test_the_title_is_bolded_whatever_its_case_in_the_lead() -> None:
    article = Article("Tidal Pool", (Paragraph((Text("A tidal pool is a pool."),)),))
    assert wikitext_write.write(article) == "A '''tidal pool''' is a pool."


# -- Bounded cost on unclosed markup -------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["{{t|", "<ref>", "[[a|"])
def test_unclosed_markup_is_shown_as_text(unit: str) -> None:
    article = wikitext_read.read(unit * 2000, "T")
    assert article.lead[0].plain.startswith(unit.replace("<ref>", "<ref>") * 3)


def test_unclosed_markup_is_neutralized_before_parsing() -> None:
    bounded = wikitext_read.bound_unclosed("{{a}} {{t| [[b]] [[c| <ref>x</ref> <ref>y <small>z\n{|\n| z")
    assert "{{t" not in bounded and "[[c" not in bounded and "<ref>y" not in bounded
    assert wikitext_read.put_back(bounded) == "{{a}} {{t| [[b]] [[c| <ref>x</ref> <ref>y z\n{|\n| z\n|}"
    own = "\ue000 {{t|."  # a page holding the stand-in characters itself gets character references
    assert wikitext_read.bound_unclosed(own) == "\ue000 &#123;&#123;t|."
    assert to_text(own) == "Page\n\n\ue000 {{t|."


# -- The front door ------------------------------------------------------------------------------------


def test_the_front_door_gives_the_function_and_refuses_unknown_formats() -> None:
    import wikitools
    import wikitools.convert  # importing the module must not shadow the function

    assert callable(wikitools.convert)
    assert wikitools.convert("== A ==\nB.", Conversion("wikitext", "text", title="P")) == "P\n\nA\n\nB."
    with pytest.raises(InputError, match="unknown format 'html'"):
        Conversion("wikitext", "html")
    assert Conversion("TEXT", "xml").target_format is Format.XML


def test_convert_article_gives_the_article_and_the_text_line_of_each_wikitext_line() -> None:
    result = convert_article("Title\n\nLead.\n\nHead\n\n  • a\n\n  • b", Conversion("text", "wikitext"))
    assert result.text == "Lead.\n\n== Head ==\n\n* a\n* b"
    assert result.source_lines == (3, None, 5, None, 7, 9)
    assert isinstance(result.article.sections[0].blocks[0], ListBlock)


def test_xml_converts_from_and_to_a_string() -> None:
    xml = convert("Page\n\nSome text.", Conversion("text", "xml"))
    assert "<title>Page</title>" in xml
    assert convert(xml, Conversion("xml", "text")) == "Page\n\nSome text."


def test_the_python_examples_in_the_formats_doc_run() -> None:
    doc = Path(__file__).parent.parent / "docs" / "formats.md"
    result = doctest.testfile(str(doc), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 8 and result.failed == 0


def test_a_file_caption_whose_link_holds_a_link_leaves_the_files_as_text_and_the_links_plain() -> None:
    """MediaWiki (checked on a dev wiki): a caption's links may hold no link; where one does, both file
    links show as text and the links in them as ordinary links (mrwiki चंद्र, ukwiki Життя)."""
    source = "Text [[File:A.jpg|thumb|[[File:B.jpg|[[Alpha]]]] and [[Beta]]]] end.\n"
    assert [link.target for link in wikitext_read.read(source, "T").links()] == ["Alpha", "Beta"]
    text = convert(source, Conversion("wikitext", "text", title="T"))
    assert text == "T\n\nText [[File:A.jpg|thumb|[[File:B.jpg|Alpha]] and Beta]] end."
    a_caption = wikitext_read.read("[[File:A.jpg|thumb|[[Alpha]] caption]]\n", "T")
    assert list(a_caption.links()) == []  # an ordinary caption: its links go with the image


def test_the_first_closing_tag_closes_a_ref_whatever_its_content_holds() -> None:
    """MediaWiki ends ``<ref>`` at the first ``</ref>``: a ``<ref>`` shown through nowiki inside it opens
    nothing, so the footnote's links stay in the footnote (bnwiki ঈশ্বর)."""
    source = 'A<ref name="w">x\n\n[[B]] y <nowiki><ref></nowiki> q</ref> z [[C]].\n'
    assert [link.target for link in wikitext_read.read(source, "T").links()] == ["C"]


@pytest.mark.parametrize(
    ("source", "links"),
    [
        # mrwiki चंद्र: the caption of a file link never closed runs into a second file link
        ("[[File:A.jpg|thumb|[[Xa]] a\n[[File:B.jpg|thumb|[[Yb]] b]]\n", ["Xa", "Yb"]),
        # ukwiki Життя: the same across headings, the file link left open sections before
        (
            "[[File:A.jpg|thumb|a [[Xa]]\n\n== H ==\nText [[Zc]].\n[[File:B.jpg|thumb|[[Yb]] b]]\n",
            ["Xa", "Zc", "Yb"],
        ),
    ],
)
def test_an_unclosed_file_caption_running_into_a_file_link_leaves_both_as_text(
    source: str, links: list[str]
) -> None:
    """MediaWiki (checked on a dev wiki) looks for the end of an unclosed file link through the links
    after it and gives up at the second file link's caption: both file links are text, so the link in
    the second caption is an ordinary link (``markup.pair_link_brackets``)."""
    assert [link.target for link in wikitext_read.read(source, "T").links()] == links


def test_link_brackets_pair_as_mediawiki_pairs_them() -> None:
    """The rule convert and lint share: a caption's link closes inside its file link; a second file
    link opened in an unclosed caption gives up both, and the link after them is a plain link."""
    text = "[[File:A.jpg|[[X]] a\n[[File:B.jpg|[[Y]] b]] &#91;&#91;c]] d]]"
    paired = pair_link_brackets(text)
    assert [text[a : b + 2] for a, b in paired.pairs] == ["[[X]]", "[[Y]]"]
    assert [text[a : a + 8] for a in paired.unclosed] == ["[[File:A", "[[File:B"]
    assert [text[a - 2 : a + 2] for a in paired.stray] == [" b]]", " d]]"]  # the &#91;&#91;c]] pair apart
    assert paired.in_captions == []
    closed = pair_link_brackets("[[File:A.jpg|thumb|[[X]] a]] [[:File:B.jpg|[[Y]] b]]")
    assert closed.in_captions == [19] and closed.unclosed == [29]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["[[File:A|", "[[:File:B|", "[[a|", "[[x]]", "]]", "[[", "\n", "&#91;&#91;"]))
)
def test_link_brackets_pair_the_same_when_one_line_links_are_skipped(pieces: list[str]) -> None:
    """Pairing skips the one-line links met while nothing is open; walking every bracket agrees."""
    text = "".join(pieces)
    every = [match.start() for match in LINK_BRACKETS.finditer(text)]
    assert pair_link_brackets(text) == pair_link_brackets(text, every)

"""What the plain-text and wikitext readers and writers make of specific inputs."""

from __future__ import annotations

import pytest

from wikitools.errors import InputError
from wikitools.formats import plaintext, wikitext
from wikitools.formats.wikitext import render_text
from wikitools.model import Link, ListBlock, ListItem, Paragraph, Text


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("Background and genesis", True),
        ("See also", True),
        ("Is this a question?", False),
        ("A sentence.", False),
        ("Lead-in:", False),
        ('He said "stop."', False),
        ("Notes (1990–2000)", True),
        ("x" * 121, False),
        ("  • Item", False),
        ("---", False),
        (" Indented", False),
    ],
)
def test_heading_rule(line, heading):
    assert plaintext.is_heading(line) is heading


@pytest.mark.parametrize(
    ("first", "title", "suffix"),
    [
        ("Us Japan Security TreatyEdit", "Us Japan Security Treaty", True),
        ("Video Edit", "Video Edit", False),
        ("Edit", "Edit", False),
        ("Plain title", "Plain title", False),
    ],
)
def test_edit_suffix_is_split_from_the_title(first, title, suffix):
    assert plaintext.split_title(first) == (title, suffix)


def test_plain_text_reader_builds_sections_lists_and_line_numbers():
    article = plaintext.read(
        "TitleEdit\n\nLead one.\n\nFirst\n\nPara.\nSecond line.\n\n"
        "  • a\n\n    1. b\n\n  • c\n\nSee also\n\n  • Foo"
    )
    assert article.title == "Title"
    assert article.lead == (Paragraph((Text("Lead one."),)),)
    assert [s.heading for s in article.sections] == ["First", "See also"]
    first = article.sections[0]
    assert first.line == 5
    assert first.blocks[0] == Paragraph((Text("Para.\nSecond line."),))
    items = first.blocks[1].items
    assert [(i.markers, i.plain, i.line) for i in items] == [("*", "a", 10), ("*#", "b", 12), ("*", "c", 14)]
    assert article.sections[1].blocks == (ListBlock((ListItem((Link("Foo"),), "*"),)),)


def test_plain_text_with_an_empty_title_is_refused():
    with pytest.raises(InputError, match="the title, is empty"):
        plaintext.read("\n\nText.")


def test_text_writer_numbers_items_and_indents_levels():
    article = wikitext.read("# one\n## one-a\n## one-b\n# two\n#* bullet", "T")
    assert (
        plaintext.write_blocks(article)
        == "  1. one\n\n    1. one-a\n\n    2. one-b\n\n  2. two\n\n    • bullet"
    )


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("'''Bold''' and ''italic'' and '''''both'''''.", "Bold and italic and both."),
        ("L'''''amour''''' d''''un", "\\Lamour d'un"),
        ("A [[Target|label]] and [[Plain]] and [[link]]s.", "A label and Plain and links."),
        (
            "Drop {{cite|x=1}} templates<ref>note</ref><ref name=a/> and <!-- comments -->.",
            "Drop templates and .",
        ),
        ("[[Category:X]][[File:A.png|thumb|cap]][[de:Seite]]Text [[:Category:Y|cat]].", "Text cat."),
        ("[[Datei:A.png|thumb]] Hi [[Kategorie:Y]] and [[wikt:word|a word]].", "Hi and a word."),
        ("&amp; &lt;b&gt; &#91;&#91;x&#93;&#93; &nbsp;", "& <b> [[x]] \u00a0"),
        ("<nowiki>[[not a link]] ''x''</nowiki>.", "[[not a link]] ''x''."),
        (
            "See [http://example.org the site] and http://example.org/x.",
            "See the site and http://example.org/x.",
        ),
        ("Line one<br />line two", "Line one\nline two"),
        ("Joined\nlines.", "Joined lines."),
        ("{|\n|+ Caption\n|-\n! H1 !! H2\n|-\n| a || [[b]]\n|}", "Caption\t\nH1\tH2\na\tb"),
        ("<div>In a ''div''</div>.", "In a div."),
        ("<includeonly>hidden</includeonly><noinclude>shown</noinclude>.", "shown."),
    ],
)
def test_wikitext_renders_as_a_reader_sees_it(source, text):
    assert render_text(source) == text


def test_headings_after_an_unclosed_italic_are_kept():
    source = "Intro ''unclosed\n== One ==\nText ''again\n=== Two ===\nMore.\n== Three ==\n"
    article = wikitext.read(source, "T")
    assert [(s.heading, s.level) for s in article.sections] == [("One", 2), ("Two", 3), ("Three", 2)]


def test_headings_inside_tables_layout_templates_and_broken_links_are_kept():
    source = (
        "{|\n|\n== In table ==\nCell text.\n|}\n"
        "{{columns|\n== In template ==\nText.\n}}\n"
        "{{box|body=\n== In named argument ==\n}}\n"
        "[[Broken|label ) and [[Other]] text\n== After broken link ==\nEnd.]]\n"
    )
    headings = [s.heading for s in wikitext.read(source, "T").sections]
    assert headings == ["In table", "In template", "In named argument", "After broken link"]


def test_wikitext_lists_nest_and_split_on_blank_lines():
    article = wikitext.read("* a\n** b\n*# c\n\n* d\n:indented\n; term : def", "T")
    first, second = article.lead
    assert [(i.markers, i.plain) for i in first.items] == [("*", "a"), ("**", "b"), ("*#", "c")]
    assert [(i.markers, i.plain) for i in second.items] == [
        ("*", "d"),
        (":", "indented"),
        (";", "term"),
        (":", "def"),
    ]


def test_writer_escapes_markup_lookalikes():
    article = plaintext.read(
        "T\n\n[[x]] {{y}} ''z'' <b> &amp; ~~~~ __TOC__ [http://a b] a|b.\n\n= not a heading."
    )
    wiki = wikitext.write(article)
    assert "[[" not in wiki and "{{" not in wiki and "''" not in wiki and "<b>" not in wiki
    assert wikitext.read(wiki, "T").lead == article.lead


def test_writer_bolds_the_first_title_occurrence_case_insensitively_on_the_first_letter():
    article = plaintext.read("Widget\n\nA widget is a thing. Widget again.")
    assert wikitext.write(article) == "A '''widget''' is a thing. Widget again."
    assert wikitext.write(article, bold_title=False) == "A widget is a thing. Widget again."


def test_write_with_lines_maps_wikitext_lines_to_text_lines():
    article = plaintext.read("T\n\nLead.\n\nHead\n\n  • a\n\n  • b")
    wiki, lines = wikitext.write_with_lines(article)
    assert wiki == "Lead.\n\n== Head ==\n\n* a\n* b"
    assert lines == [3, None, 5, None, 7, 9]


def test_article_lists_its_blocks_and_links_in_reading_order():
    article = wikitext.read("Lead [[A]].\n== S ==\n* [[B|b]] and [[C]]\n\nEnd.", "T")
    assert [type(b).__name__ for b in article.blocks()] == ["Paragraph", "ListBlock", "Paragraph"]
    assert article.links() == [Link("A"), Link("B", "b"), Link("C")]

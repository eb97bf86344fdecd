"""Link recovery: known titles linked once, flattened piped links repaired, nothing else touched."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wikitools.formats.linking import recover_links
from wikitools.formats.wikitext import render_text

from .strategies import words


def test_repairs_a_flattened_piped_link():
    source = "They want a capable Self-Defense Forces Japan Self-Defense Forces while avoiding it."
    report = recover_links(source, ["Japan Self-Defense Forces"])
    assert (
        report.text
        == "They want a capable [[Japan Self-Defense Forces|Self-Defense Forces]] while avoiding it."
    )
    assert report.repaired == ("Japan Self-Defense Forces",)
    assert report.linked == ()


def test_links_only_the_first_occurrence_longest_title_first():
    source = "Japan and the Japan Self-Defense Forces. Japan again."
    report = recover_links(source, ["Japan", "Japan Self-Defense Forces"])
    assert report.text == "[[Japan]] and the [[Japan Self-Defense Forces]]. Japan again."
    assert report.linked == ("Japan Self-Defense Forces", "Japan")


def test_first_letter_is_case_insensitive_and_the_link_shows_the_same_text():
    report = recover_links("The okinawa bases.", ["Okinawa"])
    assert report.text == "The [[okinawa]] bases."


def test_never_links_inside_headings_links_templates_tags_comments_or_words():
    source = (
        "== Okinawa ==\n[[Other|Okinawa]] {{tmpl|Okinawa}} <ref>Okinawa</ref> <!-- Okinawa -->"
        " Okinawans. Then Okinawa."
    )
    report = recover_links(source, ["Okinawa"])
    assert report.text == source.replace("Then Okinawa.", "Then [[Okinawa]].")


def test_skips_titles_already_linked_and_the_page_itself():
    source = "'''Treaty''' text, see [[okinawa]] and Okinawa, and Treaty."
    assert recover_links(source, ["Okinawa", "Treaty"], page_title="Treaty").text == source


def test_does_not_link_inside_the_bold_title_or_a_longer_title():
    source = "The '''Us Japan Treaty''' binds Japan."
    report = recover_links(source, ["Japan"], page_title="Us Japan Treaty")
    assert report.text == "The '''Us Japan Treaty''' binds [[Japan]]."


@settings(max_examples=300, deadline=None)
@given(st.lists(words, min_size=1, max_size=8), st.lists(words, max_size=4))
def test_a_reader_sees_the_same_text_with_one_new_link_per_title(parts, titles):
    source = " ".join(parts) + "."
    report = recover_links(source, titles)
    assert report.text.count("[[") == source.count("[[") + len(report.linked) + len(report.repaired)
    if not report.repaired:
        assert render_text(report.text) == render_text(source)

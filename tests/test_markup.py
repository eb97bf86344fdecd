"""The shared markup model: tag rules, link kinds, namespace tables and their extension, redirects."""

from __future__ import annotations

import pytest

from wikitools.markup import (
    BUILTIN,
    MASKED_TAGS,
    LinkKind,
    Redirect,
    classify_link,
    is_masked,
    is_parsable,
    is_visible,
    link_text,
    parse_redirect,
    pipe_trick,
)


@pytest.mark.parametrize(
    ("tag", "parsable", "visible"),
    [
        ("nowiki", False, True),
        ("PRE", False, True),
        ("syntaxhighlight", False, True),
        ("math", False, True),
        ("gallery", False, False),
        ("score", False, False),
        ("timeline", False, False),
        ("ref", True, False),
        ("references", True, False),
        ("poem", True, True),
        ("code", True, True),  # an HTML tag: its content is wikitext
        ("small", True, True),
    ],
)
def test_tag_rules(tag: str, parsable: bool, visible: bool) -> None:
    assert (is_parsable(tag), is_visible(tag)) == (parsable, visible)
    assert is_masked(tag) == (not (parsable and visible))
    assert (tag.lower() in MASKED_TAGS) == is_masked(tag)


@pytest.mark.parametrize(
    ("target", "kind", "visible", "title", "prefix"),
    [
        ("Lake Zürich", LinkKind.ARTICLE, True, "Lake Zürich", ""),
        ("Help:Contents", LinkKind.ARTICLE, True, "Help:Contents", ""),
        ("Category:Lakes", LinkKind.CATEGORY, False, "Category:Lakes", ""),
        (":Category:Lakes", LinkKind.CATEGORY, True, "Category:Lakes", ""),
        ("category_:_Lakes", LinkKind.CATEGORY, False, "category : Lakes", ""),
        ("File:A.jpg", LinkKind.FILE, False, "File:A.jpg", ""),
        (":File:A.jpg", LinkKind.FILE, True, "File:A.jpg", ""),
        ("Image:A.jpg", LinkKind.FILE, False, "Image:A.jpg", ""),
        ("Lêer:A.jpg", LinkKind.FILE, False, "Lêer:A.jpg", ""),  # Afrikaans
        ("Tập tin:A.png", LinkKind.FILE, False, "Tập tin:A.png", ""),  # Vietnamese
        ("Թ:A.png", LinkKind.ARTICLE, True, "Թ:A.png", ""),
        ("Պատկեր:A.png", LinkKind.FILE, False, "Պատկեր:A.png", ""),  # Armenian
        ("Κατηγορία:Λίμνες", LinkKind.CATEGORY, False, "Κατηγορία:Λίμνες", ""),
        ("Категорія:Озера", LinkKind.CATEGORY, False, "Категорія:Озера", ""),
        ("Media:A.ogg", LinkKind.MEDIA, True, "Media:A.ogg", ""),
        ("fr:Paris", LinkKind.INTERLANGUAGE, False, "Paris", "fr"),
        ("En:Foo", LinkKind.INTERLANGUAGE, False, "Foo", "en"),
        (":fr:Paris", LinkKind.INTERLANGUAGE, True, "Paris", "fr"),
        ("simple:Water", LinkKind.INTERLANGUAGE, False, "Water", "simple"),
        ("wikt:lake", LinkKind.INTERWIKI, True, "lake", "wikt"),
        ("Star Trek: Voyager", LinkKind.ARTICLE, True, "Star Trek: Voyager", ""),
        ("#History", LinkKind.SECTION, True, "", ""),
        ("https://example.org", LinkKind.EXTERNAL, True, "https://example.org", ""),
        ("{{PAGENAME}}", LinkKind.TEMPLATED, True, "{{PAGENAME}}", ""),
        ("", LinkKind.INVALID, True, "", ""),
        ("a<b", LinkKind.INVALID, True, "a<b", ""),
    ],
)
def test_classify_link(target: str, kind: LinkKind, visible: bool, title: str, prefix: str) -> None:
    link = classify_link(target)
    assert (link.kind, link.visible, link.title, link.prefix) == (kind, visible, title, prefix)


def test_classify_link_keeps_the_fragment_and_the_namespace() -> None:
    link = classify_link("Wikipedia:Manual of Style#Bold")
    assert (link.namespace, link.fragment) == (4, "Bold")
    assert classify_link("#History").fragment == "History"


def test_siteinfo_extends_the_table() -> None:
    """A wiki's own namespace names, aliases and prefixes, in both formatversions of the Action API."""
    siteinfo = {
        "query": {
            "namespaces": {
                "6": {"id": 6, "name": "Fitxer", "canonical": "File"},
                "14": {"id": 14, "*": "Categoria"},
                "100": {"id": 100, "name": "Portal"},
            },
            "namespacealiases": [{"id": 6, "alias": "Imatge"}, {"id": 14, "*": "Cat"}],
            "interwikimap": [
                {"prefix": "ca", "local": True, "language": "català"},
                {"prefix": "xyzzy", "url": "https://xyzzy.example/$1"},
            ],
            "magicwords": [{"name": "redirect", "aliases": ["#REDIRECCIÓ", "#REDIRECT"]}],
        }
    }
    markup = BUILTIN.with_siteinfo(siteinfo)
    assert classify_link("Fitxer:A.jpg", markup).kind is LinkKind.FILE
    assert classify_link("Imatge:A.jpg", markup).kind is LinkKind.FILE
    assert classify_link("Cat:Llacs", markup).kind is LinkKind.CATEGORY
    assert classify_link("xyzzy:Page", markup).kind is LinkKind.INTERWIKI
    assert classify_link("xyzzy:Page").kind is LinkKind.ARTICLE  # the built-in table is unchanged
    assert classify_link("Imatge:A.jpg").kind is LinkKind.ARTICLE
    assert parse_redirect("#REDIRECCIÓ [[Barcelona]]", markup) == Redirect("Barcelona")
    assert parse_redirect("#REDIRECCIÓ [[Barcelona]]") is None


def test_extended_takes_an_exports_namespace_names() -> None:
    markup = BUILTIN.extended({6: "Fitxer", 14: ["Categoria", "Cat"]}, languages=["ca"])
    assert classify_link("fitxer:A.jpg", markup).kind is LinkKind.FILE
    assert classify_link("Cat:X", markup).kind is LinkKind.CATEGORY


@pytest.mark.parametrize(
    ("target", "label"),
    [
        ("Help:Contents", "Contents"),
        ("Pipe (computing)", "Pipe"),
        ("Paris, Texas", "Paris"),
        (":Category:Lakes", "Lakes"),
        (":fr:Paris", "Paris"),
        ("w:fr:Paris", "fr:Paris"),  # one prefix only, as MediaWiki
        ("A, B (C)", "A, B"),
        ("東京（日本）", "東京"),
        ("Plain", "Plain"),
    ],
)
def test_pipe_trick(target: str, label: str) -> None:
    assert pipe_trick(target) == label


def test_link_text_drops_the_leading_colon() -> None:
    assert link_text(":Category:Lakes") == "Category:Lakes"
    assert link_text("Lakes") == "Lakes"


@pytest.mark.parametrize(
    ("text", "redirect"),
    [
        ("#REDIRECT [[Lake Zürich]]", Redirect("Lake Zürich")),
        ("#redirect:[[Lake Zürich#History]]\n[[Category:Redirects]]", Redirect("Lake Zürich", "History")),
        ("  #Redirect [[Lake_Zürich|label]]", Redirect("Lake Zürich")),
        ("#WEITERLEITUNG [[Zürichsee]]", Redirect("Zürichsee")),
        ("#перенаправление [[Цюрихское озеро]]", Redirect("Цюрихское озеро")),
        ("＃転送 [[チューリッヒ湖]]", Redirect("チューリッヒ湖")),
        ("# REDIRECT [[Lake Zürich]]", None),  # a numbered list, as in MediaWiki
        ("Text\n#REDIRECT [[Lake Zürich]]", None),
        ("#REDIRECT Lake Zürich", None),
    ],
)
def test_parse_redirect(text: str, redirect: Redirect | None) -> None:
    assert parse_redirect(text) == redirect


def test_canonical_namespace_names_come_from_the_english_row_plus_scribunto():
    from wikitools.markup import CANONICAL_NAMESPACES

    assert CANONICAL_NAMESPACES[0] == "" and CANONICAL_NAMESPACES[7] == "File talk"
    assert CANONICAL_NAMESPACES[828] == "Module" and -1 not in CANONICAL_NAMESPACES


def test_only_mediawikis_url_protocols_make_a_link_external():
    """``[[TextEdithttp://example.org/a]]`` is a page: "TextEdithttp:" is no protocol of
    ``$wgUrlProtocols`` (hypothesis found it rendering as bracketed text)."""
    assert classify_link("TextEdithttp://example.org/a").kind is LinkKind.ARTICLE
    assert classify_link("https://example.org").kind is LinkKind.EXTERNAL
    assert classify_link("//example.org").kind is LinkKind.EXTERNAL
    assert classify_link("mailto:a@example.org").kind is LinkKind.EXTERNAL

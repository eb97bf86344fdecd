"""Hostile input, generated: the plain-text reader, conversion, lint and the XML reader never raise
anything but wikitools' own errors, over 10,000 generated inputs each.

Inputs are small (a few hundred characters) but built from the characters that mean something in
wikitext and XML, plus arbitrary Unicode (surrogates, NUL, controls), so each example is cheap and the
interesting corners are reached often. The XML inputs are valid exports with fuzzed fields and random
byte-level damage.
"""

from __future__ import annotations

import io
import warnings

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wikitools.convert import Conversion, convert
from wikitools.errors import WikitoolsError
from wikitools.formats import plaintext
from wikitools.formats.xml_read import iter_pages
from wikitools.lint import lint_text

EXAMPLES = 10_000
fuzz = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Pieces of wikitext syntax, so generated inputs open and close constructs far more often than random text.
SYNTAX = [
    "[[", "]]", "{{", "}}", "{{{", "}}}", "[", "]", "|", "=", "==", "===", "\n", "\n\n", "*", "#", ":", ";",
    "'''", "''", "<ref>", "</ref>", "<ref name=a/>", "<!--", "-->", "<nowiki>", "</nowiki>", "<pre>",
    "</pre>", "{|", "|}", "|-", "!", "~~~~", "----", "&amp;", "&#x0;", "&", "<", ">", "http://x.org",
    "[[Category:", "[[File:", "#REDIRECT ", "__NOTOC__", "See also", "References", "\t", " ", "\r\n",
    "\x00", "\ufeff", "\u200e", "\ud800", "é", "ß", "İ", "\u0301",
]  # fmt: skip
pieces = st.one_of(st.sampled_from(SYNTAX), st.text(max_size=8))
hostile_text = st.lists(pieces, max_size=40).map("".join)
titles = st.one_of(st.sampled_from(["Fuzz", "Talk:Fuzz", "Category:X", "a/b", ""]), st.text(max_size=20))


def _allowed(call, *args, **kwargs):
    """Run ``call``; a WikitoolsError is a fine answer to bad input, anything else fails the test."""
    try:
        return call(*args, **kwargs)
    except WikitoolsError:
        return None


@fuzz
@given(hostile_text)
def test_plaintext_reader(text: str) -> None:
    _allowed(plaintext.read, text)


@fuzz
@given(hostile_text)
def test_text_to_wikitext_and_back(text: str) -> None:
    wiki = _allowed(convert, text, Conversion("text", "wikitext"))
    if wiki is not None:
        # What the converter wrote must itself convert back without a crash.
        title = plaintext.read(text).title or "Fuzz"
        _allowed(convert, wiki, Conversion("wikitext", "text", title=title))


@fuzz
@given(hostile_text, titles)
def test_wikitext_to_text(text: str, title: str) -> None:
    for target in ("text", "json"):
        _allowed(convert, text, Conversion("wikitext", target, title=title or "Fuzz"))


@fuzz
@given(hostile_text, titles)
def test_lint(text: str, title: str) -> None:
    findings = _allowed(lint_text, text, title or "Fuzz")
    for finding in findings or ():
        assert finding.line >= 1 and finding.column >= 1


EXPORT = (
    '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">\n'
    '<siteinfo><sitename>W</sitename><namespaces><namespace key="0" case="first-letter" />'
    '<namespace key="{ns}" case="first-letter">{nsname}</namespace></namespaces></siteinfo>\n'
    "<page><title>{title}</title><ns>{ns}</ns><id>{id}</id>{redirect}"
    "<revision><id>{revid}</id><timestamp>{timestamp}</timestamp>"
    "<contributor><username>{user}</username><id>1</id></contributor>"
    "<model>wikitext</model><format>text/x-wiki</format>"
    '<text bytes="{bytes}" xml:space="preserve">{text}</text>'
    "<sha1>{sha1}</sha1></revision></page>\n</mediawiki>\n"
)
xml_field = st.one_of(
    st.text(max_size=12), st.sampled_from(["", "1", "-1", "0", "99999999999999999999", "&lt;"])
)


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;")


@st.composite
def exports(draw: st.DrawFn) -> bytes:
    """An export whose fields are fuzzed (some left unescaped on purpose), then damaged byte-wise."""
    fields = {
        name: draw(xml_field)
        for name in ("ns", "nsname", "id", "revid", "timestamp", "user", "bytes", "sha1", "title")
    }
    fields["text"] = draw(hostile_text)
    if draw(st.booleans()):
        fields = {name: _escape(value) for name, value in fields.items()}
    fields["redirect"] = draw(st.sampled_from(["", '<redirect title="X" />', "<redirect />"]))
    data = bytearray(EXPORT.format(**fields).encode("utf-8", "surrogatepass"))
    for _ in range(draw(st.integers(0, 3))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["cut", "flip", "insert", "delete"]))
        if action == "cut":
            del data[at:]
        elif action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(st.binary(max_size=8))
        else:
            del data[at : at + draw(st.integers(1, 20))]
    return bytes(data)


@fuzz
@given(exports())
def test_xml_reader(data: bytes) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _allowed(lambda: list(iter_pages(io.BytesIO(data))))

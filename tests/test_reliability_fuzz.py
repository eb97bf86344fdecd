"""Hostile input, generated: the plain-text reader, conversion, lint and the XML reader never raise
anything but wikitools' own errors, over 10,000 generated inputs each.

Inputs are small (up to 25 pieces of wikitext syntax with up to 60 characters of any Unicode between
them: surrogates, NUL, controls), so each example is cheap and the interesting corners are reached
often. The XML inputs are valid exports with fuzzed fields and random
byte-level damage.
"""

from __future__ import annotations

import io
import random
import re
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


def _interleave(parts: tuple[list[str], str]) -> str:
    """Syntax tokens with runs of arbitrary text between them (cheaper to generate than a list of both)."""
    tokens, text = parts
    mixed = [token + text[3 * i : 3 * i + 3] for i, token in enumerate(tokens)]
    return "".join(mixed) + text[3 * len(tokens) :]


hostile_text = st.tuples(st.lists(st.sampled_from(SYNTAX), max_size=25), st.text(max_size=60)).map(
    _interleave
)
titles = st.one_of(st.sampled_from(["Fuzz", "Talk:Fuzz", "Category:X", "a/b", ""]), st.text(max_size=20))


def _allowed(call, *args, **kwargs):
    """Run ``call``; a WikitoolsError is a fine answer to bad input, anything else fails the test."""
    try:
        return call(*args, **kwargs)
    except WikitoolsError:
        return None


@fuzz
@given(hostile_text, titles)
def test_reader_conversions_and_lint(text: str, title: str) -> None:
    """Each generated input goes through all four: generation costs more than they do together."""
    _allowed(plaintext.read, text)
    wiki = _allowed(convert, text, Conversion("text", "wikitext"))
    if wiki is not None:  # what the converter wrote must itself convert back without a crash
        _allowed(convert, wiki, Conversion("wikitext", "text", title=plaintext.read(text).title))
    _allowed(convert, text, Conversion("wikitext", "text", title=title or "Fuzz"))
    for finding in _allowed(lint_text, text, title or "Fuzz") or ():
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
VALID_FIELDS = {
    "ns": "1", "nsname": "Talk", "id": "7", "revid": "8", "timestamp": "2024-01-01T00:00:00Z", "user": "U",
    "bytes": "5", "sha1": "phoiac9h4m842xq45sp7s6u21eteeq1",
}  # fmt: skip
ODD_VALUES = [
    "",
    "1",
    "-1",
    "0",
    "99999999999999999999",
    "&lt;",
    "a<b",
    "x",
    "é",
    "\x00",
    "2024-13-45T99:00:00Z",
]


_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape(value: str) -> str:
    """``value`` as XML character data: escaped, without the characters XML 1.0 cannot hold."""
    return _NOT_IN_XML.sub("", value).replace("&", "&amp;").replace("<", "&lt;")


@st.composite
def exports(draw: st.DrawFn) -> bytes:
    """An export with a fuzzed title and text, some odd field values, sometimes left unescaped, and
    sometimes up to three byte-level damages. The cheap choices come from one drawn seed: drawing each
    one through hypothesis would cost more than parsing the result."""
    rng = random.Random(draw(st.integers(0, 2**32)))
    fields = {
        name: value if rng.random() < 0.8 else rng.choice(ODD_VALUES) for name, value in VALID_FIELDS.items()
    }
    fields["title"] = draw(titles)
    fields["text"] = draw(hostile_text)
    if rng.random() < 0.9:
        fields = {name: _escape(value) for name, value in fields.items()}
    fields["redirect"] = rng.choice(["", '<redirect title="X" />', "<redirect />"])
    data = bytearray(EXPORT.format(**fields).encode("utf-8", "surrogatepass"))
    for _ in range(rng.choice((0, 0, 0, 1, 2, 3))):
        at = rng.randrange(len(data) + 1)
        damage = rng.choice("cfid")
        if damage == "c":  # cut the rest off
            del data[at:]
        elif damage == "f" and at < len(data):  # flip a byte
            data[at] = rng.randrange(256)
        elif damage == "i":  # insert bytes
            data[at:at] = rng.randbytes(rng.randrange(1, 9))
        else:  # delete a few bytes
            del data[at : at + rng.randrange(1, 20)]
    return bytes(data)


@fuzz
@given(exports())
def test_xml_reader(data: bytes) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _allowed(lambda: list(iter_pages(io.BytesIO(data))))

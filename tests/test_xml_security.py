"""Hostile export files: no DTD, no entity expansion, no file or network access, no huge text nodes."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from wikitools.errors import FormatError
from wikitools.formats.xml_read import iter_pages

REFUSAL = "the document has a <!DOCTYPE> declaration; refusing to read it"


def _pages(source: Path | io.BytesIO) -> list[str]:
    """The titles, with the reader's warnings (these documents have no schema version) kept aside."""
    return [p.title for p in iter_pages(source, on_warning=[].append)]


def test_billion_laughs_is_refused_before_anything_is_expanded(tmp_path: Path) -> None:
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    path = tmp_path / "laughs.xml"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE mediawiki [\n{chr(10).join(entities)}\n]>\n'
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/"><page><title>&lol9;</title>'
        "<ns>0</ns><id>1</id><revision><id>1</id><text>&lol9;</text></revision></page></mediawiki>\n"
    )
    started = time.perf_counter()
    with pytest.raises(FormatError) as caught:
        _pages(path)
    assert time.perf_counter() - started < 1
    assert str(caught.value).startswith(f"{path}: {REFUSAL}")
    assert "lollol" not in str(caught.value)


def test_an_external_entity_pointing_at_a_local_file_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE\n")
    path = tmp_path / "xxe.xml"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE mediawiki [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>\n'
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/"><page><title>&xxe;</title>'
        "<ns>0</ns><id>1</id><revision><id>1</id><text>&xxe;</text></revision></page></mediawiki>\n"
    )
    secret.chmod(0o000)  # reading it would fail loudly if the parser tried (when not running as root)
    with pytest.raises(FormatError) as caught:
        _pages(path)
    assert REFUSAL in str(caught.value)
    assert "TOP-SECRET" not in str(caught.value)


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE mediawiki SYSTEM "http://192.0.2.1/export.dtd">',
        '<!DOCTYPE mediawiki PUBLIC "-//X//DTD X//EN" "file:///etc/passwd">',
        "<!DOCTYPE mediawiki [ <!ELEMENT mediawiki ANY> ]>",
        '<!DOCTYPE mediawiki [ <!ENTITY % remote SYSTEM "http://192.0.2.1/x.dtd"> %remote; ]>',
    ],
)
def test_any_dtd_is_refused_without_network_access(doctype: str) -> None:
    data = f'<?xml version="1.0"?>\n{doctype}\n<mediawiki><page><title>A</title></page></mediawiki>'
    started = time.perf_counter()
    with pytest.raises(FormatError) as caught:
        _pages(io.BytesIO(data.encode()))
    assert time.perf_counter() - started < 1  # 192.0.2.1 is unroutable: a fetch would hang
    assert REFUSAL in str(caught.value) or "not well-formed" in str(caught.value)


def test_an_entity_reference_without_a_dtd_is_an_error_not_an_expansion() -> None:
    data = b"<mediawiki>\n<page><title>a &amp; b &copy;</title></page></mediawiki>"
    with pytest.raises(FormatError, match=r"line 2, column 30: Entity 'copy' not defined"):
        _pages(io.BytesIO(data))


def test_a_text_node_beyond_libxml2s_safe_limit_is_refused_not_parsed_with_huge_tree() -> None:
    text = b"x" * 10_000_001
    data = (
        b"<mediawiki><page><title>Big</title><revision><text>"
        + text
        + b"</text></revision></page></mediawiki>"
    )
    with pytest.raises(FormatError, match=r"a text at line 1 is longer than the parser's 10 MB safety limit"):
        _pages(io.BytesIO(data))


def test_an_xinclude_is_left_alone(tmp_path: Path) -> None:
    included = tmp_path / "inc.txt"
    included.write_text("INCLUDED")
    data = (
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" xmlns:xi="http://www.w3.org/2001/XInclude">'
        f'<page><title>A</title><ns>0</ns><id>1</id><revision><id>1</id><text>t<xi:include href="{included}" '
        'parse="text"/></text></revision></page></mediawiki>'
    )
    (page,) = iter_pages(io.BytesIO(data.encode()))
    assert page.revisions[0].text == "t"

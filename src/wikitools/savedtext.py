"""Text as MediaWiki saves it, and the hash the API reports for it.

MediaWiki normalizes every saved text (NFC, ``\n`` line ends, no trailing whitespace), so comparing a
file with a revision, or recognising an edit already saved, must compare normalized texts. The sync
state, the API client and the XML exporter all use these.
"""

from __future__ import annotations

import hashlib
import unicodedata


def wiki_text(text: str) -> str:
    """``text`` as the wiki would store it: NFC, ``\\n`` line ends, no trailing whitespace.

    MediaWiki applies the same transformations on save, so a file and the revision it came from compare
    equal after this, whatever the editor did to line ends or the final newline.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not unicodedata.is_normalized("NFC", text):  # the quick check is much cheaper than normalizing
        text = unicodedata.normalize("NFC", text)
    return text.rstrip()


def file_text(text: str) -> str:
    """The content of a ``.wiki`` file holding the page text ``text`` (it ends with one newline)."""
    text = wiki_text(text)
    return text + "\n" if text else ""


def text_sha1(text: str) -> str:
    """The hex sha1 of ``text`` as the wiki would store it (what the API's ``rvprop=sha1`` gives)."""
    return hashlib.sha1(wiki_text(text).encode("utf-8")).hexdigest()

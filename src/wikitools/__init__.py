"""wikitools: keep MediaWiki articles as files: convert, lint, export and sync them with a wiki.

The names below are the public API; the command line (``wikitools``) is a thin layer over them::

    from wikitools import Conversion, convert, lint_text
    wikitext = convert(open("article.txt").read(), Conversion("text", "wikitext"))
    findings = lint_text(wikitext, "Article")

The conversion verbs are bound here at import, after their module, so that no submodule can shadow
them (``wikitools.convert`` is the function, as in mwparserfromhell's ``parse``); that module loads its
parsers on first use. The other names are imported on first use (PEP 562), so ``import wikitools.lint``
does not load the HTTP client.
"""

from __future__ import annotations

import importlib
from typing import Any

from .convert import Conversion as Conversion
from .convert import Converted as Converted
from .convert import Format as Format
from .convert import convert as convert
from .convert import convert_article as convert_article
from .convert import convert_file as convert_file
from .convert import convert_page as convert_page
from .convert import read_article as read_article

__version__ = "0.1.0"

_EAGER = (
    "Conversion",
    "Converted",
    "Format",
    "convert",
    "convert_article",
    "convert_file",
    "convert_page",
    "read_article",
)
_EXPORTS = {
    ".api": ("Credentials", "WikiClient"),
    ".batch": ("convert_paths",),
    ".devwiki": ("DevWiki",),
    ".errors": (
        "ApiError",
        "ConflictError",
        "ExitCode",
        "FormatError",
        "InputError",
        "LoginError",
        "NetworkError",
        "WikiError",
        "WikitoolsError",
    ),
    ".formats.xml_read": ("iter_pages", "read_single_page"),
    ".formats.xml_write": ("write_dump_file", "write_pages"),
    ".lint": ("Finding", "LintConfig", "lint_paths", "lint_text"),
    ".markup": ("BUILTIN", "LinkKind", "Markup", "classify_link", "parse_redirect"),
    ".model": (
        "Article",
        "Link",
        "ListBlock",
        "ListItem",
        "Page",
        "Paragraph",
        "Revision",
        "Section",
        "Table",
        "Text",
    ),
    ".sync.pull": ("pull",),
    ".sync.push": ("push",),
    ".sync.state": ("State",),
    ".titles": ("filename_to_title", "normalize_title", "title_of_file", "title_to_filename"),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(["__version__", *_EAGER, *_MODULE_OF])


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'wikitools' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__

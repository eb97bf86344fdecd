"""wikitools: keep MediaWiki articles as files: convert, lint, export and sync them with a wiki.

The names below are the public API; the command line (``wikitools``) is a thin layer over them::

    from wikitools import Conversion, convert, lint_text
    wikitext = convert(open("article.txt").read(), Conversion("text", "wikitext"))
    findings = lint_text(wikitext, "Article")

They are imported on first use (PEP 562), so ``import wikitools.lint`` does not load the HTTP client.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    ".api": ("Credentials", "WikiClient"),
    ".devwiki": ("DevWiki",),
    ".convert": ("Conversion", "convert", "convert_file"),
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
    ".model": (
        "Article",
        "Link",
        "ListBlock",
        "ListItem",
        "Page",
        "Paragraph",
        "Revision",
        "Section",
        "Text",
    ),
    ".sync.pull": ("pull",),
    ".sync.push": ("push",),
    ".sync.state": ("State",),
    ".titles": ("filename_to_title", "normalize_title", "title_to_filename"),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(["__version__", *_MODULE_OF])


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'wikitools' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__

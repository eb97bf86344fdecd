"""wikitools: keep MediaWiki articles as files: convert, lint, export and sync them with a wiki.

The names below are the public API; the command line (``wikitools``) is a thin layer over them::

    from wikitools import Conversion, convert, lint_text
    wikitext = convert(open("article.txt").read(), Conversion("text", "wikitext"))
    findings = lint_text(wikitext, "Article")
"""

__version__ = "0.1.0"

from .api import Credentials, DevWiki, WikiClient
from .convert import Conversion, convert, convert_file
from .errors import (
    ApiError,
    ConflictError,
    ExitCode,
    FormatError,
    InputError,
    LoginError,
    NetworkError,
    WikiError,
    WikitoolsError,
)
from .formats.xml_read import iter_pages, read_single_page
from .formats.xml_write import write_dump_file, write_pages
from .lint import Finding, LintConfig, lint_paths, lint_text
from .model import Article, Link, ListBlock, ListItem, Page, Paragraph, Revision, Section, Text
from .sync.pull import pull
from .sync.push import push
from .sync.state import State
from .titles import filename_to_title, normalize_title, title_to_filename

__all__ = [
    "ApiError",
    "Article",
    "ConflictError",
    "Conversion",
    "Credentials",
    "DevWiki",
    "ExitCode",
    "Finding",
    "FormatError",
    "InputError",
    "Link",
    "LintConfig",
    "ListBlock",
    "ListItem",
    "LoginError",
    "NetworkError",
    "Page",
    "Paragraph",
    "Revision",
    "Section",
    "State",
    "Text",
    "WikiClient",
    "WikiError",
    "WikitoolsError",
    "__version__",
    "convert",
    "convert_file",
    "filename_to_title",
    "iter_pages",
    "lint_paths",
    "lint_text",
    "normalize_title",
    "pull",
    "push",
    "read_single_page",
    "title_to_filename",
    "write_dump_file",
    "write_pages",
]

"""wikitools: keep MediaWiki articles as files: convert, lint, export and sync them with a wiki."""

__version__ = "0.1.0"

"""A throwaway MediaWiki on loopback (``wikitools dev-wiki``), for rehearsing a push and for tests."""

from .wiki import DevWiki

__all__ = ["DevWiki"]

"""The wiki side of wikitools: an Action API client, its credentials, and a throwaway dev wiki."""

from .client import WikiClient
from .credentials import Credentials
from .devwiki import DevWiki
from .results import EditResult, LinkTarget

__all__ = ["Credentials", "DevWiki", "EditResult", "LinkTarget", "WikiClient"]

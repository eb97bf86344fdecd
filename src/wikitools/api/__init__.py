"""The wiki side of wikitools: an Action API client and its credentials."""

from .client import WikiClient
from .credentials import Credentials
from .results import EditResult, LinkTarget

__all__ = ["Credentials", "EditResult", "LinkTarget", "WikiClient"]

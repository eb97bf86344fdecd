"""Shared fixtures: one throwaway MediaWiki for the whole test session, and clients logged in to it.

The wiki is the same :class:`wikitools.api.DevWiki` that ``wikitools dev-wiki start`` runs. When it
cannot start, tests that need it are skipped with the reason, except in CI (``CI=true``), where that
fails the run: a CI run must never pass without having talked to a real wiki.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from hypothesis import settings

from wikitools.api import Credentials, WikiClient
from wikitools.devwiki import DevWiki
from wikitools.errors import DevWikiError


def in_ci() -> bool:
    """Whether this is a CI run (``CI=true``), where a missing wiki fails tests instead of skipping them."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


# Hypothesis: a few hundred examples while working; more in CI, where the whole suite must still finish in
# 10 minutes on 2 cores. HYPOTHESIS_PROFILE picks one by name. Tests that set max_examples keep their own.
settings.register_profile("default", max_examples=200, deadline=None)
settings.register_profile("ci", max_examples=400, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if in_ci() else "default"))


@pytest.fixture(scope="session", autouse=True)
def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Logged-in sessions kept by the CLI (``$XDG_CACHE_HOME/wikitools/sessions``) go to a directory of
    this test session, never to the user's own cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


def running(dev_wiki: DevWiki) -> Iterator[DevWiki]:
    """Start ``dev_wiki`` for a fixture to yield, and stop it after; a wiki that cannot start skips the
    tests that need it, or fails them in CI."""
    try:
        dev_wiki.start()
    except DevWikiError as error:
        if in_ci():
            pytest.fail(f"the dev wiki could not start: {error}", pytrace=False)
        pytest.skip(f"the dev wiki could not start: {error}")
    try:
        yield dev_wiki
    finally:
        dev_wiki.stop()


@pytest.fixture(scope="session")
def wiki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevWiki]:
    """A running MediaWiki on 127.0.0.1 with a bot login (``wiki.bot_username``/``wiki.bot_password``)."""
    yield from running(DevWiki(tmp_path_factory.mktemp("devwiki")))


@pytest.fixture
def as_bot(wiki, monkeypatch):
    """The CLI logs in as the dev wiki's bot, and nothing else in the environment interferes."""
    monkeypatch.setenv("WIKITOOLS_USERNAME", wiki.bot_username)
    monkeypatch.setenv("WIKITOOLS_PASSWORD", wiki.bot_password)
    for name in ("WIKITOOLS_WIKI", "WIKITOOLS_OAUTH_TOKEN", "WIKITOOLS_CONTACT"):
        monkeypatch.delenv(name, raising=False)
    return wiki


@pytest.fixture
def wiki_client(wiki: DevWiki) -> WikiClient:
    """A :class:`WikiClient` logged in to the dev wiki as its bot (``apihighlimits``, no rate limits)."""
    client = WikiClient(wiki.api_url, credentials=Credentials(wiki.bot_username, wiki.bot_password))
    client.login()
    return client


@pytest.fixture
def unique_title() -> str:
    """A page title no other test uses, so tests sharing the session's wiki cannot collide."""
    return f"Test {uuid.uuid4().hex[:12]}"

"""Which wiki a synced directory talks to, and the client that talks to it.

The wiki comes from, in order: the ``--wiki`` option, the URL remembered in the directory's state, the
``WIKITOOLS_WIKI`` environment variable, then ``wiki = ...`` under ``[tool.wikitools]`` in the nearest
``wikitools.toml`` or ``pyproject.toml`` (``wikitools.toml`` may also set it at top level). A directory
stays bound to the wiki it was synced with: a ``--wiki`` naming another one is refused, because the base
revisions in the state would mean nothing there.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..api.client import NO_CREDENTIALS_HINT, WikiClient, connect
from ..config import find_settings
from ..errors import ConfigError, LoginError
from .state import State

WIKI_ENV = "WIKITOOLS_WIKI"


def tool_config(start: Path) -> dict[str, Any]:
    """The wikitools settings that apply at ``start`` (see :mod:`wikitools.config`; empty if none)."""
    return dict(find_settings(start).table)


def _config_string(config: dict[str, Any], key: str) -> str | None:
    value = config.get(key)
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"[tool.wikitools] {key} must be a string, not {value!r}")
    return value


def wiki_url(state: State, wiki: str | None = None, config: dict[str, Any] | None = None) -> str:
    """The URL of the wiki to use for ``state`` (api.php or base URL), as the module docstring says."""
    if config is None:
        config = tool_config(state.root)
    url = wiki or state.api_url or os.environ.get(WIKI_ENV) or _config_string(config, "wiki")
    if not url:
        raise ConfigError(
            "no wiki given",
            subject=state.root,
            hint=f"pass --wiki URL, set {WIKI_ENV}, or set wiki under [tool.wikitools] in pyproject.toml",
        )
    return url


def open_wiki(
    state: State, wiki: str | None = None, *, login: bool = True, for_editing: bool = False
) -> WikiClient:
    """A client for the wiki ``state`` is bound to, holding the configured credentials (``login=False``:
    anonymous; ``for_editing``: credentials are required). It logs in only when
    :meth:`WikiClient.ensure_login` is called before the first request, so a command with nothing to
    send costs no request at all.

    A state not yet bound (a first pull or push) is bound here to the wiki found as the module docstring
    says; the caller saves the state.
    """
    config = tool_config(state.root)
    url = wiki_url(state, wiki, config)
    client = connect(url, login=login, start=state.root)
    if for_editing and client.credentials is None:
        raise LoginError("editing needs a login", subject=url, hint=NO_CREDENTIALS_HINT)
    bind(state, client)
    return client


def bind(state: State, client: WikiClient) -> None:
    """Bind ``state`` to ``client``'s wiki, refusing a client of another wiki than the one the state's
    base revisions belong to (pull and push call this themselves, whoever built the client)."""
    if state.api_url is not None and client.api_url != state.api_url:
        raise ConfigError(
            f"this directory is synced with {state.api_url}, not {client.api_url}",
            subject=state.root,
            hint="sync another wiki in another directory",
        )
    state.api_url = client.api_url

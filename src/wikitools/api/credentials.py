"""Who wikitools logs in as, found in the environment or ``~/.netrc``, never shown anywhere.

A username containing ``@`` is a bot password (``User@app``, logged in through ``action=login``);
any other username is a main account (``action=clientlogin``); an OAuth 2 owner-only access token is
sent as ``Authorization: Bearer``. Secrets never appear in ``repr``, logs or error messages, and
:func:`require_secure_transport` refuses to send them over plain http except to loopback.
"""

from __future__ import annotations

import ipaddress
import netrc
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import ConfigError, LoginError

USERNAME_VARIABLE = "WIKITOOLS_USERNAME"
PASSWORD_VARIABLE = "WIKITOOLS_PASSWORD"
OAUTH_TOKEN_VARIABLE = "WIKITOOLS_OAUTH_TOKEN"


@dataclass(frozen=True)
class Credentials:
    """A login: a username and password (bot password or main account), or an OAuth access token."""

    username: str | None = None
    password: str | None = None
    oauth_token: str | None = None

    def __post_init__(self) -> None:
        if self.oauth_token is None and not (self.username and self.password):
            raise ConfigError("credentials need a username and a password, or an OAuth token")

    def __repr__(self) -> str:
        hidden = "'***'"
        return (
            f"Credentials(username={self.username!r}, password={hidden if self.password else None}, "
            f"oauth_token={hidden if self.oauth_token else None})"
        )

    __str__ = __repr__

    @property
    def is_bot_password(self) -> bool:
        """True for a ``User@app`` bot password, which logs in through ``action=login``."""
        return self.oauth_token is None and "@" in (self.username or "")

    @classmethod
    def from_environment(cls, api_url: str, environ: Mapping[str, str] | None = None) -> Credentials | None:
        """Credentials from ``WIKITOOLS_USERNAME``/``WIKITOOLS_PASSWORD``, ``WIKITOOLS_OAUTH_TOKEN``,
        or the ``~/.netrc`` entry of the API's host (``NETRC`` may name another file); ``None`` when
        there are none."""
        env = os.environ if environ is None else environ
        token = env.get(OAUTH_TOKEN_VARIABLE)
        username, password = env.get(USERNAME_VARIABLE), env.get(PASSWORD_VARIABLE)
        if token:
            return cls(oauth_token=token)
        if username and password:
            return cls(username=username, password=password)
        if username or password:
            present, missing = (
                (USERNAME_VARIABLE, PASSWORD_VARIABLE) if username else (PASSWORD_VARIABLE, USERNAME_VARIABLE)
            )
            raise ConfigError(f"{present} is set but {missing} is not", hint="set both, or neither")
        return _from_netrc(api_url, env)


def _from_netrc(api_url: str, env: Mapping[str, str]) -> Credentials | None:
    path = Path(env["NETRC"]) if env.get("NETRC") else Path(env.get("HOME") or Path.home()) / ".netrc"
    if not path.is_file():
        return None
    host = urlsplit(api_url).hostname or ""
    if path.stat().st_mode & 0o077:
        raise ConfigError(
            "the file holds passwords but other users may read it", subject=path, hint=f"chmod 600 {path}"
        )
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except netrc.NetrcParseError as exc:
        # The parser's message may quote a token of the file, which could be a password: say only where.
        raise ConfigError(
            f"cannot parse line {exc.lineno}", subject=path, hint="fix the file's syntax"
        ) from None
    except OSError as exc:
        raise ConfigError(exc.strerror or "cannot read the file", subject=path) from None
    if entry is None:
        return None
    login, _account, password = entry
    if not login or not password:
        raise ConfigError(f"the entry for {host} needs both login and password", subject=path)
    return Credentials(username=login, password=password)


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and addresses in 127.0.0.0/8 or ``::1``."""
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def require_secure_transport(api_url: str) -> None:
    """Raise :class:`LoginError` unless secrets sent to ``api_url`` travel over https or stay on this
    machine."""
    parts = urlsplit(api_url)
    if parts.scheme == "https" or (parts.scheme == "http" and is_loopback(parts.hostname or "")):
        return
    raise LoginError(
        "refusing to send credentials over plain http",
        subject=api_url,
        hint="use the wiki's https:// address",
    )

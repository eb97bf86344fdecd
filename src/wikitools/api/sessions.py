"""Logged-in sessions kept between runs, as pywikibot keeps its cookie jar, so a push costs no login.

A bot-password login is two requests (a login token, then the login) before any work; keeping the
session's cookies lets the next run skip both: its first query also asks who the session is
(``meta=userinfo``), which proves the session still valid, and a session the wiki forgot is replaced by a
new login transparently. The cookies are a secret equal to a login for as long as the wiki keeps the
session, so they live outside any synced folder (never in ``.wikitools/``): one file per wiki and user in
``$XDG_CACHE_HOME/wikitools/sessions/`` (default ``~/.cache``), named by a hash of the API URL and the
username, written atomically with mode 0600 in a 0700 directory; a file others may read is not used.
``WIKITOOLS_SESSION_CACHE=off`` turns the cache off; ``wikitools logout`` ends a kept session.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
from collections.abc import Mapping
from pathlib import Path

from requests.cookies import RequestsCookieJar

from ..errors import InputError
from ..fileio import atomic_write

SESSION_CACHE_VARIABLE = "WIKITOOLS_SESSION_CACHE"
OFF_VALUES = frozenset({"0", "off", "no", "false"})
log = logging.getLogger(__name__)


class SessionCache:
    """The kept sessions in one directory (see the module docstring)."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    @classmethod
    def default(cls, environ: Mapping[str, str] | None = None) -> SessionCache | None:
        """The user's session cache, or ``None`` when ``WIKITOOLS_SESSION_CACHE`` turns it off."""
        env = os.environ if environ is None else environ
        if env.get(SESSION_CACHE_VARIABLE, "").strip().lower() in OFF_VALUES:
            return None
        base = env.get("XDG_CACHE_HOME") or str(Path(env.get("HOME") or Path.home()) / ".cache")
        return cls(Path(base) / "wikitools" / "sessions")

    def path(self, api_url: str, username: str) -> Path:
        """The file of the session of ``username`` on the wiki at ``api_url``."""
        return self.directory / hashlib.sha256(f"{api_url}\n{username}".encode()).hexdigest()[:32]

    def load(self, api_url: str, username: str, jar: RequestsCookieJar) -> bool:
        """Put the kept session's cookies into ``jar``; False when there is none usable."""
        path = self.path(api_url, username)
        try:
            info = path.stat()
            if info.st_mode & 0o077 or info.st_uid != os.getuid():
                log.warning("a kept session file others may read or write is not used; it is removed")
                path.unlink()
                return False
            cookies = json.loads(path.read_text("utf-8"))
            for cookie in cookies:
                jar.set(cookie["name"], cookie["value"], domain=cookie["domain"], path=cookie["path"],
                        secure=cookie["secure"], expires=cookie["expires"])  # fmt: skip
        except FileNotFoundError:
            return False
        except (OSError, ValueError, TypeError, KeyError):
            log.info("a kept session could not be read; logging in instead")
            return False
        return bool(cookies)

    def save(self, api_url: str, username: str, jar: RequestsCookieJar) -> None:
        """Keep the session's cookies (mode 0600, directory 0700); a cache that cannot be written is
        only logged: the login itself worked."""
        fields = ("name", "value", "domain", "path", "secure", "expires")
        cookies = [{field: getattr(cookie, field) for field in fields} for cookie in jar]
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            if stat.S_IMODE(self.directory.stat().st_mode) != 0o700:
                self.directory.chmod(0o700)
            atomic_write(self.path(api_url, username), json.dumps(cookies), mode=0o600)
        except (OSError, InputError):
            log.info("the session could not be kept in %s", self.directory)

    def forget(self, api_url: str, username: str) -> bool:
        """Remove the kept session; False when there was none."""
        try:
            self.path(api_url, username).unlink()
        except FileNotFoundError:
            return False
        return True

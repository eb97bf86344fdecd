"""A throwaway MediaWiki on loopback, for rehearsing a push and for the test suite.

Each wiki lives in its own directory: SQLite database, ``LocalSettings.php`` (selected through the
``MW_CONFIG_FILE`` environment variable that MediaWiki 1.39 reads), caches, uploads, a server log and
``devwiki.json`` holding the port, the server's process id and the generated logins, so a later
``wikitools dev-wiki stop DIR`` from another process finds the server. The server is PHP's built-in
one (``php -S``) in its own process group, bound to 127.0.0.1 only.

Two files in the directory let tests provoke what a quiet local wiki never does: ``fake-lag`` (a number
of seconds) makes every request carrying ``maxlag`` see that replication lag through the
``ApiMaxLagInfo`` hook, and ``edit-rate-limit`` (``COUNT SECONDS``) tightens the edit rate limit of
non-bot users.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import requests

from ..errors import DevWikiError
from ..fileio import atomic_write

MEDIAWIKI_DIR_VARIABLE = "WIKITOOLS_MEDIAWIKI_DIR"  # where MediaWiki is installed, if not Debian's place
DEFAULT_MEDIAWIKI_DIR = Path("/usr/share/mediawiki")
STATE_FILE = "devwiki.json"
BOT_NAME = "Bot"
BOT_APP_ID = "wikitools"
BOT_GRANTS = ("basic", "highvolume", "editpage", "createeditmovepage", "import", "delete", "uploadfile",
              "uploadeditmovefile", "editinterface", "editsiteconfig", "editprotected")  # fmt: skip
PHP_SERVER = ("php", "-d", "upload_max_filesize=256M", "-d", "post_max_size=256M", "-S")
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
INSTALL_HINT = (
    "install them with: apt-get install --no-install-recommends mediawiki php8.2-cli php8.2-sqlite3"
)

# Bot passwords must match ^[0-9a-w]{32,}$ or MediaWiki refuses the login with a generic message.
_BOT_PASSWORD_ALPHABET = string.digits + "abcdefghijklmnopqrstuvw"
_SERVER_LINE = re.compile(r'^\$wgServer = ".*";$', re.MULTILINE)

_SETTINGS_MARKER = "# ---- added by wikitools dev-wiki ----"
_OUR_FILES = frozenset(
    {
        ".install",
        "data",
        "cache",
        "images",
        "server.log",
        STATE_FILE,
        "LocalSettings.php",
        "fake-lag",
        "edit-rate-limit",
    }
)
#: Settings appended to the installer's LocalSettings.php: a resource file of this package.
SETTINGS_RESOURCE = "LocalSettings.extra.php"


def extra_settings() -> str:
    """The PHP appended to the installer's settings, from this package's resource file."""
    text = resources.files(__package__).joinpath(SETTINGS_RESOURCE).read_text(encoding="utf-8")
    return "\n" + text.split("\n", 2)[2]  # without the opening tag and the comment about it


def generate_bot_password() -> str:
    """A random password of the only shape MediaWiki accepts for bot passwords."""
    return "".join(secrets.choice(_BOT_PASSWORD_ALPHABET) for _ in range(32))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    """True when a server could listen on ``127.0.0.1:port`` now (old connections may linger)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


class DevWiki:
    """One throwaway MediaWiki in ``directory``, served on ``127.0.0.1:port`` (a free port by default)."""

    def __init__(
        self,
        directory: str | Path,
        port: int | None = None,
        *,
        mediawiki_dir: Path | None = None,
        lang: str = "en",
    ):
        """``lang`` is the wiki's content language at install time (``de``: localized namespaces)."""
        self.directory = Path(directory).absolute()
        self.lang = lang
        self.mediawiki_dir = Path(
            mediawiki_dir or os.environ.get(MEDIAWIKI_DIR_VARIABLE) or DEFAULT_MEDIAWIKI_DIR
        )
        self._state: dict[str, Any] = self._read_state()
        self._requested_port = port
        self._process: subprocess.Popen[bytes] | None = None

    # ---- what users and tests read ----

    @property
    def port(self) -> int | None:
        return self._requested_port or self._state.get("port")

    @property
    def url(self) -> str:
        """The wiki's base URL (its main page redirects from here)."""
        if self.port is None:
            raise DevWikiError("the wiki has no port yet", subject=self.directory, hint="start it first")
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api.php"

    @property
    def bot_username(self) -> str:
        return str(self._require("bot_username"))

    @property
    def bot_password(self) -> str:
        return str(self._require("bot_password"))

    @property
    def settings_file(self) -> Path:
        return self.directory / "LocalSettings.php"

    @property
    def log_file(self) -> Path:
        return self.directory / "server.log"

    def __repr__(self) -> str:
        return f"DevWiki({str(self.directory)!r}, port={self.port!r})"

    # ---- lifecycle ----

    def install(self) -> None:
        """Create the wiki, its admin and its bot login; does nothing when already installed."""
        if self.settings_file.exists() and self._state.get("bot_password"):
            return
        self._check_prerequisites()
        self.directory.mkdir(parents=True, exist_ok=True)
        self._clear_interrupted_install()
        staging = self.directory / ".install"
        staging.mkdir()
        admin_password = "Adm1n-" + secrets.token_urlsafe(18)
        self._php(
            "install.php",
            *("--dbtype", "sqlite", "--dbname", "devwiki", "--lang", self.lang, "--skins", "Vector"),
            *("--scriptpath", ""),
            *("--dbpath", str(self.directory / "data"), "--confpath", str(staging)),
            *("--server", f"http://127.0.0.1:{self.port or 8080}", "--pass", admin_password),
            *("Wikitools Dev Wiki", "Admin"),
            config=None,
        )
        for sub in ("cache", "images"):
            (self.directory / sub).mkdir(exist_ok=True)
        settings = (staging / "LocalSettings.php").read_text(encoding="utf-8") + extra_settings()
        atomic_write(staging / "LocalSettings.php", settings)
        os.replace(staging / "LocalSettings.php", self.settings_file)
        shutil.rmtree(staging, ignore_errors=True)
        bot_username, bot_password = self._create_user(
            BOT_NAME, "Bot-" + secrets.token_urlsafe(18), groups=("bot", "sysop")
        )
        self._state = {
            "admin_username": "Admin",
            "admin_password": admin_password,
            "bot_username": bot_username,
            "bot_password": bot_password,
            "port": self._requested_port,
            "pid": None,
        }
        self._write_state()

    def start(self) -> None:
        """Install if needed, then serve the wiki; returns once the API answers."""
        self.install()
        if self.is_running():
            if self._requested_port in (None, self._state.get("port")):
                return
            self.stop()
        previous = self._state.get("port")
        port = self._requested_port or (previous if previous and port_is_free(previous) else free_port())
        settings = self.settings_file.read_text(encoding="utf-8")
        server_line = f'$wgServer = "http://127.0.0.1:{port}";'
        atomic_write(self.settings_file, _SERVER_LINE.sub(lambda _m: server_line, settings, count=1))
        log = open(self.log_file, "ab")  # noqa: SIM115 (the server process keeps it open)
        try:
            self._process = subprocess.Popen(
                [*PHP_SERVER, f"127.0.0.1:{port}", "-t", str(self.mediawiki_dir)],
                env=self._environment(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as exc:
            raise DevWikiError(f"cannot run php: {exc.strerror}", hint=INSTALL_HINT) from None
        finally:
            log.close()
        self._state.update(port=port, pid=self._process.pid)
        self._requested_port = port
        self._write_state()
        self._wait_until_ready()

    def stop(self) -> bool:
        """Terminate the server's whole process group and wait for it; False when none was running."""
        pid = self._state.get("pid")
        running = bool(pid) and self._is_our_server(pid)
        if running:
            self._kill_group(pid, signal.SIGTERM)
            if not self._wait_for_exit(pid, STOP_TIMEOUT):
                self._kill_group(pid, signal.SIGKILL)
                self._wait_for_exit(pid, STOP_TIMEOUT)
        self._process = None
        if self._state.get("pid"):
            self._state["pid"] = None
            self._write_state()
        return running

    def is_running(self) -> bool:
        pid = self._state.get("pid")
        return bool(pid) and self._is_our_server(pid)

    def __enter__(self) -> DevWiki:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ---- users, maintenance and test knobs ----

    def create_user(self, name: str, password: str, *, bot: bool = False) -> tuple[str, str]:
        """Create a user (in the ``bot`` group when ``bot``) and a bot password for it.

        Returns the bot-password login ``(name@wikitools, password)``; ``password`` stays the main
        account's password, usable through ``action=clientlogin``.
        """
        self.install()
        return self._create_user(name, password, groups=("bot",) if bot else ())

    def run_maintenance(self, script: str, *args: str, stdin: bytes | None = None) -> str:
        """Run a script from MediaWiki's ``maintenance/`` against this wiki; returns its output."""
        return self._php(script, *args, config=self.settings_file, stdin=stdin)

    def set_fake_lag(self, seconds: float | None) -> None:
        """Make the server report ``seconds`` of replication lag (``None`` for none)."""
        self._set_knob("fake-lag", None if seconds is None else f"{seconds}\n")

    def set_edit_rate_limit(self, count: int | None, seconds: int = 60) -> None:
        """Allow ordinary users ``count`` edits per ``seconds`` (``None`` restores the default)."""
        self._set_knob("edit-rate-limit", None if count is None else f"{count} {seconds}\n")

    @contextlib.contextmanager
    def fake_lag(self, seconds: float) -> Iterator[None]:
        self.set_fake_lag(seconds)
        try:
            yield
        finally:
            self.set_fake_lag(None)

    # ---- internals ----

    def _require(self, key: str) -> Any:
        if not self._state.get(key):
            raise DevWikiError("the wiki is not installed", subject=self.directory, hint="start it first")
        return self._state[key]

    def _read_state(self) -> dict[str, Any]:
        path = self.directory / STATE_FILE
        if not path.exists():
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise DevWikiError(f"cannot read {STATE_FILE}: {exc}", subject=self.directory) from None
        return data if isinstance(data, dict) else {}

    def _write_state(self) -> None:
        atomic_write(self.directory / STATE_FILE, json.dumps(self._state, indent=2) + "\n")
        os.chmod(self.directory / STATE_FILE, 0o600)

    def _set_knob(self, name: str, content: str | None) -> None:
        path = self.directory / name
        if content is None:
            path.unlink(missing_ok=True)
        else:
            atomic_write(path, content)

    def _clear_interrupted_install(self) -> None:
        """Remove what an interrupted install of ours left; refuse a directory holding anything else."""
        settings_ours = self.settings_file.exists() and _SETTINGS_MARKER in self.settings_file.read_text(
            encoding="utf-8", errors="replace"
        )
        foreign = sorted(p.name for p in self.directory.iterdir() if p.name not in _OUR_FILES)
        if foreign or (self.settings_file.exists() and not settings_ours):
            listed = ", ".join(foreign or ["LocalSettings.php"])
            raise DevWikiError(
                f"the directory holds files that are not a wikitools dev wiki ({listed})",
                subject=self.directory,
                hint="use an empty directory",
            )
        for leftover in (self.directory / ".install", self.directory / "data"):
            shutil.rmtree(leftover, ignore_errors=True)
        self.settings_file.unlink(missing_ok=True)

    def _check_prerequisites(self) -> None:
        if not (self.mediawiki_dir / "maintenance" / "install.php").exists():
            raise DevWikiError(f"MediaWiki is not installed in {self.mediawiki_dir}", hint=INSTALL_HINT)
        if shutil.which("php") is None:
            raise DevWikiError("php is not installed", hint=INSTALL_HINT)

    def _environment(self) -> dict[str, str]:
        return {**os.environ, "MW_CONFIG_FILE": str(self.settings_file)}

    def _php(self, script: str, *args: str, config: Path | None, stdin: bytes | None = None) -> str:
        env = dict(os.environ) if config is None else self._environment()
        if config is None:
            env.pop("MW_CONFIG_FILE", None)
        try:
            done = subprocess.run(
                ["php", str(self.mediawiki_dir / "maintenance" / script), *args],
                env=env,
                input=stdin,
                capture_output=True,
                cwd=self.directory,
                timeout=600,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise DevWikiError(f"cannot run {script}: {exc}", subject=self.directory) from None
        output = done.stdout.decode("utf-8", "replace")
        if done.returncode != 0:
            tail = (done.stderr.decode("utf-8", "replace") + output).strip().splitlines()[-3:]
            raise DevWikiError(f"{script} failed: {' / '.join(tail) or f'exit {done.returncode}'}")
        return output

    def _create_user(self, name: str, password: str, *, groups: tuple[str, ...]) -> tuple[str, str]:
        flags = [f"--{group}" for group in groups]
        self._php("createAndPromote.php", *flags, name, password, config=self.settings_file)
        bot_password = generate_bot_password()
        self._php(
            "createBotPassword.php",
            "--appid",
            BOT_APP_ID,
            "--grants",
            ",".join(BOT_GRANTS),
            name,
            bot_password,
            config=self.settings_file,
        )
        return f"{name}@{BOT_APP_ID}", bot_password

    def _wait_until_ready(self) -> None:
        give_up_at = time.monotonic() + START_TIMEOUT
        while True:
            time.sleep(0.1)  # php fails within ~70 ms when it cannot listen: notice that first
            if self._process is not None and self._process.poll() is not None:
                self._state["pid"] = None
                self._write_state()
                raise DevWikiError(f"the server exited at start: {self._log_tail()}", subject=self.url)
            try:
                answer = requests.get(
                    self.api_url, params={"action": "query", "meta": "siteinfo", "format": "json"}, timeout=2
                )
                if answer.ok and "query" in answer.json():
                    return
            except (requests.RequestException, ValueError):
                pass
            if time.monotonic() > give_up_at:
                self.stop()
                raise DevWikiError(
                    f"the API did not answer within {START_TIMEOUT:.0f} s: {self._log_tail()}",
                    subject=self.url,
                )

    def _log_tail(self) -> str:
        try:
            lines = self.log_file.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        except OSError:
            return "no server log"
        return " / ".join(lines[-3:]) or "the server log is empty"

    def _is_our_server(self, pid: int) -> bool:
        """True when ``pid`` is alive and is a ``php -S`` serving this wiki (not a recycled pid)."""
        if self._process is not None and self._process.pid == pid:
            return self._process.poll() is None
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            status = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return False
        zombie = status.rsplit(")", 1)[-1].split()[0] == "Z"
        return not zombie and b"-S" in cmdline and any(b"php" in part for part in cmdline[:1])

    @staticmethod
    def _kill_group(pid: int, sig: signal.Signals) -> None:
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            pass
        except PermissionError as exc:
            raise DevWikiError(f"cannot stop the server (pid {pid}): {exc.strerror}") from None

    def _wait_for_exit(self, pid: int, timeout: float) -> bool:
        if self._process is not None and self._process.pid == pid:
            try:
                self._process.wait(timeout)
                return True
            except subprocess.TimeoutExpired:
                return False
        give_up_at = time.monotonic() + timeout
        while self._is_our_server(pid):
            if time.monotonic() > give_up_at:
                return False
            time.sleep(0.05)
        self._reap(pid, give_up_at)
        return True

    @staticmethod
    def _reap(pid: int, give_up_at: float) -> None:
        """Collect the exit status of a server this very process started, so no zombie is left."""
        with contextlib.suppress(ChildProcessError):  # not our child: its parent reaps it
            while os.waitpid(pid, os.WNOHANG) == (0, 0) and time.monotonic() < give_up_at:
                time.sleep(0.02)

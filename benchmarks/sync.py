"""Sync benchmark: wikitools against mwclient, pywikibot and plain batched requests, on one local wiki.

Starts a throwaway MediaWiki (``wikitools.devwiki``), imports 500 real pages of the corpus in
``/work/shared/corpus`` (or ``--corpus DIR``; namespace 0, at most 30 kB each), then measures in the
same run, for each tool: (a) pulling the 500 pages, (b) pushing 100 changed pages, (c) pushing the 500
pages unchanged. HTTP requests are counted in the server's own access log; times are wall-clock. The
machine's load drifts, so the quick pulls are repeated alternately (median time) and the changed pages are
pushed in rounds of 25 alternating the floor (plain requests) and wikitools.

    python3 -P benchmarks/sync.py [--pages 500] [--changed 100] [--repeats 3] [--corpus DIR]

``--whole-wiki`` measures instead (issue 11): (d) a no-op pull of 1,000 tracked pages, (e) a push of 1
changed page in a 1,000-page folder (with the session kept by an earlier run, and cold: logging in),
(f) 50 moves, (g) 20 uploads of 1-10 MB, against the same peers where they can do it and the
plain-requests floor. Sessions are kept in the run's temporary directory, never the user's cache.

    python3 -P benchmarks/sync.py --whole-wiki [--pages 1000] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import requests

from wikitools.api.client import WikiClient
from wikitools.api.credentials import Credentials
from wikitools.devwiki.wiki import DevWiki
from wikitools.formats.xml_read import iter_pages
from wikitools.formats.xml_write import dump_pages
from wikitools.model import Page, Revision
from wikitools.sync.config import open_wiki
from wikitools.sync.pull import pull
from wikitools.sync.push import push, wiki_files
from wikitools.sync.state import State

DEFAULT_CORPUS = Path("/work/shared/corpus")
MAX_PAGE_BYTES = 30_000
ROUND = 25  # changed pages pushed per round, alternating the floor and wikitools
_REQUEST_LINE = re.compile(r"\[\d{3}\]: (?:GET|POST) ")


class RequestCounter:
    """Counts the requests the server logged since the last :meth:`reset`."""

    def __init__(self, log_file: Path) -> None:
        self.log_file = log_file
        self.offset = 0

    def reset(self) -> None:
        self.offset = self.log_file.stat().st_size

    def count(self) -> int:
        with self.log_file.open("rb") as log:
            log.seek(self.offset)
            return sum(1 for line in log if _REQUEST_LINE.search(line.decode("utf-8", "replace")))


def corpus_pages(corpus: Path, wanted: int, max_bytes: int = MAX_PAGE_BYTES) -> list[Page]:
    """The first ``wanted`` pages of namespace 0 (unique titles, at most ``max_bytes``) of the corpus."""
    files = sorted(corpus.glob("*.bz2")) + sorted((corpus / "multilang").glob("*.xml.xz"))
    pages: dict[str, Page] = {}
    for path in files:
        for page in iter_pages(path, latest_only=True, on_warning=lambda *_: None):
            latest = page.latest
            if page.namespace == 0 and latest and len(latest.text.encode()) <= max_bytes:
                # Only title and text: ids from several dumps would clash in one import.
                pages.setdefault(page.title, Page(page.title, revisions=(Revision(text=latest.text),)))
                if len(pages) == wanted:
                    return list(pages.values())
    raise SystemExit(f"the corpus in {corpus} has fewer than {wanted} usable pages")


def seed(wiki: DevWiki, pages: list[Page]) -> list[str]:
    """Import ``pages`` into the wiki (100 per upload) and run the jobs it queued; returns their titles as
    the wiki normalised them."""
    client = bot_client(wiki)
    for start in range(0, len(pages), 100):  # one upload of 1,000 pages outlasts the client's time-out
        client.import_xml(dump_pages(pages[start : start + 100]), summary="benchmark seed")
    wiki.run_maintenance("runJobs.php")  # else every measured request would also run a queued job
    return [page.title for page in client.fetch_pages(p.title for p in pages) if page.latest]


def bot_client(wiki: DevWiki) -> WikiClient:
    client = WikiClient(wiki.api_url, credentials=Credentials(wiki.bot_username, wiki.bot_password))
    client.login()
    return client


# ---- the tools ----


class Wikitools:
    name = "wikitools"

    def __init__(self, wiki: DevWiki, work: Path, *, bot: bool) -> None:
        self.wiki, self.work, self.bot = wiki, work, bot
        self.directory = work  # set by each pull to a fresh directory
        if bot:
            os.environ["WIKITOOLS_USERNAME"] = wiki.bot_username
            os.environ["WIKITOOLS_PASSWORD"] = wiki.bot_password
        self.name = "wikitools (bot)" if bot else "wikitools (anonymous)"

    def _client(self, state: State) -> WikiClient:
        return open_wiki(state, self.wiki.api_url, login=self.bot)

    def pull(self, titles: list[str]) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="wikitools-", dir=self.work))
        state = State.find_or_create(self.directory)
        pull(state, self._client(state), titles=titles)

    def refresh(self) -> None:
        """Pull what other tools changed, so the next push starts from the wiki's latest revisions."""
        state = State.load(self.directory)
        pull(state, self._client(state))

    def push_changed(self, titles: list[str], marker: str) -> None:
        state = State.load(self.directory)
        for title in titles:
            path = self.directory / state.filename_for(title)
            path.write_text(path.read_text("utf-8") + f"\n{marker}\n", "utf-8")
        self._push(state)

    def push_unchanged(self, titles: list[str]) -> None:
        self._push(State.load(self.directory))

    def _push(self, state: State) -> None:
        report = push(state, self._client(state), wiki_files(state, [self.directory]), summary="benchmark")
        assert report.exit_code == 0, report.attention


class Mwclient:
    name = "mwclient"

    def __init__(self, wiki: DevWiki) -> None:
        self.wiki = wiki

    def _site(self, login: bool):
        import mwclient

        site = mwclient.Site(f"127.0.0.1:{self.wiki.port}", path="/", scheme="http",
                             clients_useragent="wikitools-benchmark")  # fmt: skip
        if login:
            site.login(self.wiki.bot_username, self.wiki.bot_password)
        return site

    def pull(self, titles: list[str]) -> None:
        site = self._site(login=False)
        for title in titles:
            site.pages[title].text()

    def push_changed(self, titles: list[str], marker: str) -> None:
        site = self._site(login=True)
        for title in titles:
            page = site.pages[title]
            page.edit(page.text() + f"\n{marker}", summary="benchmark")  # text() first: sends basetimestamp

    def push_unchanged(self, titles: list[str]) -> None:
        site = self._site(login=True)
        for title in titles:
            page = site.pages[title]
            page.edit(page.text(), summary="benchmark")


class Pywikibot:
    name = "pywikibot"

    def __init__(self, wiki: DevWiki, work: Path) -> None:
        """pywikibot needs a user-config.py and a password file before it is imported."""
        home = work / "pywikibot"
        home.mkdir()
        (home / "user-config.py").write_text(
            f"family_files['devwiki'] = '{wiki.api_url}'\nfamily = 'devwiki'\nmylang = 'devwiki'\n"
            f"usernames['devwiki']['devwiki'] = '{wiki.bot_username.split('@')[0]}'\n"
            "password_file = 'passwords.py'\nput_throttle = 0\nnoisysleep = 600\n",
            "utf-8",
        )
        app, password = wiki.bot_username.split("@")[1], wiki.bot_password
        passwords = home / "passwords.py"
        passwords.write_text(f"('{wiki.bot_username.split('@')[0]}', BotPassword('{app}', '{password}'))\n")
        passwords.chmod(0o600)
        os.environ["PYWIKIBOT_DIR"] = str(home)

    def _site(self):
        import pywikibot

        return pywikibot.Site("devwiki", "devwiki")

    def pull(self, titles: list[str]) -> None:
        import pywikibot
        from pywikibot.pagegenerators import PreloadingGenerator

        site = self._site()
        for page in PreloadingGenerator((pywikibot.Page(site, t) for t in titles), groupsize=50):
            page.text  # noqa: B018  (reading the preloaded text is the work measured)

    def push_changed(self, titles: list[str], marker: str) -> None:
        self._save(titles, lambda text: text + f"\n{marker}")

    def push_unchanged(self, titles: list[str]) -> None:
        self._save(titles, lambda text: text)

    def _save(self, titles: list[str], change: Callable[[str], str]) -> None:
        import pywikibot
        from pywikibot.pagegenerators import PreloadingGenerator

        site = self._site()
        site.login()
        for page in PreloadingGenerator((pywikibot.Page(site, t) for t in titles), groupsize=50):
            page.text = change(page.text)
            page.save(summary="benchmark", quiet=True)


class PlainRequests:
    """The floor: batched reads and bare edits with one session, no safety checks or retries."""

    name = "plain requests"

    def __init__(self, wiki: DevWiki) -> None:
        self.wiki = wiki

    def _get(self, session: requests.Session, **params: object) -> dict:
        reply = session.get(self.wiki.api_url, params={**params, "format": "json", "formatversion": 2})
        return reply.json()

    def _texts(self, session: requests.Session, titles: list[str]) -> dict[str, str]:
        texts = {}
        for start in range(0, len(titles), 50):
            reply = self._get(session, action="query", prop="revisions", rvprop="content", rvslots="main",
                              titles="|".join(titles[start:start + 50]))  # fmt: skip
            for page in reply["query"]["pages"]:
                texts[page["title"]] = page["revisions"][0]["slots"]["main"]["content"]
        return texts

    def pull(self, titles: list[str]) -> None:
        self._texts(requests.Session(), titles)

    def push_changed(self, titles: list[str], marker: str) -> None:
        """Read the pages in batches, then send each whole new text: the edit any client must make."""
        session, csrf = _plain_login(self.wiki)
        for title, text in self._texts(session, titles).items():
            edit = {"action": "edit", "title": title, "text": f"{text}\n{marker}", "summary": "benchmark",
                    "token": csrf, "format": "json"}  # fmt: skip
            session.post(self.wiki.api_url, data=edit)


# ---- the run ----


def measure(counter: RequestCounter, work: Callable[[], None]) -> tuple[int, float]:
    counter.reset()
    started = time.perf_counter()
    work()
    return counter.count(), time.perf_counter() - started


Row = tuple[str, str, int, float]


def rows(wiki: DevWiki, titles: list[str], changed: int, work: Path, repeats: int) -> Iterator[Row]:
    """The measurements. The machine's load drifts, so the quick runs are repeated alternately (median
    time), and the changed pages are pushed in rounds alternating the floor and wikitools."""
    counter = RequestCounter(wiki.log_file)
    anonymous, bot = Wikitools(wiki, work, bot=False), Wikitools(wiki, work, bot=True)
    plain, mw, pwb = PlainRequests(wiki), Mwclient(wiki), Pywikibot(wiki, work)
    pull_label = f"(a) pull {len(titles)}"
    samples: dict[str, list[tuple[int, float]]] = {}
    for _ in range(repeats):
        for tool in (anonymous, bot, pwb, plain):
            samples.setdefault(tool.name, []).append(measure(counter, lambda t=tool: t.pull(titles)))
    samples[mw.name] = [measure(counter, lambda: mw.pull(titles))]  # 1,001 requests: once is enough
    for name, runs in samples.items():
        yield (pull_label, name, runs[0][0], statistics.median(seconds for _, seconds in runs))

    push_label = f"(b) push {changed} changed"
    totals = {plain.name: [0, 0.0], bot.name: [0, 0.0]}
    for start in range(0, changed, ROUND):
        chunk = titles[start : min(start + ROUND, changed)]
        for tool in (plain, bot):  # the same pages: the server's own cost per edit, then ours
            if tool is bot:
                bot.refresh()  # untimed: plain requests just edited these pages
            edit = lambda t=tool, c=chunk: t.push_changed(c, f"Edited by {t.name}.")  # noqa: E731
            count, seconds = measure(counter, edit)
            totals[tool.name][0] += count
            totals[tool.name][1] += seconds
    for name, (count, seconds) in totals.items():
        yield (push_label, name, count, seconds)
    for tool in (mw, pwb):
        edit = lambda t=tool: t.push_changed(titles[:changed], f"Edited by {t.name}.")  # noqa: E731
        yield (push_label, tool.name, *measure(counter, edit))

    unchanged_label = f"(c) push {len(titles)} unchanged"
    for tool in (bot, mw, pwb):
        yield (unchanged_label, tool.name, *measure(counter, lambda t=tool: t.push_unchanged(titles)))


def whole_wiki_rows(wiki: DevWiki, titles: list[str], work: Path) -> Iterator[Row]:
    """Scenarios (d)-(g): what only a synced folder can do cheaply, and moves and uploads for all."""
    import mwclient  # noqa: F401  (fail early when the bench extra is missing)

    counter = RequestCounter(wiki.log_file)
    os.environ["WIKITOOLS_USERNAME"], os.environ["WIKITOOLS_PASSWORD"] = wiki.bot_username, wiki.bot_password
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")  # the pull below keeps its session there
    folder = work / "whole"
    state = State.find_or_create(folder)
    pull(state, open_wiki(state, wiki.api_url), titles=titles)
    plain, mw, pwb = PlainRequests(wiki), Mwclient(wiki), Pywikibot(wiki, work)
    label = f"(d) no-op pull of {len(titles)} tracked"
    yield (label, "wikitools (bot)", *measure(counter, lambda: _pull_tracked(folder)))
    yield (label, pwb.name, *measure(counter, lambda: pwb.pull(titles)))  # it can only read them all again
    yield (label, plain.name, *measure(counter, lambda: plain.pull(titles)))
    label = f"(e) push 1 changed of {len(titles)}"
    for title, how in ((titles[0], "wikitools (bot)"), (titles[1], "wikitools (bot), no kept session")):
        one = State.load(folder).entry_for_title(title)
        assert one is not None
        (folder / one[0]).write_text("Changed for the benchmark.\n")
        os.environ["WIKITOOLS_SESSION_CACHE"] = "off" if "no kept" in how else "on"
        yield (label, how, *measure(counter, lambda: _push_folder(folder)))
    os.environ.pop("WIKITOOLS_SESSION_CACHE")
    yield (label, plain.name, *measure(counter, lambda: plain.push_changed(titles[2:3], "Changed.")))
    label = "(f) 50 moves"
    movers = titles[3:203]
    for offset, tool in enumerate(("wikitools (bot)", mw.name, pwb.name, plain.name)):
        batch = movers[offset * 50 : offset * 50 + 50]
        yield (label, tool, *measure(counter, lambda t=tool, b=batch: _move(t, b, folder, wiki, mw, pwb)))
    label = "(g) 20 uploads of 1-10 MB"
    media = work / "media"
    media.mkdir()
    sizes = [2**20 * (1 + (n * 7) % 10) for n in range(20)]
    for n, size in enumerate(sizes):
        (media / f"f{n}.bin").write_bytes(os.urandom(size))
    for tool in ("wikitools (bot)", plain.name, mw.name):
        yield (label, tool, *measure(counter, lambda t=tool: _uploads(t, media, folder, wiki, mw)))


def _pull_tracked(folder: Path) -> None:
    state = State.load(folder)
    report = pull(state, open_wiki(state))
    assert report.summary().startswith("pulled 0, merged 0,"), report.summary()


def _push_folder(folder: Path) -> None:
    state = State.load(folder)
    report = push(state, open_wiki(state, for_editing=True), wiki_files(state, [folder]), summary="bench")
    assert "refused 0" in report.summary(), report.summary()


def _move(tool: str, titles: list[str], folder: Path, wiki: DevWiki, mw: Mwclient, pwb: Pywikibot) -> None:
    """Move each title to "<title> moved" with ``tool``."""
    if tool.startswith("wikitools"):
        from wikitools.sync.tracking import move

        state = State.load(folder)
        for title in titles:
            name = state.filename_for(title)
            move(folder, folder / name, folder / name.replace(".wiki", "_moved.wiki"))
        _push_folder(folder)
    elif tool == mw.name:
        site = mw._site(login=True)
        for title in titles:
            site.pages[title].move(f"{title} moved", reason="bench")
    elif tool == pwb.name:
        import pywikibot

        site = pwb._site()
        site.login()
        for title in titles:
            pywikibot.Page(site, title).move(f"{title} moved", summary="bench")
    else:
        session, csrf = _plain_login(wiki)
        for title in titles:
            session.post(wiki.api_url, data={"action": "move", "from": title, "to": f"{title} moved",
                                             "token": csrf, "format": "json"})  # fmt: skip


def _plain_login(wiki: DevWiki) -> tuple[requests.Session, str]:
    session = requests.Session()
    get = {"format": "json", "formatversion": 2, "action": "query", "meta": "tokens"}
    token = session.get(wiki.api_url, params={**get, "type": "login"}).json()["query"]["tokens"]["logintoken"]
    login = {"action": "login", "lgname": wiki.bot_username, "lgpassword": wiki.bot_password,
             "lgtoken": token, "format": "json"}  # fmt: skip
    session.post(wiki.api_url, data=login)
    return session, session.get(wiki.api_url, params=get).json()["query"]["tokens"]["csrftoken"]


def _uploads(tool: str, media: Path, folder: Path, wiki: DevWiki, mw: Mwclient) -> None:
    """Upload every file of ``media`` under a name of the tool's own."""
    stem = tool.split()[0]
    files = sorted(media.iterdir())
    if tool.startswith("wikitools"):
        state = State.load(folder)
        target = folder / state.layout.namespaces[6]
        target.mkdir(exist_ok=True)
        for path in files:
            os.link(path, target / f"{stem}_{path.name}")
            (target / f"{stem}_{path.name}.wiki").write_text("Benchmark upload.\n")
        _push_folder(folder)
    elif tool == mw.name:
        site = mw._site(login=True)
        for path in files:
            with path.open("rb") as handle:
                site.upload(handle, f"{stem}_{path.name}", description="Benchmark upload.")
    else:
        session, csrf = _plain_login(wiki)
        for path in files:
            with path.open("rb") as handle:
                upload = {"action": "upload", "filename": f"{stem}_{path.name}", "text": "Benchmark upload.",
                          "token": csrf, "format": "json"}  # fmt: skip
                session.post(wiki.api_url, data=upload, files={"file": (path.name, handle)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--changed", type=int, default=100)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeats", type=int, default=3, help="runs of each quick pull (median time)")
    parser.add_argument("--whole-wiki", action="store_true", help="scenarios (d)-(g) of issue 11 instead")
    args = parser.parse_args()
    if args.whole_wiki and args.pages == 500:
        args.pages = 1000
    with tempfile.TemporaryDirectory(prefix="wikitools-bench-") as temp:
        work = Path(temp)
        with DevWiki(work / "wiki") as wiki:
            wiki.install()
            wiki.start()
            started = time.perf_counter()
            # (d)-(g) measure per-page overheads, not text size: small pages make the 1,000-page seed quick
            size = 5_000 if args.whole_wiki else MAX_PAGE_BYTES
            titles = seed(wiki, corpus_pages(args.corpus, args.pages, size))
            print(f"seeded {len(titles)} pages in {time.perf_counter() - started:.1f} s", file=sys.stderr)
            if args.whole_wiki:
                table = list(whole_wiki_rows(wiki, titles, work))
            else:
                table = list(rows(wiki, titles, args.changed, work, args.repeats))
    print("| scenario | tool | requests | seconds | time vs wikitools |")
    print("|---|---|---:|---:|---:|")
    for scenario, tool, count, seconds in table:
        ours = next(s for sc, t, _, s in table if sc == scenario and t == "wikitools (bot)")
        print(f"| {scenario} | {tool} | {count} | {seconds:.2f} | {seconds / ours:.2f}x |")
    per_edit = {t: s / args.changed for sc, t, _, s in table if sc.startswith("(b)")}
    if args.whole_wiki:
        return
    print(
        f"\n(b) per edit: wikitools {per_edit['wikitools (bot)'] * 1000:.0f} ms, the server's own cost "
        f"(plain requests) {per_edit['plain requests'] * 1000:.0f} ms: "
        f"{per_edit['wikitools (bot)'] / per_edit['plain requests']:.2f}x"
    )


if __name__ == "__main__":
    main()

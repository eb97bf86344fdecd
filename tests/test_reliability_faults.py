"""Faults between wikitools and a real MediaWiki, injected by ``tests/faultproxy.py``: pull and push
through the real CLI end exactly as they do without faults, a fault lasting past the retry deadline
stops with exit 3 and a rerun does only what is left, and an edit whose answer was lost is recognised
on retry instead of being reported as a failure or made twice."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from wikitools.api import Credentials, WikiClient
from wikitools.api import client as api_client
from wikitools.cli import main
from wikitools.savedtext import file_text, text_sha1
from wikitools.sync.state import State

from .faultproxy import FORWARDED, Fault, FaultProxy, RandomFaults, Request
from .test_api_wiki import export_xml

pytestmark = pytest.mark.wiki

TIMEOUT = 2.0  # the client's time-out per request (ample on a loaded CI machine); delay faults hold longer
DEADLINE = 4.0  # the client's retry deadline per call
SEED = 20261127
PAGES = 200


@pytest.fixture
def cli(wiki, monkeypatch) -> Iterator[None]:
    """The CLI logs in as the dev wiki's bot, with short time-outs so that faults cost little time."""
    monkeypatch.setenv("WIKITOOLS_USERNAME", wiki.bot_username)
    monkeypatch.setenv("WIKITOOLS_PASSWORD", wiki.bot_password)
    for name in ("WIKITOOLS_WIKI", "WIKITOOLS_OAUTH_TOKEN", "WIKITOOLS_CONTACT"):
        monkeypatch.delenv(name, raising=False)

    class QuickClient(WikiClient):
        def __init__(self, api_url: str, **kwargs) -> None:
            super().__init__(api_url, **{**kwargs, "timeout": TIMEOUT, "deadline": DEADLINE})

    monkeypatch.setattr(api_client, "WikiClient", QuickClient)  # what connect() builds
    yield


@pytest.fixture(scope="module")
def bot(wiki) -> WikiClient:
    """A direct client (no proxy) to seed pages and inspect the wiki."""
    client = WikiClient(wiki.api_url, credentials=Credentials(wiki.bot_username, wiki.bot_password))
    client.login()
    return client


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def seed(bot: WikiClient, prefix: str, count: int) -> list[str]:
    """``count`` pages under ``prefix``, imported in one request; returns their titles."""
    titles = [f"{prefix}{n:03d}" for n in range(count)]
    assert bot.import_xml(export_xml({t: f"Page {t[len(prefix) :]}.\n\nSome text." for t in titles})) == count
    return titles


def edit_files(directory: Path) -> None:
    for path in sorted(directory.glob("*.wiki")):
        path.write_text(path.read_text("utf-8") + f"Edited {path.stem[-3:]}.\n", "utf-8")


def bot_edits(bot: WikiClient, titles: list[str]) -> Counter[str]:
    """How many edits (not imports) the bot made to each of ``titles``."""
    wanted, counts = set(titles), Counter[str]()
    params = {"action": "query", "list": "recentchanges", "rctype": "edit|new", "rcuser": bot.username,
              "rcprop": "title", "rclimit": "max"}  # fmt: skip
    for result in bot.query_continue(params):
        counts.update(c["title"] for c in result["query"]["recentchanges"] if c["title"] in wanted)
    return counts


def snapshot(directory: Path, prefix: str, bot: WikiClient) -> dict:
    """Files, state and wiki of a synced directory, with the prefix taken out so that two runs on
    different pages compare; each state entry is checked against the wiki's latest revision."""
    state = json.loads((directory / ".wikitools" / "state.json").read_text("utf-8"))
    latest = {page.title: page for page in bot.fetch_pages(e["title"] for e in state["files"].values())}
    entries = {}
    for name, entry in state["files"].items():
        page = latest[entry["title"]]
        assert (entry["page_id"], entry["revid"], entry["timestamp"], entry["sha1"]) == (
            page.id, page.latest.id, page.latest.timestamp, text_sha1(page.latest.text)
        ), name  # fmt: skip
        assert (directory / name).read_text("utf-8") == file_text(page.latest.text), name
        entries[name.replace(_file_prefix(prefix), "")] = entry["title"].replace(prefix, "")
    files = {
        str(p.relative_to(directory)).replace(_file_prefix(prefix), ""): p.read_text("utf-8")
        for p in directory.rglob("*")
        if p.is_file() and ".wikitools" not in p.parts
    }
    return {"format": state["format"], "entries": entries, "files": files}


def _file_prefix(prefix: str) -> str:
    return prefix.replace(" ", "_")


def sync_round(proxy: FaultProxy, directory: Path, prefix: str) -> list[tuple[int, str]]:
    """pull a selection, edit every file, push, pull again; the exit code and stdout of each."""
    outputs = []
    result = run("pull", "--prefix", prefix, "--wiki", proxy.api_url, "-d", directory)
    outputs.append((result.exit_code, result.stdout, result.stderr))
    edit_files(directory)
    result = run("push", "-m", "reliability test", directory)
    outputs.append((result.exit_code, result.stdout, result.stderr))
    result = run("pull", "-d", directory)
    outputs.append((result.exit_code, result.stdout, result.stderr))
    return outputs


def test_pull_and_push_of_200_pages_with_10_percent_faults_end_as_without_faults(
    wiki, bot, cli, tmp_path: Path
) -> None:
    run_id = uuid.uuid4().hex[:6]
    results = {}
    for name, policy in (("clean", None), ("faulty", RandomFaults(seed=SEED, rate=0.1))):
        prefix = f"Rel {name} {run_id} "
        titles = seed(bot, prefix, PAGES)
        with FaultProxy(wiki.url, policy, delay=TIMEOUT + 0.5) as proxy:
            outputs = sync_round(proxy, tmp_path / name, prefix)
        edits = bot_edits(bot, titles)
        results[name] = (outputs, snapshot(tmp_path / name, prefix, bot), edits, proxy)
    clean, faulty = results["clean"], results["faulty"]
    assert clean[0] == [
        (0, f"pulled {PAGES}, merged 0, unchanged 0, conflicts 0\n", ""),
        (0, f"pushed {PAGES}, unchanged 0, refused 0\n", ""),
        (0, f"pulled 0, merged 0, unchanged {PAGES}, conflicts 0\n", ""),
    ]
    assert faulty[0] == clean[0]  # the same reports: no failure, no page pushed twice or left out
    assert faulty[1] == clean[1]  # the same files and state (each entry checked against the wiki)
    assert set(clean[2].values()) == set(faulty[2].values()) == {1}  # each page edited exactly once
    assert len(faulty[2]) == PAGES
    injected = faulty[3].faults()
    requests = len(faulty[3].log)
    assert sum(injected.values()) >= requests * 0.05 and set(injected) == set(Fault), injected
    # the lost answers of edits (the edit was saved, the client saw a failure) were among them
    lost_edits = sum(f in FORWARDED and r.action == "edit" for r, f in faulty[3].log)
    assert lost_edits
    kinds = ", ".join(f"{fault.value} {count}" for fault, count in sorted(injected.items(), key=str))
    faulted = sum(injected.values())
    print(f"\n{requests} requests, {faulted} faulted ({kinds}); {lost_edits} edits lost their answer")


class AfterEdits:
    """Let ``allowed`` edit requests through, then fail every request with ``fault``."""

    def __init__(self, fault: Fault, allowed: int) -> None:
        self.fault, self.left = fault, allowed
        self.on = True

    def __call__(self, request: Request) -> Fault | None:
        if not self.on:
            return None
        if self.left <= 0:
            return self.fault
        self.left -= request.action == "edit"
        return None


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (Fault.HTTP_503, "{api}: the wiki answered HTTP 503 (gave up after 4 attempts in 4 s; try again "
                         "later)"),
        (Fault.DROP_AFTER, "{api}: cannot connect to the wiki (tried 4 times; is the wiki running, and is "
                           "the URL right?)"),
        (Fault.MAXLAG, "{page}: Waiting for db1: 7 seconds lagged. (maxlag) (gave up after 4 attempts in 4 "
                       "s; try again later)"),
    ],
    ids=lambda value: value.value if isinstance(value, Fault) else "",
)  # fmt: skip
def test_an_outage_past_the_deadline_stops_with_exit_3_and_a_rerun_does_what_is_left(
    wiki, bot, cli, tmp_path: Path, fault: Fault, message: str
) -> None:
    prefix = f"Outage {uuid.uuid4().hex[:6]} "
    titles = seed(bot, prefix, 12)
    policy = AfterEdits(fault, allowed=5)
    with FaultProxy(wiki.url, policy, delay=TIMEOUT + 0.5) as proxy:
        policy.on = False
        assert run("pull", "--prefix", prefix, "--wiki", proxy.api_url, "-d", tmp_path).exit_code == 0
        edit_files(tmp_path)
        policy.on = True
        result = run("push", "-m", "outage test", tmp_path)
        expected = message.format(api=proxy.api_url, page=f"{prefix}005")
        assert (result.exit_code, result.stdout, result.stderr) == (3, "", f"wikitools: {expected}\n")
        state = State.load(tmp_path)
        done = [e.title for e in state.entries.values() if e.sha1 == text_sha1(wiki_file(tmp_path, e.title))]
        assert len(done) == 5  # the edits made before the outage were recorded
        policy.on = False
        rerun = run("push", "-m", "outage test", tmp_path)
    # drop-after: the sixth edit reached the wiki before the outage hid its answer; the rerun finds it there
    reached = 6 if fault is Fault.DROP_AFTER else 5
    assert (rerun.exit_code, rerun.stdout, rerun.stderr) == (
        0, f"pushed {12 - reached}, unchanged {reached}, refused 0\n", ""
    )  # fmt: skip
    assert bot_edits(bot, titles) == Counter(dict.fromkeys(titles, 1))
    assert snapshot(tmp_path, prefix, bot)["entries"] == {f"{n:03d}.wiki": f"{n:03d}" for n in range(12)}


def wiki_file(directory: Path, title: str) -> str:
    return (directory / f"{title.replace(' ', '_')}.wiki").read_text("utf-8")


def test_a_pull_cut_off_by_an_outage_stops_with_exit_3_and_a_rerun_completes(
    wiki, bot, cli, tmp_path: Path
) -> None:
    prefix = f"Pull outage {uuid.uuid4().hex[:6]} "
    seed(bot, prefix, 30)

    def outage_after_login(request: Request) -> Fault | None:
        return Fault.HTTP_429 if "generator" in request.params and on else None

    on = True
    with FaultProxy(wiki.url, outage_after_login) as proxy:
        result = run("pull", "--prefix", prefix, "--wiki", proxy.api_url, "-d", tmp_path)
        assert (result.exit_code, result.stdout) == (3, "")
        assert result.stderr == (
            f"wikitools: {proxy.api_url}: the wiki answered HTTP 429 (gave up after 4 attempts in 4 s; "
            "try again later)\n"
        )
        assert not list(tmp_path.glob("*.wiki"))
        on = False
        rerun = run("pull", "--prefix", prefix, "--wiki", proxy.api_url, "-d", tmp_path)
    assert (rerun.exit_code, rerun.stdout, rerun.stderr) == (
        0,
        "pulled 30, merged 0, unchanged 0, conflicts 0\n",
        "",
    )
    assert len(snapshot(tmp_path, prefix, bot)["files"]) == 30


class FirstEditOfEachPage:
    """``fault`` for the first edit request of each page; nothing else is touched."""

    def __init__(self, fault: Fault) -> None:
        self.fault, self.seen = fault, set[str]()

    def __call__(self, request: Request) -> Fault | None:
        title = request.params.get("title")
        if request.action != "edit" or title in self.seen:
            return None
        self.seen.add(title)
        return self.fault


@pytest.mark.parametrize("fault", sorted(FORWARDED, key=lambda f: f.value), ids=lambda f: f.value)
def test_an_edit_whose_answer_was_lost_is_recognised_on_retry(
    wiki, bot, cli, tmp_path: Path, fault: Fault
) -> None:
    """The wiki saved the edit but the client saw a failure: the retry finds our text there (as a new
    page: ``articleexists``; as an edit: ``nochange``) and records that revision, made once."""
    prefix = f"Lost {uuid.uuid4().hex[:6]} "
    (existing,) = seed(bot, prefix, 1)
    with FaultProxy(wiki.url, FirstEditOfEachPage(fault), delay=TIMEOUT + 0.5) as proxy:
        assert run("pull", existing, "--wiki", proxy.api_url, "-d", tmp_path).exit_code == 0
        edit_files(tmp_path)
        (tmp_path / f"{_file_prefix(prefix)}new.wiki").write_text("A new page.\n", "utf-8")
        result = run("push", "-m", "lost answers", tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "pushed 2, unchanged 0, refused 0\n", "")
    edits = [r for r, _ in proxy.log if r.action == "edit"]
    assert len(edits) >= 4  # each edit was sent twice (more if the wiki was slow): the first answer was lost
    new = f"{prefix}new"
    assert bot_edits(bot, [existing, new]) == Counter({existing: 1, new: 1})
    assert snapshot(tmp_path, prefix, bot)["entries"] == {"000.wiki": "000", "new.wiki": "new"}


@pytest.mark.parametrize("create", [True, False], ids=["new page", "edit"])
@pytest.mark.parametrize("fault", sorted(FORWARDED, key=lambda f: f.value), ids=lambda f: f.value)
def test_the_client_answers_a_retried_edit_with_the_revision_its_lost_attempt_made(
    wiki, bot, fault: Fault, create: bool
) -> None:
    """``WikiClient.edit`` itself: not ``articleexists``/``editconflict``, not ``nochange``, but the
    revision the first attempt saved, which is the only one made."""
    title = f"Lost answer {uuid.uuid4().hex[:8]}"
    base = None if create else bot.edit(title, "Before.", summary="seed", base=None,
                                        start_timestamp=None, create=True)  # fmt: skip
    with FaultProxy(wiki.url, FirstEditOfEachPage(fault), delay=TIMEOUT + 0.5) as proxy:
        client = WikiClient(proxy.api_url, credentials=Credentials(wiki.bot_username, wiki.bot_password),
                            timeout=TIMEOUT, deadline=DEADLINE)  # fmt: skip
        client.login()
        result = client.edit(title, "After.\n", summary="lost answer", base=base and base.revid,
                             start_timestamp=None, create=create)  # fmt: skip
    assert [r.action for r, _ in proxy.log].count("edit") >= 2  # the first answer was lost, then a retry
    latest = next(bot.fetch_pages([title])).latest
    assert latest.text == "After."
    assert (result.title, result.revid, result.timestamp, result.nochange, result.new_page) == (
        title, latest.id, latest.timestamp, False, create
    )  # fmt: skip
    assert bot_edits(bot, [title])[title] == (1 if create else 2)


class EachRequestOnce:
    """Every distinct request fails once, its retries pass; the faults go round all eight kinds."""

    def __init__(self) -> None:
        self.seen: set[tuple] = set()
        self.kinds = list(Fault)

    def __call__(self, request: Request) -> Fault | None:
        key = tuple(sorted(request.params.items()))
        if key in self.seen:
            return None
        self.seen.add(key)
        return self.kinds[(len(self.seen) - 1) % len(self.kinds)]


def test_pulls_with_every_request_faulted_once_end_as_the_wiki_is(wiki, bot, cli, tmp_path: Path) -> None:
    """Reads and logins meet every kind of fault: an anonymous pull of 200 pages (batches of 50), then,
    logged in, a pull of the tracked pages after 50 of them changed on the wiki."""
    prefix = f"Every fault {uuid.uuid4().hex[:6]} "
    titles = seed(bot, prefix, PAGES)
    policy = EachRequestOnce()
    with FaultProxy(wiki.url, policy, delay=TIMEOUT + 0.5) as proxy:
        with pytest.MonkeyPatch.context() as anonymous:
            anonymous.delenv("WIKITOOLS_USERNAME")
            anonymous.delenv("WIKITOOLS_PASSWORD")
            first = run("pull", "--prefix", prefix, "--wiki", proxy.api_url, "-d", tmp_path)
        for title in titles[::4]:
            latest = next(bot.fetch_pages([title])).latest
            changed = latest.text + "\n\nChanged on the wiki."
            bot.edit(title, changed, "remote change", base=latest.id)
        second = run("pull", "-d", tmp_path)
    assert (first.exit_code, first.stdout, first.stderr) == (
        0, f"pulled {PAGES}, merged 0, unchanged 0, conflicts 0\n", ""
    )  # fmt: skip
    assert (second.exit_code, second.stdout, second.stderr) == (
        0, f"pulled 50, merged 0, unchanged {PAGES - 50}, conflicts 0\n", ""
    )  # fmt: skip
    assert len(snapshot(tmp_path, prefix, bot)["files"]) == PAGES  # every entry checked against the wiki
    faulted = [(r.action, f) for r, f in proxy.log if f is not None]
    assert {f for _, f in faulted} == set(Fault) and "login" in {a for a, _ in faulted}
    assert len(faulted) == len(policy.seen)  # every distinct request was faulted once

"""Crash safety and concurrency. Pull and push killed (SIGKILL) at random points leave old-or-new files
and a readable state, and a rerun converges: every page pulled once, every edit made exactly once. A
second push while one runs is refused by the lock."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wikitools.api.client import WikiClient
from wikitools.savedtext import file_text
from wikitools.sync.state import State

pytestmark = pytest.mark.wiki

PAGES = 60


def wikitools(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "wikitools", *args], env=env, cwd=cwd,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def run_killed_when(
    args: list[str], env: dict[str, str], cwd: Path, progress, target: int, jitter: float
) -> bool:
    """Run a command and SIGKILL it ``jitter`` seconds after ``progress()`` reaches ``target`` (so the
    kill lands anywhere in the next step, e.g. between an edit and the state save); whether it was still
    running then."""
    process = wikitools(args, env, cwd)
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        if progress() >= target:
            time.sleep(jitter)
            process.send_signal(signal.SIGKILL)
            return process.wait() == -signal.SIGKILL
        time.sleep(0.002)
    process.kill()
    process.wait()
    return False


def run_to_end(args: list[str], env: dict[str, str], cwd: Path) -> int:
    return wikitools(args, env, cwd).wait(120)


@pytest.fixture
def env(wiki) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("WIKITOOLS_")}
    environment.update(WIKITOOLS_USERNAME=wiki.bot_username, WIKITOOLS_PASSWORD=wiki.bot_password)
    return environment


def texts(client: WikiClient, titles: list[str]) -> dict[str, str]:
    return {page.title: page.latest.text for page in client.fetch_pages(titles) if page.latest}


def seed(client: WikiClient, prefix: str) -> dict[str, int]:
    """Create the pages; returns each one's revision id."""
    revids = {}
    for n in range(PAGES):
        title = f"{prefix} {n:02d}"
        result = client.edit(title, f"Page {n}.\n\nSome text.", summary="seed", base=None,
                             start_timestamp=None, create=True)  # fmt: skip
        revids[title] = result.revid
    return revids


def pulled_and_edited(
    wiki, client: WikiClient, env: dict[str, str], directory: Path, prefix: str
) -> tuple[dict[str, int], State]:
    """Seed pages, pull them into ``directory`` and edit every file; returns the seed revisions."""
    seeded = seed(client, prefix)
    assert run_to_end(["pull", *seeded, "--wiki", wiki.api_url], env, directory) == 0
    state = State.load(directory)
    for title in seeded:
        path = directory / state.filename_for(title)
        path.write_text(path.read_text("utf-8") + "Edited.\n", "utf-8")
    return seeded, state


def assert_files_are_old_or_new(directory: Path, old: dict[str, str], new: dict[str, str]) -> None:
    state = State.load(directory)  # parses
    for title in new:
        path = directory / state.filename_for(title)
        if path.exists():
            assert path.read_text("utf-8") in (file_text(old.get(title, "")), file_text(new[title]))


def test_pull_killed_at_random_points_converges(wiki, wiki_client, env, tmp_path):
    titles = list(seed(wiki_client, "Crash pull"))
    assert run_to_end(["pull", "--prefix", "Crash pull ", "--wiki", wiki.api_url], env, tmp_path) == 0
    old = texts(wiki_client, titles)
    for title, text in old.items():  # the wiki moves on
        latest = next(wiki_client.fetch_pages([title])).latest
        wiki_client.edit(title, text + "\nChanged on the wiki.", summary="move on", base=latest.id,
                         start_timestamp=None, create=False)  # fmt: skip
    new = texts(wiki_client, titles)
    names = {title: State.load(tmp_path).filename_for(title) for title in titles}

    def pulled() -> int:
        return sum((tmp_path / names[t]).read_text("utf-8") == file_text(new[t]) for t in titles)

    rng = random.Random(4)
    for target in sorted(rng.sample(range(1, PAGES), 3)):
        run_killed_when(["pull"], env, tmp_path, pulled, target, rng.uniform(0, 0.02))
        assert_files_are_old_or_new(tmp_path, old, new)
    assert run_to_end(["pull"], env, tmp_path) == 0
    assert pulled() == PAGES
    status = subprocess.run([sys.executable, "-m", "wikitools", "status"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, check=True)  # fmt: skip
    assert status.stdout == f"up to date: {PAGES} tracked pages\n"


def test_push_killed_at_random_points_makes_each_edit_exactly_once(wiki, wiki_client, env, tmp_path):
    seeded, state = pulled_and_edited(wiki, wiki_client, env, tmp_path, "Crash push")
    local = {title: (tmp_path / state.filename_for(title)).read_text("utf-8") for title in seeded}

    def pushed() -> int:
        entries = State.load(tmp_path).entries.values()  # parses, whenever it is read
        return sum(entry.revid != seeded[entry.title] for entry in entries)

    rng = random.Random(6)
    for target in sorted(rng.sample(range(1, PAGES), 3)):
        run_killed_when(["push", "-m", "crash test"], env, tmp_path, pushed, target, rng.uniform(0, 0.1))
        assert {t: (tmp_path / state.filename_for(t)).read_text("utf-8") for t in seeded} == local
    assert run_to_end(["push", "-m", "crash test"], env, tmp_path) == 0
    pages = {page.title: page.latest for page in wiki_client.fetch_pages(seeded)}
    for title, revid in seeded.items():
        assert pages[title].text == local[title].rstrip()
        assert pages[title].parent_id == revid  # one edit on top of the seed: none lost, none twice
    final = State.load(tmp_path)
    assert {final.entries[final.filename_for(t)].revid for t in seeded} == {p.id for p in pages.values()}


def test_a_second_push_while_one_runs_is_refused_and_corrupts_nothing(wiki, wiki_client, env, tmp_path):
    seeded, _state = pulled_and_edited(wiki, wiki_client, env, tmp_path, "Concurrent push")
    first = wikitools(["push", "-m", "first"], env, tmp_path)
    while not any(e.revid != seeded[e.title] for e in State.load(tmp_path).entries.values()):
        time.sleep(0.005)  # the first push is editing
    second = subprocess.run([sys.executable, "-m", "wikitools", "push", "-m", "second"], env=env,
                            cwd=tmp_path, capture_output=True, text=True)  # fmt: skip
    assert first.wait(120) == 0
    assert second.returncode == 2 and second.stdout == ""
    assert second.stderr.startswith(
        f"wikitools: {tmp_path.resolve()}: another wikitools pull or push is working in this directory (pid "
    )
    pages = {page.title: page.latest for page in wiki_client.fetch_pages(seeded)}
    for title, revid in seeded.items():  # every edit made once, by the first push
        assert pages[title].parent_id == revid and pages[title].text.endswith("Edited.")

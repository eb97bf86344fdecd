"""WikiClient against the real dev wiki: login, batching, continuation, titles, safe edits, lag and limits."""

from __future__ import annotations

import logging
import math
import threading
import time
import uuid
from typing import Any
from xml.sax.saxutils import escape

import pytest

from wikitools.api import Credentials, EditResult, LinkTarget, WikiClient
from wikitools.devwiki import DevWiki
from wikitools.errors import ApiError, ConfigError, ConflictError, ExitCode, LoginError

pytestmark = pytest.mark.wiki


def create(client: WikiClient, title: str, text: str) -> EditResult:
    return client.edit(title, text, summary="test", base=None, start_timestamp=None, create=True)


def update(client: WikiClient, title: str, text: str, base_revid: int | None, **kwargs: Any) -> EditResult:
    """An edit of an existing page from ``base_revid``; ``kwargs`` may add ``start_timestamp`` or ``bot``."""
    options = {"start_timestamp": None, **kwargs}
    return client.edit(title, text, summary="test", base=base_revid, create=False, **options)


def export_xml(pages: dict[str, str]) -> bytes:
    """A minimal MediaWiki XML export holding one revision of each page."""
    body = "".join(
        f"<page><title>{escape(title)}</title><ns>0</ns><revision><timestamp>2024-01-01T00:00:00Z</timestamp>"
        f"<contributor><username>Importer</username></contributor><model>wikitext</model>"
        f'<format>text/x-wiki</format><text xml:space="preserve">{escape(text)}</text></revision></page>'
        for title, text in pages.items()
    )
    return (
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">'
        f"{body}</mediawiki>"
    ).encode()


@pytest.fixture(scope="module")
def bulk_prefix(wiki: DevWiki) -> str:
    """75 pages under one prefix (more than one batch of 50), imported in one action=import request."""
    prefix = f"Bulk {uuid.uuid4().hex[:8]} "
    client = WikiClient(wiki.api_url, credentials=Credentials(wiki.bot_username, wiki.bot_password))
    client.login()
    before = client.requests_made
    imported = client.import_xml(export_xml({f"{prefix}{n:03d}": f"Page number {n}." for n in range(75)}))
    assert imported == 75
    assert client.requests_made == before + 1
    return prefix


@pytest.fixture(scope="module")
def other_user(wiki: DevWiki) -> WikiClient:
    """A second, ordinary (non-bot) account."""
    name = f"Other{uuid.uuid4().hex[:6]}"
    login, password = wiki.create_user(name, f"{name}-Passw0rd!")
    client = WikiClient(wiki.api_url, credentials=Credentials(login, password))
    client.login()
    return client


# ---- login ----


def test_bot_password_login_costs_three_requests_and_unlocks_high_limits(wiki: DevWiki) -> None:
    client = WikiClient(wiki.api_url, credentials=Credentials(wiki.bot_username, wiki.bot_password))
    client.login()
    assert client.username == "Bot"
    assert client.is_bot
    assert client.title_batch_size == 500
    assert client.requests_made == 3


def test_wrong_password_is_a_clear_login_error_without_the_secret(wiki: DevWiki) -> None:
    secret = "0123456789abcdefghijklmnopqrstuv"
    client = WikiClient(wiki.api_url, credentials=Credentials(wiki.bot_username, secret))
    with pytest.raises(LoginError) as caught:
        client.login()
    message = str(caught.value)
    assert "login as Bot@wikitools failed: Incorrect username or password entered." in message
    assert "Special:BotPasswords" in message
    assert secret not in message and secret not in repr(caught.value.args)
    assert caught.value.exit_code == ExitCode.WIKI


def test_secrets_never_reach_the_logs(
    wiki: DevWiki, unique_title: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    good = WikiClient(wiki.api_url, credentials=Credentials(wiki.bot_username, wiki.bot_password))
    good.login()
    token = good._csrf_token
    good._csrf_token = "stale+\\"
    create(good, unique_title, "text")
    with pytest.raises(LoginError):
        WikiClient(wiki.api_url, credentials=Credentials(wiki.bot_username, "w" * 32)).login()
    assert "action=login" in caplog.text  # the requests were logged...
    logged = caplog.text + repr(good) + repr(good.credentials)
    assert wiki.bot_password not in logged and "w" * 32 not in logged  # ...their secrets were not
    assert "CSRF token expired" in caplog.text and token not in logged and good._csrf_token not in logged
    assert all(cookie.value not in logged for cookie in good.session.cookies)


def test_main_account_logs_in_through_clientlogin_with_low_limits(wiki: DevWiki) -> None:
    name = f"Main{uuid.uuid4().hex[:6]}"
    wiki.create_user(name, f"{name}-Passw0rd!")
    client = WikiClient(wiki.api_url, credentials=Credentials(name, f"{name}-Passw0rd!"))
    client.login()
    assert client.username == name
    assert client.title_batch_size == 50


def test_main_account_with_wrong_password_fails_clearly(wiki: DevWiki) -> None:
    client = WikiClient(wiki.api_url, credentials=Credentials("Admin", "not-the-password"))
    with pytest.raises(LoginError, match="login as Admin failed: Incorrect username or password"):
        client.login()


def test_oauth_token_the_wiki_does_not_accept_is_a_login_error(wiki: DevWiki) -> None:
    client = WikiClient(wiki.api_url, credentials=Credentials(oauth_token="secret-token-value"))
    with pytest.raises(LoginError, match="did not accept the login") as caught:
        client.login()
    assert "secret-token-value" not in str(caught.value)


def test_anonymous_writes_are_refused_by_assert_user(wiki: DevWiki, unique_title: str) -> None:
    with pytest.raises(LoginError, match="assertuserfailed"):
        create(WikiClient(wiki.api_url), unique_title, "anonymous text")


def test_edit_logs_in_first_when_credentials_were_given(wiki: DevWiki, unique_title: str) -> None:
    client = WikiClient(wiki.api_url, credentials=Credentials(wiki.bot_username, wiki.bot_password))
    result = create(client, unique_title, "text")
    assert client.username == "Bot" and result.new_page


# ---- batches, continuation, listing ----


def test_51_titles_are_too_many_for_one_anonymous_query(wiki: DevWiki) -> None:
    with pytest.raises(ApiError) as caught:
        WikiClient(wiki.api_url).call({"action": "query", "titles": [f"T{n}" for n in range(51)]})
    assert caught.value.code == "toomanyvalues"


def test_anonymous_reads_go_in_batches_of_50(wiki: DevWiki, bulk_prefix: str) -> None:
    client = WikiClient(wiki.api_url)
    titles = [f"{bulk_prefix}{n:03d}" for n in range(75)]
    pages = list(client.fetch_pages(titles))
    assert [p.title for p in pages] == titles
    assert [p.latest.text for p in pages] == [f"Page number {n}." for n in range(75)]
    assert client.requests_made == math.ceil(75 / 50)


def test_bot_reads_go_in_batches_of_500(wiki_client: WikiClient, bulk_prefix: str) -> None:
    before = wiki_client.requests_made
    pages = list(wiki_client.fetch_pages(f"{bulk_prefix}{n:03d}" for n in range(75)))
    assert len(pages) == 75 and all(p.id for p in pages)
    assert wiki_client.requests_made - before == 1


def test_generated_selection_costs_one_request_per_50_pages(wiki: DevWiki, bulk_prefix: str) -> None:
    client = WikiClient(wiki.api_url)
    pages = list(client.fetch_pages_generated(prefix=bulk_prefix))
    assert [p.title for p in pages] == [f"{bulk_prefix}{n:03d}" for n in range(75)]
    assert pages[7].latest.text == "Page number 7."
    assert client.requests_made == math.ceil(75 / 50)


def test_list_titles_follows_continuation(wiki: DevWiki, bulk_prefix: str) -> None:
    client = WikiClient(wiki.api_url)
    titles = list(client.list_titles(prefix=bulk_prefix))
    assert titles == [f"{bulk_prefix}{n:03d}" for n in range(75)]
    assert client.requests_made == 1  # aplimit=max is 500
    answers = list(
        client.query_continue({"action": "query", "list": "allpages", "apprefix": bulk_prefix, "aplimit": 7})
    )
    assert len(answers) == math.ceil(75 / 7)
    assert all("continue" in answer for answer in answers[:-1]) and "continue" not in answers[-1]
    listed = [entry["title"] for answer in answers for entry in answer["query"]["allpages"]]
    assert listed == titles


def test_texts_beyond_one_answer_continue_within_the_batch(wiki_client: WikiClient) -> None:
    prefix, big = f"Big {uuid.uuid4().hex[:8]} ", "word " * 50_000  # 40 x 250 KB > the 8 MB answer limit
    wiki_client.import_xml(export_xml({f"{prefix}{n:02d}": f"{n} {big}" for n in range(40)}))
    for fetch in (
        lambda: wiki_client.fetch_pages_generated(prefix=prefix),
        lambda: wiki_client.fetch_pages(f"{prefix}{n:02d}" for n in range(40)),
    ):
        before = wiki_client.requests_made
        pages = list(fetch())
        assert [p.latest.text for p in pages] == [f"{n} {big}" for n in range(40)]
        assert wiki_client.requests_made - before == 2  # rvcontinue inside one batch of titles


def test_category_members_and_generated_category(wiki_client: WikiClient, unique_title: str) -> None:
    category = f"Cat {uuid.uuid4().hex[:8]}"
    for suffix in ("one", "two"):
        create(wiki_client, f"{unique_title} {suffix}", f"In a category. [[Category:{category}]]")
    create(wiki_client, f"{unique_title} three", "Not in it.")
    assert list(wiki_client.list_titles(category=category)) == [f"{unique_title} one", f"{unique_title} two"]
    assert list(wiki_client.list_titles(category=f"Category:{category}", prefix=f"{unique_title} t")) == [
        f"{unique_title} two"
    ]
    pages = list(wiki_client.fetch_pages_generated(category=category))
    assert [p.title for p in pages] == [f"{unique_title} one", f"{unique_title} two"]


def test_old_revision_texts_and_page_states(wiki_client: WikiClient, unique_title: str) -> None:
    first = create(wiki_client, unique_title, "first")
    second = update(wiki_client, unique_title, "second", first.revid)
    assert wiki_client.revision_texts([first.revid, second.revid, 987654]) == {
        first.revid: "first",
        second.revid: "second",
    }
    lower = unique_title[0].lower() + unique_title[1:]
    states = wiki_client.page_states([lower, f"{unique_title} missing"])
    assert set(states) == {lower, f"{unique_title} missing"}
    state = states[lower]
    assert (state.title, state.id, state.latest.id, state.latest.parent_id) == (
        unique_title,
        second.page_id,
        second.revid,
        first.revid,
    )
    assert state.latest.timestamp == second.timestamp and len(state.latest.sha1) == 40
    assert states[f"{unique_title} missing"].id is None and states[f"{unique_title} missing"].revisions == ()


# ---- titles ----


@pytest.mark.parametrize(
    "title",
    [
        "Ünïcödé 日本語 Ελληνικά",
        "Path/With/Slashes",
        "Colon: not a namespace",
        "Emoji 🚀 title",
        "Talk:Sub/page",
    ],
)
def test_awkward_titles_round_trip(wiki_client: WikiClient, title: str) -> None:
    title = f"{title} {uuid.uuid4().hex[:6]}"
    text = f"Text of {title} — with ünïcode."
    result = create(wiki_client, title, text)
    assert result.title == title
    (page,) = wiki_client.fetch_pages([title])
    assert (page.title, page.latest.text) == (title, text)
    assert page.namespace == (1 if title.startswith("Talk:") else 0)


def test_text_not_in_nfc_passes_the_md5_check_and_is_stored_normalized(
    wiki_client: WikiClient, unique_title: str
) -> None:
    decomposed = "Cafe\u0301 and re\u0301sume\u0301\r\nsecond line"
    create(wiki_client, unique_title, decomposed)
    (page,) = wiki_client.fetch_pages([unique_title])
    assert page.latest.text == "Café and résumé\nsecond line"


def test_titles_differing_only_in_case_are_distinct_pages(wiki_client: WikiClient, unique_title: str) -> None:
    upper, lower = f"{unique_title} Case", f"{unique_title} case"
    create(wiki_client, upper, "upper")
    create(wiki_client, lower, "lower")
    pages = list(wiki_client.fetch_pages([upper, lower, "t" + unique_title[1:] + " case"]))
    assert [(p.title, p.latest.text) for p in pages] == [(upper, "upper"), (lower, "lower")]


def test_first_letter_and_underscores_are_normalized_by_the_wiki(wiki_client: WikiClient) -> None:
    title = f"ünderscore_title_{uuid.uuid4().hex[:6]}"
    result = create(wiki_client, title, "x")
    assert result.title == "Ü" + title[1:].replace("_", " ")
    (page,) = wiki_client.fetch_pages([title])
    assert page.title == result.title


def test_link_targets_see_redirects_and_missing_pages(wiki_client: WikiClient, unique_title: str) -> None:
    create(wiki_client, f"{unique_title} target", "the target")
    create(wiki_client, f"{unique_title} redirect", f"#REDIRECT [[{unique_title} target]]")
    targets = wiki_client.link_targets(
        [f"{unique_title} redirect", f"{unique_title} target", f"{unique_title} nowhere"]
    )
    assert targets[f"{unique_title} redirect"].redirect_to == f"{unique_title} target"
    assert targets[f"{unique_title} redirect"].exists
    assert targets[f"{unique_title} target"].exists and targets[f"{unique_title} target"].redirect_to is None
    assert not targets[f"{unique_title} nowhere"].exists
    odd = wiki_client.link_targets(["wikipedia:Foo", "Main Page#History", "Bad[title", "main_page"])
    assert odd["wikipedia:Foo"] == LinkTarget("wikipedia:Foo", exists=True)  # interwiki: not checkable
    assert odd["Main Page#History"] == LinkTarget("Main Page", exists=True)
    assert odd["Bad[title"] == LinkTarget("Bad[title", exists=False)
    assert odd["main_page"] == LinkTarget("Main page", exists=False)  # only the first letter is folded


# ---- edits ----


def test_createonly_refuses_an_existing_page(wiki_client: WikiClient, unique_title: str) -> None:
    create(wiki_client, unique_title, "original")
    with pytest.raises(ConflictError, match="created on the wiki meanwhile"):
        create(wiki_client, unique_title, "would overwrite")
    (page,) = wiki_client.fetch_pages([unique_title])
    assert page.latest.text == "original"


def test_nocreate_refuses_a_missing_page(wiki_client: WikiClient, unique_title: str) -> None:
    with pytest.raises(ApiError) as caught:
        update(wiki_client, unique_title, "text", 1)
    assert caught.value.code == "missingtitle"
    (page,) = wiki_client.fetch_pages([unique_title])
    assert page.id is None


def test_deleted_page_is_missing_and_not_recreated(wiki_client: WikiClient, unique_title: str) -> None:
    result = create(wiki_client, unique_title, "soon gone")
    wiki_client.delete(unique_title, reason="test")
    (page,) = wiki_client.fetch_pages([unique_title])
    assert page.revisions == ()
    with pytest.raises(ApiError) as caught:
        update(wiki_client, unique_title, "again", result.revid)
    assert caught.value.code == "missingtitle"


def test_stale_base_with_overlapping_change_is_an_edit_conflict(
    wiki_client: WikiClient, other_user: WikiClient, unique_title: str
) -> None:
    base = create(wiki_client, unique_title, "line one\nline two\n")
    (fetched,) = other_user.fetch_pages([unique_title])
    update(
        other_user,
        unique_title,
        "line one\nline two, theirs\n",
        fetched.latest.id,
    )
    with pytest.raises(ConflictError, match=f"changed on the wiki since revision {base.revid}") as caught:
        update(
            wiki_client,
            unique_title,
            "line one\nline two, mine\n",
            base.revid,
            start_timestamp=base.timestamp,
        )
    assert caught.value.exit_code == ExitCode.FINDINGS
    (page,) = wiki_client.fetch_pages([unique_title])
    assert page.latest.text == "line one\nline two, theirs"


def test_stale_base_of_the_same_user_is_an_edit_conflict(wiki_client: WikiClient, unique_title: str) -> None:
    base = create(wiki_client, unique_title, "line one\nline two\n")
    update(wiki_client, unique_title, "line one\nline two, newer\n", base.revid)
    with pytest.raises(ConflictError):
        update(
            wiki_client,
            unique_title,
            "line one\nline two, stale\n",
            base.revid,
            start_timestamp=base.timestamp,
        )
    (page,) = wiki_client.fetch_pages([unique_title])
    assert page.latest.text == "line one\nline two, newer"


def test_bot_edits_assert_the_bot_flag(
    wiki_client: WikiClient, other_user: WikiClient, unique_title: str
) -> None:
    result = wiki_client.edit(
        unique_title,
        "by a bot",
        summary="s",
        base=None,
        start_timestamp=None,
        create=True,
        bot=True,
    )
    changes = wiki_client.call(
        {"action": "query", "list": "recentchanges", "rcprop": "ids|flags", "rctitle": unique_title}
    )["query"]["recentchanges"]
    assert [(c["revid"], c["bot"]) for c in changes] == [(result.revid, True)]
    with pytest.raises(LoginError, match="assertbotfailed"):
        update(other_user, unique_title, "not a bot", result.revid, bot=True)


def test_unchanged_text_makes_no_revision(wiki_client: WikiClient, unique_title: str) -> None:
    first = create(wiki_client, unique_title, "same")
    again = update(wiki_client, unique_title, "same", first.revid)
    assert again.nochange and (again.revid, again.timestamp) == (first.revid, first.timestamp)


def test_unchanged_text_from_a_stale_base_reports_the_current_revision(
    wiki_client: WikiClient, other_user: WikiClient, unique_title: str
) -> None:
    first = create(wiki_client, unique_title, "old")
    theirs = update(other_user, unique_title, "same change", first.revid)
    again = update(wiki_client, unique_title, "same change", first.revid)
    assert again.nochange and (again.revid, again.timestamp) == (theirs.revid, theirs.timestamp)


def test_expired_csrf_token_is_refreshed_once(wiki_client: WikiClient, unique_title: str) -> None:
    wiki_client._csrf_token = "0123456789abcdef+\\"  # what a token from an ended session looks like
    before = wiki_client.requests_made
    result = create(wiki_client, unique_title, "saved after a new token")
    assert result.new_page
    assert wiki_client.requests_made - before == 3  # badtoken, new token, edit


def test_a_lost_session_logs_in_again_once(wiki_client: WikiClient, unique_title: str) -> None:
    wiki_client.session.cookies.clear()  # as when the wiki expires the session
    before = wiki_client.requests_made
    assert create(wiki_client, unique_title, "saved after logging in again").new_page
    assert wiki_client.requests_made - before == 5  # refused edit, 3 to log in, edit


# ---- being polite: maxlag and rate limits ----


def test_maxlag_gives_up_at_the_deadline_when_the_lag_persists(wiki: DevWiki) -> None:
    client = WikiClient(wiki.api_url, deadline=3)
    started = time.monotonic()
    with wiki.fake_lag(10), pytest.raises(ApiError) as caught:
        list(client.fetch_pages(["Main Page"]))
    assert caught.value.code == "maxlag"
    assert "gave up after 1 attempt in 3 s" in str(caught.value)
    assert time.monotonic() - started < 2  # Retry-After (5 s) exceeds the deadline: no pointless wait


def test_maxlag_waits_as_told_and_retries(wiki: DevWiki) -> None:
    client = WikiClient(wiki.api_url, deadline=30)
    wiki.set_fake_lag(10)
    clear = threading.Timer(1.0, wiki.set_fake_lag, args=(None,))
    clear.start()
    try:
        started = time.monotonic()
        (page,) = client.fetch_pages(["Main Page"])
        waited = time.monotonic() - started
    finally:
        clear.cancel()
        wiki.set_fake_lag(None)
    assert page.id == 1
    assert client.requests_made == 2
    assert 5 <= waited < 10  # MediaWiki sends Retry-After: 5


def test_maxlag_can_be_switched_off(wiki: DevWiki) -> None:
    client = WikiClient(wiki.api_url, maxlag=None)
    with wiki.fake_lag(10):
        (page,) = client.fetch_pages(["Main Page"])
    assert page.id == 1 and client.requests_made == 1


def test_rate_limited_edits_wait_and_succeed(wiki: DevWiki, unique_title: str) -> None:
    name = f"Limited{uuid.uuid4().hex[:6]}"
    client = WikiClient(wiki.api_url, credentials=Credentials(*wiki.create_user(name, f"{name}-Passw0rd!")))
    client.login()
    wiki.set_edit_rate_limit(3, 2)
    try:
        results = [create(client, f"{unique_title} {n}", f"text {n}") for n in range(5)]
    finally:
        wiki.set_edit_rate_limit(None)
    assert all(r.new_page for r in results)
    assert client.requests_made > 3 + 5  # at least one ratelimited answer was retried


# ---- finding the API ----


def test_discover_from_the_base_url(wiki: DevWiki) -> None:
    client = WikiClient.discover(wiki.url + "/")
    assert client.api_url == wiki.api_url
    assert WikiClient.discover(wiki.api_url).api_url == wiki.api_url


def test_discover_refuses_a_url_without_a_wiki(wiki: DevWiki) -> None:
    with pytest.raises(ConfigError, match="no MediaWiki API found there"):
        WikiClient.discover(wiki.url + "/resources/")

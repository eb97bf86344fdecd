"""Link targets checked against a real MediaWiki: red links, redirects, batching."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from wikitools.api import WikiClient
from wikitools.cli import main
from wikitools.lint import LintConfig, lint_paths


def create(client: WikiClient, title: str, text: str) -> None:
    client.edit(
        title,
        text,
        summary="lint test",
        base=None,
        start_timestamp=None,
        create=True,
    )


@pytest.mark.wiki
def test_lint_checks_targets_on_the_wiki(
    wiki, wiki_client: WikiClient, unique_title: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing, redirect, missing = f"{unique_title} real", f"{unique_title} alias", f"{unique_title} gone"
    create(wiki_client, existing, "An article.")
    create(wiki_client, redirect, f"#REDIRECT [[{existing}]]")
    monkeypatch.chdir(tmp_path)
    Path("Page.wiki").write_text(
        f"Links: [[{existing}]], [[{redirect}]], [[{missing}]].\n\n== See also ==\n* [[{missing}]]\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["lint", "Page.wiki", "--wiki", wiki.url, "--select", "W,S108"])
    assert result.exit_code == 1, result.output
    col_redirect = len("Links: [[") + 1 + len(existing) + len("]], ")
    col_missing = col_redirect + len(redirect) + len("[[]], ")
    assert result.stdout == (
        f"Page.wiki:1:{col_redirect}: W102 '{redirect}' redirects to '{existing}'\n"
        f"Page.wiki:1:{col_missing}: W101 '{missing}' does not exist (red link)\n"
        f"Page.wiki:4:3: S108 See also entry '{missing}' does not exist (red link)\n"
        "Found 3 problems.\n"
    )


@pytest.mark.wiki
def test_many_targets_cost_few_requests(wiki, unique_title: str, tmp_path: Path) -> None:
    client = WikiClient(wiki.api_url)
    page = tmp_path / "Many.wiki"
    page.write_text(" ".join(f"[[{unique_title} {i}]]" for i in range(120)) + "\n", encoding="utf-8")
    before = client.requests_made
    results = lint_paths([str(page)], LintConfig(select=("W101",)), resolver=client.link_targets)
    assert sum(len(result.findings) for result in results) == 120
    assert client.requests_made - before <= 3  # ceil(120 / 50) queries, no request per title

"""``wikitools lsp`` with a real MediaWiki: hover status, wiki completion, template parameters, links to
wiki pages, and a page rename from the editor that ``push`` then carries out as a move."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from lsprotocol import types

from tests.lsp_session import (
    apply_workspace_edit,
    diagnostics_of,
    open_document,
    position_of,
    session,
    uri,
    write_folder,
)
from wikitools.cli import main

pytestmark = [
    pytest.mark.wiki,
    pytest.mark.asyncio,
    pytest.mark.timeout(300),
    pytest.mark.usefixtures("as_bot"),
]


def run(*args: str | Path) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


async def eventually(ask, ready, attempts: int = 60):
    """Ask again until the wiki's answer is in (the server answers at once without it, never waits)."""
    for _ in range(attempts):
        answer = await ask()
        if ready(answer):
            return answer
        await asyncio.sleep(0.5)
    return answer


async def test_hover_completion_templates_and_links_from_the_wiki(wiki, wiki_client, tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:8]
    target, redirect, missing = f"Lsp target {tag}", f"Lsp redirect {tag}", f"Lsp missing {tag}"
    wiki_client.edit(target, "A page.\n", "seed")
    wiki_client.edit(redirect, f"#REDIRECT [[{target}]]\n", "seed")
    wiki_client.edit(f"Template:Lsp box {tag}", "{{{colour}}} and {{{size|small}}}\n", "seed")
    text = f"[[{target}]] [[{redirect}]] [[{missing}]]\n{{{{Lsp box {tag}|\n[[Lsp t"
    settings = f'wiki = "{wiki.api_url}"\n\n[lint]\nwiki = "{wiki.api_url}"\n'
    root = write_folder(tmp_path / "wiki", {"wikitools.toml": settings})
    path = root / "Page.wiki"
    document = types.TextDocumentIdentifier(uri(path))
    async with session(root) as client:
        found = await open_document(client, path, text)
        for _ in range(10):  # the link-target rules fill in as the wiki answers
            if {"W101", "W102"} <= {d.code for d in found}:
                break
            found = await diagnostics_of(client, path)

        async def hover(needle: str) -> str:
            async def ask() -> str:
                answer = await client.text_document_hover_async(
                    types.HoverParams(document, position_of(text, needle, 3))
                )
                return answer.contents.value

            return await eventually(ask, lambda value: "still asking" not in value)

        async def complete(line: int, character: int, wanted: str) -> list[types.CompletionItem]:
            async def ask() -> list[types.CompletionItem]:
                found = await client.text_document_completion_async(
                    types.CompletionParams(document, types.Position(line, character))
                )
                return list(found.items)

            return await eventually(ask, lambda items: any(wanted in item.label for item in items))

        exists, redirected, red = (
            await hover(f"[[{target}"),
            await hover(f"[[{redirect}"),
            await hover(f"[[{missing}"),
        )
        titles = await complete(2, 7, target)
        parameters = await complete(1, len(f"{{{{Lsp box {tag}|"), "colour")
        links = await client.text_document_document_link_async(types.DocumentLinkParams(document))
    targets = sorted((d.code, d.range.start.character) for d in found if d.code.startswith("W"))
    assert targets == [("W101", text.index(f"[[{missing}")), ("W102", text.index(f"[[{redirect}"))]
    assert "- not in this folder" in exists and "- on the wiki: exists" in exists
    assert f"- on the wiki: redirect to [[{target}]]" in redirected
    assert "- on the wiki: red link (no such page)" in red
    assert [(i.label, i.detail) for i in titles if i.label == target] == [(target, "on the wiki")]
    assert [i.label for i in parameters] == ["colour", "size"]
    by_title = {link.tooltip: link.target for link in links}
    assert by_title[missing] == wiki.api_url.removesuffix("api.php") + f"index.php?title=Lsp_missing_{tag}"


async def test_page_rename_from_the_editor_is_pushed_as_a_move(
    wiki, wiki_client, tmp_path: Path, monkeypatch
) -> None:
    tag = uuid.uuid4().hex[:8]
    old, new, linking = f"Lsp old {tag}", f"Lsp new {tag}", f"Lsp linking {tag}"
    wiki_client.edit(old, "The page to move.\n\n== Part ==\nText.\n", "seed")
    wiki_client.edit(linking, f"It links [[{old}]] and [[{old}#Part|a part]].\n", "seed")
    root = tmp_path / "synced"
    run("pull", old, linking, "--wiki", wiki.url, "-d", root)
    linking_file = root / f"Lsp_linking_{tag}.wiki"
    text = linking_file.read_text(encoding="utf-8")
    async with session(root) as client:
        await open_document(client, linking_file)
        edit = await client.text_document_rename_async(
            types.RenameParams(
                text_document=types.TextDocumentIdentifier(uri(linking_file)),
                position=position_of(text, f"[[{old}]]", 4),
                new_name=new,
            )
        )
    state = json.loads((root / ".wikitools" / "state.json").read_text(encoding="utf-8"))
    assert state["files"][f"Lsp_new_{tag}.wiki"]["moved_to"] == new
    apply_workspace_edit(edit)
    assert linking_file.read_text(encoding="utf-8") == f"It links [[{new}]] and [[{new}#Part|a part]].\n"
    monkeypatch.chdir(root)
    run("push", "-m", "rename from the editor")
    moved = next(wiki_client.fetch_pages([new])).latest
    assert moved is not None and moved.text.startswith("The page to move.")
    assert wiki_client.link_targets([old])[old].redirect_to == new
    pushed = next(wiki_client.fetch_pages([linking])).latest.text  # the wiki drops the final newline
    assert pushed == linking_file.read_text(encoding="utf-8").rstrip("\n")

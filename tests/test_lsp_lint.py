"""``wikitools lsp`` diagnostics, code actions and formatting, end to end over stdio (pytest-lsp)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp_session import (
    apply_text_edits,
    diagnostics_of,
    open_document,
    position_of,
    session,
    uri,
    write_folder,
)

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(120)]

PAGE = """'''Alpha''' links to [[Beta|Beta]] and [[Gamma]].

== History ==
Text.
"""


def whole(text: str) -> types.Range:
    return types.Range(types.Position(0, 0), position_of(text + "\x00", "\x00"))


async def test_diagnostics_carry_code_severity_docs_link_and_tags(tmp_path: Path) -> None:
    root = write_folder(tmp_path / "wiki", {"Alpha.wiki": PAGE})
    async with session(root, {"rulesUrl": "https://example.org/rules.md"}) as client:
        found = await open_document(client, root / "Alpha.wiki")
    by_code = {d.code: d for d in found}
    label = by_code["L104"]
    assert label.severity == types.DiagnosticSeverity.Information
    assert label.source == "wikitools"
    assert label.code_description.href == "https://example.org/rules.md#l104-label-equals-target"
    assert list(label.tags) == [types.DiagnosticTag.Unnecessary]
    assert label.range == types.Range(position_of(PAGE, "[[Beta|"), position_of(PAGE, " and [[G"))


async def test_typing_relints_incrementally(tmp_path: Path) -> None:
    root = write_folder(tmp_path / "wiki", {"Alpha.wiki": PAGE})
    path = root / "Alpha.wiki"
    async with session(root) as client:
        await open_document(client, path)
        heading = position_of(PAGE, "== History ==")
        # Two quick edits, each one character: "== History ==" becomes "= History =".
        for version, (start, end, new) in enumerate([(0, 1, ""), (11, 12, "")], start=2):
            at = types.Range(
                types.Position(heading.line, heading.character + start),
                types.Position(heading.line, heading.character + end),
            )
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    types.VersionedTextDocumentIdentifier(version=version, uri=uri(path)),
                    [types.TextDocumentContentChangePartial(range=at, text=new)],
                )
            )
        found = await diagnostics_of(client, path)
        if not any(d.code == "H101" for d in found):  # the first edit was linted on its own
            found = await diagnostics_of(client, path)
    codes = {d.code for d in found}
    assert "H101" in codes  # a level-one heading
    assert "L104" in codes


async def test_inline_disable_and_config_silence_rules(tmp_path: Path) -> None:
    silenced = PAGE.replace("[[Gamma]].", "[[Gamma]]. <!-- wikitools: disable=L104 -->")
    root = write_folder(
        tmp_path / "wiki",
        {"Alpha.wiki": silenced, "Beta.wiki": PAGE, "wikitools.toml": '[lint]\nignore = ["L111"]\n'},
    )
    async with session(root) as client:
        alpha = {d.code for d in await open_document(client, root / "Alpha.wiki")}
        other = write_folder(tmp_path / "other", {"Beta.wiki": "Text without links.\n"})
        beta = {d.code for d in await open_document(client, other / "Beta.wiki")}
        configured = {d.code for d in await open_document(client, root / "Beta.wiki", "No links here.\n")}
    assert "L104" not in alpha
    assert "L111" in beta  # no settings file above tmp_path/other
    assert "L111" not in configured


async def test_plain_text_article_gets_diagnostics(tmp_path: Path) -> None:
    root = write_folder(tmp_path / "wiki", {"Notes.txt": "Notes\n\nA line of text without links.\n"})
    async with session(root) as client:
        found = await open_document(client, root / "Notes.txt")
    assert any(d.code == "L111" for d in found)


async def test_quick_fix_disable_fix_all_and_formatting(tmp_path: Path) -> None:
    text = PAGE + "\n=== Notes: ===\nMore.\n"
    root = write_folder(tmp_path / "wiki", {"Alpha.wiki": text})
    path = root / "Alpha.wiki"
    async with session(root) as client:
        found = await open_document(client, path)
        label = next(d for d in found if d.code == "L104")
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(uri(path)), label.range, types.CodeActionContext([label])
            )
        )
        fix_all = await client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(uri(path)),
                whole(text),
                types.CodeActionContext([], only=[types.CodeActionKind.SourceFixAll]),
            )
        )
        formatting = await client.text_document_formatting_async(
            types.DocumentFormattingParams(
                types.TextDocumentIdentifier(uri(path)), types.FormattingOptions(2, True)
            )
        )
    titles = [a.title for a in actions]
    quick = next(a for a in actions if a.title.startswith("Fix L104"))
    assert quick.kind == types.CodeActionKind.QuickFix and quick.is_preferred
    fixed = apply_text_edits(text, quick.edit.document_changes[0].edits)
    assert "[[Beta]] and [[Gamma]]" in fixed
    disable = next(a for a in actions if a.title == "Disable L104 on this line")
    disabled = apply_text_edits(text, disable.edit.document_changes[0].edits)
    assert disabled.splitlines()[0].endswith("[[Gamma]]. <!-- wikitools: disable=L104 -->")
    assert "Fix all safe problems in this file" in titles
    assert [a.title for a in fix_all] == ["Fix all safe problems in this file"]
    everything = apply_text_edits(text, fix_all[0].edit.document_changes[0].edits)
    assert "[[Beta]] and" in everything and "=== Notes ===" in everything  # L104 and H107 fixed
    assert apply_text_edits(text, formatting) == everything


async def test_link_target_rules_know_the_folder_with_check_targets(tmp_path: Path) -> None:
    root = write_folder(
        tmp_path / "wiki",
        {"Alpha.wiki": PAGE, "Beta.wiki": "[[Alpha]]\n", "wikitools.toml": "[lint]\ncheck-targets = true\n"},
    )
    async with session(root) as client:
        found = await open_document(client, root / "Alpha.wiki")
        for _ in range(3):  # linted again once the folder is indexed
            if any(d.code == "W101" for d in found):
                break
            found = await diagnostics_of(client, root / "Alpha.wiki")
    red = [d for d in found if d.code == "W101"]
    assert [d.message for d in red] == ["'Gamma' does not exist (red link)"]
    assert red[0].range.start == position_of(PAGE, "[[Gamma]]")


async def test_bad_settings_are_one_message_and_the_defaults_apply(tmp_path: Path) -> None:
    root = write_folder(
        tmp_path / "wiki", {"Alpha.wiki": PAGE, "wikitools.toml": '[lint]\nselect = ["NOPE"]\n'}
    )
    async with session(root) as client:
        found = await open_document(client, root / "Alpha.wiki")
    assert "L104" in {d.code for d in found}
    problem = "select: unknown rule code 'NOPE' (`wikitools rules` lists them)"
    assert [m.message for m in client.messages] == [f"wikitools: {root / 'wikitools.toml'}: {problem}"]


async def test_without_the_lsp_extra_the_command_says_what_to_install(monkeypatch) -> None:
    from click.testing import CliRunner

    from wikitools.cli import main

    monkeypatch.setitem(sys.modules, "pygls", None)  # as if pygls were not installed
    result = CliRunner().invoke(main, ["lsp"])
    assert (result.exit_code, result.stderr) == (
        2,
        "wikitools: the language server needs pygls and lsprotocol (pip install 'wikitools[lsp]')\n",
    )

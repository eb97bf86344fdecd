"""``wikitools lsp`` outline, links, references, completion and rename across a folder, end to end over
stdio (pytest-lsp)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from tests.lsp_session import apply_workspace_edit, open_document, position_of, session, uri, write_folder

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(120)]

ALPHA = """'''Alpha''' is about [[Beta]], [[Beta#History|its history]] and [[Gamma]].

== History ==
See [[#Usage]] below.

=== Early years ===
{{Infobox person
| name = Alpha
}}

== Usage ==
Text.<ref>A reference
over two lines</ref>
<!-- a comment
over two lines -->
{| class="wikitable"
| cell
|}
"""
BETA = """'''Beta''' follows [[Alpha]].

== History ==
It links [[Alpha#Usage]] and [[alpha]].
"""
TEMPLATE = "{{{name}}} was born {{{birth_date|}}}.\n"
FILES = {"Alpha.wiki": ALPHA, "Beta.wiki": BETA, "Template%3AInfobox_person.wiki": TEMPLATE}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "wiki", FILES)


def doc(path: Path) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri(path))


async def test_document_symbols_folding_and_selection(folder: Path) -> None:
    path = folder / "Alpha.wiki"
    async with session(folder) as client:
        await open_document(client, path)
        symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(doc(path)))
        folds = await client.text_document_folding_range_async(types.FoldingRangeParams(doc(path)))
        inside = position_of(ALPHA, "| name", 3)
        chains = await client.text_document_selection_range_async(
            types.SelectionRangeParams(doc(path), [inside])
        )
    assert [(s.name, [c.name for c in s.children]) for s in symbols] == [
        ("History", ["Early years"]),
        ("Usage", []),
    ]
    assert symbols[0].selection_range.start == position_of(ALPHA, "== History")
    spans = {(f.start_line, f.end_line, f.kind) for f in folds}
    line = lambda needle: position_of(ALPHA, needle).line  # noqa: E731
    assert (line("{{Infobox"), line("}}\n"), None) in spans  # template
    assert (line("<ref>"), line("</ref>"), None) in spans  # reference
    assert (line("<!--"), line("-->"), types.FoldingRangeKind.Comment) in spans
    assert (line("{|"), line("|}"), None) in spans  # table
    assert (line("== History"), line("}}\n"), types.FoldingRangeKind.Region) in spans  # section
    ranges = []
    chain = chains[0]
    while chain is not None:
        ranges.append(chain.range)
        chain = chain.parent
    assert ranges[0].start.line == ranges[0].end.line == inside.line  # the word "name"
    assert ranges[-1].start == types.Position(0, 0)  # the whole page
    template = next(r for r in ranges if r.start == position_of(ALPHA, "{{Infobox"))
    assert template.end == position_of(ALPHA, "}}\n", 2)
    for inner, outer in itertools.pairwise(ranges):  # each range lies inside the next
        assert (outer.start.line, outer.start.character) <= (inner.start.line, inner.start.character)
        assert (inner.end.line, inner.end.character) <= (outer.end.line, outer.end.character)


async def test_document_links_and_definition(folder: Path) -> None:
    path = folder / "Alpha.wiki"
    async with session(folder) as client:
        await open_document(client, path)
        links = await client.text_document_document_link_async(types.DocumentLinkParams(doc(path)))

        async def define(needle: str, after: int) -> types.Location | None:
            return await client.text_document_definition_async(
                types.DefinitionParams(doc(path), position_of(ALPHA, needle, after))
            )

        to_page = await define("[[Beta]]", 3)
        to_section = await define("#History|", 2)
        to_own_section = await define("[[#Usage", 4)
        to_template = await define("{{Infobox", 4)
        nowhere = await define("[[Gamma", 3)
    targets = {link.tooltip: link.target for link in links}
    assert targets == {"Beta": uri(folder / "Beta.wiki"), "Template:Infobox person": uri(folder / FILES_T)}
    assert to_page.uri == uri(folder / "Beta.wiki") and to_page.range.start == types.Position(0, 0)
    assert to_section.uri == uri(folder / "Beta.wiki")
    assert to_section.range.start == position_of(BETA, "History")
    assert to_own_section.uri == uri(path) and to_own_section.range.start == position_of(ALPHA, "Usage ==")
    assert to_template.uri == uri(folder / FILES_T)
    assert nowhere is None


FILES_T = "Template%3AInfobox_person.wiki"


async def test_references_to_page_and_section(folder: Path) -> None:
    beta, alpha = folder / "Beta.wiki", folder / "Alpha.wiki"
    async with session(folder) as client:
        await open_document(client, beta)
        await open_document(client, alpha)

        async def refs(path: Path, text: str, needle: str, after: int) -> set[tuple[str, int, int]]:
            found = await client.text_document_references_async(
                types.ReferenceParams(
                    text_document=doc(path),
                    position=position_of(text, needle, after),
                    context=types.ReferenceContext(include_declaration=False),
                )
            )
            return {(Path(loc.uri).name, loc.range.start.line, loc.range.start.character) for loc in found}

        to_alpha = await refs(beta, BETA, "[[Alpha]]", 3)
        to_usage = await refs(alpha, ALPHA, "== Usage", 4)
        to_beta_history = await refs(beta, BETA, "== History", 4)

    def at(name: str, text: str, needle: str) -> tuple[str, int, int]:
        position = position_of(text, needle)
        return (name, position.line, position.character)

    assert to_alpha == {
        at("Beta.wiki", BETA, "[[Alpha]]"),
        at("Beta.wiki", BETA, "[[Alpha#Usage]]"),
        at("Beta.wiki", BETA, "[[alpha]]"),
        at("Alpha.wiki", ALPHA, "[[#Usage]]"),  # a section of the page is the page too
    }
    assert to_usage == {at("Beta.wiki", BETA, "[[Alpha#Usage]]"), at("Alpha.wiki", ALPHA, "[[#Usage]]")}
    assert to_beta_history == {at("Alpha.wiki", ALPHA, "[[Beta#History")}


async def test_completion_of_titles_anchors_templates_and_parameters(folder: Path) -> None:
    path = folder / "Gamma.wiki"
    text = "[[Al\n[[Beta#Hi\n{{Info\n{{Infobox person\n| na"
    async with session(folder) as client:
        await open_document(client, path, text)

        async def labels(line: int, character: int) -> list[str]:
            found = await client.text_document_completion_async(
                types.CompletionParams(doc(path), types.Position(line, character))
            )
            return [item.label for item in found.items] if found else []

        titles = await labels(0, 4)
        anchors = await labels(1, 11)
        templates = await labels(2, 6)
        parameters = await labels(4, 4)
    assert titles == ["Alpha"]
    assert anchors == ["History"]
    assert templates == ["Infobox person"]
    assert parameters == ["name"]


async def test_rename_heading_rewrites_section_links(folder: Path) -> None:
    beta = folder / "Beta.wiki"
    async with session(folder) as client:
        await open_document(client, beta)
        where = position_of(BETA, "History ==", 2)
        prepared = await client.text_document_prepare_rename_async(
            types.PrepareRenameParams(text_document=doc(beta), position=where)
        )
        edit = await client.text_document_rename_async(
            types.RenameParams(text_document=doc(beta), position=where, new_name="Past")
        )
    assert prepared == types.Range(position_of(BETA, "History"), position_of(BETA, " ==\nIt"))
    apply_workspace_edit(edit)
    assert "== Past ==" in beta.read_text()
    assert "[[Beta#Past|its history]]" in (folder / "Alpha.wiki").read_text()


async def test_rename_page_renames_the_file_and_rewrites_links(folder: Path) -> None:
    alpha = folder / "Alpha.wiki"
    async with session(folder) as client:
        await open_document(client, alpha)
        edit = await client.text_document_rename_async(
            types.RenameParams(
                text_document=doc(alpha), position=position_of(ALPHA, "[[Beta]]", 3), new_name="Beta Two"
            )
        )
        will = await client.workspace_will_rename_files_async(
            types.RenameFilesParams(
                [types.FileRename(old_uri=uri(alpha), new_uri=uri(folder / "Alpha_Prime.wiki"))]
            )
        )
    renames = [c for c in edit.document_changes if isinstance(c, types.RenameFile)]
    assert [(Path(r.old_uri).name, Path(r.new_uri).name) for r in renames] == [("Beta.wiki", "Beta_Two.wiki")]
    apply_workspace_edit(edit)
    assert not (folder / "Beta.wiki").exists()
    assert "[[Beta Two]], [[Beta Two#History|its history]]" in alpha.read_text()
    apply_workspace_edit(will)  # the file rename itself is the editor's: only the links change here
    assert "follows [[Alpha Prime]]" in (folder / "Beta_Two.wiki").read_text()
    assert "[[Alpha Prime#Usage]] and [[Alpha Prime]]" in (folder / "Beta_Two.wiki").read_text()


async def test_a_big_folder_is_indexed_in_worker_processes(tmp_path: Path) -> None:
    files = {f"Page_{n}.wiki": f"Page {n} links to [[Hub#Part {n % 3}]].\n" for n in range(520)}
    root = write_folder(tmp_path / "wiki", {**files, "Hub.wiki": "== Part 1 ==\nText.\n"})
    hub = root / "Hub.wiki"
    async with session(root) as client:
        await open_document(client, hub)
        everything = await client.text_document_references_async(
            types.ReferenceParams(
                text_document=doc(hub),
                position=types.Position(1, 0),
                context=types.ReferenceContext(include_declaration=False),
            )
        )
        section = await client.text_document_references_async(
            types.ReferenceParams(
                text_document=doc(hub),
                position=types.Position(0, 4),
                context=types.ReferenceContext(include_declaration=True),
            )
        )
    assert len(everything) == 520
    assert len(section) == 1 + len([n for n in range(520) if n % 3 == 1])
    assert section[0].uri == uri(hub) and section[0].range.start == types.Position(0, 3)


async def test_rename_onto_an_existing_page_is_refused(folder: Path) -> None:
    alpha = folder / "Alpha.wiki"
    async with session(folder) as client:
        await open_document(client, alpha)
        with pytest.raises(JsonRpcInvalidParams, match="a page with this title is already in the folder"):
            await client.text_document_rename_async(
                types.RenameParams(
                    text_document=doc(alpha), position=position_of(ALPHA, "[[Beta]]", 3), new_name="alpha"
                )
            )
    assert (folder / "Beta.wiki").read_text() == BETA and (folder / "Alpha.wiki").read_text() == ALPHA

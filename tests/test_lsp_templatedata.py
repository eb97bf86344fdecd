"""The language server's TemplateData path against the real dev wiki (which loads the TemplateData
extension that Debian's MediaWiki ships): completion after ``{{Name|`` offers the parameters in the
template's declared order with their descriptions, including ones its source never reads."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp_session import open_document, session, uri, write_folder

pytestmark = [pytest.mark.wiki, pytest.mark.asyncio, pytest.mark.timeout(300)]

TEMPLATE_DATA = {
    "description": "A coloured box.",
    "params": {
        "size": {"label": "Size", "description": "How big the box is."},
        "colour": {"description": {"en": "The colour of the border."}},
        "title": {"description": "The heading (the source reads it only through a module)."},
    },
    "paramOrder": ["title", "colour", "size"],
}


async def test_template_parameters_come_from_templatedata(wiki, wiki_client, tmp_path: Path) -> None:
    name = f"Td box {uuid.uuid4().hex[:8]}"
    source = "{{{colour}}} {{{size|small}}} {{{unused}}}\n<noinclude><templatedata>"
    wiki_client.edit(f"Template:{name}", source + json.dumps(TEMPLATE_DATA) + "</templatedata></noinclude>")
    answer = wiki_client.call({"action": "templatedata", "titles": f"Template:{name}"})
    assert next(iter(answer["pages"].values()))["paramOrder"] == TEMPLATE_DATA["paramOrder"]
    root = write_folder(tmp_path / "folder", {"wikitools.toml": f'wiki = "{wiki.api_url}"\n'})
    path = root / "Page.wiki"
    text = f"{{{{{name}|"
    async with session(root) as client:
        await open_document(client, path, text)
        params = types.CompletionParams(types.TextDocumentIdentifier(uri(path)), types.Position(0, len(text)))
        for _ in range(60):  # the server answers at once without the wiki, and asks it in the background
            items = list((await client.text_document_completion_async(params)).items)
            if items:
                break
            await asyncio.sleep(0.5)
    documented = [(i.label, i.documentation) for i in items]
    assert documented == [
        ("title", "The heading (the source reads it only through a module)."),
        ("colour", "The colour of the border."),
        ("size", "How big the box is."),
    ]  # TemplateData's order and words, not the source's {{{unused}}}

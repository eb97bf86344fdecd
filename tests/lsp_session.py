"""Driving ``wikitools lsp`` from tests: a real server process over stdio and pytest-lsp's real
JSON-RPC client, plus helpers to apply the workspace edits the server returns as an editor would."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

SERVER = [sys.executable, "-m", "wikitools", "lsp"]


def uri(path: Path) -> str:
    return from_fs_path(str(path)) or str(path)


def write_folder(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@asynccontextmanager
async def session(
    root: Path, options: dict[str, Any] | None = None, capabilities: str = "visual-studio-code"
) -> AsyncIterator[LanguageClient]:
    """A started and initialized server whose workspace is ``root``; shut down afterwards."""
    client = await ClientServerConfig(server_command=SERVER).start()
    try:
        await client.initialize_session(
            types.InitializeParams(
                capabilities=client_capabilities(capabilities),
                root_uri=uri(root),
                workspace_folders=[types.WorkspaceFolder(uri(root), root.name)],
                initialization_options={"debounce": 0, **(options or {})},
            )
        )
        yield client
        await client.shutdown_session()
    finally:
        server = client._server  # ended by shutdown; a failed test ends it here
        if server is not None and server.returncode is None:
            server.kill()
        await client.stop()


async def open_document(
    client: LanguageClient, path: Path, text: str | None = None
) -> list[types.Diagnostic]:
    """Open ``path`` (with its file's text unless ``text`` is given) and wait for its diagnostics."""
    text = path.read_text(encoding="utf-8") if text is None else text
    client.diagnostics.pop(uri(path), None)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri(path), "wikitext", 1, text))
    )
    return await diagnostics_of(client, path)


async def diagnostics_of(client: LanguageClient, path: Path, timeout: float = 10) -> list[types.Diagnostic]:
    """The next diagnostics published for ``path``."""
    async with asyncio.timeout(timeout):
        while uri(path) not in client.diagnostics:
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics.pop(uri(path)))


def position_of(text: str, needle: str, after: int = 0) -> types.Position:
    """The position ``after`` characters into the first occurrence of ``needle`` (ASCII text)."""
    offset = text.index(needle) + after
    line = text.count("\n", 0, offset)
    return types.Position(line, offset - (text.rfind("\n", 0, offset) + 1))


def apply_text_edits(text: str, edits: Sequence[types.TextEdit]) -> str:
    """``text`` with LSP edits applied (ASCII text: characters are code units)."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def offset(position: types.Position) -> int:
        return starts[position.line] + position.character

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


def apply_workspace_edit(edit: types.WorkspaceEdit) -> None:
    """Apply a workspace edit to the files on disk, in order, as an editor does."""
    for change in edit.document_changes or []:
        if isinstance(change, types.RenameFile):
            Path(to_fs_path(change.old_uri)).rename(to_fs_path(change.new_uri))
        elif isinstance(change, types.TextDocumentEdit):
            path = Path(to_fs_path(change.text_document.uri))
            path.write_text(
                apply_text_edits(path.read_text(encoding="utf-8"), change.edits), encoding="utf-8"
            )

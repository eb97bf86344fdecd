"""The language server: one pygls server object, one function per LSP feature.

State lives in memory: the open documents (pygls keeps them, incrementally synced), the folder model
(:class:`~.folder.Folder`, built once at start and updated as documents change) and the wiki cache
(:class:`~.wiki.WikiLookups`). A change after a pause is linted at once; changes in quick succession
wait until typing pauses for ``debounce`` seconds, so a burst of edits is linted once.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import __version__
from ..errors import WikitoolsError
from ..lint.config import LintConfig
from ..lint.engine import Resolver, known_titles_resolver
from ..lint.inputs import TEXT_SUFFIXES
from ..lint.jobs import usable_cores
from ..lint.runner import titles_file_resolver
from ..titles import WIKITEXT_SUFFIXES
from . import completion, editing, navigation, renaming, structure
from .document import TEMPLATE_NAMESPACE, Document, template_title
from .folder import Folder, index_files
from .linting import Problem, config_for, fix_all, lint_document, rule_anchor, wants_targets
from .linting import is_plain_text as _is_plain_text
from .wiki import WikiLookups

log = logging.getLogger(__name__)

#: Where ``codeDescription`` links point; ``initializationOptions.rulesUrl`` replaces it.
RULES_URL = "https://github.com/wikitools/wikitools/blob/main/docs/rules.md"
DEBOUNCE = 0.015  # seconds of quiet before a changed document is linted
WIKI_WAIT = 1.0  # seconds a hover or completion waits for the wiki before answering without it
INDEX_BATCH = 25  # files indexed between two looks at incoming messages (or per job of a worker)
PARALLEL_FROM = 500  # files from which the folder is indexed in worker processes
MAX_WORKERS = 4
LINTED_SUFFIXES = (*WIKITEXT_SUFFIXES, *TEXT_SUFFIXES)


class WikitextServer(LanguageServer):
    """The server and its in-memory state."""

    def __init__(self) -> None:
        super().__init__(
            "wikitools", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental
        )
        self.folder: Folder | None = None
        self.indexed = asyncio.Event()
        self.wiki: WikiLookups | None = None
        self.rules_url = RULES_URL
        self.debounce = DEBOUNCE
        self._documents: dict[str, Document] = {}
        self._problems: dict[str, tuple[int | None, list[Problem]]] = {}
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._linted_at: dict[str, float] = {}  # loop time of each document's last published lint
        self._open: dict[str, str] = {}  # the open documents' URIs, as the client spells them -> path
        self._stale: set[str] = set()  # open documents the folder model has not seen in their last version
        self._reported: set[str] = set()

    # -- documents -------------------------------------------------------------------------------
    def document(self, uri: str) -> Document:
        """The current version of an open document (built once per version)."""
        text_document = self.workspace.get_text_document(uri)
        known = self._documents.get(uri)
        if (
            known is not None
            and known.version == text_document.version
            and known.text is text_document.source
        ):
            return known
        path = to_fs_path(uri) or uri
        title = (
            self.folder.title_of(path)
            if self.folder is not None
            else Folder(Path(path).parent).title_of(path)
        )
        doc = Document(
            path,
            title,
            text_document.source,
            text_document.version,
            str(self.workspace.position_encoding or "utf-16"),
        )
        self._documents[uri] = doc
        return doc

    def config(self, doc: Document) -> LintConfig:
        try:
            return config_for(Path(doc.path).parent)
        except WikitoolsError as error:
            self.report_once(str(error))
            return LintConfig()

    def report_once(self, message: str) -> None:
        if message not in self._reported:
            self._reported.add(message)
            self.window_show_message(
                types.ShowMessageParams(types.MessageType.Warning, f"wikitools: {message}")
            )

    def problems(self, uri: str) -> tuple[Document, list[Problem]]:
        """The document and its problems, linting it now if its current version has not been."""
        doc = self.document(uri)
        known = self._problems.get(uri)
        if known is not None and known[0] == doc.version:
            return doc, known[1]
        config = self.config(doc)
        found = lint_document(doc.text, doc.title, doc.path, config, self.resolver(uri, config))
        self._problems[uri] = (doc.version, found)
        return doc, found

    def resolver(self, uri: str, config: LintConfig) -> Resolver | None:
        """What the link-target rules may know when the settings ask for them: the wiki's answers so far
        (the rest is asked in the background, then the document is linted again), the titles file, or
        with ``check-targets`` the folder's pages."""
        if not wants_targets(config):
            return None
        if config.titles:
            titles = Path(config.titles)
            if not titles.is_absolute() and config.source:
                titles = Path(config.source).parent / titles
            try:
                return _titles_resolver(str(titles))
            except WikitoolsError as error:
                self.report_once(str(error))
                return None
        if config.wiki and self.wiki is not None:
            wiki, loop = self.wiki, asyncio.get_running_loop()
            return lambda wanted: wiki.known_targets(
                wanted, lambda: loop.call_soon_threadsafe(self.relint, uri)
            )
        if self.folder is None or not self.indexed.is_set():
            return lambda wanted: {}  # linted again once the folder is known
        return known_titles_resolver(self.folder.titles())

    def docs_url(self, code: str) -> str | None:
        return f"{self.rules_url}#{rule_anchor(code)}" if self.rules_url else None

    def publish(self, uri: str) -> None:
        self._timers.pop(uri, None)
        if uri not in self._open:
            return
        doc, found = self.problems(uri)
        diagnostics = [editing.diagnostic(p, doc.lines, self.docs_url(p.code)) for p in found]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=doc.version)
        )
        self._linted_at[uri] = asyncio.get_running_loop().time()

    def schedule(self, uri: str) -> None:
        """Lint ``uri`` soon: at once after a quiet spell (the first key after a pause), else once typing
        pauses for ``debounce`` seconds. Edits that arrive while a lint runs wait in the queue and push
        the lint back, so a burst of edits is linted once, however slow the page."""
        loop = asyncio.get_running_loop()
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        quiet = timer is None and loop.time() - self._linted_at.get(uri, float("-inf")) >= self.debounce
        self._timers[uri] = loop.call_later(0 if quiet else self.debounce, self.publish, uri)

    def relint(self, uri: str) -> None:
        """Lint ``uri`` again though its text did not change: what is known of its link targets did."""
        self._problems.pop(uri, None)
        self.schedule(uri)

    # -- the folder ------------------------------------------------------------------------------
    async def index_folder(self, root: Path) -> None:
        """Build the folder model, reading each file once: a big folder in worker processes (the server
        keeps answering meanwhile), a small one here between messages."""
        folder = Folder(root, str(self.workspace.position_encoding or "utf-16"))
        self.folder = folder
        files = [(str(path), folder.title_of(str(path))) for path in folder.files()]
        chunks = [files[start : start + INDEX_BATCH] for start in range(0, len(files), INDEX_BATCH)]
        if len(files) < PARALLEL_FROM:
            for chunk in chunks:
                for page in index_files(chunk, folder.encoding):
                    if page.path not in folder.pages:  # an open document was indexed from its text
                        folder.add(page)
                await asyncio.sleep(0)
        else:
            workers = min(MAX_WORKERS, usable_cores())
            loop = asyncio.get_running_loop()
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
                jobs = [loop.run_in_executor(pool, index_files, chunk, folder.encoding) for chunk in chunks]
                for job in asyncio.as_completed(jobs):
                    for page in await job:
                        if page.path not in folder.pages:
                            folder.add(page)
        self._stale.update(self._open)
        self.indexed.set()
        for uri in self._open:  # the link-target rules may now know the folder
            if _linted(uri):
                self.relint(uri)

    async def current_folder(self) -> Folder:
        """The folder model with every open document's current text in it."""
        await self.indexed.wait()
        assert self.folder is not None
        for uri in list(self._stale):
            self._stale.discard(uri)
            if uri in self._open:
                doc = self.document(uri)
                if self.folder.contains(doc.path):
                    self.folder.update(doc.path, doc.text)
        return self.folder

    def version_of(self, path: str) -> int | None:
        """The version of the open document at ``path``; ``None`` when it is not open."""
        uri = next((uri for uri, open_path in self._open.items() if open_path == path), None)
        return None if uri is None else self.workspace.get_text_document(uri).version


server = WikitextServer()


def _linted(uri: str) -> bool:
    return (to_fs_path(uri) or uri).endswith(LINTED_SUFFIXES)


@functools.lru_cache(maxsize=8)
def _titles_resolver(path: str) -> Resolver:
    return titles_file_resolver(path)


def _bad_request(error: WikitoolsError) -> JsonRpcInvalidParams:
    return JsonRpcInvalidParams(f"wikitools: {error}")


# -- lifecycle -------------------------------------------------------------------------------------
@server.feature(types.INITIALIZE)
def initialize(ls: WikitextServer, params: types.InitializeParams) -> None:
    options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
    if "rulesUrl" in options:
        ls.rules_url = options["rulesUrl"] or None
    if isinstance(options.get("debounce"), int | float):
        ls.debounce = max(0.0, float(options["debounce"]) / 1000)


@server.feature(types.INITIALIZED)
async def initialized(ls: WikitextServer, params: types.InitializedParams) -> None:
    root = ls.workspace.root_path or next((to_fs_path(f.uri) for f in ls.workspace.folders.values()), None)
    root_path = Path(root or Path.cwd()).resolve()
    ls.wiki = _wiki_for(root_path)
    await ls.index_folder(root_path)
    watched = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
    if watched and watched.dynamic_registration:  # files changed outside the editor (git, pull)
        watchers = [types.FileSystemWatcher(glob_pattern=f"**/*{suffix}") for suffix in WIKITEXT_SUFFIXES]
        options = types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers)
        registration = types.Registration(
            "wikitools-files", types.WORKSPACE_DID_CHANGE_WATCHED_FILES, options
        )
        try:
            await ls.client_register_capability_async(types.RegistrationParams([registration]))
        except Exception as error:  # a client that refuses: the folder is then updated from open files only
            log.info("file watching not registered: %s", error)


def _wiki_for(root: Path) -> WikiLookups | None:
    """The wiki of the folder: the one it is synced with, else the configured one; ``None`` without."""
    from ..sync.config import open_wiki, wiki_url
    from ..sync.state import State

    try:
        state = State.find(root) or State(root)
        lint_wiki = config_for(root).wiki
        url = state.api_url or lint_wiki or wiki_url(state)
    except WikitoolsError:
        return None
    return WikiLookups(
        lambda: open_wiki(state, None if state.api_url else url),
        state.api_url or (url if url.endswith("api.php") else None),
    )


@server.feature(types.SHUTDOWN)
def shutdown(ls: WikitextServer, params: Any) -> None:
    if ls.wiki is not None:
        ls.wiki.close()


# -- documents and diagnostics ---------------------------------------------------------------------
@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: WikitextServer, params: types.DidOpenTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls._open[uri] = to_fs_path(uri) or uri
    ls._stale.add(uri)
    if _linted(uri):
        ls.publish(uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: WikitextServer, params: types.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls._stale.add(uri)
    if _linted(uri):
        ls.schedule(uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: WikitextServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    timer = ls._timers.pop(uri, None)
    if timer is not None:
        timer.cancel()
    ls._open.pop(uri, None)
    ls._linted_at.pop(uri, None)
    ls._documents.pop(uri, None)
    ls._problems.pop(uri, None)
    ls._stale.discard(uri)
    path = to_fs_path(uri) or uri
    if ls.folder is not None and ls.folder.contains(path):
        if Path(path).is_file():
            ls.folder.load(Path(path))  # back to what is on disk
        else:
            ls.folder.remove(path)
    if _linted(uri):
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: WikitextServer, params: types.DidChangeWatchedFilesParams) -> None:
    if ls.folder is None:
        return
    for change in params.changes:
        path = to_fs_path(change.uri) or change.uri
        if path in ls._open.values() or not ls.folder.contains(path):
            continue
        if change.type == types.FileChangeType.Deleted:
            ls.folder.remove(path)
        else:
            ls.folder.load(Path(path))


@server.feature(types.WORKSPACE_DID_RENAME_FILES)
def did_rename_files(ls: WikitextServer, params: types.RenameFilesParams) -> None:
    if ls.folder is None:
        return
    for rename in params.files:
        old, new = to_fs_path(rename.old_uri) or rename.old_uri, to_fs_path(rename.new_uri) or rename.new_uri
        ls.folder.remove(old)
        if ls.folder.contains(new) and Path(new).is_file():
            ls.folder.load(Path(new))


# -- code actions and formatting -------------------------------------------------------------------
@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, editing.FIX_ALL_KIND]),
)
def code_action(ls: WikitextServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    uri = params.text_document.uri
    if not _linted(uri):
        return None
    doc, found = ls.problems(uri)
    actions = editing.code_actions(
        doc,
        uri,
        found,
        params.range,
        lambda: fix_all(doc.text, doc.title, doc.path, ls.config(doc)),
        ls.docs_url,
    )
    only = params.context.only
    if only:
        actions = [
            a for a in actions if a.kind and any(a.kind == k or a.kind.startswith(f"{k}.") for k in only)
        ]
    return actions


@server.feature(types.TEXT_DOCUMENT_FORMATTING)
def formatting(ls: WikitextServer, params: types.DocumentFormattingParams) -> list[types.TextEdit]:
    doc = ls.document(params.text_document.uri)
    if _is_plain_text(doc.path):
        return []
    return editing.whole_text_edit(
        doc.text, fix_all(doc.text, doc.title, doc.path, ls.config(doc)), doc.lines
    )


# -- structure -------------------------------------------------------------------------------------
@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbol(ls: WikitextServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
    return structure.document_symbols(ls.document(params.text_document.uri))


@server.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)
def folding_range(ls: WikitextServer, params: types.FoldingRangeParams) -> list[types.FoldingRange]:
    return structure.folding_ranges(ls.document(params.text_document.uri))


@server.feature(types.TEXT_DOCUMENT_SELECTION_RANGE)
def selection_range(ls: WikitextServer, params: types.SelectionRangeParams) -> list[types.SelectionRange]:
    return structure.selection_ranges(ls.document(params.text_document.uri), params.positions)


# -- links across the folder -----------------------------------------------------------------------
def _page_url(ls: WikitextServer, title: str) -> str | None:
    return ls.wiki.page_url(title) if ls.wiki is not None else None


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_LINK)
async def document_link(ls: WikitextServer, params: types.DocumentLinkParams) -> list[types.DocumentLink]:
    folder = await ls.current_folder()
    return navigation.document_links(
        ls.document(params.text_document.uri), folder, lambda t: _page_url(ls, t)
    )


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
async def definition(ls: WikitextServer, params: types.DefinitionParams) -> types.Location | None:
    folder = await ls.current_folder()
    doc = ls.document(params.text_document.uri)
    return navigation.definition(doc, folder, doc.lines.offset(params.position))


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
async def references(ls: WikitextServer, params: types.ReferenceParams) -> list[types.Location]:
    folder = await ls.current_folder()
    doc = ls.document(params.text_document.uri)
    return navigation.references(
        doc, folder, doc.lines.offset(params.position), params.context.include_declaration
    )


async def _from_wiki(future: Any) -> Any:
    """The wiki's answer, or a sentence saying why there is none yet (the question keeps running)."""
    try:
        return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), WIKI_WAIT)
    except TimeoutError:
        return "still asking the wiki (hover again in a moment)"
    except WikitoolsError as error:
        return f"the wiki did not answer ({error})"


@server.feature(types.TEXT_DOCUMENT_HOVER)
async def hover(ls: WikitextServer, params: types.HoverParams) -> types.Hover | None:
    folder = await ls.current_folder()
    doc = ls.document(params.text_document.uri)
    target = navigation.target_at(doc, doc.lines.offset(params.position))
    if target is None or target.is_heading:
        return None
    status = None if ls.wiki is None else await _from_wiki(ls.wiki.target(target.title))
    text = navigation.hover_text(target.title, folder.page_titled(target.title), folder.root, status)
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
        range=doc.lines.range(*target.span),
    )


@server.feature(
    types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=["[", "#", "{", "|"])
)
async def complete(ls: WikitextServer, params: types.CompletionParams) -> types.CompletionList | None:
    doc = ls.document(params.text_document.uri)
    context = completion.context_at(doc, doc.lines.offset(params.position))
    if context is None:
        return None
    folder = await ls.current_folder()
    remote: list[str] = []
    details: dict[str, str] = {}
    if context.kind == "anchor":
        if context.page == doc.title:
            headings = [h.display for h in doc.scan.headings]
        else:
            page = folder.page_titled(context.page)
            headings = [h.text for h in page.headings] if page is not None else []
        local = completion.anchors(headings, context.prefix)
    elif context.kind == "title":
        local = [t for t in folder.titles_starting(context.prefix) if t != doc.title]
        if ls.wiki is not None and context.prefix:
            answer = await _from_wiki(ls.wiki.prefix_search(context.prefix))
            remote = answer if isinstance(answer, list) else []
    elif context.kind == "template":
        prefix = TEMPLATE_NAMESPACE
        local = [t[len(prefix) :] for t in folder.titles_starting(prefix + context.prefix)]
        if ls.wiki is not None and context.prefix:
            answer = await _from_wiki(ls.wiki.prefix_search(context.prefix, namespace=10))
            remote = [t.split(":", 1)[1] for t in answer] if isinstance(answer, list) else []
    else:
        title = template_title(context.page)
        page = folder.page_titled(title)
        local = [p for p in (page.parameters if page else ()) if p.startswith(context.prefix)]
        if ls.wiki is not None:
            answer = await _from_wiki(ls.wiki.template_parameters(title))
            if isinstance(answer, dict):
                details = answer
                remote = [p for p in answer if p.startswith(context.prefix)]
    return types.CompletionList(
        is_incomplete=True, items=completion.items(doc, context, local, remote, details)
    )


# -- rename ----------------------------------------------------------------------------------------
@server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
async def prepare_rename(ls: WikitextServer, params: types.PrepareRenameParams) -> types.Range | None:
    doc = ls.document(params.text_document.uri)
    return renaming.prepare_rename(doc, doc.lines.offset(params.position))


@server.feature(types.TEXT_DOCUMENT_RENAME, types.RenameOptions(prepare_provider=True))
async def rename(ls: WikitextServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
    folder = await ls.current_folder()
    doc = ls.document(params.text_document.uri)
    try:
        return renaming.rename(doc, folder, doc.lines.offset(params.position), params.new_name, ls.version_of)
    except WikitoolsError as error:
        raise _bad_request(error) from None


_WIKI_FILES = types.FileOperationRegistrationOptions(
    filters=[types.FileOperationFilter(pattern=types.FileOperationPattern(glob="**/*.{wiki,mediawiki}"))]
)


@server.feature(types.WORKSPACE_WILL_RENAME_FILES, _WIKI_FILES)
async def will_rename_files(
    ls: WikitextServer, params: types.RenameFilesParams
) -> types.WorkspaceEdit | None:
    folder = await ls.current_folder()
    renames = [(to_fs_path(f.old_uri) or f.old_uri, to_fs_path(f.new_uri) or f.new_uri) for f in params.files]
    try:
        return renaming.file_renames(folder, renames, ls.version_of)
    except WikitoolsError as error:
        raise _bad_request(error) from None


def serve() -> None:
    """Run the server over stdin/stdout until the client says exit."""
    server.start_io()

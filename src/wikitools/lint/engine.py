"""Linting one page: the pure :func:`lint_page`, its result :class:`LintResult`, and the link-target
checks that run once every page's links are known.

:func:`lint_page` takes wikitext in memory (a file, an editor's unsaved buffer, a page of a dump) and
returns a :class:`LintResult`; it reads and writes nothing, so a process pool, a Dask worker or a
language server can call it. :func:`lint_input` does the same for a :class:`PageInput`, which also
says where the text came from (a ``.txt`` file's line map, an XML export); :mod:`.inputs` builds those,
:mod:`.jobs` runs them, :mod:`.runner` makes a whole run of them. :func:`check_targets` adds the
findings that need a wiki or a title list.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..formats.xml_common import redirect_target
from ..markup import BUILTIN
from ..titles import normalize_title
from .codes import all_rules, redirect
from .config import LintOptions, Selection
from .finding import Finding
from .rule import LinkUse, PageContext, Rule, TargetInfo, TargetRule
from .rules.appendix import see_also_spans
from .scan import PageScan

_DIRECTIVE = re.compile(
    r"<!--\s*wikitools:\s*(disable(?:-next-line|-file)?)\s*=\s*([A-Za-z0-9_,\s-]+?)\s*-->"
)


@dataclass(frozen=True)
class PageInput:
    """One page to lint and where it came from. ``text`` is wikitext; ``source_lines`` maps each
    wikitext line (0-based) to the line of the file the user wrote (1-based) when that file was not
    wikitext; ``source_text`` is that file's text (inline directives are read from it); ``fix_path`` is
    the file ``--fix`` may rewrite; ``language`` ``None`` means the run's language."""

    path: str
    text: str
    title: str
    namespace: int = 0
    source_lines: tuple[int | None, ...] | None = None
    source_text: str | None = None
    fix_path: str | None = None
    redirect_to: str | None = None
    in_archive: bool = False  # one page of an XML file: findings name the page
    language: str | None = None
    warnings: tuple[str, ...] = ()  # problems found while reading it (an XML sha1 that does not match)


@dataclass
class LintResult:
    """What linting one page produced: its findings, sorted by position.

    ``error`` is set (and nothing else) when the input was unusable; ``redirect_to`` when the page is
    a redirect (not linted). ``links`` are kept for the link-target rules; ``fixed`` and ``diff`` say
    what ``--fix``/``--diff`` did; ``warnings`` are problems of the input that did not stop the lint."""

    path: str
    title: str
    namespace: int = 0
    findings: list[Finding] = field(default_factory=list)
    links: list[LinkUse] = field(default_factory=list)
    directives: Directives | None = None
    redirect_to: str | None = None
    in_archive: bool = False
    fixed: int = 0
    diff: str = ""
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Directives:
    """Inline ``<!-- wikitools: disable=CODE -->`` comments of one page."""

    whole_file: tuple[str, ...] = ()
    by_line: Mapping[int, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> Directives:
        if "wikitools:" not in text:
            return cls()
        whole: list[str] = []
        by_line: dict[int, list[str]] = {}
        for match in _DIRECTIVE.finditer(text):
            codes = [redirect(c) for c in match.group(2).replace(",", " ").split() if c.strip()]
            line = text.count("\n", 0, match.start()) + 1
            if match.group(1) == "disable-file":
                whole.extend(codes)
            else:
                target = line + 1 if match.group(1) == "disable-next-line" else line
                by_line.setdefault(target, []).extend(codes)
        return cls(tuple(whole), {line: tuple(codes) for line, codes in by_line.items()})

    def silences(self, code: str, line: int) -> bool:
        codes = (*self.whole_file, *self.by_line.get(line, ()))
        return any(c == "ALL" or code.startswith(c) for c in codes)


# -- one page -----------------------------------------------------------------------------------
def lint_page(
    text: str,
    title: str,
    options: LintOptions | None = None,
    *,
    namespace: int | None = None,
    language: str | None = None,
    path: str | None = None,
) -> LintResult:
    """Lint one page of wikitext held in memory. Pure: reads and writes nothing.

    ``namespace`` defaults to the one ``title``'s prefix names (``Template:X`` is 10), ``language`` to
    ``options.language`` (else English); ``path`` is what findings name (default: the title).
    Findings carry their safe fixes as edits over ``text``.
    """
    page = PageInput(
        path if path is not None else title, text, title,
        title_namespace(title) if namespace is None else namespace,
        fix_path=path if path is not None else title, language=language,
    )  # fmt: skip
    options = options or LintOptions()
    if language is not None and options.language is not None:
        options = replace(options, language=language)
    return lint_input(page, options)


def title_namespace(title: str) -> int:
    """The namespace number ``title``'s prefix names (0 when it names none), by the shared markup
    model's names in every language it knows (``Template:``, ``Шаблон:``, ``Wikipedia:``...)."""
    prefix, colon, rest = title.partition(":")
    number = BUILTIN.namespace(prefix) if colon and rest.strip() else None
    return 0 if number is None or number < 0 else number


def lint_input(page: PageInput, options: LintOptions) -> LintResult:
    """Lint one :class:`PageInput`: every selected page rule over one shared scan. Pure."""
    target = page.redirect_to or redirect_target(page.text)
    result = LintResult(
        page.path, page.title, page.namespace, redirect_to=target, in_archive=page.in_archive,
        warnings=list(page.warnings),
    )  # fmt: skip
    if target is not None:
        return result
    scan = PageScan(page.text)
    language = options.language or page.language or "en"
    context = PageContext(
        scan, page.title, page.namespace, page.source_lines, language, options.appendix_names,
        options.duplicate_link_distance,
    )  # fmt: skip
    directives = Directives.parse(page.source_text if page.source_text is not None else page.text)
    result.directives = directives
    silenced = directives.silences if directives.whole_file or directives.by_line else None
    for rule in _page_rules(options.selection, page.path, page.namespace in options.content_namespaces):
        severity = None
        for violation in rule.check(context):
            line, column = _place(context, violation.offset)
            if silenced is not None and silenced(rule.code, line):
                continue
            fix = violation.fix if page.fix_path is not None else None
            message = violation.message
            if severity is None:  # looked up only for the few rules that find something
                severity = options.severities.get(rule.code, rule.severity)
            if page.source_lines is not None and "&" in message:
                message = html.unescape(message)  # quote the text the user wrote, not its wikitext
            end = None if violation.end is None else _place(context, violation.end)
            result.findings.append(
                Finding(
                    page.path, line, column, rule.code, severity, message, fix,
                    page.title if page.in_archive else None, end,
                )
            )  # fmt: skip
    result.findings.sort(key=Finding.sort_key)
    if options.collect_links:
        result.links = _link_uses(context)
    return result


@functools.lru_cache(maxsize=256)
def _rules_for(selection: Selection, path: str | None, content: bool) -> tuple[Rule, ...]:
    return tuple(
        r
        for r in all_rules()
        if not r.needs_targets and (content or not r.content_only) and selection.enabled(r.code, path)
    )


def _page_rules(selection: Selection, path: str, content: bool) -> tuple[Rule, ...]:
    """The page rules to run on a page (of a content namespace or not), chosen once per selection."""
    return _rules_for(selection, path if selection.per_path_ignores else None, content)


def _place(context: PageContext, offset: int) -> tuple[int, int]:
    """1-based (line, column) in the file the user wrote (column 1 when that file was not wikitext)."""
    if context.source_lines is None:
        return context.scan.position(offset)
    return context.line_of(offset), 1


def _link_uses(context: PageContext) -> list[LinkUse]:
    scan = context.scan
    see_also = see_also_spans(context)
    uses: list[LinkUse] = []
    own = normalize_title(context.title)
    seen = {(own, False), (own, True)}  # self-links are L105's business, not a target to look up
    for link in scan.article_links:
        in_see_also = link.start in see_also
        key = (link.title, in_see_also)
        if key in seen or not link.title:
            continue
        seen.add(key)
        line, column = _place(context, link.start)
        uses.append(LinkUse(link.title, line, column, in_see_also))
    return uses


# -- link targets ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class KnownTarget:
    """What an offline title list says about a target: it exists or not; redirects when known."""

    exists: bool
    redirect_to: str | None = None
    disambiguation: bool = False


Resolver = Callable[[Iterable[str]], Mapping[str, TargetInfo]]


def known_titles_resolver(titles: Iterable[str], redirects: Mapping[str, str] | None = None) -> Resolver:
    """A resolver for a fixed universe of pages (a ``--titles`` file or the pages being linted)."""
    universe = {normalize_title(t) for t in titles if t.strip()}
    redirect_map = {normalize_title(k): v for k, v in (redirects or {}).items()}
    universe.update(redirect_map)

    def resolve(wanted: Iterable[str]) -> dict[str, TargetInfo]:
        return {t: KnownTarget(t in universe, redirect_map.get(t)) for t in wanted}

    return resolve


def check_targets(results: Sequence[LintResult], resolve: Resolver, options: LintOptions) -> list[LintResult]:
    """Add the target rules' findings to each result, resolving every distinct target once."""
    wanted = sorted({link.title for result in results for link in result.links})
    targets = resolve(wanted) if wanted else {}
    rules = [r for r in all_rules() if isinstance(r, TargetRule)]
    for result in results:
        if result.error or not result.links:
            continue
        directives = result.directives or Directives()
        added = []
        content = result.namespace in options.content_namespaces
        for rule in rules:
            if not options.selection.enabled(rule.code, result.path) or (rule.content_only and not content):
                continue
            severity = options.severities.get(rule.code, rule.severity)
            for link, message in rule.check_targets(result.links, targets):
                if not directives.silences(rule.code, link.line):
                    title = result.title if result.in_archive else None
                    added.append(
                        Finding(
                            result.path, link.line, link.column, rule.code, severity, message, None, title
                        )
                    )
        if added:
            result.findings = sorted(result.findings + added, key=Finding.sort_key)
    return results

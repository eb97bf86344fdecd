"""Template rules (M1xx): unbalanced braces, duplicate arguments, broken `#invoke`, template programming in
articles and template syntax that shows up in the text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...edits import Edit
from ..finding import Severity
from ..rule import PageContext, Rule, Violation
from ..scan import PageScan
from .structure import (
    TEMPLATE_PREFIX,
    Parameter,
    TemplateCall,
    braces,
    code_masked,
    memo,
    opening_names,
    template_calls,
    templates,
)  # fmt: skip

_BRACE_PROGRAMMING = re.compile(r"\{\{\s*(?:#if|#ifeq|#switch|#ifexist|subst)\s*:", re.IGNORECASE)
_SWITCH_PROGRAMMING = re.compile(r"__(?:NOINDEX|INDEX|NONEWSECTIONLINK)__", re.IGNORECASE)
#: In lower case: parser functions and ``subst:`` are case-insensitive (``{{#IF:}}``, ``{{Subst:}}``).
_PROGRAMMING_WORDS = ("#if", "#switch", "subst:", "index__", "sectionlink__")
_TRAILING_BR = re.compile(r"<br\s*/?\s*>\s*$", re.IGNORECASE)
_TOP_LEVEL_TRAILING_BR = re.compile(r"<br\s*/?\s*>\s*(?:\||$)", re.IGNORECASE)
_URL_NAME = re.compile(r"\|[^|=]*://[^|=]*=")
_KEY = re.compile(r"\|([^=|]*)=")
_NUMBERED_KEY = re.compile(r"\|\s*\d+\s*=")
_ODD_KEY = re.compile(r"\|[^=|]*[\[\]*][^=|]*=|\|\s*:[^=|]*=")
_COLON_NAME = re.compile(r"\|\s*:")
_NUMBERED_NAME = re.compile(r"\|\s*\d+\s*(?:\||$)")
_OPEN_QUOTES = frozenset("«\"'“„‘`")
_CLOSE_QUOTES = frozenset("»\"'”“’`")
_PIPE_TEMPLATE = re.compile(r"\{\{\s*!\s*\}\}")
_LINK_WITH_TEMPLATE = re.compile(r"\[\[([^\[\]\n{]*\{\{[^\[\]\n]*)\]\]")


def _calls_with_equals(scan: PageScan) -> list[TemplateCall]:
    """The template calls with an ``=`` somewhere (the others' arguments are all positional): found
    once per page for the three rules about argument names."""
    return memo(scan, "calls_with_equals", lambda s: [call for call in template_calls(s) if call.has_equals])


def _argument_names(scan: PageScan) -> list[list[str]]:
    """The text before the ``=`` of each argument of each call with an ``=`` (:data:`_KEY`), call by
    call: read once for the rules about argument names."""
    return memo(scan, "argument_names", lambda s: [_KEY.findall(call.flat) for call in _calls_with_equals(s)])


def _all_argument_names(scan: PageScan) -> str:
    """Every argument name of the page, each after a pipe (names hold none; a call without names adds a
    pipe): a rule about rare names searches this short text once, and the calls one by one only where
    it finds one. Each call's whole text searched with the rule's own pattern cost as much as reading
    the names."""
    return memo(scan, "all_argument_names", lambda s: "|" + "|".join(map("|".join, _argument_names(s))))


class TemplateNamespacePrefix(Rule):
    code = "M101"
    name = "template-namespace-prefix"
    severity = Severity.WARNING
    checkwiki = (1,)
    summary = "`{{Template:Name}}` instead of `{{Name}}`"
    what = "Finds template calls that spell out the Template namespace, and removes it."
    why = "The prefix is implied; it makes the call longer and is not how other editors write it."
    example = "{{Template:Citation needed}}"
    use_instead = "{{Citation needed}}"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = page.scan.text
        for template in templates(page.scan):
            prefix = TEMPLATE_PREFIX.match(text, template.start + 2)
            if prefix is None:
                continue
            name_start = prefix.start() + len(prefix.group()) - len(prefix.group().lstrip())
            fix = (Edit(name_start, prefix.end(), ""),) if prefix.end() < template.end - 2 else None
            yield Violation(template.start, "template called with its namespace prefix", fix)


class UnclosedTemplate(Rule):
    code = "M102"
    name = "unclosed-template"
    severity = Severity.ERROR
    checkwiki = (43,)
    wikilint = ("lonely-bracket",)
    summary = "`{{` without `}}`"
    what = "Finds template braces that are opened and never closed."
    why = "MediaWiki shows the call as text with its parameters, and the template does not render."
    example = "{{Citation needed|date=May 2024 and more text."
    use_instead = "{{Citation needed|date=May 2024}} and more text."

    def check(self, page: PageContext) -> Iterator[Violation]:
        for offset in braces(page.scan).unclosed:
            yield Violation(offset, "'{{' is not closed by '}}'")


class StrayTemplateClose(Rule):
    code = "M103"
    name = "stray-template-close"
    severity = Severity.ERROR
    checkwiki = (47,)
    wikilint = ("lonely-bracket",)
    summary = "`}}` without `{{`"
    what = "Finds closing template braces that close nothing."
    why = "The braces show up in the text, and often a template call lost its opening."
    example = "Citation needed|date=May 2024}}"
    use_instead = "{{Citation needed|date=May 2024}}"

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = page.scan.text
        for offset in braces(page.scan).stray:
            if text[offset - 1 : offset] in _OPEN_QUOTES and text[offset + 2 : offset + 3] in _CLOSE_QUOTES:
                continue  # «}}»: the braces are named in the text, not markup
            yield Violation(offset, "'}}' has no opening '{{'")


class DuplicateArgument(Rule):
    code = "M104"
    name = "duplicate-template-argument"
    severity = Severity.WARNING
    wikilint = ("no-duplicate",)
    reference = "Category:Pages using duplicate arguments in template calls"
    summary = "The same template parameter given twice"
    what = (
        "Finds a parameter set twice in one template call; when the earlier value is empty or the same, the "
        "fix "
        "removes the earlier one (MediaWiki uses the last, so the page renders the same)."
    )
    why = (
        "Only the last value is used: the other is silently ignored, and the page lands in a tracking "
        "category."
    )
    example = "{{Infobox person|name=Ada|born=1815|name=Ada}}"
    use_instead = "{{Infobox person|born=1815|name=Ada}}"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        # a numbered name (a call's _NUMBERED_KEY) is looked for in each call only if the page has one
        numbered = _NUMBERED_NAME.search(_all_argument_names(page.scan)) is not None
        for call, keys in zip(_calls_with_equals(page.scan), _argument_names(page.scan), strict=True):
            unique = len(keys) < 2 or len(set(map(str.strip, keys))) == len(keys)
            if unique and (not numbered or _NUMBERED_KEY.search(call.flat) is None):
                continue
            seen: dict[str, Parameter] = {}
            for parameter in call.parameters:
                key = parameter.key
                if key is None:
                    continue
                earlier = seen.get(key)
                if earlier is not None:
                    fix = None
                    if not earlier.value.strip() or earlier.value.strip() == parameter.value.strip():
                        end = earlier.value_start + len(earlier.value)
                        fix = (Edit(earlier.start - 1, end, ""),)
                    yield Violation(
                        parameter.start, f"parameter '{key}' is already set in this template", fix
                    )
                seen[key] = parameter


class TemplateProgramming(Rule):
    code = "M105"
    name = "template-programming-in-article"
    severity = Severity.WARNING
    checkwiki = (34,)
    wikilint = ("no-arg", "arg-in-ext")
    summary = "Conditional parser functions, `{{{parameters}}}` or `{{subst:}}` in an article"
    what = (
        "Finds `{{{x}}}`, `{{#if:}}`, `{{#ifeq:}}`, `{{#switch:}}`, `{{#ifexist:}}`, a left-over "
        "`{{subst:}}` and index switches in main-namespace pages (`{{#expr:}}` and `{{PAGENAME}}` are used "
        "in articles)."
    )
    why = "They belong in templates: in an article they render oddly and confuse editors and tools."
    example = "{{#if:{{{1|}}}|yes|no}} on {{PAGENAME}}"
    use_instead = "yes on Tokyo"

    def check(self, page: PageContext) -> Iterator[Violation]:
        if page.namespace != 0:
            return
        text = code_masked(page.scan)
        for element in braces(page.scan).arguments:
            yield Violation(element.start, "template parameter '{{{...}}}' in an article")
        # The searches of literals ("{{", "__") are fast where the one pattern, without one, tries every
        # offset; the page is lowered (costly) only when something was found.
        found = sorted(
            [*_BRACE_PROGRAMMING.finditer(text), *_SWITCH_PROGRAMMING.finditer(text)], key=lambda m: m.start()
        )
        if found and any(word in text.lower() for word in _PROGRAMMING_WORDS):
            for match in found:
                yield Violation(
                    match.start(), f"template programming '{match.group().strip('{ ')}' in an article"
                )


class TemplateValueEndsWithBreak(Rule):
    code = "M106"
    name = "template-value-trailing-br"
    severity = Severity.WARNING
    checkwiki = (59,)
    summary = "Template parameter value that ends with `<br>`"
    what = "Finds named parameter values ending in a line break tag, and removes the tag."
    why = "The template lays out its fields itself; a trailing `<br>` only adds an empty line in the box."
    example = "{{Infobox town|name=Springfield<br />|population=30,000}}"
    use_instead = "{{Infobox town|name=Springfield|population=30,000}}"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        if "br" not in opening_names(page.scan):  # every <br> of _TOP_LEVEL_TRAILING_BR, in any case
            return
        for call in _calls_with_equals(page.scan):  # a call without '=' has no named value
            if _TOP_LEVEL_TRAILING_BR.search(call.flat) is None:
                continue
            for parameter in call.parameters:
                if (
                    parameter.key is None
                    or parameter.value_start == parameter.start
                    or "<" not in parameter.value
                ):
                    continue
                found = _TRAILING_BR.search(parameter.value)
                if found and parameter.value[: found.start()].strip():  # a value that is only <br /> is data
                    start = parameter.value_start + found.start()
                    end = start + len(found.group().rstrip())
                    message = f"value of '{parameter.key}' ends with a line break"
                    yield Violation(start, message, (Edit(start, end, ""),))


class BadParameterName(Rule):
    code = "M107"
    name = "bad-parameter-name"
    severity = Severity.WARNING
    checkwiki = (60,)
    summary = "Template parameter name with brackets, `*` or `:`"
    what = "Finds parameter names containing `[`, `]`, `*` or starting with `:`."
    why = "No template declares such a name: the value is silently ignored, usually after a typo."
    example = "{{Infobox person|name]=Ada}}"
    use_instead = "{{Infobox person|name=Ada}}"

    def check(self, page: PageContext) -> Iterator[Violation]:
        if not _may_have_odd_name(_all_argument_names(page.scan)):
            return
        for call in _calls_with_equals(page.scan):
            if _ODD_KEY.search(call.flat) is None:
                continue
            for parameter in call.parameters:
                key = parameter.key
                if key is None or parameter.value_start == parameter.start:
                    continue
                if any(c in key for c in "[]*") or key.startswith(":"):
                    yield Violation(parameter.start, f"parameter name '{key}' is not valid")


def _may_have_odd_name(names: str) -> bool:
    """Whether one of ``names`` (each after a pipe) is what :data:`_ODD_KEY` finds."""
    return "[" in names or "]" in names or "*" in names or _COLON_NAME.search(names) is not None


class InvalidInvoke(Rule):
    code = "M108"
    name = "invalid-invoke"
    severity = Severity.ERROR
    wikilint = ("invalid-invoke",)
    summary = "`{{#invoke:}}` without a module or function name"
    what = "Finds `#invoke` calls that name no module or no function."
    why = "Scribunto shows a script error instead of the content."
    example = "{{#invoke:Citation}}"
    use_instead = "{{#invoke:Citation|main}}"

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = code_masked(page.scan)
        if re.search("#invoke", text, re.IGNORECASE) is None:
            return
        for template in templates(page.scan):
            parts = template.parts(text)
            name = parts[0][1].strip()
            if not name.lower().startswith("#invoke:"):
                continue
            if not name[len("#invoke:") :].strip():
                yield Violation(template.start, "#invoke without a module name")
            elif len(parts) < 2 or not parts[1][1].strip():
                yield Violation(template.start, "#invoke without a function name")


class PipeTemplateInLink(Rule):
    code = "M109"
    name = "pipe-template-in-link"
    severity = Severity.WARNING
    checkwiki = (103,)
    wikilint = ("pipe-like",)
    summary = "`{{!}}` used as the pipe of a link, as in `[[Target{{!}}label]]`"
    what = "Finds `{{!}}` inside `[[...]]` outside templates, and replaces it with `|`."
    why = "`{{!}}` is for tables inside templates; in a plain link it only makes the link harder to read."
    example = "[[Tokyo{{!}}the capital]]"
    use_instead = "[[Tokyo|the capital]]"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        scan = page.scan
        masked = code_masked(scan)
        if "!" not in masked or _PIPE_TEMPLATE.search(masked) is None:  # no {{!}}: no link needs a look
            return
        for match in _LINK_WITH_TEMPLATE.finditer(masked):
            if scan.in_container(match.start()):
                continue
            for pipe in _PIPE_TEMPLATE.finditer(masked, match.start(), match.end()):
                yield Violation(
                    pipe.start(), "'{{!}}' in a link; use '|'", (Edit(pipe.start(), pipe.end(), "|"),)
                )


class EqualsInUnnamedArgument(Rule):
    code = "M110"
    name = "url-with-equals-in-argument"
    severity = Severity.WARNING
    wikilint = ("unescaped",)
    summary = "Unnamed template argument holding a URL with `=`, which makes it a named one"
    what = (
        "Finds template arguments whose 'name' (the text before the first `=`) is a URL, as in "
        "`{{Official website|https://example.org/?id=4}}`, and escapes the `=` as `{{=}}`."
    )
    why = "MediaWiki splits the argument at the `=`: the template receives a parameter named after the URL."
    example = "{{Official website|https://example.org/?id=4}}"
    use_instead = "{{Official website|https://example.org/?id{{=}}4}}"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        if "://" not in _all_argument_names(page.scan):  # what _URL_NAME finds in some call
            return
        for call in _calls_with_equals(page.scan):
            if "://" not in call.flat or _URL_NAME.search(call.flat) is None:
                continue
            for parameter in call.parameters:
                if parameter.key and "://" in parameter.key and parameter.value_start != parameter.start:
                    equals = parameter.value_start - 1
                    fix = (Edit(equals, equals + 1, "{{=}}"),)
                    yield Violation(parameter.start, "'=' in a URL argument makes it a named parameter", fix)

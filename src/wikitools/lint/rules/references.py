"""Reference rules (R1xx): `<ref>` without a list, punctuation order, duplicates, names and empty lists."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator

from ...edits import Edit
from ..finding import Severity
from ..rule import PageContext, Rule, Violation
from ..scan import PageScan
from .structure import Ref, TemplateCall, canonical_name, code_masked, memo, references, template_calls

#: Templates that print the reference list (lower case, first letters; local names of the corpus wikis).
REFERENCE_LIST_TEMPLATES = (
    "reflist", "references", "refs", "notelist", "note list", "listaref", "примітки", "примечания",
    "παραπομπές", "ծանոթագրություններ", "संदर्भयादी", "tham khảo", "সূত্র তালিকা", "তথ্যসূত্র", "einzelnachweise",
)  # fmt: skip
#: Wikis whose style guide puts footnote markers after punctuation (WP:REFPUNCT); others differ.
REFPUNCT_LANGUAGES = frozenset({"en", "simple"})
_PUNCTUATION_AFTER = re.compile(r"[.,;:!?](?![.,;:!?\d])")
_NAME = re.compile(r"""\bname\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'/>]+))""", re.IGNORECASE)
_NAME_START = re.compile(r"\bname\s*=\s*", re.IGNORECASE)
_BARE_URL_REF = re.compile(r"\s*\[?\s*(?:https?:)?//[^\s\]]+\s*\]?\s*$", re.IGNORECASE)


def reference_list_calls(page: PageContext) -> list[TemplateCall]:
    """Template calls whose name starts like a reference-list template (``{{Reflist}}``, ``{{Примітки}}``)."""

    def build(scan: PageScan) -> list[TemplateCall]:
        return [call for call in template_calls(scan) if _list_name(call.name)]

    return memo(page.scan, "reference_list_calls", build)


@functools.lru_cache(maxsize=4096)  # pages call the same templates ("Cite web") by the thousand
def _list_name(name: str) -> bool:
    return canonical_name(name).lower().startswith(REFERENCE_LIST_TEMPLATES)


def has_reference_list(page: PageContext) -> bool:
    """A ``<references>`` tag, or a template whose name starts like a reference-list template."""
    return bool(references(page.scan).lists or reference_list_calls(page))


def _name(ref: Ref) -> str | None:
    if "=" not in ref.attrs:
        return None  # most refs have no attributes: no search
    match = _NAME.search(ref.attrs)
    return None if match is None else next(g for g in match.groups() if g is not None).strip()


class ReferenceWithoutList(Rule):
    code = "R101"
    name = "ref-without-references"
    severity = Severity.ERROR
    content_only = True
    checkwiki = (3,)
    reference = "Cite error 'cite_error_refs_without_references'"
    summary = "`<ref>` on a page without `<references />` or a reference-list template"
    what = "Finds pages with footnotes but no place that lists them."
    why = (
        "MediaWiki then adds the list at the very end (or shows a Cite error), after categories and navboxes."
    )
    example = "A fact.<ref>Source.</ref>\n== See also =="
    use_instead = "A fact.<ref>Source.</ref>\n== References ==\n{{Reflist}}"

    def check(self, page: PageContext) -> Iterator[Violation]:
        refs = references(page.scan).refs
        if refs and not has_reference_list(page):
            yield Violation(refs[0].start, "the page has <ref> tags but no <references /> or {{Reflist}}")


class ReferenceBeforePunctuation(Rule):
    code = "R102"
    name = "ref-before-punctuation"
    severity = Severity.WARNING
    checkwiki = (61,)
    reference = "WP:REFPUNCT"
    summary = "Punctuation right after a `<ref>` instead of before it"
    what = "Finds `<ref>...</ref>.` and moves the full stop, comma, colon or semicolon before the references."
    why = "WP:REFPUNCT: the footnote marker follows the punctuation; mixed order looks untidy."
    example = "It is large<ref>Source.</ref>. It is old<ref name=a/>, too."
    use_instead = "It is large.<ref>Source.</ref> It is old,<ref name=a/> too."
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        if page.language not in REFPUNCT_LANGUAGES:
            return
        refs = references(page.scan).refs
        text = page.scan.text
        index = 0
        while index < len(refs):
            first = index
            while index + 1 < len(refs) and _between_is_blank(text, refs[index].end, refs[index + 1].start):
                index += 1
            last = refs[index]
            index += 1
            after = text[last.end : last.end + 2]
            if not _PUNCTUATION_AFTER.match(after):
                continue
            start = refs[first].start
            before = text[start - 1] if start else ""
            if before in ".,;:!?" and after[0] in ".,;:!?" and before != after[0]:
                continue  # "etc.</ref>," and other deliberate doubles
            fix = None
            if before and not before.isspace() and before not in ".,;:!?'\"":
                fix = (Edit(start, start, after[0]), Edit(last.end, last.end + 1, ""))
            yield Violation(last.end, f"'{after[0]}' after a reference; put it before the reference", fix)


def _between_is_blank(text: str, end: int, start: int) -> bool:
    return start >= end and not text[end:start].strip()


class DuplicateReferenceList(Rule):
    code = "R103"
    name = "duplicate-references-list"
    severity = Severity.WARNING
    checkwiki = (78,)
    summary = "Two reference lists for the same group"
    what = "Finds a second `<references />` (or reference-list template) for the same group."
    why = "The second list is empty or splits the notes; readers see references in two places."
    example = "== Notes ==\n<references />\n== References ==\n<references />"
    use_instead = "== References ==\n<references />"

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = code_masked(page.scan)
        seen: set[str] = set()
        positions = [(a, text[a:b]) for a, b in references(page.scan).lists]
        for call in reference_list_calls(page):
            if canonical_name(call.name).lower() in ("reflist", "references"):
                group = next((p.value.strip(" \"'") for p in call.parameters if p.key == "group"), "")
                positions.append((call.element.start, f'group="{group}"'))
        for start, body in sorted(positions):
            group_match = re.search(r"""group\s*=\s*["']?([^"'\s/>]*)""", body)
            group = group_match.group(1) if group_match else ""
            if group in seen:
                yield Violation(start, f"second reference list for group '{group or 'default'}'")
            seen.add(group)


class DuplicateReferenceContent(Rule):
    code = "R104"
    name = "duplicate-reference"
    severity = Severity.WARNING
    checkwiki = (81,)
    wikilint = ("no-duplicate",)
    summary = "The same reference text written out twice"
    what = (
        "Finds `<ref>` elements with identical content; name the first and reuse it with `<ref name=.../>`."
    )
    why = "Readers get two identical footnotes and editors must keep both copies in sync."
    example = "A.<ref>Smith 2001, p. 4.</ref> B.<ref>Smith 2001, p. 4.</ref>"
    use_instead = 'A.<ref name="smith">Smith 2001, p. 4.</ref> B.<ref name="smith" />'

    def check(self, page: PageContext) -> Iterator[Violation]:
        seen: dict[str, int] = {}
        for ref in references(page.scan).refs:
            if ref.content is None or not ref.content.strip() or _name(ref) is not None:
                continue
            key = " ".join(ref.content.split())
            if key in seen:
                yield Violation(
                    ref.start, f"same reference as on line {page.line_of(seen[key])}; reuse it by name"
                )
            else:
                seen[key] = ref.start


class ReferenceAfterList(Rule):
    code = "R105"
    name = "ref-after-references"
    severity = Severity.WARNING
    checkwiki = (111,)
    summary = "`<ref>` after the `<references />` list"
    what = "Finds footnotes placed after the last reference list of their group."
    why = "MediaWiki cannot list them there: they are shown in an extra list at the end or lost."
    example = "<references />\nLate fact.<ref>Source.</ref>"
    use_instead = "Late fact.<ref>Source.</ref>\n<references />"

    def check(self, page: PageContext) -> Iterator[Violation]:
        found = references(page.scan)
        lists = found.lists + [(call.element.start, call.element.end) for call in reference_list_calls(page)]
        if not lists:
            return
        last_list_end = max(end for _start, end in lists)
        for ref in found.refs:
            if ref.start >= last_list_end and ref.content is not None and "group" not in ref.attrs.lower():
                yield Violation(ref.start, "reference after the last reference list")


class BadReferenceName(Rule):
    code = "R106"
    name = "bad-ref-name"
    severity = Severity.ERROR
    checkwiki = (104,)
    wikilint = (
        "invalid-ref",
        "no-ignored",
    )
    summary = "`<ref name=...>` with unbalanced quotes or an empty name"
    what = 'Finds reference names with a missing quote (`name="foo>`) or nothing after `name=`.'
    why = (
        "MediaWiki reads a different name than meant (or none), so the reference is not reused; a Cite "
        "error shows."
    )
    example = '<ref name="smith>Smith 2001.</ref>'
    use_instead = '<ref name="smith">Smith 2001.</ref>'

    def check(self, page: PageContext) -> Iterator[Violation]:
        for ref in references(page.scan).refs:
            if "name" in ref.attrs.lower() and _bad_name(ref.attrs):
                yield Violation(ref.start, f"reference name in '<ref{ref.attrs}>' is malformed")


def _bad_name(attrs: str) -> bool:
    """Whether the ``name=`` of a ref tag has unbalanced quotes or no value."""
    match = _NAME_START.search(attrs)
    if match is None:
        return False
    rest = attrs[match.end() :].rstrip().rstrip("/").rstrip()
    if not rest:
        return True
    if rest[0] in "\"'":
        close = rest.find(rest[0], 1)
        return close == -1 or close == 1
    value = rest.split()[0]
    return '"' in value or "'" in value


class EmptyReference(Rule):
    code = "R107"
    name = "empty-ref"
    severity = Severity.WARNING
    checkwiki = (85,)
    wikilint = ("invalid-ref",)
    summary = "`<ref></ref>` with nothing inside"
    what = "Finds references with no content and no name to reuse."
    why = "MediaWiki shows a Cite error instead of a footnote."
    example = "A fact.<ref></ref>"
    use_instead = "A fact.<ref>Smith 2001, p. 4.</ref>"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for ref in references(page.scan).refs:
            if ref.content is not None and not ref.content.strip() and _name(ref) is None:
                yield Violation(ref.start, "empty reference")


class EmptyReferenceList(Rule):
    code = "R108"
    name = "empty-references-list"
    severity = Severity.WARNING
    wikilint = ("no-ignored",)
    summary = "`<references />` on a page without any `<ref>`"
    what = "Finds a reference list when the page has no footnotes of that group (templates may add some)."
    why = (
        "The section renders empty (or with a tracking category) and readers look for notes that do not "
        "exist."
    )
    example = "Text without notes.\n== References ==\n<references />"
    use_instead = "Text without notes."

    def check(self, page: PageContext) -> Iterator[Violation]:
        found = references(page.scan)
        if not found.lists or found.refs:
            return
        text = code_masked(page.scan)
        if "{{" in text:
            return  # templates (citation needed, efn, sfn...) may produce references
        for start, _end in found.lists:
            yield Violation(start, "reference list without any <ref> on the page")


class BareUrlReference(Rule):
    code = "R109"
    name = "bare-url-reference"
    severity = Severity.INFO
    checkwiki = (62,)
    reference = "WP:BAREURLS"
    summary = "A reference that is only a URL"
    what = "Finds `<ref>https://...</ref>` and `<ref>[https://...]</ref>` without title, author or date."
    why = "Bare URLs rot: when the site moves, nothing tells readers what the source was (WP:BAREURLS)."
    example = "A fact.<ref>https://example.org/report.pdf</ref>"
    use_instead = (
        "A fact.<ref>{{cite web |url=https://example.org/report.pdf |title=Annual report |date=2020}}</ref>"
    )

    def check(self, page: PageContext) -> Iterator[Violation]:
        for ref in references(page.scan).refs:
            if ref.content is not None and _BARE_URL_REF.match(ref.content):
                yield Violation(ref.start, "reference is a bare URL; give title, author and date")


class UndefinedReferenceName(Rule):
    code = "R110"
    name = "undefined-ref-name"
    severity = Severity.ERROR
    wikilint = ("invalid-ref",)
    reference = "Cite error 'cite_error_references_no_text'"
    summary = '`<ref name="x" />` reusing a name no reference on the page defines'
    what = "Finds self-closing references whose name is never given content (templates may define some)."
    why = "MediaWiki shows a red Cite error in the reference list instead of the source."
    example = 'A.<ref name="smith" /> B.'
    use_instead = 'A.<ref name="smith">Smith 2001, p. 4.</ref> B.'

    def check(self, page: PageContext) -> Iterator[Violation]:
        found = references(page.scan)
        uses = [ref for ref in found.refs if ref.content is None and ref.closed]
        if not uses:
            return
        defined = {_name(ref) for ref in found.refs if ref.content is not None and ref.content.strip()}
        text = code_masked(page.scan)
        uses_of = Counter(_name(ref) for ref in uses)
        for ref in uses:
            name = _name(ref)
            if not name or name in defined or "{{" in ref.attrs:
                continue
            if (
                text.count(name) <= uses_of[name]
            ):  # a template (refn, efn, reflist refs=) may define it elsewhere
                yield Violation(ref.start, f"reference name '{name}' is never defined")

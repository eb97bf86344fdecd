"""Rules about where links lead, checked against a wiki (``--wiki``) or a list of known titles.

They run after the pages are scanned: the engine collects every link target, resolves them in
batches, then hands each rule the links with what is known about their targets. A link in See also
is reported by the S rules, a link elsewhere by the W rules, never both.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import ClassVar

from ..finding import Severity
from ..rule import LinkUse, TargetInfo, TargetRule

Hit = tuple[LinkUse, str]


class _PlacedTargetRule(TargetRule):
    """A target rule for links either in See also (``in_see_also``) or elsewhere; ``problem`` says what
    is wrong with a known target, or ``None``."""

    in_see_also: ClassVar[bool] = False

    def problem(self, info: TargetInfo) -> str | None:
        raise NotImplementedError

    def check_targets(self, links: Sequence[LinkUse], targets: Mapping[str, TargetInfo]) -> Iterator[Hit]:
        for link in links:
            info = targets.get(link.title)
            if info is None or link.in_see_also != self.in_see_also:
                continue
            problem = self.problem(info)
            if problem:
                entry = "See also entry " if self.in_see_also else ""
                yield link, f"{entry}'{link.title}' {problem}"


class RedLink(_PlacedTargetRule):
    code = "W101"
    name = "red-link"
    severity = Severity.WARNING
    reference = "WP:REDLINK"
    summary = "Link to a page that does not exist"
    what = "With `--wiki` (or `--titles`, or `--check-targets`), finds links to missing pages."
    why = "Red links are sometimes wanted, but most are typos or pages that were renamed or deleted."
    example = "The [[Anpo protest]] of 1960 (no such page)."
    use_instead = "The [[Anpo protests]] of 1960."

    def problem(self, info: TargetInfo) -> str | None:
        return None if info.exists else "does not exist (red link)"


class RedirectLink(TargetRule):
    code = "W102"
    name = "redirect-link"
    severity = Severity.INFO
    reference = "WP:NOTBROKEN"
    summary = "Link to a redirect"
    what = "With `--wiki`, finds links that go through a redirect, naming the page it leads to."
    why = (
        "Usually harmless (WP:NOTBROKEN), but worth knowing in See also lists and navigation, and when "
        "the redirect points somewhere unexpected."
    )
    example = "[[USA]]"
    use_instead = "[[United States]] (where a direct link matters)"

    def check_targets(self, links: Sequence[LinkUse], targets: Mapping[str, TargetInfo]) -> Iterator[Hit]:
        for link in links:
            info = targets.get(link.title)
            if info is not None and info.exists and info.redirect_to:
                yield link, f"'{link.title}' redirects to '{info.redirect_to}'"


class DisambiguationLink(_PlacedTargetRule):
    code = "W103"
    name = "disambiguation-link"
    severity = Severity.WARNING
    checkwiki = (518,)
    reference = "WP:INTDAB"
    summary = "Link to a disambiguation page"
    what = "With `--wiki`, finds links to pages with the `disambiguation` page property."
    why = "A reader following it lands on a list of meanings instead of the article that was meant."
    example = "[[Mercury]] is the closest planet to the Sun."
    use_instead = "[[Mercury (planet)|Mercury]] is the closest planet to the Sun."

    def problem(self, info: TargetInfo) -> str | None:
        return "is a disambiguation page" if info.exists and info.disambiguation else None


class SeeAlsoRedLink(RedLink):
    """The same check as W101, for See also entries, where MOS:SEEALSO makes it an error."""

    code = "S108"
    name = "see-also-red-link"
    severity = Severity.ERROR
    content_only = True
    reference = "MOS:SEEALSO"
    summary = "See also entry to a page that does not exist"
    what = "With a wiki or a title list, finds See also entries whose page does not exist."
    why = "MOS:SEEALSO: See also lists existing related articles; a red link there is a dead end."
    example = "== See also ==\n* [[Anpo protest]] (no such page)"
    use_instead = "== See also ==\n* [[Anpo protests]]"
    in_see_also = True


class SeeAlsoDisambiguation(DisambiguationLink):
    """The same check as W103, for See also entries."""

    code = "S109"
    name = "see-also-disambiguation"
    severity = Severity.WARNING
    content_only = True
    reference = "MOS:SEEALSO, WP:INTDAB"
    summary = "See also entry to a disambiguation page"
    what = "With `--wiki`, finds See also entries that link a disambiguation page."
    why = "A See also entry should name the one related article, not a list of meanings."
    example = "== See also ==\n* [[Mercury]]"
    use_instead = "== See also ==\n* [[Mercury (planet)]]"
    in_see_also = True

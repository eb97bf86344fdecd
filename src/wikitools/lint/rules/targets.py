"""Rules about where links lead, checked against a wiki (``--wiki``) or a list of known titles.

They run after the pages are scanned: the engine collects every link target, resolves them in
batches, then hands each rule the links with what is known about their targets. A link in See also
is reported by the S rules, a link elsewhere by the W rules, never both.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from ..finding import Severity
from ..registry import LinkUse, TargetInfo, TargetRule, register


def _known(links: Sequence[LinkUse], targets: Mapping[str, TargetInfo], *, see_also: bool):
    for link in links:
        info = targets.get(link.title)
        if info is not None and link.in_see_also == see_also:
            yield link, info


@register
class RedLink(TargetRule):
    code = "W101"
    name = "red-link"
    severity = Severity.WARNING
    reference = "WP:REDLINK"
    summary = "Link to a page that does not exist"
    what = "With `--wiki` (or `--titles`, or `--check-targets`), finds links to missing pages."
    why = "Red links are sometimes wanted, but most are typos or pages that were renamed or deleted."
    example = "The [[Anpo protest]] of 1960 (no such page)."
    use_instead = "The [[Anpo protests]] of 1960."

    def check_targets(self, links: Sequence[LinkUse], targets: Mapping[str, TargetInfo]) -> Iterator:
        for link, info in _known(links, targets, see_also=False):
            if not info.exists:
                yield link, f"'{link.title}' does not exist (red link)"


@register
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

    def check_targets(self, links: Sequence[LinkUse], targets: Mapping[str, TargetInfo]) -> Iterator:
        for link in links:
            info = targets.get(link.title)
            if info is not None and info.exists and info.redirect_to:
                yield link, f"'{link.title}' redirects to '{info.redirect_to}'"


@register
class DisambiguationLink(TargetRule):
    code = "W103"
    name = "disambiguation-link"
    severity = Severity.WARNING
    reference = "WP:INTDAB, CW 518"
    summary = "Link to a disambiguation page"
    what = "With `--wiki`, finds links to pages with the `disambiguation` page property."
    why = "A reader following it lands on a list of meanings instead of the article that was meant."
    example = "[[Mercury]] is the closest planet to the Sun."
    use_instead = "[[Mercury (planet)|Mercury]] is the closest planet to the Sun."

    def check_targets(self, links: Sequence[LinkUse], targets: Mapping[str, TargetInfo]) -> Iterator:
        for link, info in _known(links, targets, see_also=False):
            if info.exists and info.disambiguation:
                yield link, f"'{link.title}' is a disambiguation page"


@register
class SeeAlsoRedLink(TargetRule):
    code = "S108"
    name = "see-also-red-link"
    severity = Severity.ERROR
    reference = "MOS:SEEALSO"
    summary = "See also entry to a page that does not exist"
    what = "With a wiki or a title list, finds See also entries whose page does not exist."
    why = "MOS:SEEALSO: See also lists existing related articles; a red link there is a dead end."
    example = "== See also ==\n* [[Anpo protest]] (no such page)"
    use_instead = "== See also ==\n* [[Anpo protests]]"

    def check_targets(self, links: Sequence[LinkUse], targets: Mapping[str, TargetInfo]) -> Iterator:
        for link, info in _known(links, targets, see_also=True):
            if not info.exists:
                yield link, f"See also entry '{link.title}' does not exist (red link)"


@register
class SeeAlsoDisambiguation(TargetRule):
    code = "S109"
    name = "see-also-disambiguation"
    severity = Severity.WARNING
    reference = "MOS:SEEALSO, WP:INTDAB"
    summary = "See also entry to a disambiguation page"
    what = "With `--wiki`, finds See also entries that link a disambiguation page."
    why = "A See also entry should name the one related article, not a list of meanings."
    example = "== See also ==\n* [[Mercury]]"
    use_instead = "== See also ==\n* [[Mercury (planet)]]"

    def check_targets(self, links: Sequence[LinkUse], targets: Mapping[str, TargetInfo]) -> Iterator:
        for link, info in _known(links, targets, see_also=True):
            if info.exists and info.disambiguation:
                yield link, f"See also entry '{link.title}' is a disambiguation page"

"""Rules beyond their fixture files (see test_lint_fixtures.py): a whole clean article, fixes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wikitools.edits import apply_edits
from wikitools.lint import Finding, LintConfig, lint_text
from wikitools.lint.fixes import fix_text

from .test_lint_fixtures import CASES as FIXTURE_CASES

TITLE = "Test page"


def codes(text: str, code: str, title: str = TITLE) -> list[str]:
    return [f.code for f in lint_text(text, title, config=LintConfig(select=(code,)))]


CLEAN_ARTICLE = """\
{{Short description|Treaty between Japan and the United States}}
The '''Test page''' is a treaty between [[Japan]] and the [[United States]].<ref name="a">A source
with [[a link]], == not a heading == and [[Japan]] again.</ref> It was signed in [[1960]].

== History ==
The treaty followed the [[Treaty of San Francisco]].<ref>[[Japan]]</ref>
<!--
== Commented out ==
[[Japan]]
-->

=== Protests ===
The [[Anpo protests]] opposed it.<nowiki>== Not a heading ==</nowiki>
<syntaxhighlight lang="text">
== Code, not a heading ==
[[Not a link]]
</syntaxhighlight>
<math>[[x]] = 1</math>

{| class="wikitable"
! Year !! Event
|-
| 1960 || Signed, see [[Japan]]
|}

== Provisions ==
Article 5 binds both parties; see [[#History|above]].

== See also ==
* [[Security Treaty Between the United States and Japan]]
* [[Okinawa]] – the island with most bases

== References ==
{{Reflist}}

== Further reading ==
* A book.

== External links ==
* [https://example.org Example]

[[Category:Treaties]]
[[ja:日米安全保障条約]]
"""


def test_clean_complete_article_has_no_findings() -> None:
    assert lint_text(CLEAN_ARTICLE, TITLE) == []


def fixed(text: str, code: str, title: str = TITLE) -> str:
    findings = lint_text(text, title, config=LintConfig(select=(code,)))
    assert findings and all(f.fixable for f in findings)
    return apply_edits(text, [edit for f in findings for edit in f.fix or ()])


@pytest.mark.parametrize(
    ("code", "before", "after"),
    [
        ("H101", "= History =\nText.\n", "== History ==\nText.\n"),
        ("H104", "== History\nText.\n", "== History ==\nText.\n"),
        ("H105", "=== History ==\nText.\n", "== History ==\nText.\n"),
        ("H106", "== '''History''' ==\nText.\n", "== History ==\nText.\n"),
        ("H107", "== Early life: ==\nText.\n", "== Early life ==\nText.\n"),
        ("H108", "<h2>History</h2>\nText.\n", "== History ==\nText.\n"),
        ("H114", "Lead.\n  == History ==\nText.\n", "Lead.\n== History ==\nText.\n"),
        ("L104", "See [[anpo protests|anpo protests]].\n", "See [[anpo protests]].\n"),
        ("L105", "See [[Test page#History|it]].\n== History ==\n", "See [[#History|it]].\n== History ==\n"),
        ("L107", "See [[Anpo%20protests|x]].\n", "See [[Anpo protests|x]].\n"),
        ("L108", "See [[https://example.org|Example]].\n", "See [https://example.org Example].\n"),
        (
            "S104",
            "[[Okinawa]].\n== See also ==\n* [[Okinawa]]\n* [[Kyushu]]\n",
            "[[Okinawa]].\n== See also ==\n* [[Kyushu]]\n",
        ),
        (
            "S105",
            "[[J]].\n== See also ==\n* [[Okinawa]]\n* [[Okinawa]]",
            "[[J]].\n== See also ==\n* [[Okinawa]]",
        ),
        (
            "S106",
            "[[J]].\n== References ==\nR.\n=== Sub ===\nS.\n== See also ==\n* [[O]]\n== External links ==\n",
            "[[J]].\n== See also ==\n* [[O]]\n== References ==\nR.\n=== Sub ===\nS.\n== External links ==\n",
        ),
    ],
)
def test_fix(code: str, before: str, after: str) -> None:
    assert fixed(before, code) == after


def test_appendix_order_is_not_fixed_when_the_last_section_must_move() -> None:
    text = "[[J]].\n== References ==\nR.\n== See also ==\n* [[O]]\n[[Category:X]]\n"
    [finding] = lint_text(text, TITLE, config=LintConfig(select=("S106",)))
    assert not finding.fixable


def test_fix_touches_only_its_own_bytes() -> None:
    text = "Intro  with  odd   spacing.\n== Early life: ==\nMore   text.\n"
    assert fixed(text, "H107") == text.replace("Early life:", "Early life")


def test_heading_rules_see_headings_after_an_unclosed_italic() -> None:
    text = "Lead with ''unclosed italic and [[Japan]].\n\n== A ==\nText.\n\n==== Deep ====\nText.\n"
    assert codes(text, "H103") == ["H103"]


def test_positions_are_one_based_lines_and_columns() -> None:
    [finding] = lint_text("Lead [[Japan]].\n\nSee [[|x]] here.\n", TITLE, config=LintConfig(select=("L102",)))
    assert (finding.line, finding.column) == (3, 5)


def test_self_link_without_section_is_reported_but_not_fixed() -> None:
    [finding] = lint_text("See [[test page]].\n", TITLE, config=LintConfig(select=("L105",)))
    assert finding.message == "link to the page itself ('Test page')" and not finding.fixable


def test_legacy_dot_encoded_section_link_is_accepted() -> None:
    assert codes('See [[#The_.22Will.22]].\n== The "Will" ==\nText.\n', "L109") == []


def test_anchor_template_counts_as_a_section() -> None:
    assert codes("See [[#Old name]].\n== New name {{anchor|Old name}} ==\nText.\n", "L109") == []


snippets = st.sampled_from([case.text for case in FIXTURE_CASES] + ["''", "\n", "Text.\n"])


@settings(max_examples=60, deadline=None)
@given(st.lists(snippets, min_size=1, max_size=6))
def test_fix_is_idempotent_on_any_mix_of_problems(parts: list[str]) -> None:
    text = "".join(parts)

    def lint(version: str) -> list[Finding]:
        return lint_text(version, TITLE)

    once, _ = fix_text(text, lint)
    twice, applied = fix_text(once, lint)
    assert (twice, applied) == (once, 0)

"""What a pull or push did to each page, the one-line summary of it, and the exit code it means."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    PULLED = "pulled"  # the file now holds the wiki's text
    MERGED = "merged"  # local and remote changes combined cleanly; push to send the result
    PUSHED = "pushed"  # the wiki now holds the file's text (or would, in a dry run)
    UNCHANGED = "unchanged"  # nothing to do
    CONFLICT = "conflict"  # conflict markers written into the file
    REFUSED = "refused"  # not sent, so that nobody's edit is lost
    DELETED = "deleted remotely"  # tracked page no longer exists; the file is kept
    UNTRACKED = "untracked"  # deleted on both sides: no longer tracked
    FAILED = "failed"  # the wiki rejected the edit
    MOVED = "moved"  # the page was moved (on the wiki, followed by pull; or by push): reason "Old → New"
    DELETED_ON_WIKI = "deleted"  # push with deletions allowed deleted the page


#: Outcomes shown page by page: those that need the user's attention, and moves.
ATTENTION = frozenset(
    {
        Outcome.MOVED,
        Outcome.DELETED_ON_WIKI,
        Outcome.CONFLICT,
        Outcome.REFUSED,
        Outcome.DELETED,
        Outcome.FAILED,
    }
)
_SUMMARY_NAMES = {Outcome.CONFLICT: "conflicts"}


@dataclass(frozen=True)
class PageResult:
    name: str  # the file, relative to the synced directory
    title: str
    outcome: Outcome
    reason: str | None = None  # why, for outcomes that need attention

    def __str__(self) -> str:
        if self.outcome is Outcome.MOVED:
            return f"moved: {self.reason} ({self.name})"
        text = f"{self.outcome}: {self.name} ({self.title})"
        return text if self.reason is None else f"{text}: {self.reason}"


ProgressCallback = Callable[[PageResult], None]


@dataclass
class Report:
    """The results of one pull or push, in the order the pages were handled."""

    always: tuple[Outcome, ...]  # outcomes the summary names even when their count is zero
    dry_run: bool = False
    results: list[PageResult] = field(default_factory=list)

    def add(self, result: PageResult, progress: ProgressCallback | None = None) -> None:
        self.results.append(result)
        if progress is not None:
            progress(result)

    @property
    def attention(self) -> list[PageResult]:
        """The pages shown one by one: moves, deletions, conflicts, refusals, failures."""
        return [r for r in self.results if r.outcome in ATTENTION or r.reason is not None]

    @property
    def outcomes(self) -> set[Outcome]:
        """Every outcome some page had (what the command line turns into an exit status)."""
        return {r.outcome for r in self.results}

    def summary(self) -> str:
        counts = Counter(r.outcome for r in self.results)
        shown = [o for o in Outcome if o in self.always or counts[o]]
        text = ", ".join(f"{_SUMMARY_NAMES.get(o, o.value)} {counts[o]}" for o in shown)
        return f"{text} (dry run: nothing was changed)" if self.dry_run else text

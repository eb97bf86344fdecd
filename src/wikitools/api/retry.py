"""When to try a request again, and how long to wait first.

The server's word wins: ``Retry-After`` (sent with ``maxlag`` errors, HTTP 429 and 503) says how long
to wait. Without it the wait grows exponentially, with jitter so that many clients that failed together
do not come back together. Every wait is bounded by one deadline for the whole call.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

RETRYABLE_HTTP_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 300.0


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), or ``None``."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
        if not math.isfinite(seconds):  # "nan" and "inf" parse as floats too
            return None
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


@dataclass
class Backoff:
    """Exponential backoff with jitter: attempt ``n`` waits between half and all of ``base * 2**(n-1)``
    seconds (at most ``cap``)."""

    base: float = 0.5
    cap: float = 30.0
    rng: Callable[[], float] = field(default=random.random, repr=False)

    def delay(self, attempt: int) -> float:
        ceiling = min(self.cap, self.base * 2 ** max(attempt - 1, 0))
        return ceiling / 2 + self.rng() * ceiling / 2


@dataclass
class Deadline:
    """One time budget shared by every attempt of a call."""

    seconds: float
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    started: float = field(init=False)

    def __post_init__(self) -> None:
        self.started = self.clock()

    @property
    def remaining(self) -> float:
        return self.seconds - (self.clock() - self.started)

    def allows(self, wait: float) -> bool:
        """True when waiting ``wait`` seconds still leaves time for another attempt."""
        return wait < self.remaining

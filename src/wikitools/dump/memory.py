"""Resident memory of a process, from ``/proc/PID/status`` (Linux).

``VmHWM`` is the peak of the process's own address space. ``getrusage``'s ``ru_maxrss`` is not a
substitute: after fork and exec it still counts the parent's memory at fork time, so a worker started
by a big client would look big before doing anything.
"""

from __future__ import annotations

import resource


def status_mb(pid: int | str, field: str) -> float | None:
    """``field`` (``VmRSS`` now, ``VmHWM`` peak) of process ``pid`` (or ``"self"``) in MB, or ``None``
    without ``/proc``."""
    key = field.encode("ascii") + b":"
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(key):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return None


def peak_mb() -> float:
    """This process's peak resident memory (``ru_maxrss`` where there is no ``/proc``)."""
    peak = status_mb("self", "VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

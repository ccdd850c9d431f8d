"""The steps of a change that touches the network's files and git together.

`sign` writes signatures.yaml, git's index and the branch; `release` writes the
tag and the amendment document. Such a change must complete or be taken back,
also when the user presses Ctrl-C or the process is told to stop, so:

- `uninterrupted()` holds SIGINT and SIGTERM back over the critical section (also
  for the git processes it starts, which inherit the blocked signals) and tells
  the caller afterwards whether one arrived, so the message can say truthfully
  that the change was made;
- `reached(name)` marks each step; it does nothing, and tests replace it to stop
  the process exactly there (a kill, a Ctrl-C) instead of relying on timing.
  A kill cannot be held back: each command orders its steps so that what a kill
  leaves is found and explained by the next run.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

from mouctl.errors import MouError

HELD = (signal.SIGINT, signal.SIGTERM)


def reached(step: str) -> None:
    """A named point between two steps of a change (tests interrupt here)."""


class Interrupted(MouError):
    """Ctrl-C or a stop request arrived; the message says what was changed."""

    exit_code = 130


class Held:
    """What arrived while the section ran: `interrupted` is True after Ctrl-C or SIGTERM."""

    def __init__(self) -> None:
        self.signals: set[int] = set()

    @property
    def interrupted(self) -> bool:
        return bool(self.signals)


@contextlib.contextmanager
def uninterrupted() -> Iterator[Held]:
    """Hold Ctrl-C and SIGTERM back until the block ends; the result says if one came."""
    held = Held()
    if threading.current_thread() is not threading.main_thread():
        yield held  # signals reach only the main thread anyway
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield held
    finally:
        held.signals = set(signal.sigpending()) & set(HELD)
        if held.signals:
            # Take the held signals out of the queue: the caller reports them.
            previous = {s: signal.signal(s, signal.SIG_IGN) for s in held.signals}
            signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)
            for number, handler in previous.items():
                signal.signal(number, handler)
        else:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)

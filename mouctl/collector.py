"""Python's cyclic garbage collector, paused while large acyclic structures are built.

A large network loads as about a million small objects (YAML nodes, dicts, models),
its template context and document tree as hundreds of thousands more, none of them in
reference cycles: reference counting frees them. Collections triggered by their
allocation walk the growing heap again and again and find nothing (L: 70% of
`validate`, a quarter of `render`, ~0.35 s of a `release`). So loading, rendering and
the history commands run with it paused, and it is back as it was afterwards (a
program calling mouctl keeps its collector). A command run from the shell never
turns it on (`mouctl.cli`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector paused inside the block (or the decorated function)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()

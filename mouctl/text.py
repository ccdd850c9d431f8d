"""Small wording helpers shared by every message and document (pure)."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 error`, `2 errors`; `many` for irregular plurals (`1 entry`, `2 entries`)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"

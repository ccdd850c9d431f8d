"""What a command read, for `--verbose`: files, revisions, templates, the cache.

Core code never prints; it notes what it reads here (a `logging` logger), and the
CLI shows the notes only with --verbose. Without a handler the notes cost a
level check each.
"""

from __future__ import annotations

import logging

logger = logging.getLogger("mouctl.read")


def note(message: str, *args) -> None:
    """Record one thing read: `note("read %s (%d bytes)", name, size)`."""
    if logger.isEnabledFor(logging.INFO):
        logger.info(message, *args)

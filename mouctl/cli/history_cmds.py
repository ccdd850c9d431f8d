"""Commands on the network's git history: diff, log, release, sign, status."""

from __future__ import annotations

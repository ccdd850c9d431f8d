"""Commands that produce the MoU document: render."""

from __future__ import annotations

"""Which edition of the MoU a document is: a release of a given date, or a draft.

The version line under the title says it in the document's language ("Version 1.0
of 12 March 2026", "Entwurf vom 30. November 2026"); html, pdf and docx also carry a
visible DRAFT mark on a draft. The commit is only a detail (in the footer). History
decides the edition (`history.revisions.edition`); rendering only prints it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Edition:
    """A document's edition: `release` (a tag) and its date, or a draft of a date."""

    label: str = "draft"  # the version label of the footer: mou-v1.0, commit abc1234, draft
    release: str | None = None  # the tag, when data and templates equal a release
    version: str | None = None  # the release's version number, `1.0`
    date: dt.date | None = None  # the release's date, or the draft's (today, a commit's)

    @property
    def draft(self) -> bool:
        return self.release is None


def from_label(label: str) -> Edition:
    """The edition a bare version label names (for callers that know only the label)."""
    if label.startswith("mou-v"):
        return Edition(label=label, release=label, version=label.removeprefix("mou-v"))
    return Edition(label=label)

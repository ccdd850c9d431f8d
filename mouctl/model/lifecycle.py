"""The MoU's life in its data: the project it serves, when it is valid, who may join
or leave, and which earlier MoU it replaces.

Kept apart from `network.py` because these keys came later: each one defaults to
"not said", and `Network` marks them ADDED_LATER so a network that does not use them
keeps the data fingerprint it had before they existed. Pure: no files, no git.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from mouctl.model.languages import PATTERN as LANGUAGE_PATTERN

# network.py builds on this module, so it cannot import from there: the same strict
# base (unknown keys are errors) and the same text type, written once more here.
Text = Annotated[
    str | dict[Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)], str],
    Field(description="A text, either one string or one string per language "
          "(`{en: ..., de: ...}`)."),
]


class Record(BaseModel):
    """Base of the lifecycle models: unknown keys are errors (as in network.py)."""

    model_config = ConfigDict(extra="forbid")

EXPIRY_WARNING_DAYS = 90


class Project(Record):
    """The funded project the MoU belongs to (printed in section 0)."""

    programme: str | None = Field(
        None, description="Funding programme and action, e.g. `Erasmus+ KA220-VET`.")
    code: str | None = Field(
        None, description="Project number, e.g. `2024-1-DE02-KA220-VET-000123456`.")
    title: Text | None = Field(None, description="Title or acronym of the project.")
    website: str | None = Field(None, description="Web site of the project.")
    start: dt.date | None = Field(None, description="First day of the project (YYYY-MM-DD).")
    end: dt.date | None = Field(
        None, description="Last day of the project (YYYY-MM-DD); with "
        "`valid_until_project_end` the MoU ends with it.")


class WithdrawalClause(Record):
    """The MoU provides that a partner may withdraw while it continues for the others."""

    notice_days: int | None = Field(
        None, ge=0, description="Days between the written notice and the withdrawal taking "
        "effect (e.g. 90); leave out when it takes effect on the notice's date.")
    procedure: Text | None = Field(
        None, description="How a partner withdraws, e.g. `written notice to the "
        "coordinator`.")


class Replaces(Record):
    """The earlier MoU that this one replaces (a new MoU, not an amendment)."""

    title: Text = Field(description="Title of the MoU that is replaced.")
    release: str | None = Field(
        None, pattern=r"^mou\d*-v\d+(\.\d+){0,2}$",
        description="Its last release tag, e.g. `mou-v1.1`.")
    date: dt.date | None = Field(None, description="When the replaced MoU was signed.")


def end_of_validity(network) -> dt.date | None:
    """The last day the MoU is valid: `valid_until`, or the project's end capped by it."""
    if network.valid_until_project_end and network.project and network.project.end:
        if network.valid_until and network.valid_until < network.project.end:
            return network.valid_until
        return network.project.end
    return network.valid_until


@dataclass(frozen=True)
class Validity:
    """Where `today` lies in the MoU's validity."""

    state: str  # "not yet valid" | "valid" | "expired"
    start: dt.date | None
    end: dt.date | None
    days_left: int | None  # None when open-ended

    @property
    def ending_soon(self) -> bool:
        return (self.state == "valid" and self.days_left is not None
                and self.days_left <= EXPIRY_WARNING_DAYS)

    def describe(self) -> str:
        """`valid from 2026-01-01 until 2029-08-31`, `open-ended`, ..."""
        since = f"from {self.start.isoformat()} " if self.start else ""
        if self.end is None:
            return f"valid {since}with no end date (open-ended)"
        return f"valid {since}until {self.end.isoformat()}"


def validity(network, today: dt.date) -> Validity:
    """The MoU's validity on `today`."""
    start, end = network.valid_from, end_of_validity(network)
    if start and today < start:
        state = "not yet valid"
    elif end and today > end:
        state = "expired"
    else:
        state = "valid"
    return Validity(state, start, end, (end - today).days if end else None)

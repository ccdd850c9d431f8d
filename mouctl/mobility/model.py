"""A mobility in the domain's words: one learner, two organisations, the units planned.

A mobility file (`mobilities/NAME.yaml`, NAME is the mobility's id) holds what the
learning agreement and the transcript print: no more personal data than those
documents need (the learner's name and e-mail). Types only; the rules that relate
it to the MoU live in `checks.py`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from mouctl.model.network import Id, LanguageCode, Person, Points, Record, Text


class State(StrEnum):
    """Where a mobility stands, from the steps recorded (each implies the ones before)."""

    planned = "planned"
    agreed = "agreed"
    completed = "completed"
    recognised = "recognised"


class Learner(Record):
    """The participant: only what the learning agreement prints."""

    name: str = Field(min_length=1, description="Full name of the learner.")
    email: str | None = Field(None, description="The learner's e-mail address.")


class Steps(Record):
    """The dated steps of a mobility's life, recorded as they happen."""

    learning_agreement_signed: dt.date | None = Field(
        None, description="Date the learner and both organisations signed the learning "
        "agreement (the mobility is then `agreed`).")
    completed: dt.date | None = Field(
        None, description="Date the mobility ended as completed (then `completed`).")
    recognition_decided: dt.date | None = Field(
        None, description="Date the sending organisation decided on recognition "
        "(then `recognised`).")


class UnitResult(Record):
    """The assessment of one planned unit, recorded by the host."""

    unit: Id = Field(description="Id of the unit assessed (one of the planned `units`).")
    achieved: bool = Field(description="Whether the learner achieved the unit's learning "
                           "outcomes (`true` or `false`).")
    points: Points | None = Field(None, description="ECVET points achieved in the unit.")
    result: Text | None = Field(None, description="The result in words or as a grade, "
                                "e.g. `passed, very good`.")


class HostAssessment(Record):
    """What the host recorded after the mobility: who assessed, when, and each unit."""

    date: dt.date = Field(description="Date of the assessment.")
    assessor: Person = Field(description="Who assessed the learner at the host "
                             "(name, position).")
    units: list[UnitResult] = Field(min_length=1, description="The result of each unit "
                                    "assessed.")
    note: Text | None = Field(None, description="A remark for the transcript.")


class Mobility(Record):
    """One learner's mobility: the file `mobilities/ID.yaml`."""

    learner: Learner = Field(description="The participant (name, e-mail).")
    sending: Id = Field(description="Id of the partner that sends the learner (home).")
    receiving: Id = Field(description="Id of the partner that hosts the learner.")
    start: dt.date = Field(description="First day of the mobility (YYYY-MM-DD).")
    end: dt.date = Field(description="Last day of the mobility (YYYY-MM-DD).")
    language: LanguageCode = Field(description="Language of the mobility, e.g. `en`.")
    units: list[Id] = Field(min_length=1, description="Ids of the MoU's units planned for "
                            "the mobility.")
    credits: Points | None = Field(
        None, description="ECVET points planned for the mobility; when given, the planned "
        "units' points must add up to it.")
    tasks: list[Text] = Field(default_factory=list, description="Tasks the learner carries "
                              "out at the host.")
    mentor: Person | None = Field(None, description="The learner's mentor at the host "
                                  "(name, position, e-mail, phone).")
    steps: Steps = Field(default_factory=Steps, description="The dated steps of the "
                         "mobility's life.")
    assessment: HostAssessment | None = Field(None, description="The host's assessment, "
                                          "recorded after the mobility.")

    def state(self) -> State:
        """The furthest step recorded."""
        s = self.steps
        if s.recognition_decided:
            return State.recognised
        if s.completed:
            return State.completed
        if s.learning_agreement_signed:
            return State.agreed
        return State.planned

    def days(self) -> int:
        """Duration in calendar days, the first and the last day counted."""
        return (self.end - self.start).days + 1

    def weeks(self) -> int:
        """Duration in weeks begun: Monday to Friday of the sixth week is 6 weeks."""
        return -(-self.days() // 7)

"""The rules that keep a mobility inside the MoU it rests on (pure: no I/O).

Each rule has a stable code (`mouctl mobilities --format json`) and a message that
names the MoU version, so a coordinator knows which agreement said no.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from difflib import get_close_matches

from mouctl.mobility.framework import Mou
from mouctl.mobility.model import Mobility
from mouctl.model.network import Role, Unit
from mouctl.source.diagnostics import Finding


def _error(code: str, path: tuple, message: str, hint: str | None = None) -> Finding:
    return Finding("error", code, path, message, hint)


def _warning(code: str, path: tuple, message: str, hint: str | None = None) -> Finding:
    return Finding("warning", code, path, message, hint)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def run(m: Mobility, mou: Mou, *, today: dt.date) -> list[Finding]:
    """Every finding for mobility `m` against the MoU version `mou`."""
    units = {u.id: u for _, u in mou.network.units()}
    return [*_organisations(m, mou), *_units(m, mou, units), *_dates(m, mou),
            *_credits(m, units), *_steps(m, today), *_assessment(m, units, today)]


def _organisations(m: Mobility, mou: Mou) -> Iterator[Finding]:
    if m.sending == m.receiving:
        yield _error("same-organisation", ("receiving",),
                     f"'{m.receiving}' both sends and hosts the learner",
                     "a mobility goes abroad: name the host partner as receiving")
    for key, role in (("sending", Role.sending), ("receiving", Role.receiving)):
        ident = getattr(m, key)
        partner = mou.network.partner(ident)
        if partner is None:
            known = [p.id for p in mou.network.partners]
            close = get_close_matches(ident, known, n=1)
            yield _error("not-a-partner", (key,),
                         f"'{ident}' is not a partner of {mou.name}",
                         f"did you mean '{close[0]}'?" if close
                         else "partners: " + ", ".join(known))
            continue
        if role not in partner.roles:
            yield _error(f"not-{key}", (key,),
                         f"'{ident}' does not hold the {role} role in {mou.name}",
                         f"choose a partner with the {role} role, or amend the MoU")
        if not mou.bound(ident):
            yield _error("not-bound", (key,),
                         f"'{ident}' has not signed {mou.name}, the MoU this mobility "
                         "rests on", "record its signature with `mouctl sign` first")


def _units(m: Mobility, mou: Mou, units: dict[str, Unit]) -> Iterator[Finding]:
    seen: set[str] = set()
    for i, ident in enumerate(m.units):
        path = ("units", i)
        if ident in seen:
            yield _error("duplicate-unit", path, f"unit '{ident}' is planned twice",
                         "list each unit once")
            continue
        seen.add(ident)
        unit = units.get(ident)
        if unit is None:
            close = get_close_matches(ident, list(units), n=1)
            yield _error("unknown-unit", path, f"unit '{ident}' is not in {mou.name}",
                         f"did you mean '{close[0]}'?" if close
                         else "units: " + ", ".join(units) if units else None)
            continue
        if unit.hosts and m.receiving not in unit.hosts:
            yield _error("unit-not-hosted", path,
                         f"'{m.receiving}' may not host unit '{ident}' in {mou.name} "
                         f"(hosts: {', '.join(unit.hosts)})",
                         "plan a unit this host may deliver, or amend the unit's hosts "
                         "in the MoU")


def _dates(m: Mobility, mou: Mou) -> Iterator[Finding]:
    n = mou.network
    if m.end < m.start:
        yield _error("dates-order", ("end",), f"the mobility ends ({m.end}) before it "
                     f"starts ({m.start})", "check the start and end dates")
        return
    if n.valid_from and m.start < n.valid_from:
        yield _error("before-validity", ("start",),
                     f"the mobility starts on {m.start}, before {mou.name} is valid "
                     f"(from {n.valid_from})", "move the start date, or amend the MoU")
    if n.valid_until and m.end > n.valid_until:
        yield _error("after-validity", ("end",),
                     f"the mobility ends on {m.end}, after {mou.name} expires "
                     f"({n.valid_until})", "end the mobility earlier, or extend the MoU")
    duration = n.mobility_duration
    weeks, said = m.weeks(), f"{m.weeks()} week{'s' if m.weeks() != 1 else ''}"
    if duration and duration.min_weeks is not None and weeks < duration.min_weeks:
        yield _error("too-short", ("end",),
                     f"the mobility lasts {said} ({m.days()} days); {mou.name} "
                     f"plans at least {_num(duration.min_weeks)}",
                     "lengthen the mobility, or amend the MoU's mobility_duration")
    if duration and duration.max_weeks is not None and weeks > duration.max_weeks:
        yield _error("too-long", ("end",),
                     f"the mobility lasts {said} ({m.days()} days); {mou.name} "
                     f"plans at most {_num(duration.max_weeks)}",
                     "shorten the mobility, or amend the MoU's mobility_duration")


def _credits(m: Mobility, units: dict[str, Unit]) -> Iterator[Finding]:
    if m.credits is None:
        return
    planned = [units[i] for i in dict.fromkeys(m.units) if i in units]
    if len(planned) < len(set(m.units)):
        return  # an unknown unit is reported already; a total would mislead
    without = [u.id for u in planned if u.ecvet_points is None]
    if without:
        yield _error("credits-unknown", ("credits",),
                     f"unit(s) {', '.join(without)} have no ECVET points in the MoU, so "
                     f"the credits cannot be checked", "leave out `credits`")
        return
    total = sum(u.ecvet_points for u in planned)
    if total != m.credits:
        yield _error("credits-mismatch", ("credits",),
                     f"the planned units carry {_num(total)} ECVET points, not "
                     f"{_num(m.credits)}",
                     f"set `credits: {_num(total)}` or plan other units")


_STEP_ORDER = ("learning_agreement_signed", "completed", "recognition_decided")
_STEP_WORDS = {"learning_agreement_signed": "the signature of the learning agreement",
               "completed": "the completion of the mobility",
               "recognition_decided": "the recognition decision"}


def _steps(m: Mobility, today: dt.date) -> Iterator[Finding]:
    s = m.steps
    for key in _STEP_ORDER:
        when = getattr(s, key)
        if when is not None and when > today:
            yield _error("step-in-future", ("steps", key),
                         f"{_STEP_WORDS[key]} is dated {when}, after today ({today})",
                         "record a step when it has happened")
    for before, after in zip(_STEP_ORDER, _STEP_ORDER[1:], strict=False):
        if getattr(s, after) is not None and getattr(s, before) is None:
            yield _error("step-missing", ("steps", after),
                         f"{_STEP_WORDS[after]} is recorded, but not {_STEP_WORDS[before]}",
                         f"add `{before}: YYYY-MM-DD` under steps")
        elif (getattr(s, after) is not None and getattr(s, before) is not None
              and getattr(s, after) < getattr(s, before)):
            yield _error("step-order", ("steps", after),
                         f"{_STEP_WORDS[after]} ({getattr(s, after)}) is before "
                         f"{_STEP_WORDS[before]} ({getattr(s, before)})",
                         "check the dates of the steps")
    if s.learning_agreement_signed and s.learning_agreement_signed > m.start:
        yield _warning("agreement-after-start", ("steps", "learning_agreement_signed"),
                       f"the learning agreement was signed on {s.learning_agreement_signed}, "
                       f"after the mobility started ({m.start})",
                       "a learning agreement is signed before the mobility")
    if s.completed and s.completed < m.start:
        yield _error("completed-before-start", ("steps", "completed"),
                     f"the mobility is completed on {s.completed}, before it started "
                     f"({m.start})", "check the dates")
    if s.recognition_decided and m.assessment is None:
        yield _error("recognition-without-assessment", ("steps", "recognition_decided"),
                     "recognition is decided, but no assessment is recorded",
                     "record the host's assessment under `assessment:` first")


def _assessment(m: Mobility, units: dict[str, Unit], today: dt.date) -> Iterator[Finding]:
    a = m.assessment
    if a is None:
        return
    if m.steps.learning_agreement_signed is None:
        yield _error("assessment-without-agreement", ("assessment",),
                     "an assessment is recorded, but no signed learning agreement",
                     "add `learning_agreement_signed: YYYY-MM-DD` under steps")
    if a.date < m.start:
        yield _error("assessment-before-start", ("assessment", "date"),
                     f"the assessment on {a.date} is before the mobility started ({m.start})",
                     "check the date")
    elif a.date > today:
        yield _error("step-in-future", ("assessment", "date"),
                     f"the assessment is dated {a.date}, after today ({today})",
                     "record the assessment when it has happened")
    assessed: set[str] = set()
    for i, r in enumerate(a.units):
        path = ("assessment", "units", i)
        if r.unit in assessed:
            yield _error("duplicate-unit", (*path, "unit"),
                         f"unit '{r.unit}' is assessed twice", "record each unit once")
            continue
        assessed.add(r.unit)
        if r.unit not in m.units:
            yield _error("unit-not-agreed", (*path, "unit"),
                         f"unit '{r.unit}' is assessed but not in the learning agreement "
                         f"(planned: {', '.join(m.units)})",
                         "record results only for the planned units, or add the unit "
                         "to `units` if the agreement was changed")
            continue
        unit = units.get(r.unit)
        if r.points is None:
            continue
        if not r.achieved and r.points > 0:
            yield _error("points-not-achieved", (*path, "points"),
                         f"unit '{r.unit}' is not achieved but {_num(r.points)} points "
                         "are recorded", "record 0 points, or set `achieved: true`")
        elif unit is not None and unit.ecvet_points is not None \
                and r.points > unit.ecvet_points:
            yield _error("points-exceed", (*path, "points"),
                         f"{_num(r.points)} points recorded for unit '{r.unit}', which "
                         f"carries {_num(unit.ecvet_points)} in the MoU",
                         f"record at most {_num(unit.ecvet_points)} points")
    missing = [u for u in dict.fromkeys(m.units) if u not in assessed]
    if missing:
        yield _warning("unit-not-assessed", ("assessment", "units"),
                       f"no result for planned unit(s) {', '.join(missing)}",
                       "record each planned unit, with `achieved: false` if it was not "
                       "achieved")

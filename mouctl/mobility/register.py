"""The network's mobilities, each checked against the MoU it rests on: `mouctl mobilities`.

Also names the mobilities an amendment touches, for `diff` and `release` to print
on the terminal. Learners' names never leave this module except to the terminal:
nothing here writes to git, tags or files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from mouctl.mobility import checks, loader
from mouctl.mobility.framework import Frameworks, Mou
from mouctl.mobility.loader import MobilityFile
from mouctl.mobility.model import State
from mouctl.source.diagnostics import Diagnostic


@dataclass
class Checked:
    """One mobility file, the MoU version it rests on and everything found."""

    file: MobilityFile
    mou: Mou | None

    @property
    def id(self) -> str:
        return self.file.id

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.file.diagnostics

    @property
    def valid(self) -> bool:
        return self.file.mobility is not None and not self.file.errors

    def as_dict(self) -> dict:
        """Plain data for `--format json`."""
        m = self.file.mobility
        return {
            "id": self.id, "file": self.file.file,
            "state": m.state().value if m else None,
            "learner": m.learner.name if m else None,
            "sending": m.sending if m else None, "receiving": m.receiving if m else None,
            "start": m.start.isoformat() if m else None,
            "end": m.end.isoformat() if m else None,
            "units": list(m.units) if m else [],
            "mou": self.mou.label if self.mou else None,
            "mou_fingerprint": self.mou.fingerprint if self.mou else None,
            "valid": self.valid,
            "diagnostics": [d.as_dict() for d in self.diagnostics],
        }


def check(folder: Path, file: MobilityFile, frameworks: Frameworks) -> Checked:
    """Check one loaded mobility file against the MoU version it rests on."""
    m = file.mobility
    if m is None:
        return Checked(file, None)
    mou, found = frameworks.resolve(m)
    for finding in found:
        file.add(finding)
    if mou is not None:
        for finding in checks.run(m, mou, today=frameworks.today):
            file.add(finding)
    return Checked(file, mou)


def check_all(folder: Path, *, today: dt.date) -> list[Checked]:
    """Every mobility of the network, checked (none when there is no mobilities/)."""
    files = loader.load_all(folder)
    if not files:
        return []
    with Frameworks(folder, today=today) as frameworks:
        return [check(folder, f, frameworks) for f in files]


def check_one(folder: Path, wanted: str, *, today: dt.date) -> Checked:
    """One mobility (by id or file), checked."""
    file = loader.load_one(folder, wanted)
    with Frameworks(folder, today=today) as frameworks:
        return check(folder, file, frameworks)


def table(checked: list[Checked]) -> list[str]:
    """The text listing: one line per mobility, in columns."""
    rows = [("MOBILITY", "STATE", "FROM", "TO", "DATES", "UNITS", "MOU")]
    for c in checked:
        m = c.file.mobility
        if m is None:
            rows.append((c.id, "invalid", "", "", "", "", ""))
            continue
        errors = len(c.file.errors)
        state = m.state().value + (f" ({errors} error{'s' if errors > 1 else ''})"
                                   if errors else "")
        rows.append((c.id, state, m.sending, m.receiving, f"{m.start} - {m.end}",
                     ", ".join(m.units), c.mou.label if c.mou else "-"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
            for r in rows]


# States whose learning agreement still lies ahead or is in progress: an amendment of
# one of their units matters to them. Completed mobilities keep the version they had.
_OPEN = (State.planned, State.agreed)


def affected(folder: Path, changes: list) -> list[str]:
    """Lines naming the open mobilities that plan a unit these changes change or remove.

    Reads `mobilities/` of the working tree only; an unreadable mobility is skipped
    (its problems belong to `mouctl mobilities`, not to `diff`).
    """
    touched: dict[str, str] = {}
    for change in changes:
        if change.section == "units":
            if change.action == "renamed":  # item is the new id; mobilities use the old
                touched[str(change.old)] = f"renamed to {change.new}"
            elif change.field == "" and change.action == "removed":
                touched[change.item] = "removed"
            else:
                touched.setdefault(change.item, "changed")
    if not touched:
        return []
    lines = []
    for file in loader.load_all(folder):
        m = file.mobility
        if m is None or m.state() not in _OPEN:
            continue
        hits = [f"{u} ({touched[u]})" for u in m.units if u in touched]
        if hits:
            lines.append(f"  {file.id} ({m.state().value}, starts {m.start}): "
                         f"{', '.join(hits)}")
    return lines

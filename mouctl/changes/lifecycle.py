"""Joining by adhesion and leaving by withdrawal: who must sign what (pure).

The rule table decides a change by its field alone. Two changes depend on the
MoU's own terms and on its history as well: an organisation that joins an MoU
open to adhesion signs an adhesion declaration (nobody else re-signs), and a
partner that withdrew by notice, as the MoU provides, leaves without anyone
re-signing. `apply` re-decides those changes with the lifecycle rules of
`changes.rules`; `signers` says who must sign a version after the changes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable

from mouctl.changes import rules as change_rules

ADHESION_RULES = frozenset({"joins-by-adhesion", "adherent-listed"})
# The rule table's partner lists (hosts, assessors, reviewers) as (section, field).
_PARTNER_LISTS = {tuple(where.split(":")) for where in change_rules.rule("adherent-listed").where}


def apply(found: list, old, new, *, withdrawn: Collection[str] = ()) -> list:
    """`found` (changes from `old` to `new`) with joining and leaving re-decided.

    `withdrawn` are the ids of partners whose notice of withdrawal is recorded.
    """
    joined = {c.item for c in found if c.section == "partners" and c.field == ""
              and c.action == "added"}
    left = {c.item for c in found if c.section == "partners" and c.field == ""
            and c.action == "removed"}
    adherents = joined if old.open_to_adhesion and new.open_to_adhesion else set()
    leavers = left & set(withdrawn) if old.withdrawal is not None else set()
    if not adherents and not leavers:
        return found
    return [_decide(c, adherents, leavers) for c in found]


def _decide(change, adherents: set[str], leavers: set[str]):
    if change.section == "partners" and change.field == "":
        if change.item in adherents:
            return _as(change, "joins-by-adhesion")
        if change.item in leavers:
            return _as(change, "withdrew-by-notice")
    if (change.section, change.field) in _PARTNER_LISTS:
        before = set(change.old or [])
        after = set(change.new or [])
        if adherents and before <= after and after - before <= adherents:
            return _as(change, "adherent-listed")
        if leavers and after <= before and before - after <= leavers:
            return _as(change, "withdrawn-unlisted")
    return change


def _as(change, name: str):
    rule = change_rules.rule(name)
    return dataclasses.replace(change, substantive=rule.substantive, rule=rule.name)


def adherents(changes: Iterable) -> list[str]:
    """Ids of the organisations that join by adhesion in these changes."""
    return [c.item for c in changes if c.rule == "joins-by-adhesion"]


def is_adhesion(changes: Iterable) -> bool:
    """True when the only substantive changes are organisations joining by adhesion."""
    heavy = [c for c in changes if c.substantive]
    return bool(heavy) and all(c.rule in ADHESION_RULES for c in heavy) and any(
        c.rule == "joins-by-adhesion" for c in heavy)


def signers(changes: Iterable, network) -> list[str]:
    """Ids of the partners who must sign `network` after these changes.

    Nobody after administrative changes (withdrawals by notice included); only the
    adherents after an adhesion; every partner after any other substantive change.
    """
    changes = list(changes)
    if not any(c.substantive for c in changes):
        return []
    if is_adhesion(changes):
        return adherents(changes)
    return [p.id for p in network.partners]

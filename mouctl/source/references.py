"""References between entities, checked by kind (pure).

Every id in the data names an entity of one kind: a signing partner, an
organisation that takes part without signing, a covered organisation, a
qualification or a unit. A reference must name an entity of the kind the field
expects: a coordinator that is a qualification, or an awarding body that is a
covered company without the competent role, would otherwise validate and then
vanish from the document. Each message names the kind found and the kind expected.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from difflib import get_close_matches

from mouctl.model.network import AWARDING_ROLES, HOSTING_ROLES, Network, Role
from mouctl.source.diagnostics import Finding, Path

PARTNER = "a signing partner"
ORGANISATION = "an organisation that takes part without signing"
COVERED = "a covered organisation"
QUALIFICATION = "a qualification"
UNIT = "a unit"
ORGANISATION_KINDS = (PARTNER, ORGANISATION, COVERED)
ANY_ORGANISATION = ("an organisation of the network (a signing partner, an organisation "
                    "taking part or a covered organisation)")


@dataclass(frozen=True)
class Entity:
    """One id of the data: its kind and, for organisations, its roles."""

    kind: str
    roles: frozenset[Role]


def index(n: Network) -> dict[str, Entity]:
    """Every id of the network with its kind (the first entity wins on duplicates)."""
    found: dict[str, Entity] = {}
    organisations: Iterable[tuple[str, Iterable]] = (
        (PARTNER, n.partners), (ORGANISATION, n.organisations),
        (COVERED, n.covered_organisations))
    for kind, items in organisations:
        for item in items:
            found.setdefault(item.id, Entity(kind, frozenset(item.roles)))
    # Qualifications and units hold no roles: one shared entity each (L: 2,200 of them).
    qualification, unit = Entity(QUALIFICATION, frozenset()), Entity(UNIT, frozenset())
    for q in n.qualifications:
        found.setdefault(q.id, qualification)
    for q in n.qualifications:
        for u in q.units:
            found.setdefault(u.id, unit)
    return found


def check(n: Network, shadow: set[str], ids: dict[str, Entity] | None = None
          ) -> Iterator[Finding]:
    """Every reference of the network checked against the kind its field expects.

    `ids`: the index to check against when `n` holds only some of the entities (the
    history engine checks the entities that changed against the whole version's index).
    """
    ids = index(n) if ids is None else ids
    refs = _Checker(ids, shadow)
    yield from refs.coordinator(n)
    if n.review:
        for i, ident in enumerate(n.review.reviewers):
            yield from refs.organisation(ident, ("review", "reviewers", i), "reviewer")
    if n.assessment:
        for i, ident in enumerate(n.assessment.assessed_by):
            yield from refs.organisation(ident, ("assessment", "assessed_by", i), "assessor")
    for i, c in enumerate(n.covered_organisations):
        if c.covered_by is not None:
            yield from refs.expect(c.covered_by, ("covered_organisations", i, "covered_by"),
                                   "covered_by", (PARTNER,), PARTNER)
    for qi, q in enumerate(n.qualifications):
        base = ("qualifications", qi)
        yield from refs.awarder(q.awarding_institution, (*base, "awarding_institution"))
        for vi, v in enumerate(q.variants):
            yield from refs.awarder(v.awarding_institution,
                                    (*base, "variants", vi, "awarding_institution"))
        groups = {g.id for g in q.unit_groups}
        for ui, u in enumerate(q.units):
            upath = (*base, "units", ui)
            for hi, host in enumerate(u.hosts):
                if not refs.fine(host, HOSTING_ROLES):
                    yield from refs.host(host, (*upath, "hosts", hi))
            for ai, assessor in enumerate(u.assessment.assessed_by):
                if not refs.fine(assessor):
                    yield from refs.organisation(
                        assessor, (*upath, "assessment", "assessed_by", ai), "assessor")
            for oi, other in enumerate(u.also_part_of):
                path = (*upath, "also_part_of", oi)
                if other == q.id:
                    yield Finding("warning", "also-part-of-own", path,
                                  f"unit '{u.id}' is listed under qualification '{q.id}' "
                                  "already", "name only the other qualifications here")
                else:
                    yield from refs.expect(other, path, "also_part_of", (QUALIFICATION,),
                                           QUALIFICATION)
            if u.group is not None and u.group not in groups:
                known = ", ".join(sorted(groups)) or "(none yet)"
                yield Finding("error", "unknown-reference", (*upath, "group"),
                              f"group '{u.group}' is not a unit group of qualification "
                              f"'{q.id}'", f"use one of its unit_groups: {known}, or add "
                              "the group to unit_groups")


class _Checker:
    def __init__(self, ids: dict[str, Entity], shadow: set[str]) -> None:
        self.ids = ids
        self.shadow = shadow  # ids of entities that failed validation: kind unknown

    def fine(self, ident: str, roles: frozenset[Role] | None = None) -> bool:
        """True when `ident` is an organisation (holding one of `roles`, if given): then
        `organisation` (or `host`) has nothing to say, and is not asked (L: 6,000 ids)."""
        entity = self.ids.get(ident)
        return entity is not None and entity.kind in ORGANISATION_KINDS and (
            roles is None or bool(entity.roles & roles))

    def expect(self, ident: str, path: Path, what: str, kinds: tuple[str, ...],
               expected: str, roles: frozenset[Role] | None = None) -> Iterator[Finding]:
        """`ident` must exist and be of one of `kinds` (`roles`: the ids to suggest)."""
        entity = self.ids.get(ident)
        if entity is None:
            if ident not in self.shadow:
                fitting = self._fitting(kinds, roles)
                close = get_close_matches(ident, sorted({*fitting, *self.shadow}), n=1)
                tip = f"did you mean '{close[0]}'?" if close else \
                    _candidates(fitting, expected)
                yield Finding("error", "unknown-reference", path,
                              f"{what} '{ident}' is not an id in this network; expected "
                              f"{expected}", tip)
        elif entity.kind not in kinds:
            yield Finding("error", "wrong-kind", path,
                          f"{what} '{ident}' is {entity.kind}; expected {expected}",
                          _candidates(self._fitting(kinds, roles), expected))

    def _fitting(self, kinds: tuple[str, ...], roles: frozenset[Role] | None) -> list[str]:
        """The ids a reference of these kinds (and roles) may name, for suggestions.

        Only wanted for a finding, so built then: listing them for every reference
        made the check quadratic in the size of the network.
        """
        return [i for i, e in self.ids.items()
                if e.kind in kinds and (roles is None or e.roles & roles)]

    def organisation(self, ident: str, path: Path, what: str) -> Iterator[Finding]:
        yield from self.expect(ident, path, what, ORGANISATION_KINDS, ANY_ORGANISATION)

    def coordinator(self, n: Network) -> Iterator[Finding]:
        if n.coordinator is None:
            everyone = [*n.partners, *n.organisations, *n.covered_organisations]
            if n.partners and not any(Role.coordinator in o.roles for o in everyone):
                yield Finding("warning", "no-coordinator", ("coordinator",),
                              "no coordinator is named",
                              "add `coordinator: <organisation id>` to network.yaml")
            return
        found = list(self.organisation(n.coordinator, ("coordinator",), "coordinator"))
        yield from found
        entity = self.ids.get(n.coordinator)
        if not found and entity is not None and Role.coordinator not in entity.roles:
            yield Finding("warning", "coordinator-role", ("coordinator",),
                          f"coordinator '{n.coordinator}' does not hold the coordinator role",
                          f"add `coordinator` to the roles of '{n.coordinator}'")

    def awarder(self, ident: str | None, path: Path) -> Iterator[Finding]:
        if ident is None:
            return
        expected = ("a competent institution or authority (an organisation of the network "
                    "with the competent_institution or competent_authority role)")
        found = list(self.expect(ident, path, "awarding institution", ORGANISATION_KINDS,
                                 expected, AWARDING_ROLES))
        yield from found
        entity = self.ids.get(ident)
        if not found and entity is not None and not entity.roles & AWARDING_ROLES:
            yield Finding(
                "error", "awarder-not-competent", path,
                f"awarding institution '{ident}' is {entity.kind}, and holds neither the "
                "competent_institution nor the competent_authority role; expected a "
                "competent institution or authority",
                f"add competent_institution (or competent_authority) to the roles of "
                f"'{ident}', or name the organisation that awards the qualification")

    def host(self, ident: str, path: Path) -> Iterator[Finding]:
        expected = ("an organisation that receives learners (a partner or organisation "
                    "with the receiving role, or a covered host company)")
        found = list(self.expect(ident, path, "host", ORGANISATION_KINDS, expected,
                                 HOSTING_ROLES))
        yield from found
        entity = self.ids.get(ident)
        if found or entity is None or entity.roles & HOSTING_ROLES:
            return
        # A signing partner hosting without the role was accepted before roles were
        # checked here: a warning keeps those networks valid.
        severity = "warning" if entity.kind == PARTNER else "error"
        yield Finding(severity, "host-not-receiving", path,
                      f"host '{ident}' is {entity.kind}, and holds neither the receiving "
                      f"nor the company role; expected {expected}",
                      f"add receiving (or company) to the roles of '{ident}'")


def _candidates(fitting: list[str], expected: str) -> str:
    sample = ", ".join(fitting[:5]) + (", ..." if len(fitting) > 5 else "")
    return f"use one of: {sample}" if fitting else f"add {expected} to the network first"

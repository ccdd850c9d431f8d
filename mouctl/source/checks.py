"""Domain rules beyond types: references, levels, points, identifiers, validity.

Pure: takes a Network, returns Findings located by path. The rules come from the
domain primer's "Rules a validator can enforce"; each has a stable code so that
CI and editors can filter on it (`mouctl validate --format json`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import typing
from collections.abc import Iterator

from pydantic import BaseModel

from mouctl.model.network import EQF_LEVELS, OID_PATTERN, PIC_PATTERN, Network, Role, Text
from mouctl.source.diagnostics import Finding, Path, format_path

_OID = re.compile(OID_PATTERN)
_PIC = re.compile(PIC_PATTERN)
EXPIRY_WARNING_DAYS = 90


def run(
    network: Network, *, today: dt.date, known_ids: set[str] | None = None,
    warnings: bool = True, catalogues: set[str] | None = None,
) -> list[Finding]:
    """Every domain finding for `network`.

    `known_ids` are ids of entities that exist in the files but failed type
    validation: references to them are not reported as unknown a second time.
    `warnings=False` skips the rules that only ever warn (the history engine asks
    only whether a version has errors). `catalogues` are the languages the templates
    have fixed text in (None: unknown).
    """
    shadow = known_ids or set()
    return [
        *_ids(network),
        *_references(network, shadow),
        *(_countries(network) if warnings else ()),
        *_levels_and_points(network),
        *_identifiers(network),
        *_signatories(network),
        *_validity(network, today),
        *_units(network),
        *(_translations(network) if warnings else ()),
        *(_catalogues(network, catalogues) if warnings else ()),
    ]


def _error(code: str, path: Path, message: str, hint: str | None = None) -> Finding:
    return Finding("error", code, path, message, hint)


def _warning(code: str, path: Path, message: str, hint: str | None = None) -> Finding:
    return Finding("warning", code, path, message, hint)


def _ids(n: Network) -> Iterator[Finding]:
    seen: dict[str, Path] = {}
    entities: list[tuple[str, Path]] = []
    entities += [(p.id, ("partners", i, "id")) for i, p in enumerate(n.partners)]
    entities += [(c.id, ("covered_organisations", i, "id"))
                 for i, c in enumerate(n.covered_organisations)]
    for qi, q in enumerate(n.qualifications):
        entities.append((q.id, ("qualifications", qi, "id")))
        entities += [(u.id, ("qualifications", qi, "units", ui, "id"))
                     for ui, u in enumerate(q.units)]
    for ident, path in entities:
        if ident in seen:
            yield _error("duplicate-id", path, f"id '{ident}' is used twice",
                         f"ids must be unique across partners, organisations, "
                         f"qualifications and units; the other one is at {_fmt(seen[ident])}")
        else:
            seen[ident] = path


def _fmt(path: Path) -> str:
    return format_path(path)


def _references(n: Network, shadow: set[str]) -> Iterator[Finding]:
    partners = {p.id: p for p in n.partners}
    known = set(partners) | shadow
    hint = "use the id of a partner listed under partners: " + _sample(partners)

    def unknown(ident: str | None, path: Path, what: str) -> Finding | None:
        if ident is None or ident in known:
            return None
        from difflib import get_close_matches
        close = get_close_matches(ident, sorted(known), n=1)
        tip = f"did you mean '{close[0]}'?" if close else hint
        return _error("unknown-partner", path, f"{what} '{ident}' is not a partner id", tip)

    if n.coordinator is not None:
        f = unknown(n.coordinator, ("coordinator",), "coordinator")
        if f:
            yield f
    elif n.partners and not any(Role.coordinator in p.roles for p in n.partners):
        yield _warning("no-coordinator", ("coordinator",), "no coordinator is named",
                       "add `coordinator: <partner id>` to network.yaml")
    if n.coordinator in partners and Role.coordinator not in partners[n.coordinator].roles:
        yield _warning("coordinator-role", ("coordinator",),
                       f"coordinator '{n.coordinator}' does not hold the coordinator role",
                       f"add `coordinator` to the roles of partner '{n.coordinator}'")
    if n.review:
        for i, ident in enumerate(n.review.reviewers):
            f = unknown(ident, ("review", "reviewers", i), "reviewer")
            if f:
                yield f
    for i, c in enumerate(n.covered_organisations):
        f = unknown(c.covered_by, ("covered_organisations", i, "covered_by"), "covered_by")
        if f:
            yield f
    for qi, q in enumerate(n.qualifications):
        path = ("qualifications", qi, "awarding_institution")
        f = unknown(q.awarding_institution, path, "awarding institution")
        if f:
            yield f
        awarder = partners.get(q.awarding_institution)
        if awarder and Role.competent_institution not in awarder.roles:
            yield _error(
                "awarder-not-competent", path,
                f"'{q.awarding_institution}' awards this qualification but does not hold "
                "the competent_institution role",
                f"add competent_institution to the roles of '{q.awarding_institution}' or "
                "name the partner that awards the qualification")
        for ui, u in enumerate(q.units):
            base = ("qualifications", qi, "units", ui)
            for hi, host in enumerate(u.hosts):
                f = unknown(host, (*base, "hosts", hi), "host")
                if f:
                    yield f
            for ai, assessor in enumerate(u.assessment.assessed_by):
                f = unknown(assessor, (*base, "assessment", "assessed_by", ai), "assessor")
                if f:
                    yield f


def _sample(partners: dict) -> str:
    ids = list(partners)[:5]
    return ", ".join(ids) + (", ..." if len(partners) > 5 else "") if ids else "(none yet)"


def _countries(n: Network) -> Iterator[Finding]:
    from mouctl.model.countries import EU_FORM
    found = {p.country for p in n.partners}
    normalised = {EU_FORM.get(c, c) for c in found}
    if n.partners and len(normalised) < 2:
        yield _warning("one-country", ("partners",),
                       "all partners are in one country; an ECVET MoU spans at least two",
                       "add the partners abroad, or check the country codes")
    lists = [("partners", n.partners), ("covered_organisations", n.covered_organisations),
             ("qualifications", n.qualifications)]
    for kind, items in lists:
        for i, item in enumerate(items):
            if item.country in EU_FORM:
                eu = EU_FORM[item.country]
                yield _warning("country-eu-form", (kind, i, "country"),
                               f"'{item.country}' is not an ISO code used by the EU; "
                               f"did you mean '{eu}'?",
                               f"EU documents write '{eu}'; both are accepted")


def _levels_and_points(n: Network) -> Iterator[Finding]:
    for qi, q in enumerate(n.qualifications):
        base = ("qualifications", qi)
        yield from _eqf(q.eqf_level, (*base, "eqf_level"))
        unit_points = 0.0
        counted = False
        for ui, u in enumerate(q.units):
            upath = (*base, "units", ui)
            yield from _eqf(u.eqf_level, (*upath, "eqf_level"))
            if u.eqf_level and q.eqf_level and u.eqf_level > q.eqf_level:
                yield _error("unit-eqf-above", (*upath, "eqf_level"),
                             f"unit EQF level {u.eqf_level} is above its qualification's "
                             f"level {q.eqf_level}",
                             "a unit cannot sit above the qualification it belongs to")
            if u.ecvet_points is not None:
                unit_points += u.ecvet_points
                counted = True
        if q.ecvet_points is not None and counted:
            if unit_points > q.ecvet_points:
                yield _error("unit-points-exceed", (*base, "ecvet_points"),
                             f"the units carry {_num(unit_points)} ECVET points, more than "
                             f"the qualification's {_num(q.ecvet_points)}",
                             "points go to the qualification first, then to its units: "
                             "lower the units' points or raise the total")
            elif unit_points < q.ecvet_points:
                yield _warning("unit-points-differ", (*base, "ecvet_points"),
                               f"the units carry {_num(unit_points)} of the qualification's "
                               f"{_num(q.ecvet_points)} ECVET points",
                               "fine when only some units are relevant for mobility")
    if n.mobility_duration:
        lo, hi = n.mobility_duration.min_weeks, n.mobility_duration.max_weeks
        if lo is not None and hi is not None and lo > hi:
            yield _error("mobility-duration", ("mobility_duration", "min_weeks"),
                         f"minimum duration {_num(lo)} weeks is longer than the maximum "
                         f"{_num(hi)}", "swap the two values")


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _eqf(level: int | None, path: Path) -> Iterator[Finding]:
    if level is None:
        return
    if not EQF_LEVELS[0] <= level <= EQF_LEVELS[1]:
        yield _error("eqf-range", path, f"EQF level {level} does not exist",
                     "the European Qualifications Framework has levels 1 to 8")
    elif level >= 6:
        yield _warning("eqf-high", path, f"EQF level {level} is unusual for a VET MoU",
                       "VET qualifications usually sit at EQF 3-5; check the level")


def _identifiers(n: Network) -> Iterator[Finding]:
    first: dict[tuple[str, str], int] = {}
    for i, p in enumerate(n.partners):
        for name, value, pattern, form in (("oid", p.oid, _OID, "'E' and 8 digits"),
                                           ("pic", p.pic, _PIC, "9 digits")):
            if value is None:
                continue
            path = ("partners", i, name)
            if not pattern.match(value):
                yield _error(f"bad-{name}", path,
                             f"'{value}' is not a valid {name.upper()} ({form})",
                             f"copy the {name.upper()} from the Erasmus+ organisation "
                             "registration, or leave the field out")
            elif (name, value) in first:
                other = n.partners[first[(name, value)]].id
                yield _error(f"duplicate-{name}", path,
                             f"{name.upper()} {value} is also given for partner '{other}'",
                             "each organisation has its own; check which one is right")
            else:
                first[(name, value)] = i


def _signatories(n: Network) -> Iterator[Finding]:
    for i, p in enumerate(n.partners):
        if p.signatory is None:
            yield _error("no-signatory", ("partners", i),
                         f"partner '{p.id}' signs the MoU but has no signatory",
                         "add `signatory: {name: ..., position: ...}`, or list the "
                         "organisation under covered_organisations if it does not sign")


def _validity(n: Network, today: dt.date) -> Iterator[Finding]:
    start, end = n.valid_from, n.valid_until
    if start and end and end <= start:
        yield _error("validity-order", ("valid_until",),
                     f"valid_until {end} is not after valid_from {start}",
                     "the MoU must end after it starts")
    if end:
        if end < today:
            yield _warning("validity-expired", ("valid_until",),
                           f"the MoU expired on {end}",
                           "extend valid_until and have the partners re-sign")
        elif (end - today).days <= EXPIRY_WARNING_DAYS:
            yield _warning("validity-ending", ("valid_until",),
                           f"the MoU ends on {end}, within {EXPIRY_WARNING_DAYS} days",
                           "plan the renewal with the partners now")
    if n.review and n.review.by and end and n.review.by > end:
        yield _error("review-after-end", ("review", "by"),
                     f"the review date {n.review.by} is after the MoU ends ({end})",
                     "review the partnership before valid_until")


def _units(n: Network) -> Iterator[Finding]:
    for qi, q in enumerate(n.qualifications):
        for ui, u in enumerate(q.units):
            path = ("qualifications", qi, "units", ui)
            lo = u.learning_outcomes
            if not (lo.knowledge or lo.skills or lo.competence):
                yield _error("no-learning-outcomes", path,
                             f"unit '{u.id}' has no learning outcomes",
                             "add learning_outcomes with knowledge, skills and competence "
                             "('The learner is able to ...')")
            else:
                missing = [k for k in ("knowledge", "skills", "competence")
                           if not getattr(lo, k)]
                if missing:
                    yield _warning("learning-outcomes-incomplete",
                                   (*path, "learning_outcomes"),
                                   f"unit '{u.id}' has no {' or '.join(missing)} outcomes",
                                   "units usually describe knowledge, skills and competence")
            if not (u.assessment.methods or u.assessment.criteria):
                yield _error("no-assessment", path,
                             f"unit '{u.id}' has no assessment method or criterion",
                             "add assessment: {methods: [...], criteria: [...]}")


# Names print as they are legally written: never translated, never warned about.
_NAMES = {("partners", "name"), ("covered_organisations", "name"), ("qualifications", "title")}


def _translations(n: Network) -> Iterator[Finding]:
    langs = n.languages
    for path, value in _prose(n, ()):
        if tuple(p for p in path if isinstance(p, str)) in _NAMES:
            continue
        if isinstance(value, str):
            if len(langs) > 1:
                example = ", ".join(f"{lang}: ..." for lang in langs)
                yield _warning("missing-translation", path,
                               f"one text for an MoU in {', '.join(langs)}: the other "
                               "languages would show it untranslated",
                               f"give it per language: {{{example}}}")
            continue
        missing = [lang for lang in langs if lang not in value]
        if missing:
            yield _warning("missing-translation", path,
                           f"no {', '.join(missing)} text (the MoU's languages are "
                           f"{', '.join(langs)})",
                           "add the translation, or the first language is shown instead")


def _catalogues(n: Network, catalogues: set[str] | None) -> Iterator[Finding]:
    if catalogues is None:
        return
    for i, lang in enumerate(n.languages):
        if lang not in catalogues:
            yield _warning("no-catalogue", ("languages", i),
                           f"the templates have no fixed text in '{lang}': the MoU's "
                           "headings and clauses would print in another language",
                           f"add templates/i18n/{lang}.yaml to the network (a translated "
                           f"copy of the default en.yaml), or use one of "
                           f"{', '.join(sorted(catalogues))}")


def _prose(model: BaseModel, path: Path) -> Iterator[tuple[Path, Text]]:
    """Every text field of the network (Text or list[Text]) with its path, in order."""
    for key, info in type(model).model_fields.items():
        value = getattr(model, key)
        if value is None:
            continue
        kind = _text_kind(info.annotation)
        if kind == "text":
            yield (*path, key), value
        elif kind == "texts":
            for i, item in enumerate(value):
                yield (*path, key, i), item
        elif isinstance(value, BaseModel):
            yield from _prose(value, (*path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _prose(item, (*path, key, i))


@functools.cache
def _text_kind(annotation) -> str | None:
    """'text' for a Text field (`str | dict[code, str]`), 'texts' for a list of them."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _text_kind(typing.get_args(annotation)[0])
    args = typing.get_args(annotation)
    if str in args and any(typing.get_origin(a) is dict for a in args):
        return "text"
    if typing.get_origin(annotation) is list and args:
        return "texts" if _text_kind(args[0]) == "text" else None
    kinds = {_text_kind(a) for a in args if a is not type(None)}  # Text | None
    return "text" if kinds == {"text"} else None

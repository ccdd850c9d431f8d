"""Domain rules beyond types: references, levels, points, identifiers, validity.

Pure: takes a Network, returns Findings located by path. The rules come from the
domain primer's "Rules a validator can enforce"; each has a stable code so that
CI and editors can filter on it (`mouctl validate --format json`).
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
import typing
from collections.abc import Iterator

from pydantic import BaseModel

from mouctl.model.network import EQF_LEVELS, OID_PATTERN, PIC_PATTERN, Annex, Network, Text, Unit
from mouctl.source import references
from mouctl.source.diagnostics import Finding, Path, format_path

_OID = re.compile(OID_PATTERN)
_PIC = re.compile(PIC_PATTERN)
EXPIRY_WARNING_DAYS = 90

# What a signed MoU needs but a draft may lack: warnings while drafting (`render`
# prints the draft), errors for `release` and `validate --for-release`.
RELEASE_CODES = frozenset({"no-signatory", "no-learning-outcomes", "no-assessment",
                           "no-awarding-institution"})
BEFORE_RELEASE = "needed before release"


def run(
    network: Network, *, today: dt.date, known_ids: set[str] | None = None,
    annex_problem=None, warnings: bool = True, catalogues: set[str] | None = None,
) -> list[Finding]:
    """Every domain finding for `network`.

    `known_ids` are ids of entities that exist in the files but failed type
    validation: references to them are not reported as unknown a second time.
    `annex_problem(path)` says what is wrong with an annex file of the network
    (None when it is fine); without it, annex files are not looked at.
    `warnings=False` skips the rules that only ever warn (the history engine asks
    only whether a version has errors). `catalogues` are the languages the templates
    have fixed text in (None: unknown).
    """
    shadow = known_ids or set()
    return [
        *_ids(network),
        *references.check(network, shadow),
        *_countries(network),  # not warnings only: a qualification needs a country
        *_levels_and_points(network),
        *_catalogue(network),
        *_identifiers(network),
        *_signatories(network),
        *_validity(network, today),
        *_units(network),
        *_annexes(network, annex_problem),
        *(_translations(network) if warnings else ()),
        *(_catalogues(network, catalogues) if warnings else ()),
    ]


def is_release_requirement(code: str) -> bool:
    """True for a warning that a draft may carry but a release may not."""
    return code in RELEASE_CODES


def release_gaps(network: Network) -> list[Finding]:
    """What the network still lacks before it can be released (empty when ready)."""
    found = [*_signatories(network), *_units(network)]
    return [f for f in found if f.code in RELEASE_CODES]


def _error(code: str, path: Path, message: str, hint: str | None = None) -> Finding:
    return Finding("error", code, path, message, hint)


def _warning(code: str, path: Path, message: str, hint: str | None = None) -> Finding:
    return Finding("warning", code, path, message, hint)


def _ids(n: Network) -> Iterator[Finding]:
    seen: dict[str, Path] = {}
    entities: list[tuple[str, Path]] = []
    entities += [(p.id, ("partners", i, "id")) for i, p in enumerate(n.partners)]
    entities += [(o.id, ("organisations", i, "id")) for i, o in enumerate(n.organisations)]
    entities += [(c.id, ("covered_organisations", i, "id"))
                 for i, c in enumerate(n.covered_organisations)]
    for qi, q in enumerate(n.qualifications):
        entities.append((q.id, ("qualifications", qi, "id")))
        entities += [(u.id, ("qualifications", qi, "units", ui, "id"))
                     for ui, u in enumerate(q.units)]
    for ident, path in entities:
        if ident in seen:
            yield _error("duplicate-id", path, f"id '{ident}' is used twice",
                         f"ids must be unique across partners, organisations, covered "
                         f"organisations, "
                         f"qualifications and units; the other one is at {_fmt(seen[ident])}")
        else:
            seen[ident] = path


def _fmt(path: Path) -> str:
    return format_path(path)


def _countries(n: Network) -> Iterator[Finding]:
    from mouctl.model.countries import EU_FORM
    found = {p.country for p in n.partners}
    normalised = {EU_FORM.get(c, c) for c in found}
    if n.partners and len(normalised) < 2:
        yield _warning("one-country", ("partners",),
                       "all partners are in one country; an ECVET MoU spans at least two",
                       "add the partners abroad, or check the country codes")
    found_countries: list[tuple[Path, str | None]] = []
    for kind in ("partners", "organisations", "covered_organisations", "qualifications"):
        found_countries += [((kind, i, "country"), item.country)
                            for i, item in enumerate(getattr(n, kind))]
    for qi, q in enumerate(n.qualifications):
        found_countries += [(("qualifications", qi, "variants", vi, "country"), v.country)
                            for vi, v in enumerate(q.variants)]
        if q.country is None and not q.variants:
            yield _error("no-country", ("qualifications", qi),
                         f"qualification '{q.id}' names no country",
                         "add `country: XX`, or `variants:` with the country of each "
                         "national form of a shared qualification")
        seen: set[str] = set()
        for vi, v in enumerate(q.variants):
            if v.country in seen:
                yield _error("duplicate-variant", ("qualifications", qi, "variants", vi,
                                                   "country"),
                             f"qualification '{q.id}' has two variants for {v.country}",
                             "merge them into one variant per country")
            seen.add(v.country)
    for path, country in found_countries:
        if country in EU_FORM:
            eu = EU_FORM[country]
            yield _warning("country-eu-form", path,
                           f"'{country}' is not an ISO code used by the EU; "
                           f"did you mean '{eu}'?",
                           f"EU documents write '{eu}'; both are accepted")


def _levels_and_points(n: Network) -> Iterator[Finding]:
    for qi, q in enumerate(n.qualifications):
        base = ("qualifications", qi)
        yield from _eqf(q.eqf_level, (*base, "eqf_level"))
        for vi, v in enumerate(q.variants):
            yield from _eqf(v.eqf_level, (*base, "variants", vi, "eqf_level"))
        # A shared qualification sits at different levels in different countries: a
        # unit may reach the highest of them.
        levels = [lv for lv in (q.eqf_level, *(v.eqf_level for v in q.variants)) if lv]
        top = max(levels, default=None)
        unit_points = 0.0
        counted = False
        for ui, u in enumerate(q.units):
            upath = (*base, "units", ui)
            yield from _eqf(u.eqf_level, (*upath, "eqf_level"))
            if u.eqf_level and top and u.eqf_level > top:
                yield _error("unit-eqf-above", (*upath, "eqf_level"),
                             f"unit EQF level {u.eqf_level} is above its qualification's "
                             f"level {top}",
                             "a unit cannot sit above the qualification it belongs to")
            yield from _parts(u, upath)
            if u.ecvet_points is not None:
                unit_points += u.ecvet_points
                counted = True
        if q.units_listed is not None:
            continue  # compared in _catalogue, by what the list holds
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
                               "when only the units for mobility are listed, say so with "
                               "`units_listed: mobility_only`")
    if n.mobility_duration:
        lo, hi = n.mobility_duration.min_weeks, n.mobility_duration.max_weeks
        if lo is not None and hi is not None and lo > hi:
            yield _error("mobility-duration", ("mobility_duration", "min_weeks"),
                         f"minimum duration {_num(lo)} weeks is longer than the maximum "
                         f"{_num(hi)}", "swap the two values")


def _parts(u: Unit, path: Path) -> Iterator[Finding]:
    """A unit's parts cannot carry more points or hours than the unit itself."""
    for name in ("ecvet_points", "hours"):
        whole = getattr(u, name)
        given = [getattr(p, name) for p in u.parts if getattr(p, name) is not None]
        if whole is not None and given and sum(given) > whole:
            word = "points" if name == "ecvet_points" else "hours"
            yield _error("part-points-exceed", (*path, name),
                         f"the parts of unit '{u.id}' carry {_num(sum(given))} {word}, more "
                         f"than the unit's {_num(whole)}",
                         f"lower the parts' {word} or raise the unit's")


def _catalogue(n: Network) -> Iterator[Finding]:
    """Totals compared by what a qualification says its units list."""
    for qi, q in enumerate(n.qualifications):
        base = ("qualifications", qi)
        groups = {g.id: g for g in q.unit_groups}
        for gi, g in enumerate(q.unit_groups):
            members = [u for u in q.units if u.group == g.id]
            if g.choose_units is not None and g.choose_units > len(members):
                yield _error("group-choice", (*base, "unit_groups", gi, "choose_units"),
                             f"group '{g.id}' asks for {g.choose_units} units but lists "
                             f"{len(members)}", "list the group's units or lower the number")
        for ui, u in enumerate(q.units):
            group = groups.get(u.group) if u.group else None
            if group is not None and u.compulsory is not None \
                    and u.compulsory != group.compulsory:
                yield _error("compulsory-contradicts-group", (*base, "units", ui, "compulsory"),
                             f"unit '{u.id}' is {_kind(u.compulsory)} in "
                             f"{_kind(group.compulsory)} group '{group.id}'",
                             "leave `compulsory` out: a unit in a group follows the group")
        if q.units_listed is None or q.ecvet_points is None:
            continue
        points = [(u, u.ecvet_points) for u in q.units if u.ecvet_points is not None]
        if not points:
            continue
        total, path = q.ecvet_points, (*base, "ecvet_points")
        if q.units_listed == "mobility_only":
            listed = sum(p for _, p in points)
            if listed > total:
                yield _error("unit-points-exceed", path,
                             f"the units for mobility carry {_num(listed)} points, more than "
                             f"the qualification's {_num(total)}",
                             "lower the units' points or raise the total")
            continue
        required = sum(p for u, p in points if _compulsory(u, groups))
        required += sum(g.choose_points or 0 for g in q.unit_groups if not g.compulsory)
        optional = [u for u in q.units if not _compulsory(u, groups)]
        if required > total:
            yield _error("unit-points-exceed", path,
                         f"the compulsory units and the points chosen in groups come to "
                         f"{_num(required)}, more than the qualification's {_num(total)}",
                         "lower the units' points or raise the total")
        elif not optional and required < total:
            yield _warning("unit-points-differ", path,
                           f"the full catalogue's units carry {_num(required)} of the "
                           f"qualification's {_num(total)} points",
                           "add the missing units, or say `units_listed: mobility_only`")


def _compulsory(u: Unit, groups: dict) -> bool:
    group = groups.get(u.group) if u.group else None
    if group is not None:
        return group.compulsory
    return u.compulsory is not False  # not stated: counted as compulsory


def _kind(compulsory: bool) -> str:
    return "compulsory" if compulsory else "optional"


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
        if p.signatory is None or not p.signatory.name:
            where = ("partners", i) if p.signatory is None else ("partners", i, "signatory")
            yield _warning("no-signatory", where,
                           f"partner '{p.id}' signs the MoU but names no signatory yet; "
                           f"{BEFORE_RELEASE}",
                           "add `signatory: {name: ..., position: ...}`, or list the "
                           "organisation under organisations if it does not sign")
    hint = ("add `awarding_institution: <id of a competent institution or authority>` "
            "(to the qualification, or to each of its variants)")
    for qi, q in enumerate(n.qualifications):
        if q.awarding_institution is not None:
            continue
        if not q.variants:
            yield _warning("no-awarding-institution", ("qualifications", qi),
                           f"qualification '{q.id}' names no awarding institution yet; "
                           f"{BEFORE_RELEASE}", hint)
        for vi, v in enumerate(q.variants):
            if v.awarding_institution is None:
                yield _warning("no-awarding-institution", ("qualifications", qi, "variants", vi),
                               f"qualification '{q.id}' names no awarding institution in "
                               f"{v.country} yet; {BEFORE_RELEASE}", hint)


def _validity(n: Network, today: dt.date) -> Iterator[Finding]:
    from mouctl.model import lifecycle

    start, end = n.valid_from, lifecycle.end_of_validity(n)
    # Where the end comes from: the project's end when the MoU ends with the project.
    at = ("project", "end") if end and end != n.valid_until else ("valid_until",)
    if n.valid_until_project_end and not (n.project and n.project.end):
        yield _error("validity-project-end", ("valid_until_project_end",),
                     "the MoU is valid until the end of the project, but the project has "
                     "no end date", "add `project: {end: YYYY-MM-DD}`")
    if n.project and n.project.start and n.project.end and n.project.end < n.project.start:
        yield _error("project-dates-order", ("project", "end"),
                     f"the project ends ({n.project.end}) before it starts "
                     f"({n.project.start})", "correct project.start or project.end")
    if start and end and end <= start:
        yield _error("validity-order", at,
                     f"{'valid_until' if at == ('valid_until',) else 'the project end'} "
                     f"{end} is not after valid_from {start}",
                     "the MoU must end after it starts")
    if end:
        if end < today:
            yield _warning("validity-expired", at,
                           f"the MoU expired on {end}",
                           "extend valid_until and have the partners re-sign")
        elif (end - today).days <= EXPIRY_WARNING_DAYS:
            yield _warning("validity-ending", at,
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
            in_annex = u.learning_outcomes_annex or q.learning_outcomes_annex
            if not (lo.knowledge or lo.skills or lo.competence):
                if in_annex is None:
                    yield _warning("no-learning-outcomes", path,
                                   f"unit '{u.id}' has no learning outcomes yet; "
                                   f"{BEFORE_RELEASE}",
                                   "add learning_outcomes with knowledge, skills and "
                                   "competence ('The learner is able to ...'), or "
                                   "learning_outcomes_annex: {file: ...} or {url: ...}")
            else:
                missing = [k for k in ("knowledge", "skills", "competence")
                           if not getattr(lo, k)]
                if missing:
                    yield _warning("learning-outcomes-incomplete",
                                   (*path, "learning_outcomes"),
                                   f"unit '{u.id}' has no {' or '.join(missing)} outcomes",
                                   "units usually describe knowledge, skills and competence")
            assessment = n.unit_assessment(u)
            if not (assessment.methods or assessment.criteria):
                yield _warning("no-assessment", path,
                               f"unit '{u.id}' has no assessment method or criterion yet; "
                               f"{BEFORE_RELEASE}",
                               "add assessment: {methods: [...], criteria: [...]} to the "
                               "unit, or once for every unit at the top of network.yaml")


def annexes(n: Network) -> Iterator[tuple[Path, Annex]]:
    """Every annex reference of the network with its path in the data."""
    for qi, q in enumerate(n.qualifications):
        if q.learning_outcomes_annex:
            yield ("qualifications", qi, "learning_outcomes_annex"), q.learning_outcomes_annex
        for ui, u in enumerate(q.units):
            if u.learning_outcomes_annex:
                yield (("qualifications", qi, "units", ui, "learning_outcomes_annex"),
                       u.learning_outcomes_annex)


ANNEX_SUFFIXES = (".md", ".pdf")


def _annexes(n: Network, annex_problem) -> Iterator[Finding]:
    for path, annex in annexes(n):
        if (annex.file is None) == (annex.url is None):
            yield _error("annex-source", path, "an annex needs either `file` or `url`, not "
                         + ("neither" if annex.file is None else "both"),
                         "give the file in the network folder, or the web address")
            continue
        if annex.url is not None:
            if not annex.url.startswith(("https://", "http://")):
                yield _error("annex-url", (*path, "url"),
                             f"'{annex.url}' is not a web address",
                             "write the full address, starting with https://")
            continue
        if not annex.file.lower().endswith(ANNEX_SUFFIXES):
            yield _error("annex-file", (*path, "file"),
                         f"'{annex.file}' is neither a Markdown (.md) nor a PDF (.pdf) file",
                         "convert the annex to Markdown or PDF")
            continue
        problem = annex_problem(annex.file) if annex_problem else None
        if problem:
            yield _error("annex-file", (*path, "file"), problem,
                         "put the annex file inside the network folder and give its path "
                         "relative to network.yaml")


# Names print as they are legally written: never translated, never warned about.
_NAMES = {("partners", "name"), ("covered_organisations", "name"), ("organisations", "name"),
          ("qualifications", "title"), ("qualifications", "variants", "title")}


def _translations(n: Network) -> Iterator[Finding]:
    langs = n.languages
    found: list[Finding] = []
    if langs:  # without languages no text can miss one
        _untranslated(n, (), (), _Languages(langs), found)
    return iter(found)


class _Languages:
    """The MoU's languages and the two warnings about them, worded once per network."""

    def __init__(self, langs: list[str]) -> None:
        self.langs = langs
        self.wanted = frozenset(langs)
        self.several = len(langs) > 1
        example = ", ".join(f"{lang}: ..." for lang in langs)
        self.one_text = (f"one text for an MoU in {', '.join(langs)}: the other languages "
                         "would show it untranslated", f"give it per language: {{{example}}}")

    def check(self, value: Text, path: Path, found: list[Finding]) -> None:
        if isinstance(value, str):
            if self.several:
                found.append(_warning("missing-translation", path, *self.one_text))
        elif not value.keys() >= self.wanted:
            missing = [lang for lang in self.langs if lang not in value]
            found.append(_warning("missing-translation", path,
                                  f"no {', '.join(missing)} text (the MoU's languages are "
                                  f"{', '.join(self.langs)})",
                                  "add the translation, or the first language is shown "
                                  "instead"))


def _untranslated(model: BaseModel, path: Path, names: tuple[str, ...], langs: _Languages,
                  found: list[Finding]) -> None:
    """Every text field below `model` (as `_prose` walks them, in the same order) checked
    for its translations; paths are only built for a finding (L: 54 ms -> 10 ms)."""
    for key, kind in _prose_plan(type(model), names):
        value = getattr(model, key)
        if value is None:
            continue
        if kind == "text":
            if langs.several if isinstance(value, str) else not value.keys() >= langs.wanted:
                langs.check(value, (*path, key), found)
        elif kind == "texts":
            for i, item in enumerate(value):
                if langs.several if isinstance(item, str) else not item.keys() >= langs.wanted:
                    langs.check(item, (*path, key, i), found)
        elif isinstance(value, BaseModel):
            _untranslated(value, (*path, key), (*names, key), langs, found)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    _untranslated(item, (*path, key, i), (*names, key), langs, found)


@functools.cache
def _prose_plan(cls: type[BaseModel], names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The fields of `cls` (reached through the field names `names`) that `_untranslated`
    looks at: 'text', 'texts', or 'more' (may hold models); names and fields that can
    hold neither text nor a model are left out."""
    plan = []
    for key, info in cls.model_fields.items():
        kind = _text_kind(info.annotation)
        if kind is not None and (*names, key) in _NAMES:
            continue
        if kind is None:
            if not _may_hold_model(info.annotation):
                continue
            kind = "more"
        plan.append((key, kind))
    return tuple(plan)


# Types whose values are never a model: fields of these are skipped without a look.
_LEAVES = (str, int, float, bool, dt.date, dt.datetime, type(None), enum.Enum)


def _may_hold_model(annotation) -> bool:
    """False only when no value of `annotation` can be (or list) a pydantic model."""
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return False
    if origin is typing.Annotated:
        return _may_hold_model(typing.get_args(annotation)[0])
    if origin is not None:
        args = typing.get_args(annotation)
        return not args or any(_may_hold_model(a) for a in args)
    if isinstance(annotation, type):
        return issubclass(annotation, BaseModel) or not issubclass(annotation, _LEAVES)
    return True  # Any, a type variable, a forward reference: look at the value


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

"""The network description in the domain's words.

Field names follow the official ECVET MoU template (see `shared/domain.md`); every
field's description feeds the JSON Schema (`mouctl schema`) and the data-format
reference in the README. Types only: rules that relate one field to another live
in `checks.py`, so that they can be warnings as well as errors.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from enum import Enum, StrEnum
from typing import Annotated, Literal, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from mouctl.model import countries, lifecycle
from mouctl.model.languages import PATTERN as LANGUAGE_PATTERN


class _AddedLater:
    """Marks a field added after mouctl 0.1: left out of the data fingerprint while it
    holds its default, so a network that does not use it keeps its fingerprint."""

    def __repr__(self) -> str:
        return "ADDED_LATER"


ADDED_LATER = _AddedLater()

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=64),
    Field(
        description="A short identifier: ASCII letters, digits, '.', '_' or '-', "
        "starting with a letter or digit (e.g. `mech-fi`)."
    ),
]
LanguageCode = Annotated[
    str,
    StringConstraints(pattern=LANGUAGE_PATTERN),
    Field(description="An ISO 639-1 language code in lower case, e.g. `en`, `de`, `fr`."),
]
Text = Annotated[
    str | dict[LanguageCode, str],
    Field(
        description="A text, either one string or one string per language "
        "(`{en: ..., de: ...}`)."
    ),
]


def _check_country(value: str) -> str:
    if value in countries.ACCEPTED:
        return value
    guess = countries.suggest(value)
    hint = f"; did you mean '{guess}'?" if guess else ""
    raise PydanticCustomError(
        "country_code",
        "'{value}' is not a two-letter country code (ISO 3166-1, with EL and UK as the EU "
        "writes them){hint}",
        {"value": value, "hint": hint},
    )


Country = Annotated[
    str,
    AfterValidator(_check_country),
    Field(
        description="Country as ISO 3166-1 alpha-2 code; the EU forms `EL` (Greece) and "
        "`UK` (United Kingdom) are accepted too.",
        examples=["DE", "FI", "EL"],
        # What the check above accepts, so that an editor flags `Italy` as validate does.
        json_schema_extra={"enum": sorted(countries.ACCEPTED)},
    ),
]


def _not_bool(value: object) -> object:
    # pydantic reads `true` as 1 in a number field; in network data it is a slip.
    if isinstance(value, bool):
        raise PydanticCustomError("bool_not_number", "expected a number, got a yes/no value")
    return value


Points = Annotated[int | float, BeforeValidator(_not_bool), Field(ge=0, allow_inf_nan=False)]

# Domain ranges and forms that source/checks.py enforces with its own messages; the
# types carry them into the JSON Schema (json_schema_extra), so every field of these
# types is as strict in an editor as in `mouctl validate`.
EQF_LEVELS = (1, 8)
OID_PATTERN = r"^E\d{8}$"
PIC_PATTERN = r"^\d{9}$"

Level = Annotated[int, BeforeValidator(_not_bool),
                  Field(json_schema_extra={"minimum": EQF_LEVELS[0], "maximum": EQF_LEVELS[1]})]
Oid = Annotated[str, Field(json_schema_extra={"pattern": OID_PATTERN})]
Pic = Annotated[str, Field(json_schema_extra={"pattern": PIC_PATTERN})]


def _number_to_text(value: object) -> object:
    # NQF levels are national labels ("4", "IV", "4a"); YAML reads a bare 4 as a number.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


class Role(StrEnum):
    """What an organisation does in the network (an organisation can hold several)."""

    competent_institution = "competent_institution"
    sending = "sending"
    receiving = "receiving"
    intermediary = "intermediary"
    coordinator = "coordinator"
    competent_authority = "competent_authority"
    national_authority = "national_authority"
    stakeholder = "stakeholder"
    company = "company"
    steering_group = "steering_group"


# Roles that may award a qualification, and roles of organisations that receive learners.
AWARDING_ROLES = frozenset({Role.competent_institution, Role.competent_authority})
HOSTING_ROLES = frozenset({Role.receiving, Role.company})
ROLE_LIST = ", ".join(r.value for r in Role)


class MouKind(StrEnum):
    """What kind of agreement the MoU is: it decides the standard clauses and the
    signing formula."""

    standard = "standard"
    declaratory = "declaratory"


class Record(BaseModel):
    """Base of every model: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=False)


class Person(Record):
    """A named person: a contact or the signatory of an organisation."""

    name: str | None = Field(
        None, description="Full name, e.g. `Dr. Anna Berger`; a draft may leave it out "
        "(needed before release for a signatory).")
    position: str | None = Field(None, description="Position or title, e.g. `Head of School`.")
    email: str | None = Field(None, description="E-mail address.")
    phone: str | None = Field(None, description="Phone number; quote it in YAML (`'+49 ...'`).")


class Partner(Record):
    """An organisation that signs the MoU (section 2 of the template)."""

    id: Id
    name: Text = Field(description="Legal name of the organisation.")
    short_name: str | None = Field(None, description="Short name or acronym used in tables.")
    country: Country
    city: str | None = Field(None, description="City or town.")
    address: str | None = Field(None, description="Postal address (street, postcode, city).")
    phone: str | None = Field(None, description="Switchboard phone number.")
    email: str | None = Field(None, description="General e-mail address.")
    website: str | None = Field(None, description="Web site address.")
    oid: Oid | None = Field(
        None, description="Erasmus+ organisation ID: `E` and 8 digits, e.g. `E10293762`."
    )
    pic: Pic | None = Field(None, description="Participant Identification Code: 9 digits.")
    roles: list[Role] = Field(
        min_length=1,
        description=f"Roles in the network: any of {ROLE_LIST}.",
    )
    role: Annotated[Text | None, ADDED_LATER] = Field(
        None, description="The organisation's role in your own words, printed with its "
        "roles (e.g. `Competent authority for the Tampere region`).")
    contact: Person | None = Field(None, description="Contact person for the MoU.")
    signatory: Person | None = Field(
        None, description="Person who signs the MoU for this organisation (name, position)."
    )


class CoveredOrganisation(Record):
    """An organisation that works under the MoU without signing it (section 3)."""

    id: Id
    name: Text = Field(description="Legal name of the organisation.")
    country: Country
    city: str | None = Field(None, description="City or town.")
    address: str | None = Field(None, description="Postal address.")
    website: str | None = Field(None, description="Web site address.")
    covered_by: Id | None = Field(
        None, description="Id of the signing partner under whose signature it works."
    )
    description: Text | None = Field(
        None, description="What the organisation does in the network (e.g. host company)."
    )
    roles: Annotated[list[Role], ADDED_LATER] = Field(
        default_factory=list,
        description="Roles in the network, e.g. `[company, receiving]` for a host company "
        "(it may then host units).")


class Organisation(Record):
    """An organisation that takes part in the network without signing the MoU: a
    municipality that coordinates, a national authority, a sector body, a company,
    a steering group."""

    id: Id
    name: Text = Field(description="Legal name of the organisation.")
    country: Country
    city: str | None = Field(None, description="City or town.")
    address: str | None = Field(None, description="Postal address.")
    website: str | None = Field(None, description="Web site address.")
    roles: list[Role] = Field(
        min_length=1, description=f"Roles in the network: any of {ROLE_LIST}.")
    role: Text | None = Field(
        None, description="Its role in your own words, printed with its roles.")
    contact: Person | None = Field(None, description="Contact person.")


class LearningOutcomes(Record):
    """What a learner knows, can do and takes responsibility for after the unit."""

    knowledge: list[Text] = Field(
        default_factory=list, description="Knowledge: 'The learner is able to explain ...'."
    )
    skills: list[Text] = Field(
        default_factory=list, description="Skills: 'The learner is able to prepare ...'."
    )
    competence: list[Text] = Field(
        default_factory=list,
        description="Competence (responsibility and autonomy): 'The learner is able to ...'.",
    )


class Assessment(Record):
    """How a unit's learning outcomes are assessed and by whom."""

    methods: list[Text] = Field(
        default_factory=list, description="Assessment methods (observation, oral test ...)."
    )
    criteria: list[Text] = Field(default_factory=list, description="Assessment criteria.")
    assessed_by: list[Id] = Field(
        default_factory=list, description="Ids of the organisations that assess the unit."
    )


class Annex(Record):
    """Where a text agreed in the MoU is kept outside network.yaml: a file of the network
    (Markdown, printed in the annexes; PDF, appended to the PDF) or a web address."""

    file: str | None = Field(
        None, description="Path of a `.md` or `.pdf` file inside the network folder, e.g. "
        "`annexes/units.md`.")
    url: str | None = Field(None, description="Web address of the published text.")
    title: Text | None = Field(None, description="Title of the annex as printed.")


class UnitPart(Record):
    """A part of a unit (e.g. 4 parts of 40 hours each); a mobility may cover some."""

    code: str | None = Field(None, description="The part's own code, e.g. `A.1`.")
    title: Text = Field(description="Title of the part.")
    ecvet_points: Points | None = Field(None, description="Points of the part.")
    hours: Points | None = Field(None, description="Workload in hours.")


class UnitGroup(Record):
    """A group of units of a qualification: compulsory, or optional with a choice."""

    id: Id
    title: Text = Field(description="Title of the group, e.g. `Optional units`.")
    compulsory: bool = Field(
        False, description="Every unit of the group is compulsory (default: optional).")
    choose_units: int | None = Field(
        None, ge=0, description="How many units of the group a learner completes.")
    choose_points: Points | None = Field(
        None, description="How many points a learner completes in the group.")


class Unit(Record):
    """A unit of learning outcomes: a separately assessable part of a qualification."""

    id: Id
    code: Annotated[str | None, ADDED_LATER] = Field(
        None, description="The unit's own code as printed, e.g. `Unit A` (default: "
        "numbered by position).")
    title: Text = Field(description="Title of the unit.")
    ecvet_points: Points | None = Field(None, description="ECVET points of the unit.")
    hours: Points | None = Field(None, description="Workload in hours, where counted.")
    eqf_level: Level | None = Field(None, description="EQF level of the unit (1-8), if given.")
    validity: Text | None = Field(
        None, description="How long an achieved unit stays valid, e.g. `5 years`."
    )
    description: Text | None = Field(None, description="Short description of the unit.")
    learning_outcomes: LearningOutcomes = Field(
        default_factory=LearningOutcomes,
        description="Learning outcomes as knowledge, skills and competence.",
    )
    assessment: Assessment = Field(
        default_factory=Assessment, description="Assessment methods, criteria and assessors."
    )
    hosts: list[Id] = Field(
        default_factory=list, description="Ids of the organisations that may host this "
        "unit (receiving partners or covered host companies)."
    )
    also_part_of: Annotated[list[Id], ADDED_LATER] = Field(
        default_factory=list,
        description="Ids of other qualifications this unit belongs to (a unit common to "
        "the qualifications of several countries).")
    compulsory: Annotated[bool | None, ADDED_LATER] = Field(
        None, description="true for a compulsory unit, false for an optional one; leave "
        "out when not stated (a unit in a group follows the group).")
    group: Annotated[Id | None, ADDED_LATER] = Field(
        None, description="Id of the qualification's unit group it belongs to.")
    parts: Annotated[list[UnitPart], ADDED_LATER] = Field(
        default_factory=list, description="Parts of the unit (e.g. 4 x 40 hours).")
    learning_outcomes_annex: Annotated[Annex | None, ADDED_LATER] = Field(
        None, description="Where the unit's learning outcomes are kept instead of (or "
        "besides) `learning_outcomes`: an annex file or a web address.")


class UnitsListed(StrEnum):
    """Which units a qualification lists: totals are compared accordingly."""

    full_catalogue = "full_catalogue"
    mobility_only = "mobility_only"


class QualificationVariant(Record):
    """A qualification's national form in one country, when several countries share it."""

    country: Country
    title: Text | None = Field(None, description="Title in the national language.")
    awarding_institution: Id | None = Field(
        None, description="Id of the competent institution or authority that awards it "
        "in this country.")
    eqf_level: Level | None = Field(None, description="EQF level 1-8 in this country.")
    nqf_level: Annotated[
        str | None,
        BeforeValidator(_number_to_text),
        WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}),
    ] = Field(None, description="Level in this country's qualifications framework.")
    ecvet_points: Points | None = Field(None, description="Total points in this country.")
    points_name: Text | None = Field(
        None, description="National name of the points, e.g. `{en: competence points}`.")
    register_url: str | None = Field(
        None, description="Link to the qualification in this country's register.")


class Qualification(Record):
    """A qualification covered by the MoU (section 4)."""

    id: Id
    title: Text = Field(description="Title of the qualification.")
    country: Country | None = Field(
        None, description="Country that awards it; leave out when `variants` name the "
        "countries of a shared qualification.")
    awarding_institution: Id | None = Field(
        None, description="Id of the competent institution or authority (signing or not) "
        "that awards it; a draft may leave it out (needed before release).")
    eqf_level: Level | None = Field(None, description="EQF level 1-8, if appropriate.")
    nqf_level: Annotated[
        str | None,
        BeforeValidator(_number_to_text),
        WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}),
    ] = Field(
        None, description="Level in the national qualifications framework (free text)."
    )
    ecvet_points: Points | None = Field(None, description="Total ECVET points.")
    description: Text | None = Field(None, description="Description or qualification profile.")
    register_url: str | None = Field(
        None, description="Link to the qualification in a national register."
    )
    units: list[Unit] = Field(
        default_factory=list, description="Units of learning outcomes relevant for mobility."
    )
    variants: Annotated[list[QualificationVariant], ADDED_LATER] = Field(
        default_factory=list,
        description="National forms of a qualification shared by several countries "
        "(title, awarding body, levels, register link per country).")
    points_name: Annotated[Text | None, ADDED_LATER] = Field(
        None, description="National name of the credit points, e.g. `{en: competence "
        "points, fi: osaamispistettä}` (default: ECVET points).")
    units_listed: Annotated[UnitsListed | None, ADDED_LATER] = Field(
        None, description="`full_catalogue` when `units` lists every unit (compulsory and "
        "optional), `mobility_only` when only the units for mobility; the points are "
        "compared with the total accordingly.")
    unit_groups: Annotated[list[UnitGroup], ADDED_LATER] = Field(
        default_factory=list, description="Groups of compulsory or optional units.")
    learning_outcomes_annex: Annotated[Annex | None, ADDED_LATER] = Field(
        None, description="An annex holding the learning outcomes of all its units.")


class Review(Record):
    """Evaluation and review of the partnership (section 8)."""

    reviewers: list[Id] = Field(
        default_factory=list, description="Ids of the organisations that review the MoU."
    )
    frequency: Text | None = Field(None, description="How often, e.g. `once a year`.")
    by: dt.date | None = Field(None, description="Date of the next review (YYYY-MM-DD).")
    procedure: Text | None = Field(None, description="How the review is done.")


class MobilityDuration(Record):
    """Planned duration of learners' mobility periods (ECVET Toolkit)."""

    min_weeks: Points | None = Field(None, description="Shortest planned mobility, in weeks.")
    max_weeks: Points | None = Field(None, description="Longest planned mobility, in weeks.")


class Arrangements(Record):
    """Assessment, documentation, validation and recognition (section 6)."""

    assessment: Text | None = Field(None, description="Who assesses learners abroad, and how.")
    documentation: Text | None = Field(
        None,
        description="How results are documented (personal transcript, Europass Mobility).",
    )
    validation: Text | None = Field(
        None, description="How the home institution validates the credit."
    )
    recognition: Text | None = Field(
        None, description="How the home institution recognises the credit."
    )
    quality_assurance: Text | None = Field(
        None, description="Mutual acceptance of quality assurance arrangements."
    )


class Network(Record):
    """A network's common Memorandum of Understanding."""

    title: Text = Field(description="Title of the MoU or the network's name.")
    file_code: str | None = Field(None, description="Optional file code of the MoU.")
    languages: list[LanguageCode] = Field(
        default_factory=lambda: ["en"],
        min_length=1,
        description="Languages of the MoU; the first is authoritative.",
    )
    coordinator: Id | None = Field(
        None, description="Id of the organisation that coordinates (signing or not).")
    objectives: list[Text] = Field(
        default_factory=list,
        description="Other objectives agreed on, added to the standard objectives text.",
    )
    valid_from: dt.date | None = Field(None, description="Date the MoU takes effect.")
    valid_until: dt.date | None = Field(
        None, description="Date the MoU ends; leave out for an open-ended MoU."
    )
    review: Review | None = Field(None, description="Evaluation and review of the partnership.")
    mobility_duration: MobilityDuration | None = Field(
        None, description="Planned minimum and maximum duration of mobilities."
    )
    arrangements: Arrangements = Field(
        default_factory=Arrangements,
        description="Assessment, documentation, validation and recognition.",
    )
    additional_information: Text | None = Field(
        None, description="Additional information (section 10)."
    )
    # -- what real consortia write down (issue 12) --
    kind: Annotated[MouKind, ADDED_LATER] = Field(
        MouKind.standard,
        description="`standard`: the official template's clauses, partners agree; "
        "`declaratory`: signatories declare their understanding of the objectives, and "
        "only the clauses the data asks for are printed.")
    assessment: Annotated[Assessment | None, ADDED_LATER] = Field(
        None, description="Assessment set once for the MoU: every unit without its own "
        "methods, criteria or assessors inherits these.")
    organisations: Annotated[list[Organisation], ADDED_LATER] = Field(
        default_factory=list,
        description="Organisations that take part without signing (a coordinating "
        "municipality, a national authority, a stakeholder, a company, a steering group).")
    partners: list[Partner] = Field(
        default_factory=list, description="Organisations signing the MoU."
    )
    covered_organisations: list[CoveredOrganisation] = Field(
        default_factory=list, description="Organisations covered by the MoU without signing."
    )
    qualifications: list[Qualification] = Field(
        default_factory=list, description="Qualifications covered by the MoU."
    )

    # -- the MoU's life (mouctl/model/lifecycle.py): project, validity form, joining,
    # leaving, replacing. Defaults leave the data fingerprint as it was without them.
    project: Annotated[lifecycle.Project | None, ADDED_LATER] = Field(
        None, description="The project the MoU belongs to: programme, code, title, "
        "website, dates (printed in section 0)."
    )
    valid_until_project_end: Annotated[bool, ADDED_LATER] = Field(
        False, description="The MoU is valid until the end of the project "
        "(`project.end`), at the latest until `valid_until`."
    )
    open_to_adhesion: Annotated[bool, ADDED_LATER] = Field(
        False, description="The MoU is open to the adhesion of new organisations: a "
        "joining organisation signs an adhesion declaration and nobody else re-signs."
    )
    withdrawal: Annotated[lifecycle.WithdrawalClause | None, ADDED_LATER] = Field(
        None, description="The MoU provides for a partner's withdrawal by notice "
        "(`mouctl withdraw`); the others continue without re-signing."
    )
    replaces: Annotated[lifecycle.Replaces | None, ADDED_LATER] = Field(
        None, description="The earlier MoU that this new MoU replaces "
        "(`mouctl release VERSION --new-mou`)."
    )

    def partner(self, partner_id: str) -> Partner | None:
        """The partner with this id, or None."""
        return next((p for p in self.partners if p.id == partner_id), None)

    def units(self) -> list[tuple[Qualification, Unit]]:
        """Every unit with the qualification it belongs to."""
        return [(q, u) for q in self.qualifications for u in q.units]

    def unit_assessment(self, unit: Unit) -> Assessment:
        """The unit's assessment, each part it leaves empty inherited from the MoU's."""
        mou = self.assessment
        if mou is None:
            return unit.assessment
        own = unit.assessment
        return Assessment(methods=own.methods or mou.methods,
                          criteria=own.criteria or mou.criteria,
                          assessed_by=own.assessed_by or mou.assessed_by)

    def fingerprint(self) -> str:
        """A short, stable digest of the data (not of its formatting or comments).

        Fields added after the first release are left out while they hold their
        default, so a network that does not use them keeps the fingerprint its
        signatures are bound to.
        """
        data = _FINGERPRINT_JSON.encode(fingerprint_data(self))
        return hashlib.sha256(data.encode("utf-8")).hexdigest()[:12]


# `json.dumps(data, sort_keys=True, ensure_ascii=False)`, the text a fingerprint digests,
# without the check for a container inside itself (a model's dump cannot hold one): the
# same text, 10% sooner (L: 2 ms).
_FINGERPRINT_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, check_circular=False)


def fingerprint_data(model: BaseModel) -> dict:
    """What the fingerprint digests of `model` (the network or one of its entities):
    its JSON dump without the fields added later that still hold their defaults."""
    return _without_unused_additions(model, model.model_dump(mode="json"))


_NO_DEFAULT = object()


@functools.cache
def _field_defaults(cls: type[BaseModel]) -> tuple[tuple[str, object], ...]:
    """The fields of `cls` that `_without_unused_additions` looks at, each with its
    default if it is ADDED_LATER (else `_NO_DEFAULT`, for a field that may hold a model
    with such fields); the others (texts, numbers, models without additions) are left
    out, so a fingerprint walks only where something can be dropped (L: 11 -> 3 ms).

    Kept per class: pydantic's `get_default` inspects the factory's signature on
    every call, which made a fingerprint of a large network cost ~0.5 s.
    """
    _field_defaults_open.add(cls)
    try:
        plan = []
        for name, info in cls.model_fields.items():
            if ADDED_LATER in info.metadata:
                plan.append((name, info.get_default(call_default_factory=True)))
            elif _reaches_additions(info.annotation):
                plan.append((name, _NO_DEFAULT))
        return tuple(plan)
    finally:
        _field_defaults_open.discard(cls)


_field_defaults_open: set[type] = set()  # classes being planned (a model that holds itself)
_LEAVES = (str, int, float, bool, dt.date, dt.datetime, type(None), Enum)


def _reaches_additions(annotation) -> bool:
    """False only when no value of `annotation` can be (or list) a model with an
    ADDED_LATER field, at any depth."""
    origin = get_origin(annotation)
    if origin is Literal:
        return False
    if origin is Annotated:
        return _reaches_additions(get_args(annotation)[0])
    if origin is not None:
        return not get_args(annotation) or any(_reaches_additions(a)
                                                for a in get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation in _field_defaults_open or bool(_field_defaults(annotation))
    if isinstance(annotation, type):
        return not issubclass(annotation, _LEAVES)
    return True  # Any, a type variable, a forward reference: look at the value


def _without_unused_additions(model: BaseModel, dumped: dict) -> dict:
    """`dumped` without the ADDED_LATER fields of `model` (and nested models) at default."""
    for name, default in _field_defaults(type(model)):
        value = getattr(model, name)
        if default is not _NO_DEFAULT and value == default:
            dumped.pop(name, None)
        elif isinstance(value, BaseModel) and isinstance(dumped.get(name), dict):
            _without_unused_additions(value, dumped[name])
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            for item, item_dump in zip(value, dumped.get(name) or [], strict=False):
                _without_unused_additions(item, item_dump)
    return dumped


def text(value: Text | None, lang: str, fallback: str | None = None) -> str | None:
    """The text of `value` in `lang`, else in `fallback`, else in any language given."""
    if value is None or isinstance(value, str):
        return value
    for code in (lang, fallback):
        if code and code in value:
            return value[code]
    return next(iter(value.values()), None)


def json_schema() -> dict:
    """The JSON Schema of `network.yaml` (editors use it for completion and checks)."""
    from mouctl.model import schema

    return schema.build("network")

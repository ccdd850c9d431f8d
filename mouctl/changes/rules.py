"""The amendment rules: which changes need every partner to re-sign (pure).

Product rule from shared/domain.md: a **substantive** change (partners, roles,
qualifications, units, points, learning outcomes, assessment, validation and
recognition arrangements, validity) needs every current signatory to re-sign;
an **administrative** change (contacts, addresses, phones, websites, e-mails,
wording fixes) is only notified. The table below is that rule made precise; it
is printed into docs/amendments.md (a test keeps the two in sync), and every
Change names the rule that classified it.

Rules are tried in order and the first that applies wins. The wording rules come
first because they look at the values, not only at the field. Anything no rule
names falls to `unlisted`, which is substantive: a field added to the model
later asks for signatures until someone decides otherwise (a test checks that
every model field is named by a rule).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache

from mouctl.changes import wording

ACTIONS = ("added", "removed", "changed", "renamed")


@dataclass(frozen=True)
class Rule:
    """One line of the rule table."""

    name: str
    substantive: bool
    where: tuple[str, ...]  # "section:field" globs; field "" is the entity itself
    actions: tuple[str, ...]
    why: str
    test: Callable[[object, object], bool] | None = None  # extra condition on (old, new)
    # A lifecycle rule applies only where the history says so (an MoU open to
    # adhesion, a recorded withdrawal): `changes.lifecycle` applies it, never classify.
    when: str | None = None

    def applies(self, section: str, field: str, action: str, old, new) -> bool:
        if self.when is not None or action not in self.actions:
            return False
        if not any(_matches(pattern, section, field) for pattern in self.where):
            return False
        return self.test is None or self.test(old, new)


def _matches(pattern: str, section: str, field: str) -> bool:
    sec, _, fld = pattern.partition(":")
    return fnmatchcase(section, sec) and fnmatchcase(field, fld)


def _same_items(old, new) -> bool:
    """Lists holding the same items (as a multiset) in another order."""
    if not (isinstance(old, list) and isinstance(new, list)) or old == new:
        return False
    key = lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False)  # noqa: E731
    return sorted(map(key, old)) == sorted(map(key, new))


def _texts(test):
    def check(old, new) -> bool:
        text = (str, dict)
        return isinstance(old, text) and isinstance(new, text) and test(old, new)
    return check


_ENTITY = ("partners", "organisations", "covered_organisations", "qualifications", "units")
_NAMES_AND_DESCRIPTIONS = (
    "partners:name", "organisations:name", "covered_organisations:name",
    "covered_organisations:description",
    "qualifications:title", "qualifications:description", "units:title",
    "units:description", "terms:additional_information",
)
CHANGED = ("changed",)
ANY = ACTIONS
# Lists of partner ids that grow with an adhesion and shrink with a withdrawal.
_PARTNER_LISTS = ("units:hosts", "units:assessment.assessed_by", "terms:assessment.assessed_by",
                  "terms:review.reviewers")

RULES: tuple[Rule, ...] = (
    Rule("formatting-only", False, ("*:*",), CHANGED,
         "A text changed only in case, spacing, punctuation or Unicode form: the same "
         "words in the same order, so the meaning is the same (any text field).",
         _texts(wording.formatting_only)),
    Rule("order-only", False, ("*:*",), CHANGED,
         "The same items in another order (entities, roles, learning outcomes ...).",
         _same_items),
    Rule("spelling-fix", False, _NAMES_AND_DESCRIPTIONS, CHANGED,
         "A typo fixed in a name, title or description: each changed word is one letter "
         "away, five letters or longer, without digits; at most one word in five. Not "
         "for learning outcomes, criteria or arrangements, where one letter can matter.",
         _texts(wording.spelling_fix)),
    Rule("id-renamed", False, tuple(f"{s}:id" for s in _ENTITY), ("renamed",),
         "An id changed and the entity is otherwise the same (references follow it); ids "
         "are the file's keys, not terms of the agreement."),
    Rule("joins-by-adhesion", True, ("partners:",), ("added",),
         "An organisation joins an MoU that is open to adhesion: it signs an adhesion "
         "declaration and is bound from its signature; nobody else re-signs.",
         when="the MoU was and stays `open_to_adhesion`"),
    Rule("adherent-listed", True, _PARTNER_LISTS, ("added", "changed"),
         "A joining organisation is added to a unit's hosts or assessors or to the "
         "reviewers, and nothing else changes there: part of its adhesion.",
         when="only organisations joining by adhesion are added"),
    Rule("withdrew-by-notice", False, ("partners:",), ("removed",),
         "A partner that gave notice of withdrawal (`mouctl withdraw`) leaves, as the MoU "
         "provides: the MoU continues for the others without re-signing.",
         when="the MoU provides for `withdrawal` and the ledger records the notice"),
    Rule("withdrawn-unlisted", False, _PARTNER_LISTS, ("removed", "changed"),
         "A withdrawn partner is taken off a unit's hosts or assessors or the reviewers, "
         "and nothing else changes there: part of its withdrawal.",
         when="only withdrawn partners are removed"),
    Rule("partner-joined", True, ("partners:",), ("added",),
         "A new organisation signs the MoU."),
    Rule("partner-left", True, ("partners:",), ("removed",),
         "An organisation leaves the MoU."),
    Rule("partner-roles", True, ("partners:roles", "partners:role"), ANY,
         "What a partner does in the network (competent institution, sending, receiving, "
         "intermediary, coordinator ...), as roles or in words."),
    Rule("partner-identity", True, ("partners:name", "partners:country"), ANY,
         "The legal name or country of a signing organisation."),
    Rule("contact-details", False,
         tuple(f"partners:{f}" for f in ("short_name", "city", "address", "phone", "email",
                                         "website", "oid", "pic", "contact", "contact.*"))
         + ("covered_organisations:city", "covered_organisations:address",
            "covered_organisations:website")
         + tuple(f"organisations:{f}" for f in ("city", "address", "website", "contact",
                                                "contact.*")), ANY,
         "Contact person, address, phone, e-mail, website, short name and registration "
         "codes (OID, PIC): notified, no re-signing."),
    Rule("signatory-person", False, ("partners:signatory", "partners:signatory.*"), ANY,
         "Who signs for an organisation: the organisation is the party, so a new head "
         "signs the next version without making the signed one void."),
    Rule("organisation-joined", True, ("organisations:",), ("added",),
         "An organisation takes part in the network without signing (a coordinating "
         "municipality, a national authority, a stakeholder ...)."),
    Rule("organisation-left", True, ("organisations:",), ("removed",),
         "An organisation no longer takes part in the network."),
    Rule("organisation-terms", True,
         tuple(f"organisations:{f}" for f in ("name", "country", "roles", "role")), ANY,
         "Which organisation takes part without signing, and its roles (it may coordinate, "
         "award qualifications, host or assess)."),
    Rule("covered-organisation-joined", True, ("covered_organisations:",), ("added",),
         "An organisation is newly covered by the MoU."),
    Rule("covered-organisation-left", True, ("covered_organisations:",), ("removed",),
         "An organisation is no longer covered by the MoU."),
    Rule("covered-organisation-terms", True,
         ("covered_organisations:name", "covered_organisations:country",
          "covered_organisations:covered_by", "covered_organisations:roles"), ANY,
         "Which organisation is covered, under whose signature, and its roles (a host "
         "company may host units)."),
    Rule("covered-organisation-details", False, ("covered_organisations:description",), ANY,
         "What a covered organisation does in the network: informative text."),
    Rule("qualification-added", True, ("qualifications:",), ("added",),
         "A qualification is newly covered."),
    Rule("qualification-removed", True, ("qualifications:",), ("removed",),
         "A qualification is no longer covered."),
    Rule("register-link", False, ("qualifications:register_url",), ANY,
         "The link to a national register: a reference, not a term."),
    Rule("qualification-terms", True,
         tuple(f"qualifications:{f}" for f in ("title", "country", "awarding_institution",
                                               "eqf_level", "nqf_level", "ecvet_points",
                                               "description")), ANY,
         "Title, country, awarding institution, EQF/NQF level, total points, profile."),
    Rule("qualification-variants", True, ("qualifications:variants",), ANY,
         "The national forms of a shared qualification: title, awarding body, levels, "
         "points and register link per country (one rule for the whole list)."),
    Rule("qualification-structure", True,
         ("qualifications:points_name", "qualifications:units_listed",
          "qualifications:unit_groups"), ANY,
         "The name of the points (competence points are not ECVET points), whether the "
         "units are the full catalogue or those for mobility, and the compulsory and "
         "optional groups."),
    Rule("annex-title", False,
         ("qualifications:learning_outcomes_annex.title", "units:learning_outcomes_annex.title"),
         ANY, "The printed title of an annex: a label, not a term."),
    Rule("learning-outcomes-annex", True,
         ("qualifications:learning_outcomes_annex", "qualifications:learning_outcomes_annex.*",
          "units:learning_outcomes_annex", "units:learning_outcomes_annex.*"), ANY,
         "Where the learning outcomes are kept (annex file or web address): another "
         "file is another text."),
    Rule("annex-text", True, ("annexes:text",), ANY,
         "The text of an annex file the MoU names (learning outcomes kept in an annex): "
         "the annexed text is part of what partners sign."),
    Rule("unit-code", False, ("units:code",), ANY,
         "A unit's printed code labels it, as the MoU's file code labels the MoU."),
    Rule("unit-added", True, ("units:",), ("added",), "A unit of learning outcomes is added."),
    Rule("unit-removed", True, ("units:",), ("removed",),
         "A unit of learning outcomes is removed."),
    Rule("unit-points", True, ("units:ecvet_points", "units:hours"), ANY,
         "ECVET points or hours of a unit."),
    Rule("learning-outcomes", True, ("units:learning_outcomes.*",), ANY,
         "Knowledge, skills or competence of a unit (a reworded outcome is a new outcome)."),
    Rule("assessment", True, ("units:assessment.*",), ANY,
         "Assessment methods, criteria or assessing partners of a unit."),
    Rule("unit-terms", True,
         tuple(f"units:{f}" for f in ("title", "qualification", "eqf_level", "validity",
                                      "description", "hosts")), ANY,
         "Title, qualification, EQF level, validity, description or hosts of a unit."),
    Rule("unit-structure", True,
         tuple(f"units:{f}" for f in ("also_part_of", "compulsory", "group", "parts")), ANY,
         "Which other qualifications share a unit, whether it is compulsory or optional, its "
         "group and its parts."),
    Rule("arrangements", True, ("arrangements:*",), ANY,
         "Assessment, documentation, validation, recognition and quality assurance "
         "arrangements (section 6)."),
    Rule("validity", True, ("terms:valid_from", "terms:valid_until",
                            "terms:valid_until_project_end", "terms:project.start",
                            "terms:project.end"), ANY,
         "When the MoU takes effect and ends; the project's dates count where the MoU "
         "is valid until the end of the project."),
    Rule("project-identification", False,
         tuple(f"terms:project.{f}" for f in ("programme", "code", "title", "website")),
         ANY,
         "Programme, project code, title and website identify the project the MoU "
         "belongs to: printed in section 0, not terms."),
    Rule("adhesion-and-withdrawal", True, ("terms:open_to_adhesion", "terms:withdrawal"),
         ANY,
         "Whether new organisations may join by adhesion, and whether and how a partner "
         "may withdraw."),
    Rule("replaced-mou", True, ("terms:replaces.*",), ANY,
         "Which earlier MoU this new MoU replaces (a new MoU is signed by everyone)."),
    Rule("review", True, ("terms:review.*",), ANY,
         "Who reviews the partnership, how, how often and by when (section 8)."),
    Rule("mobility-duration", True, ("terms:mobility_duration.*",), ANY,
         "Planned minimum and maximum duration of mobilities."),
    Rule("mou-content", True,
         ("terms:languages", "terms:coordinator", "terms:objectives",
          "terms:additional_information"), ANY,
         "Languages (the first is authoritative), coordinator, agreed objectives and "
         "additional information."),
    Rule("mou-kind", True, ("terms:kind",), ANY,
         "Standard or declaratory: what signing means and which clauses are printed."),
    Rule("mou-assessment", True, ("terms:assessment.*",), ANY,
         "Assessment set once for the MoU, inherited by every unit without its own."),
    Rule("mou-identification", False, ("terms:title", "terms:file_code"), ANY,
         "The MoU's title and file code identify the document; they are not terms."),
    Rule("unlisted", True, ("*:*",), ANY,
         "Anything no rule above names: substantive, so that nothing needing a "
         "signature slips through."),
)

_BY_NAME = {rule.name: rule for rule in RULES}


def classify(section: str, field: str, action: str, old, new) -> Rule:
    """The first rule that applies (`unlisted` at worst); see `changes.lifecycle` too."""
    for rule in _placed(section, field):
        if rule.applies(section, field, action, old, new):
            return rule
    raise AssertionError("the `unlisted` rule matches everything")  # pragma: no cover


@cache
def _placed(section: str, field: str) -> tuple[Rule, ...]:
    """The rules whose places match this field, in table order: the globs are matched
    once per field, not once per change (a diff of L has hundreds of changes)."""
    return tuple(r for r in RULES if any(_matches(p, section, field) for p in r.where))


def rule(name: str) -> Rule:
    """The rule with this name (KeyError if none)."""
    return _BY_NAME[name]


def table_markdown() -> str:
    """The rule table as Markdown, the way docs/amendments.md shows it."""
    lines = ["| rule | class | applies to | why |", "| --- | --- | --- | --- |"]
    for r in RULES:
        klass = "substantive" if r.substantive else "administrative"
        where = ", ".join(f"`{_show(p)}`" for p in r.where)
        actions = "" if r.actions == ANY else f" ({', '.join(r.actions)})"
        when = f", when {r.when}" if r.when else ""
        lines.append(f"| `{r.name}` | {klass} | {where}{actions}{when} | {r.why} |")
    return "\n".join(lines) + "\n"


def _show(pattern: str) -> str:
    if pattern == "*:*":
        return "any field"
    section, _, field = pattern.partition(":")
    return f"{section} (entity)" if field == "" else f"{section}.{field}"

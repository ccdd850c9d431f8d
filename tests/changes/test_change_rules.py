"""The rule table: documented, complete, and the wording rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mouctl.changes import rules as change_rules
from mouctl.changes import wording
from mouctl.changes.compare import ITEMISED
from mouctl.model.lifecycle import Project, Replaces
from mouctl.model.network import (
    Annex,
    Arrangements,
    Assessment,
    CoveredOrganisation,
    LearningOutcomes,
    MobilityDuration,
    Network,
    Organisation,
    Partner,
    Person,
    Qualification,
    Review,
    Unit,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "amendments.md"


def test_docs_show_the_rule_table_of_the_code():
    text = DOC.read_text(encoding="utf-8")
    found = re.search(r"<!-- rules:start[^>]*-->\n(.*?)<!-- rules:end -->", text, re.S)
    assert found, "docs/amendments.md lost its rules:start/rules:end markers"
    assert found.group(1) == change_rules.table_markdown(), \
        "the rule table in docs/amendments.md is out of date: paste change_rules.table_markdown()"


_NESTED = {"contact": Person, "signatory": Person, "learning_outcomes": LearningOutcomes,
           "assessment": Assessment, "review": Review, "mobility_duration": MobilityDuration,
           "learning_outcomes_annex": Annex, "project": Project, "replaces": Replaces}


def _fields(model) -> list[str]:
    out = []
    for name in model.model_fields:
        if name in _NESTED:
            out += [f"{name}.{sub}" for sub in _NESTED[name].model_fields]
        else:
            out.append(name)
    return out


def _model_fields() -> list[tuple[str, str]]:
    entity = {"partners": Partner, "organisations": Organisation,
              "covered_organisations": CoveredOrganisation,
              "qualifications": Qualification, "units": Unit}
    pairs = [(s, f) for s, m in entity.items() for f in _fields(m) if f not in ("id", "units")]
    pairs.append(("units", "qualification"))
    pairs += [("arrangements", f) for f in _fields(Arrangements)]
    lists = {"partners", "organisations", "covered_organisations", "qualifications",
             "arrangements"}
    pairs += [("terms", f) for f in _fields(Network) if f not in lists]
    return pairs


@pytest.mark.parametrize(("section", "field"), _model_fields())
def test_every_model_field_is_named_by_a_rule(section, field):
    rule = change_rules.classify(section, field, "changed", 1, 2)
    assert rule.name != "unlisted", f"decide whether {section}.{field} is substantive"


def test_itemised_lists_exist_in_the_model():
    known = {f for _, f in _model_fields()}
    assert ITEMISED <= known


def test_an_unknown_field_is_substantive():
    rule = change_rules.classify("units", "future_field", "changed", 1, 2)
    assert (rule.name, rule.substantive) == ("unlisted", True)


def test_rule_names_are_unique_and_kebab_case():
    names = [r.name for r in change_rules.RULES]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", n) for n in names)


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("Read a circuit diagram.", "read a circuit-diagram", True),
    ("Hygiene rules  (HACCP)", "hygiene rules, HACCP", True),
    ("ﬁle", "file", True),  # Unicode compatibility form
    ("1,5 weeks", "15 weeks", False),
    ("10 years", "15 years", False),
    ("Read a diagram", "Draw a diagram", False),
    ({"en": "Cook", "de": "Koch"}, {"en": "cook", "de": "Koch."}, True),
    ({"en": "Cook"}, {"en": "Cook", "de": "Koch"}, False),
    ("Cook", {"en": "cook"}, True),
    ("Cook", {"en": "cook", "de": "Koch"}, False),
])
def test_formatting_only(old, new, expected):
    assert wording.formatting_only(old, new) is expected


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("Mechatronics technicain", "Mechatronics technician", True),   # swap
    ("Hydraulcs", "Hydraulics", True),                                 # insertion
    ("Omnia Espooo", "Omnia Espoo", True),                             # deletion
    ("Hydraulics", "Pneumatics", False),
    ("Cook", "Book", False),                                           # too short to tell
    ("Level 3 plumber", "Level 4 plumber", False),                     # digits
    ("Mechatronic technicain", "Mechatronics technician", False),      # two words of two
    ("Hydraulics", "Hydraulics systems", False),                       # a word added
    ("Instalation", "Installaton", False),                             # two edits
])
def test_spelling_fix(old, new, expected):
    assert wording.spelling_fix(old, new) is expected


# Every key added for real consortia (issue 12), and whether changing it needs
# signatures: a qualification's national variant is substantive, a label is not.
NEW_KEYS = [
    ("partners", "role", True), ("organisations", "", True),
    ("organisations", "name", True), ("organisations", "roles", True),
    ("organisations", "role", True), ("organisations", "country", True),
    ("organisations", "website", False), ("organisations", "contact.email", False),
    ("organisations", "address", False), ("covered_organisations", "roles", True),
    ("qualifications", "variants", True), ("qualifications", "points_name", True),
    ("qualifications", "units_listed", True), ("qualifications", "unit_groups", True),
    ("qualifications", "learning_outcomes_annex.file", True),
    ("qualifications", "learning_outcomes_annex.url", True),
    ("qualifications", "learning_outcomes_annex.title", False),
    ("units", "code", False), ("units", "also_part_of", True), ("units", "compulsory", True),
    ("units", "group", True), ("units", "parts", True),
    ("units", "learning_outcomes_annex", True), ("units", "learning_outcomes_annex.file", True),
    ("units", "learning_outcomes_annex.title", False),
    ("terms", "kind", True), ("terms", "assessment.methods", True),
    ("terms", "assessment.assessed_by", True),
]


@pytest.mark.parametrize(("section", "field", "substantive"), NEW_KEYS)
def test_each_new_key_is_classified(section, field, substantive):
    action = "added" if field == "" else "changed"
    rule = change_rules.classify(section, field, action, "a", "b")
    assert rule.name != "unlisted"
    assert rule.substantive is substantive, f"{section}.{field}: {rule.name}"

"""The pure comparison: each rule, renames, symmetry, summaries, JSON form."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mouctl.changes import rules as change_rules
from mouctl.changes.compare import Change, compare, must_sign, needs_resigning, summarise, to_json
from tests.changes_fixtures import base, net, partner, unit


def diff(amend) -> list[Change]:
    old = base()
    new = base()
    amend(new)
    return compare(net(old), net(new))


def only(changes: list[Change]) -> Change:
    assert len(changes) == 1, changes
    return changes[0]


def test_the_same_network_has_no_changes():
    assert compare(net(base()), net(base())) == []
    assert summarise([]) == "no changes"
    assert not needs_resigning([])


def test_unit_points_are_substantive_with_label_and_values():
    c = only(diff(lambda d: unit(d, "mech-u3").update(ecvet_points=15)))
    assert (c.section, c.item, c.label, c.field, c.action) == (
        "units", "mech-u3", 'Unit mech-u3 "Hydraulics"', "ecvet_points", "changed")
    assert (c.old, c.new, c.substantive, c.rule) == (10, 15, True, "unit-points")


def test_learning_outcome_added_is_an_item_change():
    c = only(diff(lambda d: unit(d, "mech-u3")["learning_outcomes"]["skills"].append(
        "The learner is able to bleed a hydraulic system.")))
    assert (c.field, c.action, c.old, c.new) == (
        "learning_outcomes.skills", "added", None,
        "The learner is able to bleed a hydraulic system.")
    assert c.substantive and c.rule == "learning-outcomes"


def test_a_reworded_learning_outcome_is_substantive():
    def amend(d):
        unit(d, "mech-u1")["learning_outcomes"]["skills"][1] = \
            "The learner is able to draw a circuit diagram."
    c = only(diff(amend))
    assert (c.action, c.rule, c.substantive) == ("changed", "learning-outcomes", True)
    assert c.old == "The learner is able to read a circuit diagram."


def test_a_typo_in_a_learning_outcome_stays_substantive():
    def amend(d):
        unit(d, "mech-u1")["learning_outcomes"]["skills"][1] = \
            "The learner is able to read a circiut diagram."
    assert only(diff(amend)).rule == "learning-outcomes"


def test_learning_outcome_formatting_only_is_administrative():
    def amend(d):
        unit(d, "mech-u1")["learning_outcomes"]["skills"][1] = \
            "the learner is able to  read a circuit-diagram"
    c = only(diff(amend))
    assert (c.rule, c.substantive) == ("formatting-only", False)


def test_learning_outcomes_reordered_is_administrative():
    def amend(d):
        unit(d, "mech-u1")["learning_outcomes"]["skills"].reverse()
    c = only(diff(amend))
    assert (c.field, c.rule, c.substantive) == ("learning_outcomes.skills", "order-only", False)


@pytest.mark.parametrize(("section", "amend", "rule", "substantive"), [
    ("partners", lambda d: partner(d, "omnia")["roles"].append("sending"),
     "partner-roles", True),
    ("partners", lambda d: partner(d, "omnia").update(country="SE"), "partner-identity", True),
    ("partners", lambda d: partner(d, "omnia").update(name="Omnia Helsinki"),
     "partner-identity", True),
    ("partners", lambda d: partner(d, "omnia").update(name="Omnia Espooo"),
     "spelling-fix", False),
    ("partners", lambda d: partner(d, "omnia").update(phone="+358 9 999"),
     "contact-details", False),
    ("partners", lambda d: partner(d, "omnia").update(website="https://omnia.fi"),
     "contact-details", False),
    ("partners", lambda d: partner(d, "bbs-koeln")["contact"].update(email="new@example.org"),
     "contact-details", False),
    ("partners", lambda d: partner(d, "omnia").update(oid="E10293762"),
     "contact-details", False),
    ("partners", lambda d: partner(d, "omnia")["signatory"].update(name="Pekka Laine"),
     "signatory-person", False),
    ("covered_organisations", lambda d: d["covered_organisations"][0].update(
        covered_by="omnia"), "covered-organisation-terms", True),
    ("covered_organisations", lambda d: d["covered_organisations"][0].update(
        description="Host company"), "covered-organisation-details", False),
    ("covered_organisations", lambda d: d["covered_organisations"][0].update(
        address="Henry-Ford-Str. 1"), "contact-details", False),
    ("qualifications", lambda d: d["qualifications"][0].update(eqf_level=5),
     "qualification-terms", True),
    ("qualifications", lambda d: d["qualifications"][0].update(
        register_url="https://example.org"), "register-link", False),
    ("qualifications", lambda d: d["qualifications"][0].update(
        title="Mechatronics technicain"), "spelling-fix", False),
    ("units", lambda d: unit(d, "mech-u3").update(hours=40), "unit-points", True),
    ("units", lambda d: unit(d, "mech-u3")["assessment"]["methods"].append("oral test"),
     "assessment", True),
    ("units", lambda d: unit(d, "mech-u3")["assessment"].update(assessed_by=["bbs-koeln"]),
     "assessment", True),
    ("units", lambda d: unit(d, "mech-u3").update(hosts=["omnia"]), "unit-terms", True),
    ("units", lambda d: unit(d, "mech-u3").update(title="Hydraulic systems"),
     "unit-terms", True),
    ("units", lambda d: unit(d, "mech-u3").update(validity="5 years"), "unit-terms", True),
    ("arrangements", lambda d: d["arrangements"].update(
        validation="The home institution validates within 4 weeks."), "arrangements", True),
    ("arrangements", lambda d: d["arrangements"].update(
        validation="the home institution validates the results"), "formatting-only", False),
    ("terms", lambda d: d.update(valid_until="2029-08-31"), "validity", True),
    ("terms", lambda d: d["review"].update(frequency="twice a year"), "review", True),
    ("terms", lambda d: d["mobility_duration"].update(max_weeks=8), "mobility-duration", True),
    ("terms", lambda d: d.update(coordinator="omnia"), "mou-content", True),
    ("terms", lambda d: d["objectives"].append("Exchange teachers."), "mou-content", True),
    ("terms", lambda d: d.update(languages=["en", "de"]), "mou-content", True),
    ("terms", lambda d: d.update(title="EuroMech Network"), "mou-identification", False),
    ("terms", lambda d: d.update(file_code="MOU-2026-002"), "mou-identification", False),
])
def test_each_rule_classifies_its_change(section, amend, rule, substantive):
    c = only(diff(amend))
    assert (c.section, c.rule, c.substantive) == (section, rule, substantive)
    assert c.substantive == change_rules.rule(rule).substantive


def test_partner_joined_and_left():
    def amend(d):
        d["partners"] = [p for p in d["partners"] if p["id"] != "uni-bilbao"]
        unit(d, "mech-u3")["hosts"] = ["omnia"]
        d["partners"].append({"id": "tt-tallinn", "name": "Tallinn Tech", "country": "EE",
                              "roles": ["receiving"], "signatory": {"name": "Mari Tamm"}})
    changes = diff(amend)
    by_rule = {c.rule: c for c in changes}
    assert set(by_rule) == {"partner-joined", "partner-left", "unit-terms"}
    left = by_rule["partner-left"]
    assert (left.item, left.field, left.action, left.new) == ("uni-bilbao", "", "removed", None)
    assert left.old["name"] == "Instituto Bilbao"
    assert by_rule["partner-joined"].label == 'Partner tt-tallinn "Tallinn Tech"'
    assert summarise(changes) == "partner added, partner removed, unit changed"


def test_units_and_qualifications_added_and_removed():
    def amend(d):
        units = d["qualifications"][0]["units"]
        units[:] = [u for u in units if u["id"] != "mech-u1"]
        units.append({"id": "mech-u4", "title": "Robotics", "ecvet_points": 5,
                      "learning_outcomes": {"skills": ["Program a robot."]},
                      "assessment": {"methods": ["practical test"]}})
        d["qualifications"].append({"id": "cook-fi", "title": "Cook", "country": "FI",
                                    "awarding_institution": "omnia"})
    rules = {(c.item, c.rule) for c in diff(amend)}
    assert rules == {("cook-fi", "qualification-added"), ("mech-u4", "unit-added"),
                     ("mech-u1", "unit-removed")}


def test_a_unit_moved_to_another_qualification():
    def amend(d):
        moved = d["qualifications"][0]["units"].pop(0)
        d["qualifications"].append({"id": "mech-fi", "title": "Mechanic", "country": "FI",
                                    "awarding_institution": "omnia", "units": [moved]})
    changes = diff(amend)
    moved = next(c for c in changes if c.item == "mech-u1")
    assert (moved.field, moved.old, moved.new, moved.rule) == (
        "qualification", "mech-de", "mech-fi", "unit-terms")
    assert [c.rule for c in changes].count("order-only") == 0


def test_renamed_partner_shows_once_and_references_follow():
    def amend(d):
        partner(d, "omnia")["id"] = "omnia-espoo"
        for u in d["qualifications"][0]["units"]:
            u["hosts"] = ["omnia-espoo" if h == "omnia" else h for h in u["hosts"]]
            u["assessment"]["assessed_by"] = ["omnia-espoo"]
    c = only(diff(amend))
    assert (c.section, c.item, c.field, c.action, c.old, c.new) == (
        "partners", "omnia-espoo", "id", "renamed", "omnia", "omnia-espoo")
    assert (c.rule, c.substantive) == ("id-renamed", False)
    assert summarise([c]) == "partner renamed (administrative)"


def test_renamed_qualification_keeps_its_units_and_a_coordinator_rename_follows():
    def amend(d):
        d["qualifications"][0]["id"] = "mechatronics-de"
        partner(d, "bbs-koeln")["id"] = "bk-koeln"
        d["coordinator"] = "bk-koeln"
        d["review"]["reviewers"] = ["bk-koeln"]
        d["qualifications"][0]["awarding_institution"] = "bk-koeln"
        d["covered_organisations"][0]["covered_by"] = "bk-koeln"
    changes = diff(amend)
    assert [(c.item, c.action) for c in changes] == [
        ("bk-koeln", "renamed"), ("mechatronics-de", "renamed")]


def test_a_rename_with_other_edits_is_added_and_removed():
    def amend(d):
        unit(d, "mech-u3").update(id="mech-u3b", ecvet_points=12)
    assert {c.action for c in diff(amend)} == {"added", "removed"}


def test_partner_order_is_administrative():
    c = only(diff(lambda d: d["partners"].reverse()))
    assert (c.section, c.item, c.field, c.rule) == ("partners", "", "order", "order-only")
    assert c.new == ["uni-bilbao", "omnia", "bbs-koeln"]
    assert summarise([c]) == "partners reordered (administrative)"


def test_unit_order_within_a_qualification():
    c = only(diff(lambda d: d["qualifications"][0]["units"].reverse()))
    assert (c.section, c.item, c.field, c.rule) == ("units", "mech-de", "order", "order-only")


def test_translation_added_to_a_substantive_text_is_substantive():
    def amend(d):
        d["languages"] = ["en", "de"]
        unit(d, "mech-u3")["title"] = {"en": "Hydraulics", "de": "Hydraulik"}
    title = next(c for c in diff(amend) if c.field == "title")
    assert (title.rule, title.substantive) == ("unit-terms", True)


def test_multilingual_formatting_fix_per_language():
    def amend(d):
        unit(d, "mech-u3")["title"] = {"en": "hydraulics", "de": "Hydraulik"}
    old, new = base(), base()
    unit(old, "mech-u3")["title"] = {"en": "Hydraulics", "de": "Hydraulik"}
    amend(new)
    c = only(compare(net(old), net(new)))
    assert c.rule == "formatting-only"


def _mirror(c: Change) -> tuple:
    action = {"added": "removed", "removed": "added"}.get(c.action, c.action)
    return (c.section, c.field, action, c.new, c.old, c.substantive)


def _amend_many(d):
    unit(d, "mech-u3")["ecvet_points"] = 15
    unit(d, "mech-u3")["learning_outcomes"]["skills"].append("The learner is able to X.")
    partner(d, "omnia")["phone"] = "+358 9 999"
    d["partners"] = [p for p in d["partners"] if p["id"] != "uni-bilbao"]
    unit(d, "mech-u3")["hosts"] = ["omnia"]
    d["valid_until"] = "2029-01-01"
    d["covered_organisations"][0]["id"] = "ford"


def test_b_to_a_mirrors_a_to_b():
    a, b = base(), base()
    _amend_many(b)
    forward, backward = compare(net(a), net(b)), compare(net(b), net(a))
    renames = {c for c in forward if c.action == "renamed"}
    assert len(renames) == 1
    plain_forward = sorted(map(repr, (_mirror(c) for c in forward if c.action != "renamed")))
    plain_backward = sorted(map(repr, ((c.section, c.field, c.action, c.old, c.new,
                                         c.substantive) for c in backward
                                        if c.action != "renamed")))
    assert plain_forward == plain_backward
    back = next(c for c in backward if c.action == "renamed")
    assert (back.old, back.new) == ("ford", "ford-koeln")


def test_summary_and_resigning():
    a, b = base(), base()
    _amend_many(b)
    changes = compare(net(a), net(b))
    assert summarise(changes) == ("partner removed, unit changed, valid_until changed; "
                                  "administrative: partner changed, covered organisation "
                                  "renamed")
    assert needs_resigning(changes)
    assert must_sign(changes, net(b)) == ["bbs-koeln", "omnia"]
    admin = [c for c in changes if not c.substantive]
    assert must_sign(admin, net(b)) == []


def test_json_form_round_trips_and_is_plain_json():
    import json

    a, b = base(), base()
    _amend_many(b)
    changes = compare(net(a), net(b))
    data = json.loads(json.dumps(to_json(changes)))
    assert [Change.from_dict(d) for d in data] == changes
    assert list(data[0]) == ["section", "item", "label", "field", "action", "old", "new",
                             "substantive", "rule"]
    dated = next(d for d in data if d["field"] == "valid_until")
    assert (dated["old"], dated["new"]) == ("2028-08-31", "2029-01-01")


_AMENDMENTS = [case[1] for case in test_each_rule_classifies_its_change.pytestmark[0].args[1]]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(range(len(_AMENDMENTS))), unique=True, max_size=6))
def test_any_set_of_amendments_mirrors_and_is_empty_against_itself(picked):
    a, b = base(), base()
    for index in picked:
        _AMENDMENTS[index](b)
    old, new = net(a), net(b)
    assert compare(new, new) == []
    forward, backward = compare(old, new), compare(new, old)
    assert sorted(map(repr, map(_mirror, forward))) == sorted(
        repr((c.section, c.field, c.action, c.old, c.new, c.substantive)) for c in backward)
    assert needs_resigning(forward) == needs_resigning(backward)


def test_an_empty_record_appearing_mirrors():
    a, b = base(), base()
    del a["review"]
    b["review"] = {"reviewers": [], "frequency": "once a year"}
    forward, backward = compare(net(a), net(b)), compare(net(b), net(a))
    # An empty list and a field left out are the same; only the frequency changed.
    assert [(c.field, c.action) for c in forward] == [("review.frequency", "added")]
    assert [(c.field, c.action) for c in backward] == [("review.frequency", "removed")]

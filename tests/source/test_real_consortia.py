"""What real consortia write down: drafts, organisations that do not sign, references
by kind, shared qualifications, catalogues of units, annexes (issue 12).

The fixtures in tests/networks are built by hand, one per case; each validates as a
draft, and the release view lists exactly what is still missing.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil

import pytest

from mouctl.model.network import Network
from mouctl.source import checks, loader
from tests.conftest import git
from tests.source.test_checks import BASE, TODAY

NETWORKS = __import__("pathlib").Path(__file__).resolve().parents[1] / "networks"

# What each draft lacks before release: (code, data path) of each release requirement.
MISSING = {
    "declaratory": {("no-signatory", "partners[1].signatory"),
                    ("no-signatory", "partners[2]")},
    "shared-qualification": {("no-awarding-institution", "qualifications[0].variants[2]")},
    "unit-catalogue": {("no-signatory", "partners[1]")},
    "outcomes-annex": {("no-assessment", "qualifications[0].units[1]")},
    "coordinator-not-signing": {("no-learning-outcomes", "qualifications[0].units[1]")},
}


@pytest.mark.parametrize("name", sorted(MISSING))
def test_each_fixture_is_a_valid_draft_and_the_release_view_lists_what_is_missing(name):
    loaded = loader.load(NETWORKS / name, today=TODAY)
    assert loaded.network is not None and loaded.errors == []
    gate = loaded.for_release()
    assert {(d.code, d.path) for d in gate.errors} == MISSING[name]
    assert all("needed before release" in d.message for d in gate.errors)
    assert gate.network is None


@pytest.mark.parametrize("name", sorted(MISSING))
def test_validate_for_release_fails_and_plain_validate_passes(run, name):
    folder = NETWORKS / name
    assert run("validate", "-N", str(folder)).code == 0
    result = run("validate", "--for-release", "-N", str(folder))
    assert result.code == 1
    for code, path in MISSING[name]:
        assert f"error: {path}: " in result.output and f"[{code}]" in result.output


@pytest.mark.parametrize("name", sorted(MISSING))
def test_release_refuses_a_draft_with_the_full_list(run, tmp_path, name):
    folder = tmp_path / name
    shutil.copytree(NETWORKS / name, folder)
    git(folder, "init", "-q", "--initial-branch=main")
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "Draft")
    result = run("release", "1.0", "-m", "First", cwd=folder)
    assert result.code == 1
    assert "not ready for release" in result.stderr
    listed = {line for line in result.output.splitlines() if ": error: " in line}
    assert len(listed) == len(MISSING[name])
    for code, path in MISSING[name]:
        assert any(f"error: {path}: " in line and f"[{code}]" in line for line in listed)
    assert git(folder, "tag") == ""


def test_render_prints_the_draft_and_says_it_is_one(run):
    result = run("render", "-N", str(NETWORKS / "declaratory"))
    assert result.code == 0
    assert "this is a draft: 2 thing(s) needed before release" in result.stderr


def test_a_wrong_kind_of_reference_is_named_with_both_kinds(run, golden):
    result = run("validate", "-N", "wrong-kinds", cwd=NETWORKS)
    assert result.code == 1
    golden("validate/wrong-kinds.txt", result.stdout + result.stderr)


# -- the domain rules one by one, on the checks' base network --------------------

def findings(mutate):
    data = copy.deepcopy(BASE)
    mutate(data)
    return {(f.severity, f.code, f.path) for f in
            checks.run(Network.model_validate(data), today=TODAY)}


def _q(d):
    return d["qualifications"][0]


def _unit(d):
    return _q(d)["units"][0]


def _second_unit(d, **fields):
    _q(d)["units"].append({"id": "u2", "title": "Mains", "learning_outcomes": {
        "skills": ["s"], "knowledge": ["k"], "competence": ["c"]},
        "assessment": {"methods": ["m"]}, **fields})


CASES = [
    ("coordinator that does not sign",
     lambda d: (d.update(coordinator="city"), d["partners"][0]["roles"].remove("coordinator"),
                d.update(organisations=[{"id": "city", "name": "City", "country": "DE",
                                         "roles": ["coordinator"]}])),
     None),
    ("awarding body that does not sign",
     lambda d: (d.update(organisations=[{"id": "city", "name": "City", "country": "DE",
                                         "roles": ["competent_authority"]}]),
                _q(d).update(awarding_institution="city")),
     None),
    ("covered host company",
     lambda d: (d.update(covered_organisations=[{"id": "hotel", "name": "Hotel", "country": "FI",
                                                 "covered_by": "b", "roles": ["company"]}]),
                _unit(d).update(hosts=["hotel"])),
     None),
    ("assessment inherited from the MoU",
     lambda d: (_unit(d).update(assessment={}), d.update(assessment={"criteria": ["c"]})),
     None),
    ("learning outcomes at a URL",
     lambda d: _unit(d).update(learning_outcomes={}, learning_outcomes_annex={
         "url": "https://example.org/units"}),
     None),
    ("shared qualification", lambda d: (_q(d).pop("country"), _q(d).update(variants=[
        {"country": "DE", "eqf_level": 4}, {"country": "FI", "eqf_level": 5}]),
        _unit(d).update(eqf_level=5)), None),
    ("no country and no variants", lambda d: _q(d).pop("country"),
     ("error", "no-country", ("qualifications", 0))),
    ("two variants for one country",
     lambda d: _q(d).update(variants=[{"country": "DE"}, {"country": "DE"}]),
     ("error", "duplicate-variant", ("qualifications", 0, "variants", 1, "country"))),
    ("variant EQF 9", lambda d: _q(d).update(variants=[{"country": "DE", "eqf_level": 9}]),
     ("error", "eqf-range", ("qualifications", 0, "variants", 0, "eqf_level"))),
    ("variant awarder not competent",
     lambda d: _q(d).update(variants=[{"country": "FI", "awarding_institution": "b"}]),
     ("error", "awarder-not-competent",
      ("qualifications", 0, "variants", 0, "awarding_institution"))),
    ("unknown group", lambda d: _unit(d).update(group="optional"),
     ("error", "unknown-reference", ("qualifications", 0, "units", 0, "group"))),
    ("also part of an unknown qualification", lambda d: _unit(d).update(also_part_of=["x"]),
     ("error", "unknown-reference", ("qualifications", 0, "units", 0, "also_part_of", 0))),
    ("also part of its own qualification", lambda d: _unit(d).update(also_part_of=["q"]),
     ("warning", "also-part-of-own", ("qualifications", 0, "units", 0, "also_part_of", 0))),
    ("parts with more hours than the unit",
     lambda d: _unit(d).update(hours=120, parts=[{"title": f"P{i}", "hours": 40}
                                                 for i in range(4)]),
     ("error", "part-points-exceed", ("qualifications", 0, "units", 0, "hours"))),
    ("compulsory unit in an optional group",
     lambda d: (_q(d).update(unit_groups=[{"id": "opt", "title": "Optional"}]),
                _unit(d).update(group="opt", compulsory=True)),
     ("error", "compulsory-contradicts-group", ("qualifications", 0, "units", 0, "compulsory"))),
    ("group asks for more units than it lists",
     lambda d: (_q(d).update(unit_groups=[{"id": "opt", "title": "Optional", "choose_units": 2}]),
                _unit(d).update(group="opt")),
     ("error", "group-choice", ("qualifications", 0, "unit_groups", 0, "choose_units"))),
    ("mobility units below the total are expected",
     lambda d: (_q(d).update(units_listed="mobility_only"), _unit(d).update(ecvet_points=10)),
     None),
    ("mobility units above the total",
     lambda d: (_q(d).update(units_listed="mobility_only"), _unit(d).update(ecvet_points=40)),
     ("error", "unit-points-exceed", ("qualifications", 0, "ecvet_points"))),
    ("full catalogue: optional units may exceed the total",
     lambda d: (_q(d).update(units_listed="full_catalogue"), _unit(d).update(compulsory=True),
                _second_unit(d, compulsory=False, ecvet_points=50)),
     None),
    ("full catalogue: compulsory units above the total",
     lambda d: (_q(d).update(units_listed="full_catalogue"),
                _second_unit(d, compulsory=True, ecvet_points=5)),
     ("error", "unit-points-exceed", ("qualifications", 0, "ecvet_points"))),
    ("full catalogue short of the total",
     lambda d: (_q(d).update(units_listed="full_catalogue"), _unit(d).update(ecvet_points=20)),
     ("warning", "unit-points-differ", ("qualifications", 0, "ecvet_points"))),
    ("annex with neither file nor url",
     lambda d: _unit(d).update(learning_outcomes_annex={"title": "Annex"}),
     ("error", "annex-source", ("qualifications", 0, "units", 0, "learning_outcomes_annex"))),
    ("annex in Word",
     lambda d: _unit(d).update(learning_outcomes_annex={"file": "annex.docx"}),
     ("error", "annex-file", ("qualifications", 0, "units", 0, "learning_outcomes_annex",
                              "file"))),
]


@pytest.mark.parametrize("mutate,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_new_rule(mutate, expected):
    # The base network is bilingual: a text the mutation adds in one language draws the
    # missing-translation warning (tests/source/test_checks.py), not this rule's finding.
    found = {f for f in findings(mutate) if f[1] != "missing-translation"}
    if expected is None:
        assert found == set()
    else:
        assert expected in found


def test_a_missing_or_escaping_annex_file_is_located(tmp_path):
    folder = tmp_path / "net"
    shutil.copytree(NETWORKS / "outcomes-annex", folder)
    (folder / "annexes" / "hot-dishes.pdf").unlink()
    text = (folder / "network.yaml").read_text(encoding="utf-8")
    (folder / "network.yaml").write_text(
        text.replace("annexes/cold-dishes.md", "../secret.md"), encoding="utf-8")
    found = {(d.code, d.path, d.message) for d in loader.load(folder, today=TODAY).errors}
    assert found == {
        ("annex-file", "qualifications[0].units[0].learning_outcomes_annex.file",
         "'../secret.md' leads outside the network folder"),
        ("annex-file", "qualifications[0].units[1].learning_outcomes_annex.file",
         "there is no file 'annexes/hot-dishes.pdf' in the network folder"),
    }


def test_today_is_irrelevant_to_the_draft_rules():
    loaded = loader.load(NETWORKS / "declaratory", today=dt.date(2040, 1, 1))
    assert {d.code for d in loaded.warnings} == {"no-signatory"}


def test_diff_names_the_new_keys_by_their_rule():
    from mouctl.changes import compare

    old = loader.load(NETWORKS / "shared-qualification", today=TODAY).network
    data = old.model_dump(mode="python")
    data["qualifications"][0]["units"][0]["code"] = "Unit 1"
    data["qualifications"][0]["variants"][2]["title"] = "Hotelnictví a turismus"
    data["organisations"] = [{"id": "snk", "name": "Slovak chamber", "country": "SK",
                              "roles": ["stakeholder"]}]
    found = {(c.section, c.field, c.rule, c.substantive)
             for c in compare.compare(old, Network.model_validate(data))}
    assert found == {
        ("organisations", "", "organisation-joined", True),
        ("qualifications", "variants", "qualification-variants", True),
        ("units", "code", "unit-code", False),
    }

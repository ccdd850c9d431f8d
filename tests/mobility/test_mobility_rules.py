"""Every rule of a mobility file, with its exact message (golden), on real files.

The network is the one `mouctl init` writes (Bremen sends, Tampere hosts), in a
folder without git, so the mobility is checked against the working-tree draft;
the rules that need releases and signatures are in test_mobility_framework.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mouctl import scaffold
from mouctl.mobility import register

TODAY = dt.date(2026, 3, 1)
BASE = """\
learner:
  name: Anna Schmidt
  email: anna.schmidt@example.org
sending: berufsschule-am-hafen
receiving: tampereen-ammattiopisto
start: 2026-04-13
end: 2026-05-08
language: en
units: [cook-u1]
credits: 20
"""
DONE = """\
steps:
  learning_agreement_signed: 2026-01-10
  completed: 2026-02-13
assessment:
  date: 2026-02-12
  assessor: {name: Liisa Virtanen, position: Teacher}
  units:
    - unit: cook-u1
      achieved: true
      points: 20
      result: passed
"""
PAST = {"start: 2026-04-13": "start: 2026-01-19", "end: 2026-05-08": "end: 2026-02-13"}


def network(tmp_path: Path) -> Path:
    folder = tmp_path / "net"
    folder.mkdir()
    files = scaffold._files(name="EuroCook Network", coordinator="Berufsschule am Hafen",
                            country="DE", today=dt.date(2026, 1, 15))
    (folder / "network.yaml").write_text(files["network.yaml"], encoding="utf-8")
    (folder / "mobilities").mkdir()
    return folder


def mobility_text(edits: dict[str, str], extra: str = "") -> str:
    text = BASE + extra
    for old, new in edits.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def findings(tmp_path: Path, text: str, *, name: str = "m1.yaml") -> list[str]:
    folder = network(tmp_path)
    (folder / "mobilities" / name).write_text(text, encoding="utf-8")
    checked = register.check_all(folder, today=TODAY)
    return [f"{d.where().replace(str(folder) + '/', '')}: {d.severity}: {d.path}: "
            f"{d.message} [{d.code}]" + (f"\n    hint: {d.hint}" if d.hint else "")
            for c in checked for d in c.diagnostics if d.code != "mou-not-released"]


# (case, edits of BASE, text appended, the code the rule reports)
CASES = [
    ("valid-plan", {}, "", None),
    ("valid-completed", PAST, DONE, None),
    ("unknown-unit", {"[cook-u1]": "[cook-u9]"}, "", "unknown-unit"),
    ("duplicate-unit", {"[cook-u1]": "[cook-u1, cook-u1]"}, "", "duplicate-unit"),
    ("not-a-partner", {"sending: berufsschule-am-hafen": "sending: school-lyon"}, "",
     "not-a-partner"),
    ("not-sending", {"sending: berufsschule-am-hafen": "sending: tampereen-ammattiopisto",
                     "receiving: tampereen-ammattiopisto": "receiving: berufsschule-am-hafen"},
     "", "not-sending"),
    ("same-organisation", {"sending: berufsschule-am-hafen":
                           "sending: tampereen-ammattiopisto"}, "", "same-organisation"),
    ("dates-order", {"end: 2026-05-08": "end: 2026-04-01"}, "", "dates-order"),
    ("before-validity", {"start: 2026-04-13": "start: 2026-01-05",
                         "end: 2026-05-08": "end: 2026-01-30"}, "", "before-validity"),
    ("after-validity", {"start: 2026-04-13": "start: 2029-08-06",
                        "end: 2026-05-08": "end: 2029-09-14"}, "", "after-validity"),
    ("too-short", {"end: 2026-05-08": "end: 2026-04-17"}, "", "too-short"),
    ("too-long", {"end: 2026-05-08": "end: 2026-08-28"}, "", "too-long"),
    ("credits-mismatch", {"credits: 20": "credits: 30"}, "", "credits-mismatch"),
    ("credits-of-two-units", {"[cook-u1]": "[cook-u1, cook-u2]"}, "", "credits-mismatch"),
    ("step-in-future", {}, "steps:\n  learning_agreement_signed: 2026-03-02\n",
     "step-in-future"),
    ("step-missing", PAST, "steps:\n  completed: 2026-02-13\n", "step-missing"),
    ("step-order", PAST, DONE.replace("completed: 2026-02-13", "completed: 2026-01-10")
     .replace("date: 2026-02-12", "date: 2026-01-19")
     .replace("signed: 2026-01-10", "signed: 2026-01-12"), "step-order"),
    ("agreement-after-start", PAST, DONE.replace("signed: 2026-01-10", "signed: 2026-01-21"),
     "agreement-after-start"),
    ("completed-before-start", PAST, DONE.replace("completed: 2026-02-13",
                                                  "completed: 2026-01-18")
     , "completed-before-start"),
    ("recognition-without-assessment", PAST,
     "steps:\n  learning_agreement_signed: 2026-01-10\n  completed: 2026-02-13\n"
     "  recognition_decided: 2026-02-20\n", "recognition-without-assessment"),
    ("assessment-without-agreement", PAST,
     DONE.replace("steps:\n  learning_agreement_signed: 2026-01-10\n"
                  "  completed: 2026-02-13\n", ""), "assessment-without-agreement"),
    ("assessment-before-start", PAST, DONE.replace("date: 2026-02-12", "date: 2026-01-12"),
     "assessment-before-start"),
    ("assessment-in-future", PAST, DONE.replace("date: 2026-02-12", "date: 2026-03-12"),
     "step-in-future"),
    ("unit-not-agreed", PAST, DONE.replace("unit: cook-u1", "unit: cook-u2"),
     "unit-not-agreed"),
    ("unit-not-assessed", {**PAST, "credits: 20": "credits: 50",
                           "[cook-u1]": "[cook-u1, cook-u2]"}, DONE, "unit-not-assessed"),
    ("points-exceed", PAST, DONE.replace("points: 20", "points: 25"), "points-exceed"),
    ("points-not-achieved", PAST, DONE.replace("achieved: true", "achieved: false"),
     "points-not-achieved"),
    ("duplicate-result", PAST, DONE + "    - unit: cook-u1\n      achieved: false\n",
     "duplicate-unit"),
]


@pytest.mark.parametrize(("case", "edits", "extra", "code"), CASES,
                         ids=[c[0] for c in CASES])
def test_rule(tmp_path, golden, case, edits, extra, code):
    found = findings(tmp_path, mobility_text(edits, extra))
    golden(f"mobility/rules/{case}.txt", "\n".join(found) + "\n")
    if code is None:
        assert found == []
    else:
        assert any(f"[{code}]" in line for line in found), found


def test_unit_not_hosted(tmp_path, golden):
    folder = network(tmp_path)
    net = folder / "network.yaml"
    net.write_text(net.read_text().replace(
        "roles: [coordinator, competent_institution, sending]",
        "roles: [coordinator, competent_institution, sending, receiving]"), encoding="utf-8")
    text = mobility_text({"sending: berufsschule-am-hafen": "sending: tampereen-ammattiopisto",
                          "receiving: tampereen-ammattiopisto":
                          "receiving: berufsschule-am-hafen"})
    (folder / "mobilities" / "m1.yaml").write_text(text, encoding="utf-8")
    found = [f"{d.path}: {d.message} [{d.code}]"
             for c in register.check_all(folder, today=TODAY) for d in c.diagnostics]
    assert found == [
        ": the MoU has no release yet: the mobility is checked against the working-tree "
        "data, a draft nobody has signed [mou-not-released]",
        "sending: 'tampereen-ammattiopisto' does not hold the sending role in the MoU "
        "draft [not-sending]",
        "units[0]: 'berufsschule-am-hafen' may not host unit 'cook-u1' in the MoU draft "
        "(hosts: tampereen-ammattiopisto) [unit-not-hosted]"]


def test_every_problem_of_a_file_at_once_with_line_and_column(tmp_path, golden):
    text = mobility_text({"start: 2026-04-13": "start: 2026-13-01",
                          "language: en": "language: English",
                          "credits: 20": "credits: twenty"},
                         "mentor: {name: Liisa Virtanen, phone: 0401 2345}\nmentr: x\n")
    found = findings(tmp_path, text)
    golden("mobility/all-at-once.txt", "\n".join(found) + "\n")
    assert [line.split(": ")[0] for line in found if not line.startswith("    ")] == [
        "mobilities/m1.yaml:6:8", "mobilities/m1.yaml:8:11", "mobilities/m1.yaml:10:10",
        "mobilities/m1.yaml:12:1"]


def test_syntax_error_and_duplicate_key_are_located(tmp_path):
    found = findings(tmp_path, BASE + "sending: other\nunits: [a\n")
    assert len(found) == 1 and found[0].startswith("mobilities/m1.yaml:12:"), found
    (tmp_path / "2").mkdir()
    found = findings(tmp_path / "2", BASE + "sending: other\n")
    assert found[0].startswith("mobilities/m1.yaml:11:1: error: sending: duplicate key "
                               "'sending' (first given at line 4)"), found


def test_a_file_name_that_is_not_an_id(tmp_path):
    found = findings(tmp_path, BASE, name="anna schmidt.yaml")
    assert found[0].startswith("mobilities/anna schmidt.yaml:1:1: error: : the file name "
                               "'anna schmidt.yaml' is not a valid mobility id [bad-id]")


def test_state_follows_the_steps(tmp_path):
    from mouctl.mobility.model import Mobility, State
    from mouctl.source import yamldoc

    m = Mobility.model_validate(yamldoc.read("m1.yaml", mobility_text(PAST, DONE).encode()).data)
    assert m.state() is State.completed
    m.steps.completed = None
    assert m.state() is State.agreed
    m.steps.learning_agreement_signed = None
    assert m.state() is State.planned
    m.steps.recognition_decided = dt.date(2026, 2, 20)
    assert m.state() is State.recognised


def test_credits_of_a_unit_without_points(tmp_path):
    folder = network(tmp_path)
    net = folder / "network.yaml"
    text = net.read_text()
    assert text.count("        ecvet_points: 20\n") == 1
    net.write_text(text.replace("        ecvet_points: 20\n", ""), encoding="utf-8")
    (folder / "mobilities" / "m1.yaml").write_text(BASE, encoding="utf-8")
    found = [f"{d.where().split('/')[-1]}: {d.path}: {d.message} [{d.code}]"
             for c in register.check_all(folder, today=TODAY) for d in c.diagnostics
             if d.code != "mou-not-released"]
    assert found == ["m1.yaml:10:10: credits: unit(s) cook-u1 have no ECVET points in the "
                     "MoU, so the credits cannot be checked [credits-unknown]"]


def test_an_invalid_network_is_named_not_guessed(tmp_path):
    folder = network(tmp_path)
    net = folder / "network.yaml"
    net.write_text(net.read_text().replace("eqf_level: 4", "eqf_level: 9"), encoding="utf-8")
    (folder / "mobilities" / "m1.yaml").write_text(BASE, encoding="utf-8")
    [checked] = register.check_all(folder, today=TODAY)
    assert checked.mou is None
    assert [f"{d.where().split('/')[-1]}: {d.message} [{d.code}]"
            for d in checked.diagnostics] == [
        "m1.yaml:1:1: the network data has errors, so the mobility cannot be checked "
        "against it [mou-invalid]"]

"""The bundled example networks stay valid, warning-free and renderable.

A newcomer's first command runs on one of these folders, so a warning here is a
bug: the examples must pass `validate --strict` today (whatever the date on the
machine) and on the fixed test date, and render without a warning.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import EXAMPLES

EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "network.yaml").is_file())


def test_the_examples_are_bundled():
    assert {"bilateral", "consortium"} <= set(EXAMPLE_NAMES)


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
@pytest.mark.parametrize("today", ["2026-03-01", None], ids=["test-date", "real-date"])
def test_example_validates_strictly_without_findings(run, monkeypatch, name, today):
    if today is None:
        monkeypatch.delenv("MOUCTL_TODAY")
    result = run("validate", "--strict", "--format", "json", "-N", str(EXAMPLES / name))
    report = json.loads(result.stdout)
    assert report["diagnostics"] == [] and report["valid"] is True
    assert result.code == 0, result.output


def test_bilateral_example_is_two_schools_and_one_qualification():
    from mouctl.source import loader as source

    n = source.load_or_raise(EXAMPLES / "bilateral")
    assert len(n.partners) == 2 and len({p.country for p in n.partners}) == 2
    assert len(n.qualifications) == 1


def test_consortium_example_has_the_roles_and_languages_it_promises():
    from mouctl.model.network import Role
    from mouctl.source import loader as source

    n = source.load_or_raise(EXAMPLES / "consortium")
    roles = {r for p in n.partners for r in p.roles}
    assert {Role.competent_institution, Role.intermediary, Role.coordinator} <= roles
    assert len({p.country for p in n.partners}) >= 4
    assert len(n.qualifications) == 2
    assert len(n.languages) == 2
    assert isinstance(n.title, dict) and set(n.title) == set(n.languages)


def test_example_learning_outcomes_speak_the_domain_language():
    from mouctl.model.network import text
    from mouctl.source import loader as source

    for name in EXAMPLE_NAMES:
        n = source.load_or_raise(EXAMPLES / name)
        for _, unit in n.units():
            lo = unit.learning_outcomes
            for outcome in [*lo.knowledge, *lo.skills, *lo.competence]:
                assert text(outcome, "en").startswith("The learner is able to"), (name, unit.id)


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_example_renders_without_warnings(run, tmp_path, name):
    out = tmp_path / f"{name}.md"
    result = run("render", "-N", str(EXAMPLES / name), "-o", str(out))
    assert result.code == 0, result.output
    assert "warning" not in result.stderr.lower(), result.stderr
    assert out.stat().st_size > 1000

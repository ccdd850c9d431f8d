"""Issue 10's rules out of the CLI: what stdout carries, and core rules every command shares."""

from __future__ import annotations

from tests.gitnet import NetRepo

CUSTOM = """{% extends "default/mou.md.j2" %}
{% block objectives %}
## 1. {{ t.sections.objectives }}

OUR OWN OBJECTIVES WORDING: {{ mou.title }}
{% endblock %}
"""


def test_diff_rendered_uses_the_networks_own_template(tmp_path, run):
    r = NetRepo.create(tmp_path / "net")
    (r.folder / "templates").mkdir()
    (r.folder / "templates" / "mou.md.j2").write_text(CUSTOM, encoding="utf-8")
    r.commit("Own wording of the objectives")
    r.edit('title: "EuroCook Network"', 'title: "EuroCook Alliance"')
    result = run("diff", "--rendered", "--format", "md", cwd=r.folder)
    assert result.code == 0, result.output
    # Both sides rendered with the network's template, as `mouctl render` does: the
    # changed title shows inside the network's own wording of the objectives.
    assert "OUR OWN OBJECTIVES WORDING" in result.stdout
    rendered = run("render", cwd=r.folder)
    assert "OUR OWN OBJECTIVES WORDING" in rendered.stdout


def test_render_to_stdout_on_a_network_with_warnings_carries_only_the_document(tmp_path, run):
    r = NetRepo.create(tmp_path / "net")
    # A second language without translations: render warns about the fallback.
    r.edit("languages: [en]", "languages: [en, sv]")
    validate = run("validate", cwd=r.folder)
    assert validate.code == 0, validate.output
    result = run("render", cwd=r.folder)
    assert result.code == 0, result.output
    assert result.stdout.startswith("# "), result.stdout[:200]
    assert "warning" not in result.stdout
    assert "error" not in result.stdout.lower().split("\n")[0]


def test_render_of_invalid_data_prints_diagnostics_to_stderr_only(tmp_path, run):
    r = NetRepo.create(tmp_path / "net")
    r.edit("eqf_level: 4", "eqf_level: eleven")
    result = run("render", cwd=r.folder)
    assert result.code == 1
    assert result.stdout == ""
    assert "network.yaml:" in result.stderr and "eqf_level" in result.stderr


def test_validate_report_stays_on_stdout(tmp_path, run):
    r = NetRepo.create(tmp_path / "net")
    r.edit("eqf_level: 4", "eqf_level: eleven")
    result = run("validate", cwd=r.folder)
    assert result.code == 1
    assert "network.yaml:" in result.stdout and "eqf_level" in result.stdout

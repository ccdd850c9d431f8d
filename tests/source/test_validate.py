"""`mouctl validate`: every problem at once, located, with golden messages."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import git

ERROR_CLASSES = {
    # issue 2, part 3: each class gets its own clear message
    "syntax-colon": b"title: Cook: basics\n",
    "unclosed-quote": b'title: "Cook\nlanguages: [en]\n',
    "tab-indent": b"title: x\npartners:\n\t- id: a\n",
    "bad-indent": b"title: x\npartners:\n  - id: a\n   name: b\n",
    "merge-conflict": b"title: x\n<<<<<<< HEAD\nvalid_until: 2028-01-01\n=======\n"
                      b"valid_until: 2029-01-01\n>>>>>>> partner-edits\n",
    "latin-1": "title: Lycée\n".encode("latin-1"),
    "empty": b"",
    "only-comments": b"# nothing here yet\n",
    "list-at-top": b"- title: x\n",
    "duplicate-top-key": b"title: a\ntitle: b\n",
    "unknown-field": b"title: a\nvalid_untill: 2028-01-01\n",
    "bad-date": b"title: a\nvalid_from: 2026-02-30\n",
    "python-tag": b"title: !!python/object/apply:os.system ['echo hi']\n",
    "wrong-type": b"title: a\nlanguages: en\n",
    "bad-language": b"title: {EN: a}\n",
}


@pytest.mark.parametrize("case", sorted(ERROR_CLASSES))
def test_error_classes_have_clear_located_messages(case, run, tmp_path, golden):
    folder = tmp_path / case
    folder.mkdir()
    (folder / "network.yaml").write_bytes(ERROR_CLASSES[case])
    result = run("validate", cwd=folder)
    assert result.code == 1
    assert "Traceback" not in result.output
    golden(f"validate/class-{case}.txt", result.output)


def test_minimal_network_is_valid(run, network, golden):
    result = run("validate", cwd=network("minimal"))
    assert result.code == 0, result.output
    golden("validate/minimal.txt", result.output)


def test_hand_broken_network_reports_every_problem_with_its_line(run, network, golden):
    result = run("validate", cwd=network("broken"))
    assert result.code == 1
    out = result.stdout
    # duplicate key, EQF 9, unknown partner id, bad country: all in one run
    assert "network.yaml:15:5: error: partners[1].signatory: duplicate key" in out
    assert "network.yaml:21:16: error: qualifications[0].eqf_level: EQF level 9" in out
    assert "hosts[0]: host 'school-athen' is not an id in this network" in out
    assert "did you mean 'school-athens'?" in out
    assert "partners[1].country: 'Greece' is not a two-letter country code" in out
    golden("validate/broken.txt", result.output)


def test_split_files_are_located_in_their_own_file(run, network, golden):
    result = run("validate", cwd=network("split"))
    assert result.code == 1
    assert "partners/wrong-name.yaml:1:5: error: partners[2].id: id 'escola-porto' " \
           "does not match the file name 'wrong-name.yaml'" in result.stdout
    assert "qualifications/cook.yaml:15:25: error: qualifications[0].units[0].hosts[1]" \
           in result.stdout
    golden("validate/split.txt", result.output)


def test_split_layout_loads_as_if_inline(network, tmp_path):
    from mouctl.source import loader as source

    folder = network("split")
    (folder / "partners" / "wrong-name.yaml").unlink()
    text = (folder / "qualifications" / "cook.yaml").read_text()
    (folder / "qualifications" / "cook.yaml").write_text(text.replace(", unknown-host", ""))
    split = source.load(folder).require()
    inline = folder.parent / "inline"
    inline.mkdir()
    data = (folder / "network.yaml").read_text()
    data += "  - " + (folder / "partners" / "lycee-lyon.yaml").read_text().replace(
        "\n", "\n    ").rstrip() + "\n"
    data += "qualifications:\n  - " + (folder / "qualifications" / "cook.yaml").read_text(
    ).replace("\n", "\n    ").rstrip() + "\n"
    (inline / "network.yaml").write_text(data)
    assert source.load(inline).require() == split
    assert [p.id for p in split.partners] == ["bs-bremen", "lycee-lyon"]


def test_json_format_lists_every_field(run, network):
    result = run("validate", "--format", "json", cwd=network("broken"))
    assert result.code == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False and report["errors"] >= 2 and "mouctl" in report
    items = report["diagnostics"]
    assert report["errors"] + report["warnings"] == len(items)
    assert {tuple(sorted(i)) for i in items} == {
        ("code", "column", "file", "hint", "line", "message", "path", "severity")}
    codes = [i["code"] for i in items]
    assert codes.count("duplicate-key") == 1 and "eqf-range" in codes
    first = items[0]
    assert first["file"] == "network.yaml" and isinstance(first["line"], int)


def test_strict_turns_warnings_into_failure(run, network):
    folder = network("minimal")
    text = (folder / "network.yaml").read_text().replace("eqf_level: 4", "eqf_level: 6")
    (folder / "network.yaml").write_text(text)
    assert run("validate", cwd=folder).code == 0
    strict = run("validate", "--strict", cwd=folder)
    assert strict.code == 1
    assert "eqf-high" in strict.stdout and "warnings fail with --strict" in strict.stderr
    # --quiet never hides the reason for a failure.
    quiet = run("-q", "validate", "--strict", cwd=folder)
    assert quiet.code == 1 and "eqf-high" in quiet.stdout
    assert "eqf-high" not in run("-q", "validate", cwd=folder).stdout


def test_network_option_points_at_another_folder(run, network, tmp_path):
    folder = network("minimal")
    result = run("validate", "--network", str(folder), cwd=tmp_path)
    assert result.code == 0
    assert run("validate", "-N", str(folder), cwd=tmp_path).code == 0


def test_missing_network_gives_a_hint(run, tmp_path):
    result = run("validate", cwd=tmp_path)
    assert result.code == 1
    assert result.stderr.startswith("error: no network.yaml in this folder or any folder above")
    assert "mouctl init" in result.stderr


def test_expiry_warnings_follow_the_date(run, network):
    folder = network("minimal")
    assert "validity" not in run("validate", cwd=folder).output
    soon = run("validate", cwd=folder, env={"MOUCTL_TODAY": "2029-07-01"})
    assert "validity-ending" in soon.stdout and soon.code == 0
    late = run("validate", cwd=folder, env={"MOUCTL_TODAY": "2030-01-01"})
    assert "the MoU expired on 2029-08-31" in late.stdout


def test_network_validates_against_json_schema_with_check_jsonschema(run, network, tmp_path):
    """A real client (check-jsonschema) accepts our schema and our example data."""
    import sys
    from pathlib import Path

    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or \
        shutil.which("check-jsonschema")
    if exe is None:
        pytest.skip("check-jsonschema is not installed")
    import subprocess

    schema = tmp_path / "network.schema.json"
    assert run("schema", "-o", str(schema)).code == 0
    folder = network("minimal")
    ok = subprocess.run([exe, "--schemafile", str(schema), str(folder / "network.yaml")],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\npartners:\n  - id: a\n    nmae: b\n")
    failed = subprocess.run([exe, "--schemafile", str(schema), str(bad)],
                            capture_output=True, text=True)
    assert failed.returncode == 1 and "nmae" in failed.stdout


def test_validate_reads_only_the_work_tree_not_git(run, network):
    folder = network("minimal")
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "start")
    (folder / "network.yaml").write_text("title: [\n")
    assert run("validate", cwd=folder).code == 1


def test_symlink_loop_is_reported_not_a_crash(run, network):
    folder = network("minimal")
    (folder / "partners").mkdir()
    (folder / "partners" / "loop.yaml").symlink_to("loop.yaml")
    result = run("validate", cwd=folder)
    assert result.code == 1
    assert "partners/loop.yaml: error: the file is a symbolic link that leads nowhere" \
        in result.stdout
    assert "internal error" not in result.output

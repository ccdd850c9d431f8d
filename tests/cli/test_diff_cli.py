"""`mouctl diff` on real git repositories: golden outputs, exit codes, git states."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import Result
from tests.gitnet import COORDINATOR, PARTNER, NetRepo


@pytest.fixture
def mouctl(capsys):
    """Run mouctl in this process (fast); `run` runs it as a real process."""
    from mouctl.cli import main

    def _mouctl(*args: str, cwd) -> Result:
        capsys.readouterr()
        code = main(["diff", *args[1:], "--network", str(cwd)] if args[0] == "diff"
                    else list(args))
        out = capsys.readouterr()
        return Result(code, out.out, out.err)

    return _mouctl


@pytest.fixture
def repo(tmp_path) -> NetRepo:
    """A network released as 1.0, then amended: points, an outcome, a contact, validity."""
    r = NetRepo.create(tmp_path / "net")
    r.tag("mou-v1.0", "Release 1.0")
    r.edit("ecvet_points: 20", "ecvet_points: 25")
    r.edit("            - The learner is able to prepare salads, dressings and cold starters "
           "to a recipe.\n",
           "            - The learner is able to prepare salads, dressings and cold starters "
           "to a recipe.\n            - The learner is able to plate cold starters for a "
           "buffet.\n")
    r.edit("mobility@example.net", "erasmus@example.net")
    r.commit("Cold dishes: more points and an outcome; new contact e-mail")
    r.edit("valid_until: ", "valid_until: 2031-08-31  # was ")
    return r


def test_diff_from_the_last_release_to_the_working_tree(repo, run, golden):
    result = run("diff", cwd=repo.folder)
    assert result.code == 0, result.output
    assert result.stderr == ""
    golden("diff/release-to-working-tree.txt", result.stdout)
    assert "Changes from mou-v1.0 (data " in result.stdout
    assert "ecvet_points 20 -> 25  [substantive: unit-points]" in result.stdout
    assert run("diff", "--exit-code", cwd=repo.folder).code == 5


def test_diff_json(repo, mouctl, golden):
    result = mouctl("diff", "--format", "json", cwd=repo.folder)
    assert result.code == 0, result.output
    golden("diff/release-to-working-tree.json", result.stdout)
    data = json.loads(result.stdout)
    assert data["old"]["revision"] == "mou-v1.0" and data["new"]["revision"] is None
    assert data["must_sign"] == [COORDINATOR, PARTNER]
    assert {c["rule"] for c in data["changes"]} == {
        "contact-details", "unit-points", "learning-outcomes", "validity"}


def test_diff_between_two_revisions(repo, mouctl):
    result = mouctl("diff", "HEAD~1", "HEAD", "--format", "json", cwd=repo.folder)
    assert result.code == 0, result.output
    data = json.loads(result.stdout)
    assert data["old"]["label"] == "HEAD~1" and data["new"]["label"] == "HEAD"
    assert "validity" not in {c["rule"] for c in data["changes"]}
    # The second time both versions come from the parse cache in the git folder.
    assert (repo.root / ".git" / "mouctl-cache" / "cache.sqlite3").is_file()
    again = mouctl("diff", "HEAD~1", "HEAD", "--format", "json", cwd=repo.folder)
    assert again.stdout == result.stdout


def test_without_a_release_diff_starts_at_head(tmp_path, mouctl):
    r = NetRepo.create(tmp_path / "net")
    r.edit("min_weeks: 2", "min_weeks: 3")
    result = mouctl("diff", cwd=r.folder)
    assert result.stdout.startswith("Changes from HEAD (data ")
    assert "mobility_duration.min_weeks 2 -> 3  [substantive: mobility-duration]" \
        in result.stdout


@pytest.mark.parametrize(("edit", "expected"), [
    (None, 0),
    (("mobility@example.net", "erasmus@example.net"), 1),
    (("position: Principal", "position: Head of School"), 1),
    (("ecvet_points: 20", "ecvet_points: 25"), 5),
])
def test_exit_code(tmp_path, mouctl, edit, expected):
    r = NetRepo.create(tmp_path / "net")
    if edit:
        r.edit(*edit)
    assert mouctl("diff", "--exit-code", cwd=r.folder).code == expected
    assert mouctl("diff", cwd=r.folder).code == 0


def test_no_changes(tmp_path, mouctl):
    r = NetRepo.create(tmp_path / "net")
    result = mouctl("diff", cwd=r.folder)
    assert result.code == 0
    assert "No changes from HEAD to working tree." in result.stdout


def test_only_administrative_changes_need_no_signature(tmp_path, mouctl):
    r = NetRepo.create(tmp_path / "net")
    r.edit("mobility@example.net", "erasmus@example.net")
    result = mouctl("diff", cwd=r.folder)
    assert "No re-signing needed" in result.stdout
    assert "Must sign" not in result.stdout


def test_partner_moved_to_a_split_file_is_no_change(tmp_path, mouctl):
    """The model is the same whether a partner is inline or in partners/ID.yaml."""
    r = NetRepo.create(tmp_path / "net")
    text = r.network_yaml.read_text()
    start = text.index(f"  - id: {PARTNER}")
    end = text.index("# Section 4")
    block = "\n".join(line[4:] for line in text[start:end].splitlines()).strip() + "\n"
    (r.folder / "partners").mkdir()
    (r.folder / "partners" / f"{PARTNER}.yaml").write_text(block)
    r.network_yaml.write_text(text[:start] + text[end:])
    r.commit("Move the partner abroad into its own file")
    result = mouctl("diff", "HEAD~1", "HEAD", "--exit-code", cwd=r.folder)
    assert result.code == 0, result.output
    assert "No changes from HEAD~1 to HEAD." in result.stdout
    # ... and back again, with an edit: only the edit shows.
    (r.folder / "partners" / f"{PARTNER}.yaml").unlink()
    r.network_yaml.write_text(text.replace("mobility@example.net", "erasmus@example.net"))
    result = mouctl("diff", "HEAD", "--format", "json", "--exit-code", cwd=r.folder)
    assert result.code == 1, result.output
    assert [c["field"] for c in json.loads(result.stdout)["changes"]] == ["contact.email"]


def test_partner_id_renamed_everywhere_shows_one_rename(tmp_path, mouctl):
    r = NetRepo.create(tmp_path / "net")
    r.network_yaml.write_text(r.network_yaml.read_text().replace(PARTNER, "tampere-vet"))
    result = mouctl("diff", "--format", "json", "--exit-code", cwd=r.folder)
    assert result.code == 1, result.output
    (change,) = json.loads(result.stdout)["changes"]
    assert (change["action"], change["old"], change["new"], change["rule"]) == (
        "renamed", PARTNER, "tampere-vet", "id-renamed")


def test_invalid_data_is_shown_as_diagnostics(tmp_path, run):
    r = NetRepo.create(tmp_path / "net")
    r.edit("eqf_level: 4", "eqf_level: eleven")
    result = run("diff", cwd=r.folder)
    assert result.code == 1
    assert "Traceback" not in result.output
    # Diagnostics go to standard error: standard output carries only what was asked for.
    assert result.stdout == ""
    assert "The network data at working tree is not valid:" in result.stderr
    assert "network.yaml:" in result.stderr  # the diagnostic, with its file and line
    assert "cannot compare: the network data at working tree has errors" in result.stderr
    assert run("diff", "--exit-code", cwd=r.folder).code == 4


def test_invalid_data_at_an_old_revision_in_json(tmp_path, mouctl):
    r = NetRepo.create(tmp_path / "net")
    r.edit("eqf_level: 4", "eqf_level: [4")
    r.commit("Broken YAML")
    r.edit("eqf_level: [4", "eqf_level: 4")
    result = mouctl("diff", "HEAD", "--format", "json", cwd=r.folder)
    assert result.code == 1
    data = json.loads(result.stdout)
    assert data["valid"] is False and data["old"]["valid"] is False
    assert data["old"]["diagnostics"][0]["file"] == "HEAD:network.yaml"
    assert data["changes"] == []


def test_unknown_revision(tmp_path, mouctl):
    r = NetRepo.create(tmp_path / "net")
    result = mouctl("diff", "mou-v9", cwd=r.folder)
    assert result.code == 1
    assert "error: unknown revision 'mou-v9'" in result.stderr
    assert mouctl("diff", "mou-v9", "--exit-code", cwd=r.folder).code == 4


def test_not_a_repository(tmp_path, mouctl):
    r = NetRepo.create(tmp_path / "net")
    shutil.rmtree(r.root / ".git")
    result = mouctl("diff", cwd=r.folder)
    assert result.code == 1
    assert "is not in a git repository" in result.stderr


def test_format_md_needs_rendered(tmp_path, mouctl):
    r = NetRepo.create(tmp_path / "net")
    result = mouctl("diff", "--format", "md", cwd=r.folder)
    assert result.code == 2
    assert "add --rendered" in result.stderr


def test_output_file_is_written(repo, mouctl):
    target = repo.root.parent / "changes.txt"
    result = mouctl("diff", "-o", str(target), cwd=repo.folder)
    assert result.code == 0, result.output
    assert target.read_text().startswith("Changes from mou-v1.0")


def test_rendered_redline_markdown(repo, mouctl, golden):
    result = mouctl("diff", "--rendered", "--format", "md", cwd=repo.folder)
    assert result.code == 0, result.output
    golden("diff/release-to-working-tree.redline.md", result.stdout)
    assert "## Summary of changes" in result.stdout
    assert "| ECVET points | <del>20</del><ins>25</ins> |" in result.stdout
    assert "<ins>The learner is able to plate cold starters for a buffet.</ins>" \
        in result.stdout


def test_rendered_redline_in_the_terminal(repo, mouctl):
    result = mouctl("diff", "--rendered", "--exit-code", cwd=repo.folder)
    assert result.code == 5
    # The summary of changes first (verdict, who signs), then the folded redline.
    assert result.stdout.startswith("Changes from mou-v1.0 ")
    assert "Must sign the amended MoU:" in result.stdout
    assert "Redline from mou-v1.0 to working tree: " in result.stdout
    assert "[-20-]{+25+}" in result.stdout


def test_rendered_redline_html_file(repo, mouctl):
    target = repo.root.parent / "amendment.html"
    result = mouctl("diff", "--rendered", "--format", "html", "-o", str(target),
                    cwd=repo.folder)
    assert result.code == 0, result.output
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<del>20</del><ins>25</ins>" in html


def test_rendered_has_no_json_form(repo, mouctl):
    result = mouctl("diff", "--rendered", "--format", "json", cwd=repo.folder)
    assert result.code == 2
    assert "--format json" in result.stderr


def test_no_commits_yet(tmp_path, mouctl):
    r = NetRepo.create(tmp_path / "net", commit=False)
    result = mouctl("diff", cwd=r.folder)
    assert result.code == 1
    assert "no commits yet" in result.stderr


def test_detached_head(repo, mouctl):
    repo.git("stash", "-q")
    repo.git("checkout", "-q", "--detach", "mou-v1.0")
    result = mouctl("diff", "HEAD", "main", "--format", "json", cwd=repo.folder)
    assert result.code == 0, result.output
    assert {c["rule"] for c in json.loads(result.stdout)["changes"]} == {
        "contact-details", "unit-points", "learning-outcomes"}


def test_split_partner_file_deleted_between_revisions(tmp_path, mouctl):
    r = NetRepo.create(tmp_path / "net")
    text = r.network_yaml.read_text()
    start, end = text.index(f"  - id: {PARTNER}"), text.index("# Section 4")
    block = "\n".join(line[4:] for line in text[start:end].splitlines()).strip() + "\n"
    (r.folder / "partners").mkdir()
    (r.folder / "partners" / f"{PARTNER}.yaml").write_text(block)
    r.network_yaml.write_text(text[:start] + text[end:])
    r.commit("Split the partner abroad")
    tag = "mou-v1.0"
    r.tag(tag, "Release 1.0")
    # The partner leaves: its file goes, and so do the references to it.
    r.git("rm", "-q", f"partners/{PARTNER}.yaml")
    kept = r.network_yaml.read_text()
    kept = kept.replace(f"reviewers: [{COORDINATOR}, {PARTNER}]", f"reviewers: [{COORDINATOR}]")
    kept = kept.replace(f"assessed_by: [{PARTNER}]", f"assessed_by: [{COORDINATOR}]")
    kept = kept.replace(f"hosts: [{PARTNER}]", f"hosts: [{COORDINATOR}]")
    r.network_yaml.write_text(kept)
    r.commit("The Finnish partner leaves")
    result = mouctl("diff", "--format", "json", "--exit-code", cwd=r.folder)
    assert result.code == 5, result.output
    data = json.loads(result.stdout)
    left = [c for c in data["changes"] if c["field"] == ""]
    assert [(c["item"], c["action"], c["rule"]) for c in left] == [
        (PARTNER, "removed", "partner-left")]
    assert data["must_sign"] == [COORDINATOR]


def test_usage_errors_under_exit_code_stay_2(tmp_path, mouctl):
    r = NetRepo.create(tmp_path / "net")
    result = mouctl("diff", "--format", "md", "--exit-code", cwd=r.folder)
    assert result.code == 2 and "add --rendered" in result.stderr

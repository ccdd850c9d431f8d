"""Which release a mobility rests on, in a real git repository with real signatures;
and `diff`/`release` naming the open mobilities an amendment touches, on the terminal only.
"""

from __future__ import annotations

import datetime as dt

from mouctl.mobility import register
from tests.conftest import ROOT
from tests.gitnet import COORDINATOR, PARTNER, NetRepo, git

TODAY = dt.date(2026, 3, 1)


def mobility(start: str, end: str, units: str = "[cook-u1]") -> str:
    return (f"learner: {{name: Anna Schmidt, email: anna.schmidt@example.org}}\n"
            f"sending: {COORDINATOR}\nreceiving: {PARTNER}\n"
            f"start: {start}\nend: {end}\nlanguage: en\nunits: {units}\n")


def repo_with_release(tmp_path, run):
    repo = NetRepo.create(tmp_path / "net")
    result = run("release", "1.0", "-m", "First version", cwd=repo.folder)
    assert result.code == 0, result.output
    (repo.folder / "mobilities").mkdir()
    return repo


def sign(run, repo, partner: str, date: str, release: str | None = None):
    # The signatory the scaffold names, as `sign` requires; another one needs --force.
    signatory = {"berufsschule-am-hafen": "Thomas Brandt",
                 "tampereen-ammattiopisto": "Jukka Mäkinen"}.get(partner)
    args = ["sign", partner, "--signatory", signatory or "Someone", "--place", "Bremen",
            "--date", date, *([] if signatory else ["--force"])]
    result = run(*args, *(["--release", release] if release else []), cwd=repo.folder)
    assert result.code == 0, result.output


def check(repo, text: str) -> tuple[str | None, list[str]]:
    (repo.folder / "mobilities" / "m1.yaml").write_text(text, encoding="utf-8")
    [checked] = register.check_all(repo.folder, today=TODAY)
    return (checked.mou.label if checked.mou else None,
            [f"{d.where().split('/')[-1]}: {d.path}: {d.message} [{d.code}]"
             for d in checked.diagnostics])


def test_a_started_mobility_rests_on_the_release_in_force_at_its_start(tmp_path, run):
    repo = repo_with_release(tmp_path, run)
    assert check(repo, mobility("2026-02-09", "2026-02-27")) == (None, [
        "m1.yaml:4:8: start: no release of the MoU was in force on 2026-02-09 (signed by "
        "all its partners by that day) [no-mou-in-force]"])
    sign(run, repo, COORDINATOR, "2026-02-01")
    sign(run, repo, PARTNER, "2026-02-03")
    assert check(repo, mobility("2026-02-09", "2026-02-27")) == ("mou-v1.0", [])
    # Signed after the start: the MoU was not yet in force on the first day.
    assert check(repo, mobility("2026-02-02", "2026-02-20"))[1] == [
        "m1.yaml:4:8: start: no release of the MoU was in force on 2026-02-02 (signed by "
        "all its partners by that day) [no-mou-in-force]"]


def test_a_future_mobility_rests_on_the_latest_release_both_are_bound_by(tmp_path, run):
    repo = repo_with_release(tmp_path, run)
    sign(run, repo, COORDINATOR, "2026-02-01")
    assert check(repo, mobility("2026-04-13", "2026-05-08")) == (None, [
        f"m1.yaml:4:8: start: no release of the MoU is signed by both '{COORDINATOR}' and "
        f"'{PARTNER}' [not-bound]"])
    sign(run, repo, PARTNER, "2026-02-03")
    # An amendment replaces cook-u1 (new id, new points: substantive); nobody has
    # signed 1.1 yet, so 1.0 still holds.
    repo.edit("      - id: cook-u1", "      - id: cook-u1-old")
    repo.edit("ecvet_points: 20", "ecvet_points: 25")
    repo.commit("Rename the cold dishes unit")
    assert run("release", "1.1", "-m", "Units renamed", cwd=repo.folder).code == 0
    assert check(repo, mobility("2026-04-13", "2026-05-08")) == ("mou-v1.0", [])
    sign(run, repo, COORDINATOR, "2026-02-20", "1.1")
    sign(run, repo, PARTNER, "2026-02-21", "1.1")
    assert check(repo, mobility("2026-04-13", "2026-05-08")) == ("mou-v1.1", [
        "m1.yaml:7:9: units[0]: unit 'cook-u1' is not in mou-v1.1 [unknown-unit]"])


def test_a_partner_that_has_not_signed_is_named(tmp_path, run):
    repo = repo_with_release(tmp_path, run)
    sign(run, repo, COORDINATOR, "2026-02-01")
    sign(run, repo, PARTNER, "2026-02-03")
    # 1.1 adds a third partner who signs; the host (Tampere) has not signed 1.1.
    repo.edit("qualifications:", """  - id: ecole-lyon
    name: École hôtelière de Lyon
    country: FR
    roles: [sending]
    signatory: {name: Claire Martin, position: Directrice}

qualifications:""")
    repo.commit("Lyon joins")
    assert run("release", "1.1", "-m", "Lyon joins", cwd=repo.folder).code == 0
    sign(run, repo, "ecole-lyon", "2026-02-20", "1.1")
    sign(run, repo, COORDINATOR, "2026-02-20", "1.1")
    text = mobility("2026-04-13", "2026-05-08").replace(f"sending: {COORDINATOR}",
                                                        "sending: ecole-lyon")
    assert check(repo, text) == (None, [
        f"m1.yaml:4:8: start: no release of the MoU is signed by both 'ecole-lyon' and "
        f"'{PARTNER}' [not-bound]"])


def test_diff_and_release_name_affected_mobilities_on_the_terminal_only(tmp_path, run,
                                                                        golden):
    repo = repo_with_release(tmp_path, run)
    # The .gitignore `mouctl init` writes keeps mobilities/ out of every commit.
    gitignore = (ROOT / "mouctl" / "scaffold" / "files" / "gitignore").read_text()
    (repo.folder / ".gitignore").write_text(gitignore, encoding="utf-8")
    folder = repo.folder / "mobilities"
    (folder / "anna.yaml").write_text(mobility("2026-04-13", "2026-05-08",
                                               "[cook-u1, cook-u2]"), encoding="utf-8")
    done = mobility("2026-01-19", "2026-02-13", "[cook-u2]") + (
        "steps: {learning_agreement_signed: 2026-01-10, completed: 2026-02-13}\n")
    (folder / "ben.yaml").write_text(done, encoding="utf-8")
    repo.edit("        ecvet_points: 20", "        ecvet_points: 25")
    repo.edit("      - id: cook-u2", "      - id: cook-u3")
    repo.edit("        title: Cooking regional main courses",
              "        title: Cooking regional main courses and stews")
    result = run("diff", cwd=repo.folder)
    assert result.code == 0, result.output
    assert "anna" not in result.stdout and "Anna" not in result.stdout
    golden("mobility/diff-affected.txt", result.stderr)
    assert "  anna (planned, starts 2026-04-13): cook-u1 (changed), cook-u2 (removed)" \
        in result.stderr
    assert "ben" not in result.stderr  # completed: it keeps the version it had
    json_out = run("diff", "--format", "json", cwd=repo.folder)
    assert "anna" not in json_out.stdout and "anna (planned" in json_out.stderr
    repo.commit("Points and units of the cook qualification")
    released = run("release", "1.1", "-m", "Units revised", cwd=repo.folder)
    assert released.code == 0, released.output
    assert "anna (planned, starts 2026-04-13)" in released.stderr
    tag = git(repo.root, "cat-file", "-p", "mou-v1.1")
    assert "anna" not in tag.lower() and "schmidt" not in tag.lower()
    committed = git(repo.root, "log", "--all", "--name-only", "--format=")
    assert ".gitignore" in committed and "mobilities" not in committed

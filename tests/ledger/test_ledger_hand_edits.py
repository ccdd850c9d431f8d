"""Hand edits of signatures.yaml, and release tags moved under signatures: located,
refused by `sign`, never "in force".

Real repositories (tests/gitnet.py) and real `mouctl` processes: a release signed by
both partners, then the ledger or the tag edited by hand as a user (or a merge) would.
"""

from __future__ import annotations

import pytest

from tests.gitnet import COORDINATOR, PARTNER, NetRepo, git

SIGN = {COORDINATOR: ("Thomas Brandt", "Bremen", "2026-02-01"),
        PARTNER: ("Jukka Mäkinen", "Tampere", "2026-02-02")}


def _sign(run, repo: NetRepo, partner: str):
    signatory, place, date = SIGN[partner]
    return run("sign", partner, "--signatory", signatory, "--place", place, "--date", date,
               cwd=repo.folder)


@pytest.fixture
def signed(tmp_path, run) -> NetRepo:
    """Release 1.0, signed by both partners (two sign commits)."""
    repo = NetRepo.create(tmp_path / "net")
    assert run("release", "1.0", "-m", "First", cwd=repo.folder).code == 0
    for partner in (COORDINATOR, PARTNER):
        assert _sign(run, repo, partner).code == 0
    return repo


def _entry(partner: str, release: str, place: str = "Lyon") -> str:
    return (f'  - partner: "{partner}"\n    release: "{release}"\n'
            f'    fingerprint: "4b8fbd45f306"\n    signatory: "Anne Martin"\n'
            f'    date: 2026-02-03\n    place: "{place}"\n')


def _unchanged_by(run, repo: NetRepo, *args: str):
    """Run a command that must refuse: the ledger and the branch stay as they were."""
    before = (repo.folder / "signatures.yaml").read_bytes(), repo.head()
    result = run(*args, cwd=repo.folder)
    assert result.code == 1, result.output
    assert "Traceback" not in result.output
    assert ((repo.folder / "signatures.yaml").read_bytes(), repo.head()) == before
    return result


def test_a_non_partner_a_duplicate_and_other_digits_are_located_problems(signed, run,
                                                                          golden):
    ledger = signed.folder / "signatures.yaml"
    ledger.write_text(ledger.read_text("utf-8") + _entry("lyon-school", "1.0")
                      + _entry(COORDINATOR, "1.00", "Bremen"), encoding="utf-8")
    signed.commit("Hand edit of the ledger")
    status = run("status", cwd=signed.folder)
    assert status.code == 1, status.output
    golden("ledger/hand-edits-status.txt", status.stdout)
    # Signed by all, but the PROBLEMs concern its signatures: never "in force".
    assert "In force: mou-v1.0" not in status.stdout
    refused = _unchanged_by(run, signed, "sign", PARTNER, "--signatory", "Jukka Mäkinen",
                            "--place", "Tampere", "--date", "2026-02-02", "--force")
    golden("ledger/hand-edits-sign.txt", refused.stderr)


def test_a_release_in_other_digits_or_unquoted_is_a_located_error(signed, run, golden):
    ledger = signed.folder / "signatures.yaml"
    text = ledger.read_text("utf-8")
    text = text.replace('release: "1.0"', 'release: "１.０"', 1)
    text = text[::-1].replace('"0.1" :esaeler', '00.1 :esaeler', 1)[::-1]
    ledger.write_text(text, encoding="utf-8")
    result = run("status", cwd=signed.folder)
    assert result.code == 1, result.output
    golden("ledger/release-in-other-digits.txt", result.stderr)


def test_a_signature_removed_by_a_commit_is_a_problem_naming_the_commit(signed, run, golden):
    ledger = signed.folder / "signatures.yaml"
    text = ledger.read_text("utf-8")
    ledger.write_text(text[:text.index(f'  - partner: "{PARTNER}"')], encoding="utf-8")
    status = run("status", cwd=signed.folder)  # the removal not committed yet
    assert status.code == 1, status.output
    assert "committed at line 11, is no longer in the file: an uncommitted edit removed " \
           "it" in status.stdout
    assert "git checkout -- signatures.yaml" in status.stdout
    removal = signed.commit("Tidy the ledger")
    status = run("status", cwd=signed.folder)
    assert status.code == 1, status.output
    golden("ledger/removed-by-a-commit.txt", status.stdout)
    assert f"was removed by commit {removal[:7]} (\"Tidy the ledger\"), which is not a " \
           "revert" in status.stdout
    _unchanged_by(run, signed, "sign", PARTNER, "--signatory", "Jukka Mäkinen",
                  "--place", "Tampere", "--date", "2026-02-02")


def test_a_signature_taken_back_by_a_revert_is_named_not_a_problem(signed, run):
    recorded = git(signed.root, "log", "-1", "--format=%H", "--", "signatures.yaml").strip()
    signed.git("revert", "--no-edit", recorded)
    reverting = signed.head()
    status = run("status", cwd=signed.folder)
    assert status.code == 0, status.output
    assert "PROBLEM" not in status.stdout
    assert (f"Note: {PARTNER}'s signature of mou-v1.0 (signed by Jukka Mäkinen on "
            f"2026-02-02) was taken back by commit {reverting[:7]} (Revert \"Record "
            f"{PARTNER}'s signature of mou-v1.0\"), which reverts {recorded[:7]}.") \
        in status.stdout
    assert "In force: no release is signed by all its partners yet" in status.stdout
    # The partner signs again, correctly: recorded at the end, and the revert stays named.
    again = run("sign", PARTNER, "--signatory", "Jukka Mäkinen", "--place", "Tampere",
                "--date", "2026-02-21", cwd=signed.folder)
    assert again.code == 0, again.output
    status = run("status", cwd=signed.folder)
    assert status.code == 0 and "In force: mou-v1.0, signed by all 2 partners" \
        in status.stdout, status.output


def _move_tag(repo: NetRepo) -> None:
    """Put mou-v1.0, with its message, on a later commit with other data."""
    message = git(repo.root, "tag", "-l", "--format=%(contents)", "mou-v1.0")
    repo.edit("ecvet_points: 30", "ecvet_points: 25")
    repo.commit("Fewer points")
    repo.git("tag", "-f", "-a", "mou-v1.0", "-m", message.strip())


def test_a_moved_release_tag_is_never_in_force_and_cannot_be_signed(signed, run, golden):
    _move_tag(signed)
    status = run("status", cwd=signed.folder)
    assert status.code == 1, status.output
    golden("ledger/moved-tag-status.txt", status.stdout)
    assert "PROBLEM: release mou-v1.0 no longer matches what was released" in status.stdout
    assert "In force: mou-v1.0" not in status.stdout
    assert "In force: cannot be said: mou-v1.0 has an entry for every partner, but the " \
           "PROBLEM above puts it in doubt" in status.stdout
    git(signed.root, "revert", "--no-edit", "HEAD~1")  # the partner's entry taken back
    refused = _unchanged_by(run, signed, "sign", PARTNER, "--signatory", "Jukka Mäkinen",
                            "--place", "Tampere", "--date", "2026-02-02")
    assert "error: release mou-v1.0 no longer matches its recorded fingerprint " \
           "(4b8fbd45f306 recorded, 384a5843b178 now): the tag was moved or re-created; " \
           "nothing was recorded" in refused.stderr


def test_a_re_created_release_tag_cannot_be_signed(tmp_path, run):
    """Re-made with `mouctl release` on other data, the tag records the new data; the
    ledger's signature of the first 1.0 shows it was re-created."""
    repo = NetRepo.create(tmp_path / "net")
    assert run("release", "1.0", "-m", "First", cwd=repo.folder).code == 0
    assert _sign(run, repo, COORDINATOR).code == 0
    repo.edit("ecvet_points: 30", "ecvet_points: 25")
    repo.commit("Fewer points")
    repo.git("tag", "-d", "mou-v1.0")
    assert run("release", "1.0", "-m", "First, again", cwd=repo.folder).code == 0
    refused = _unchanged_by(run, repo, "sign", PARTNER, "--signatory", "Jukka Mäkinen",
                            "--place", "Tampere", "--date", "2026-02-02")
    assert ("error: release mou-v1.0 was re-created or moved: signatures.yaml:5 records "
            f"{COORDINATOR}'s signature of it with data 4b8fbd45f306, but the tag now points "
            "at data 384a5843b178; nothing was recorded") in refused.stderr
    status = run("status", cwd=repo.folder)
    assert status.code == 1 and "the signed version changed" in status.stdout


@pytest.mark.parametrize("target", ["HEAD:network.yaml", "HEAD^{tree}"])
def test_a_release_tag_on_a_file_or_folder_is_passed_over_and_said(tmp_path, run, target):
    repo = NetRepo.create(tmp_path / "net")
    assert run("release", "1.0", "-m", "First", cwd=repo.folder).code == 0
    repo.git("tag", "-a", "mou-v9.9", "-m", "Not a release",
             git(repo.root, "rev-parse", target).strip())
    repo.git("tag", "stray", git(repo.root, "rev-parse", target).strip())
    status = run("status", cwd=repo.folder)
    assert status.code == 0, status.output
    kind = "a file (blob)" if "network.yaml" in target else "a folder (tree)"
    assert (f"Note: the tag mou-v9.9 points at {kind}, not at a commit, so it is not a "
            "release and was passed over") in status.stdout
    assert "Latest release: mou-v1.0" in status.stdout
    assert _sign(run, repo, COORDINATOR).code == 0
    log = run("log", cwd=repo.folder)
    assert log.code == 0 and "mou-v1.0" in log.stdout and "mou-v9.9" not in log.stdout


def test_mobilities_refuse_a_hand_edited_ledger(signed, run):
    """A mobility rests on who signed when: `mobilities` refuses the ledger `sign` would."""
    (signed.folder / "mobilities").mkdir()
    (signed.folder / "mobilities" / "m1.yaml").write_text(
        f"learner: {{name: Anna Schmidt, email: anna.schmidt@example.org}}\n"
        f"sending: {COORDINATOR}\nreceiving: {PARTNER}\nstart: 2026-04-01\n"
        "end: 2026-04-30\nlanguage: en\nunits: [cook-u1]\n", encoding="utf-8")
    assert run("mobilities", cwd=signed.folder).code == 0
    ledger = signed.folder / "signatures.yaml"
    ledger.write_text(ledger.read_text("utf-8") + _entry("lyon-school", "1.0"),
                      encoding="utf-8")
    result = run("mobilities", cwd=signed.folder)
    assert result.code == 1, result.output
    assert "signatures.yaml:17:14: error: signatures[2].partner: 'lyon-school' is not a " \
           "partner of release mou-v1.0" in result.stderr
    assert "error: signatures.yaml holds hand edits the ledger cannot explain" \
        in result.stderr

"""log, release, sign and status end to end: a whole amendment in a real git repository.

Each test builds its repository with fixed dates and identity (conftest, gitnet),
so hashes are stable and the golden files show real output.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys

import pytest

from mouctl.history import revisions as history
from mouctl.ledger import release as releases
from mouctl.ledger import signatures
from tests.conftest import GIT_ENV
from tests.gitnet import COORDINATOR, PARTNER, NetRepo, git

SIGN_COORDINATOR = ("sign", COORDINATOR, "--signatory", "Thomas Brandt", "--date",
                    "2026-02-20", "--place", "Bremen")
SIGN_PARTNER = ("sign", PARTNER, "--signatory", "Jukka Mäkinen", "--date", "2026-02-21",
                "--place", "Tampere", "--note", "signed copy by post", "--file", "scan.pdf")


def ok(result):
    assert result.code == 0, result.output
    return result


TODAY = dt.date(2026, 3, 1)


def _at(mp, when: str) -> None:
    """Commits and tags made by mouctl in-process from now on carry this date."""
    mp.setenv("GIT_AUTHOR_DATE", f"{when}T10:00:00+00:00")
    mp.setenv("GIT_COMMITTER_DATE", f"{when}T10:00:00+00:00")


def _release(folder, version, reason, amendment=None):
    plan = releases.plan(folder, version, reason, today=TODAY)
    releases.create(folder, plan, amendment=amendment, today=TODAY)


def _sign(folder, partner, signatory, date, place, **extra):
    signatures.sign(folder, partner, signatory=signatory, date=date, place=place,
                    version=extra.get("version"), note=extra.get("note"),
                    file=extra.get("file"), today=TODAY)


@pytest.fixture(scope="session")
def _templates(tmp_path_factory):
    """Built once per worker (in-process, fixed dates), copied for each test."""
    out = tmp_path_factory.mktemp("templates")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(tmp_path_factory.mktemp("home")))
        for key, value in GIT_ENV.items():
            mp.setenv(key, value)
        r = NetRepo.create(out / "released")
        r.edit("email: international@example.org", "email: mobility@hafen.example.org")
        r.commit("New mobility address")
        _at(mp, "2026-01-20")
        _release(r.folder, "1.0", "First signed version")
        _at(mp, "2026-02-20")
        _sign(r.folder, COORDINATOR, "Thomas Brandt", "2026-02-20", "Bremen")
        _at(mp, "2026-02-21")
        _sign(r.folder, PARTNER, "Jukka Mäkinen", "2026-02-21", "Tampere",
              note="signed copy by post", file="scan.pdf")
        shutil.copytree(r.root, out / "amended")
        a = NetRepo(out / "amended", existing=True)
        a.day = 40
        a.edit("ecvet_points: 20", "ecvet_points: 25")
        a.edit("            - The learner is able to organise a cold station",
               "            - The learner is able to plan a buffet for 60 guests.\n"
               "            - The learner is able to organise a cold station")
        a.commit("Cold dishes: longer placement")
        _at(mp, "2026-02-25")
        _release(a.folder, "1.1", "Cold dishes unit extended",
                 amendment=a.folder / "amendment-1.md")
        _at(mp, "2026-02-26")
        _sign(a.folder, COORDINATOR, "Thomas Brandt", "2026-02-26", "Bremen")
    return out


def _copy(templates, name: str, tmp_path) -> NetRepo:
    shutil.copytree(templates / name, tmp_path / "net")
    r = NetRepo(tmp_path / "net", existing=True)
    r.day = 60
    return r


@pytest.fixture
def released(_templates, tmp_path) -> NetRepo:
    """Release 1.0 signed by both partners."""
    return _copy(_templates, "released", tmp_path)


@pytest.fixture
def amended(_templates, tmp_path) -> NetRepo:
    """Release 1.1 (points and an outcome changed) signed by the coordinator only."""
    return _copy(_templates, "amended", tmp_path)


# -- log ---------------------------------------------------------------------------

def stable(text: str, folder) -> str:
    """Golden text without the rendered document's fingerprint, which changes with the
    default template (owned elsewhere); tests check it against the renderer instead."""
    for release in history.releases(folder):
        if release.document_fingerprint:
            text = text.replace(release.document_fingerprint, "<document>")
    return text


def test_log_golden(amended, run, golden):
    golden("history/log.txt", ok(run("log", cwd=amended.folder)).stdout)


def test_log_json_limit_since(amended, run):
    import json

    report = json.loads(ok(run("log", "-f", "json", cwd=amended.folder)).stdout)
    assert report["shallow"] is False and "mouctl" in report
    versions = report["versions"]
    assert [v["releases"] for v in versions] == [["mou-v1.1"], ["mou-v1.0"], []]
    assert versions[0]["substantive"] is True and versions[1]["substantive"] is False
    assert versions[0]["summary"] == "unit changed"
    assert versions[2]["summary"].startswith("first version: 2 partners")
    limited = json.loads(ok(run("log", "-n", "1", "-f", "json", cwd=amended.folder)).stdout
                         )["versions"]
    assert [v["commit"] for v in limited] == [versions[0]["commit"]]
    since = json.loads(ok(run("log", "--since", "2026-02-01", "-f", "json",
                              cwd=amended.folder)).stdout)["versions"]
    assert len(since) == 1


def test_log_cache_lives_in_the_git_folder(amended, run):
    first = ok(run("log", cwd=amended.folder)).stdout
    assert (amended.root / ".git" / "mouctl-cache").is_dir()
    assert git(amended.root, "status", "--porcelain", "--ignored") == "?? amendment-1.md\n"
    assert ok(run("log", cwd=amended.folder)).stdout == first


def test_log_follows_a_moved_network_and_shows_invalid_versions(tmp_path, run):
    r = NetRepo.create(tmp_path / "repo", sub="old")
    r.edit("eqf_level: 4", "eqf_level: [4")
    r.commit("Broken")
    r.edit("eqf_level: [4", "eqf_level: 4")
    r.commit("Fixed")
    r.git("mv", "old", "new")
    r.commit("Move the network")
    out = ok(run("log", "-N", "new", cwd=r.root)).stdout.splitlines()
    assert len(out) == 5
    assert "no change to the agreement" in out[1]
    assert "data valid again" in out[2]
    assert "data invalid: 1 error, first: old/network.yaml:" in out[3]
    assert "first version" in out[4]


def test_log_in_a_shallow_clone_warns(amended, run, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{amended.root}", str(clone))
    result = ok(run("log", cwd=clone))
    assert "shallow clone" in result.stderr and "git fetch --unshallow" in result.stderr
    assert result.stdout.splitlines()[1].endswith(
        "oldest version in this shallow clone: 2 partners, 1 qualification, 2 units")


# -- release ------------------------------------------------------------------------

def test_release_tag_message_and_amendment(amended, golden):
    message = git(amended.root, "tag", "-l", "--format=%(contents)", "mou-v1.1")
    golden("history/tag-mou-v1.1.txt", stable(message, amended.folder))
    golden("history/amendment-1.md",
           stable((amended.folder / "amendment-1.md").read_text(), amended.folder))
    release = history.find_release(amended.folder, "1.1")
    network = history.network_at(amended.folder, "mou-v1.1").network
    assert release.data_fingerprint == network.fingerprint()
    assert release.document_fingerprint == releases.document_fingerprint(network, "mou-v1.1")


@pytest.mark.parametrize("args, message", [
    (("1.0", "-m", "again"), "release 1.0 exists already"),
    (("0.9", "-m", "older"), "version 0.9 is not after the latest release 1.0"),
    (("1.x", "-m", "bad"), "'1.x' is not a version number"),
    (("1.1", "-m", "same data"), "nothing changed in the agreement since mou-v1.0"),
])
def test_release_refusals(released, run, args, message):
    result = run("release", *args, cwd=released.folder)
    assert result.code != 0 and message in result.stderr
    assert git(released.root, "tag", "-l") == "mou-v1.0\n"


def test_release_refuses_dirty_and_invalid_data(released, run):
    released.edit("ecvet_points: 20", "ecvet_points: 22")
    result = run("release", "1.1", "-m", "x", cwd=released.folder)
    assert result.code == 1 and "uncommitted changes" in result.stderr
    released.edit("eqf_level: 4", "eqf_level: 12")
    released.commit("Wrong level")
    result = run("release", "1.1", "-m", "x", cwd=released.folder)
    assert result.code == 1 and "invalid" in result.stderr
    assert git(released.root, "tag", "-l") == "mou-v1.0\n"


def test_release_amendment_file_exists_leaves_no_tag(released, run):
    released.edit("ecvet_points: 20", "ecvet_points: 22")
    released.commit("More points")
    (released.folder / "a.md").write_text("mine\n")
    result = run("release", "1.1", "-m", "x", "--amendment", "a.md", cwd=released.folder)
    assert result.code == 1 and "exists already" in result.stderr
    assert (released.folder / "a.md").read_text() == "mine\n"
    assert git(released.root, "tag", "-l") == "mou-v1.0\n"


def test_first_release_is_not_an_amendment(tmp_path, run):
    r = NetRepo.create(tmp_path / "net")
    result = run("release", "1.0", "-m", "x", "--amendment", "a.md", cwd=r.folder)
    assert result.code == 2 and "not an amendment" in result.stderr
    assert git(r.root, "tag", "-l") == ""


# -- sign ---------------------------------------------------------------------------

def test_sign_golden_ledger_and_commit_of_that_file_only(amended, run, golden):
    golden("history/signatures.yaml", (amended.folder / "signatures.yaml").read_text())
    (amended.folder / "staged.txt").write_text("my work\n")
    git(amended.root, "add", "staged.txt")
    result = ok(run(*SIGN_PARTNER, cwd=amended.folder))
    assert "recorded tampereen-ammattiopisto's signature of mou-v1.1" in result.stderr
    assert git(amended.root, "show", "--name-only", "--format=", "HEAD") == "signatures.yaml\n"
    assert git(amended.root, "status", "--porcelain") == "A  staged.txt\n?? amendment-1.md\n"
    ledger = signatures.read(amended.folder)
    assert [(s.partner, s.release) for s in ledger.signatures] == [
        (COORDINATOR, "1.0"), (PARTNER, "1.0"), (COORDINATOR, "1.1"), (PARTNER, "1.1")]


@pytest.mark.parametrize("args, code, message", [
    (("sign", "nobody", "--signatory", "X", "--date", "2026-02-01", "--place", "P"), 2,
     "'nobody' is not a partner in release mou-v1.0"),
    (SIGN_COORDINATOR + ("--release", "2.0"), 1, "there is no release 2.0 (releases: 1.0)"),
    (SIGN_COORDINATOR, 1, "berufsschule-am-hafen has signed release 1.0 already "
                          "(signatures.yaml:5)"),
    (("sign", COORDINATOR, "--signatory", "X", "--date", "1.2.2026", "--place", "P"), 2,
     "'1.2.2026' is not a date"),
])
def test_sign_refusals(released, run, args, code, message):
    before = (released.folder / "signatures.yaml").read_bytes()
    head = released.head()
    result = run(*args, cwd=released.folder)
    assert result.code == code and message in result.stderr, result.output
    assert (released.folder / "signatures.yaml").read_bytes() == before
    assert released.head() == head


def test_sign_refuses_a_date_after_today_unless_forced(amended, run):
    args = ("sign", PARTNER, "--signatory", "Jukka Mäkinen", "--date", "2026-03-05",
            "--place", "Tampere")
    head = amended.head()
    result = run(*args, cwd=amended.folder)
    assert result.code == 1 and amended.head() == head
    assert "the date 2026-03-05 is after today (2026-03-01); nothing was recorded" \
        in result.stderr and "add --force" in result.stderr
    result = ok(run(*args, "--force", cwd=amended.folder))
    assert "warning: the date 2026-03-05 is after today (2026-03-01)" in result.stderr


def test_sign_refuses_another_signatory_unless_forced(amended, run):
    args = ("sign", PARTNER, "--signatory", "Liisa Virtanen", "--place", "Tampere",
            "--date", "2026-02-25")
    result = run(*args, cwd=amended.folder)
    assert result.code == 1
    assert "names Jukka Mäkinen as tampereen-ammattiopisto's signatory, not Liisa " \
        "Virtanen; nothing was recorded" in result.stderr
    ok(run(*args, "--force", "--note", "deputy while the principal is away",
           cwd=amended.folder))
    assert "deputy while" in (amended.folder / "signatures.yaml").read_text()


def test_sign_and_release_dry_run_write_nothing(amended, run):
    head, tags = amended.head(), git(amended.root, "tag")
    ledger = (amended.folder / "signatures.yaml").read_bytes()
    result = ok(run("sign", PARTNER, "--signatory", "Jukka Mäkinen", "--place", "Tampere",
                    "--date", "2026-02-25", "--dry-run", cwd=amended.folder))
    assert "would record tampereen-ammattiopisto's signature" in result.stderr
    assert 'signatory: "Jukka Mäkinen"' in result.stdout
    amended.edit("ecvet_points: 30", "ecvet_points: 35")
    amended.commit("More points")
    head = amended.head()
    result = ok(run("release", "9.0", "-m", "Try", "--dry-run", cwd=amended.folder))
    assert "would release mou-v9.0" in result.stderr and "Data-Fingerprint:" in result.stdout
    assert (amended.head(), git(amended.root, "tag")) == (head, tags)
    assert (amended.folder / "signatures.yaml").read_bytes() == ledger


def test_release_and_sign_refuse_without_a_git_identity(amended, run):
    amended.edit("ecvet_points: 30", "ecvet_points: 35")
    amended.commit("More points")
    anonymous = {k: "" for k in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
                                 "GIT_COMMITTER_EMAIL", "EMAIL")}
    tags = git(amended.root, "tag")
    result = run("release", "1.2", "-m", "More points", cwd=amended.folder, env=anonymous)
    assert result.code == 1 and git(amended.root, "tag") == tags
    assert "git does not know who you are" in result.stderr
    assert "git config --global user.name" in result.stderr and "--author" in result.stderr
    result = ok(run("release", "1.2", "-m", "More points", "--author",
                    "Anna Berger <a.berger@example.org>", cwd=amended.folder, env=anonymous))
    assert "git push --follow-tags" in result.stderr
    tagger = git(amended.root, "for-each-ref", "--format=%(taggername) %(taggeremail)",
                 "refs/tags/mou-v1.2")
    assert tagger.strip() == "Anna Berger <a.berger@example.org>"
    sign = ("sign", PARTNER, "--signatory", "Jukka Mäkinen", "--place", "Tampere")
    result = run(*sign, cwd=amended.folder, env=anonymous)
    assert result.code == 1 and "git does not know who you are" in result.stderr
    result = ok(run(*sign, "--author", "Anna Berger <a.berger@example.org>",
                    cwd=amended.folder, env=anonymous))
    assert "git push --follow-tags" in result.stderr
    assert git(amended.root, "log", "-1", "--format=%an <%ae>").strip() == \
        "Anna Berger <a.berger@example.org>"


def test_a_wrong_signature_is_corrected_by_a_revert(amended, run):
    """docs/history.md: `git revert` the signature's commit, then sign again."""
    ok(run("sign", PARTNER, "--signatory", "Jukka Mäkinen", "--place", "Tampre",
           "--date", "2026-02-25", cwd=amended.folder))
    wrong = amended.head()
    git(amended.root, "revert", "--no-edit", wrong)
    status = run("status", "-f", "json", cwd=amended.folder)
    import json

    partners = {p["id"]: p for p in json.loads(status.stdout)["partners"]}
    assert partners[PARTNER]["signed"] is None
    ok(run("sign", PARTNER, "--signatory", "Jukka Mäkinen", "--place", "Tampere",
           "--date", "2026-02-25", cwd=amended.folder))
    text = (amended.folder / "signatures.yaml").read_text()
    assert '"Tampere"' in text and "Tampre" not in text
    assert ok(run("status", cwd=amended.folder)).code == 0


def test_sign_reports_a_hand_broken_ledger_with_its_line(released, run):
    ledger = released.folder / "signatures.yaml"
    ledger.write_text(ledger.read_text().replace('place: "Tampere"', "place:"))
    released.commit("Hand edit")
    before = ledger.read_bytes()
    result = run("sign", COORDINATOR, "--signatory", "Thomas Brandt", "--date", "2026-02-01",
                 "--place", "P", "--release", "1.0", cwd=released.folder)
    assert result.code == 1
    # Worded like a network.yaml error (no raw pydantic text), on standard error.
    assert "signatures.yaml:16:5: error: signatures[1].place: expected text, got nothing " \
           "[wrong-type]" in result.stderr
    assert "signatures.yaml is not valid, so it was not changed" in result.stderr
    assert ledger.read_bytes() == before


def test_sign_refuses_uncommitted_ledger_edits(released, run):
    ledger = released.folder / "signatures.yaml"
    ledger.write_text(ledger.read_text() + "# my note\n")
    result = run(*SIGN_COORDINATOR, "--release", "1.0", cwd=released.folder)
    assert result.code == 1 and "signatures.yaml has uncommitted changes" in result.stderr


def test_sign_on_detached_head_is_refused(released, run):
    released.git("checkout", "-q", "--detach")
    result = run(*SIGN_COORDINATOR, cwd=released.folder)
    assert result.code == 1 and "HEAD is detached" in result.stderr


def test_sign_with_a_locked_index_changes_nothing(amended, run):
    (amended.root / ".git" / "index.lock").write_text("")
    head = amended.head()
    before = (amended.folder / "signatures.yaml").read_bytes()
    result = run(*SIGN_PARTNER, cwd=amended.folder)
    assert result.code == 1 and "git refused to update its index: Unable to create" in result.stderr
    assert "nothing was changed" in result.stderr
    assert amended.head() == head
    assert (amended.folder / "signatures.yaml").read_bytes() == before
    (amended.root / ".git" / "index.lock").unlink()
    assert git(amended.root, "status", "--porcelain") == "?? amendment-1.md\n"


def test_concurrent_signs_lose_no_record(tmp_path, run):
    r = NetRepo.create(tmp_path / "net")
    text = r.network_yaml.read_text()
    start = text.index("  - id: tampereen-ammattiopisto")
    end = text.index("# Section 4")
    block = text[start:end]
    extra = "".join(block.replace("tampereen-ammattiopisto", f"school-{i}")
                    .replace("roles: [receiving, competent_institution]", "roles: [sending]")
                    for i in range(4))
    r.network_yaml.write_text(text[:end] + extra + text[end:])
    r.commit("Four more schools")
    ok(run("release", "1.0", "-m", "First", cwd=r.folder))
    import os

    from conftest import ROOT
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-m", "mouctl", "sign", f"school-{i}",
                               "--signatory", "Jukka Mäkinen", "--date", "2026-02-01",
                               "--place", "Tampere"], cwd=r.folder, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for i in range(4)]
    codes = [p.wait(timeout=120) for p in procs]
    assert codes == [0, 0, 0, 0], [p.stderr.read() for p in procs]
    ledger = signatures.read(r.folder)
    assert sorted(s.partner for s in ledger.signatures) == [f"school-{i}" for i in range(4)]
    assert git(r.root, "show", "HEAD:signatures.yaml") == \
        (r.folder / "signatures.yaml").read_text()
    assert git(r.root, "status", "--porcelain") == ""


# -- status -------------------------------------------------------------------------

def test_status_golden_with_changes_waiting(amended, run, golden):
    amended.edit("ecvet_points: 30", "ecvet_points: 35")
    amended.edit("name: Maria Keller", "name: Maria Keller-Hansen")
    result = run("status", cwd=amended.folder)
    assert result.code == 0, result.output
    golden("history/status.txt", stable(result.stdout, amended.folder))
    assert run("status", "--check", cwd=amended.folder).code == 1


def test_status_all_signed_passes_check(amended, run, golden):
    ok(run(*SIGN_PARTNER, cwd=amended.folder))
    result = ok(run("status", "--check", cwd=amended.folder))
    golden("history/status-signed.txt", stable(result.stdout, amended.folder))


def test_status_administrative_changes_need_no_signature(amended, run):
    ok(run(*SIGN_PARTNER, cwd=amended.folder))
    amended.edit("name: Maria Keller", "name: Maria Keller-Hansen")
    result = ok(run("status", "--check", cwd=amended.folder))
    assert "1 administrative change " in result.stdout
    assert "no re-signing needed" in result.stdout


def test_status_without_release(tmp_path, run):
    r = NetRepo.create(tmp_path / "net")
    result = run("status", "--check", cwd=r.folder)
    assert result.code == 1 and "No release yet" in result.stdout


def test_status_reports_a_moved_tag_loudly(amended, run):
    amended.git("tag", "-f", "-a", "mou-v1.0", "-m",
                git(amended.root, "tag", "-l", "--format=%(contents)", "mou-v1.0"),
                "mou-v1.1")
    result = run("status", cwd=amended.folder)
    assert result.code == 1
    assert "PROBLEM: release mou-v1.0 no longer matches what was released" in result.stdout
    assert "signatures.yaml:5: berufsschule-am-hafen signed mou-v1.0 with data" not in \
        result.stdout  # the ledger and the recorded trailer still agree


def test_status_reports_a_tampered_signature(amended, run):
    ledger = amended.folder / "signatures.yaml"
    fingerprint = history.find_release(amended.folder, "1.0").data_fingerprint
    ledger.write_text(ledger.read_text().replace(fingerprint, "0" * 12, 1))
    result = run("status", "-f", "json", cwd=amended.folder)
    assert result.code == 1
    assert f"signatures.yaml:5: berufsschule-am-hafen signed mou-v1.0 with data " \
           f"000000000000, but mou-v1.0 records data {fingerprint}" in result.stdout


# -- git states through the CLI -------------------------------------------------------

def test_commands_outside_git(tmp_path, run):
    r = NetRepo.create(tmp_path / "net")
    shutil.rmtree(r.root / ".git")
    for command in ("log", "status", "release"):
        args = (command, "1.0", "-m", "x") if command == "release" else (command,)
        result = run(*args, cwd=r.folder)
        assert result.code == 1 and "is not in a git repository" in result.stderr, command
        assert "Traceback" not in result.output


def test_commands_without_commits(tmp_path, run):
    r = NetRepo.create(tmp_path / "net", commit=False)
    result = run("log", cwd=r.folder)
    assert result.code == 1 and "no commits yet" in result.stderr


def test_git_not_installed(released, run, tmp_path):
    result = run("status", cwd=released.folder, env={"PATH": str(tmp_path / "no-bin")})
    assert result.code == 1 and "git is not installed" in result.stderr


@pytest.mark.parametrize("since", ["garbage", "31.01.2026", "2026-13-01"])
def test_log_refuses_a_since_it_cannot_read(amended, run, since):
    result = run("log", "--since", since, cwd=amended.folder)
    assert result.code == 2
    assert f"--since '{since}' is not a date mouctl understands" in result.stderr


def test_release_warns_about_the_example_values_of_init(tmp_path, run):
    assert run("init", "net", "--yes", cwd=tmp_path).code == 0
    net = tmp_path / "net"
    result = ok(run("release", "1.0", "-m", "First", "--dry-run", cwd=net))
    assert "still holds 6 example value(s) from `mouctl init`" in result.stderr
    assert "partners[0].contact.email: international@example.org" in result.stderr
    assert "partners[1].signatory.name: Jukka Mäkinen" in result.stderr
    text = (net / "network.yaml").read_text()
    for old, new in (("Maria Keller", "Anna Roth"), ("international@example.org",
                     "international@bs-hafen.de"), ("Thomas Brandt", "Karl Otto"),
                     ("Liisa Virtanen", "Aino Laine"), ("mobility@example.net",
                     "mobility@tao.fi"), ("Jukka Mäkinen", "Mikko Koski")):
        text = text.replace(old, new)
    (net / "network.yaml").write_text(text)
    git(net, "commit", "-qam", "Real people")
    result = ok(run("release", "1.0", "-m", "First", cwd=net))
    assert "example value" not in result.stderr


def test_the_document_fingerprint_digests_the_rendered_markdown(amended):
    """`release` renders once, handed the data fingerprint it computed: the digest is
    still that of `render_markdown`'s text, the document `mouctl render` prints."""
    import hashlib

    from mouctl.render.engine import render_markdown

    release = history.find_release(amended.folder, "1.1")
    network = history.network_at(amended.folder, "mou-v1.1").network
    text = render_markdown(network, version="mou-v1.1")
    assert release.document_fingerprint == hashlib.sha256(text.encode()).hexdigest()[:12]
    assert releases.document_fingerprint(network, "mou-v1.1",
                                         fingerprint=release.data_fingerprint) \
        == release.document_fingerprint

"""The MoU's life in real git repositories: adhesion, withdrawal, a new MoU, expiry.

Fixtures: tests/networks/lifecycle/ (a nine-school network open to adhesion and
its adherent; a four-country MoU with a withdrawal clause, also used without it;
an MoU that has expired by the tests' date, 2026-03-01). Set-up runs in-process
with fixed dates; what users see runs as real `mouctl` processes, compared with
golden files in tests/golden/lifecycle/.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from mouctl.changes import compare as changes
from mouctl.history import revisions as history
from mouctl.ledger import release as releases
from mouctl.ledger import signatures
from mouctl.source import loader
from tests.gitnet import NetRepo, git

FIXTURES = Path(__file__).resolve().parents[1] / "networks" / "lifecycle"
TODAY = dt.date(2026, 3, 1)
NINE = ["ens-coord", "bs-koblenz", "lycee-tain", "ipssar-asti", "cifp-logrono", "sou-melnik",
        "hlw-krems", "rocvantwente", "skola-modra"]
FOUR = {"bs-stuttgart": "Jürgen Schmid", "omnia": "Aino Laine", "lycee-lille": "Luc Bernard",
        "ss-zagreb": "Ivana Horvat"}


def ok(result):
    assert result.code == 0, result.output
    return result


def at(mp, when: str) -> None:
    """Commits and tags made from now on carry this date."""
    mp.setenv("GIT_AUTHOR_DATE", f"{when}T10:00:00+00:00")
    mp.setenv("GIT_COMMITTER_DATE", f"{when}T10:00:00+00:00")


def start(tmp_path, fixture: str, mp, when: str = "2026-01-10") -> NetRepo:
    """A repository holding a copy of the fixture network, committed."""
    shutil.copytree(FIXTURES / fixture, tmp_path / "net")
    repo = NetRepo(tmp_path / "net")
    at(mp, when)
    git_commit(repo, "Start the MoU")
    return repo


def git_commit(repo: NetRepo, message: str) -> None:
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-q", "-m", message,
        date=repo_date())


def repo_date() -> str:
    import os

    return os.environ["GIT_COMMITTER_DATE"]


def release(folder, version, reason, mp, when, *, new_mou=False):
    at(mp, when)
    plan = releases.plan(folder, version, reason, today=TODAY, new_mou=new_mou)
    return releases.create(folder, plan, today=TODAY)


def sign(folder, partner, signatory, when, mp, place="Online", version=None):
    at(mp, when)
    return signatures.sign(folder, partner, signatory=signatory, date=when, place=place,
                           version=version, note=None, file=None, today=TODAY)


def stable(text: str, folder) -> str:
    """Golden text without document fingerprints (they follow the default template)."""
    for r in history.releases(folder):
        if r.document_fingerprint:
            text = text.replace(r.document_fingerprint, "<document>")
    return text


def signed_nine(tmp_path, mp) -> NetRepo:
    repo = start(tmp_path, "adhesion", mp)
    release(repo.folder, "1.0", "The network's MoU", mp, "2026-01-12")
    for i, partner in enumerate(NINE):
        network = loader.load(repo.folder).network
        who = network.partner(partner).signatory.name
        sign(repo.folder, partner, who, f"2026-01-{13 + i}", mp)
    return repo


def add_adherent(repo: NetRepo, mp) -> None:
    (repo.folder / "partners").mkdir()
    shutil.copy(FIXTURES / "adherent" / "slo-ljubljana.yaml",
                repo.folder / "partners" / "slo-ljubljana.yaml")
    repo.edit("rocvantwente, skola-modra]", "rocvantwente, skola-modra, slo-ljubljana]")
    at(mp, "2026-02-01")
    git_commit(repo, "Ljubljana joins the network")


# -- adhesion -----------------------------------------------------------------------

def test_adhesion_story(tmp_path, monkeypatch, run, golden):
    repo = signed_nine(tmp_path, monkeypatch)
    add_adherent(repo, monkeypatch)
    diff = run("diff", "--exit-code", cwd=repo.folder)
    assert diff.code == 5, diff.output  # substantive: somebody must sign
    golden("lifecycle/adhesion-diff.txt", diff.stdout)
    data = json.loads(run("diff", "-f", "json", cwd=repo.folder).stdout)
    assert data["must_sign"] == ["slo-ljubljana"]

    made = release(repo.folder, "1.1", "Ljubljana joins by adhesion", monkeypatch,
                   "2026-02-02")
    assert made.signers == ["slo-ljubljana"]
    golden("lifecycle/adhesion-tag.txt", stable(
        git(repo.root, "tag", "-l", "--format=%(contents)", "mou-v1.1"), repo.folder))

    waiting = run("status", "--check", cwd=repo.folder)
    assert waiting.code == 1, waiting.output  # the adherent has not signed yet
    golden("lifecycle/adhesion-status-waiting.txt", stable(waiting.stdout, repo.folder))
    assert "In force: mou-v1.1, binding 9 partners" in waiting.stdout

    refused = run("sign", "ens-coord", "--signatory", "Ana Ribeiro", "--place", "Porto",
                  cwd=repo.folder)
    assert refused.code == 0  # others may sign again; nobody has to
    at(monkeypatch, "2026-02-10")
    signed = ok(run("sign", "slo-ljubljana", "--signatory", "Mojca Novak", "--place",
                    "Ljubljana", "--date", "2026-02-10", cwd=repo.folder))
    assert "recorded slo-ljubljana's declaration of adhesion to mou-v1.1" in signed.stderr
    assert "bound to the MoU from 2026-02-10; the other partners do not sign again" \
        in signed.stderr
    done = run("status", "--check", cwd=repo.folder)
    assert done.code == 0, done.output
    golden("lifecycle/adhesion-status.txt", stable(done.stdout, repo.folder))
    bound = {b["id"]: b for b in json.loads(
        ok(run("status", "-f", "json", cwd=repo.folder)).stdout)["bound"]}
    assert bound["slo-ljubljana"]["since"] == "2026-02-10"
    assert bound["slo-ljubljana"]["adherent"] is True
    assert bound["bs-koblenz"]["since"] == "2026-01-14"
    assert bound["bs-koblenz"]["by_signature_of"] == "mou-v1.0"
    # It chose to sign 1.1 as well, but it has been bound throughout by its signature of 1.0.
    assert bound["ens-coord"]["since"] == "2026-01-13"


def test_the_declaration_of_adhesion_renders_in_every_format(tmp_path, monkeypatch, run,
                                                             golden):
    from pypdf import PdfReader

    from tests.render.test_golden_formats import docx_text

    repo = signed_nine(tmp_path, monkeypatch)
    add_adherent(repo, monkeypatch)
    release(repo.folder, "1.1", "Ljubljana joins by adhesion", monkeypatch, "2026-02-02")
    md = ok(run("adhesion", "slo-ljubljana", cwd=repo.folder))
    golden("lifecycle/adhesion-declaration.md", stable(md.stdout, repo.folder))
    fingerprint = history.releases(repo.folder)[0].data_fingerprint
    for fmt in ("html", "docx", "pdf"):
        target = tmp_path / f"adhesion.{fmt}"
        made = ok(run("adhesion", "slo-ljubljana", "-o", str(target), cwd=repo.folder))
        assert f"declaration of adhesion to mou-v1.1 (data fingerprint {fingerprint})" \
            in made.output
        data = target.read_bytes()
        if fmt == "html":
            text = data.decode("utf-8")
        elif fmt == "docx":
            text = docx_text(data)
        else:
            text = " ".join(page.extract_text() for page in PdfReader(target).pages)
        text = " ".join(text.split())
        for expected in ("Declaration of adhesion", "Biotehniški izobraževalni center Ljubljana",
                         "version 1.1 of 2 February 2026", fingerprint, "Mojca Novak",
                         "Escola de Hotelaria e Turismo do Porto"):
            assert expected in text, (fmt, expected)
        assert "DRAFT" not in text  # bound to a release, not a draft
    # A partner that does not join by adhesion has no declaration; the error says why.
    refused = run("adhesion", "ens-coord", cwd=repo.folder)
    assert refused.code == 2, refused.output
    golden("lifecycle/adhesion-not-adherent.txt", refused.stderr)
    # In a language the MoU is not drawn up in, the declaration says it is a translation.
    greek = ok(run("adhesion", "slo-ljubljana", "--lang", "el", cwd=repo.folder))
    assert "Δήλωση προσχώρησης" in greek.stdout
    assert "Το παρόν έγγραφο είναι μετάφραση" in greek.stdout
    assert "is a translation, and the document says so" in greek.stderr
    # An adhesion is no amendment: no number in the tag, no amendment instrument.
    assert "Amendment:" not in git(repo.root, "tag", "-l", "--format=%(contents)", "mou-v1.1")
    instrument = run("amendment", "mou-v1.0", "mou-v1.1", cwd=repo.folder)
    assert instrument.code == 2, instrument.output
    assert "slo-ljubljana joins by adhesion: that is no amendment" in instrument.stderr
    assert "mouctl adhesion slo-ljubljana" in instrument.stderr
    wrong = run("adhesion", "slo-ljubljana", "--release", "1.0", cwd=repo.folder)
    assert wrong.code == 2 and "does not join mou-v1.0 by adhesion" in wrong.stderr
    assert "joins by adhesion in mou-v1.1" in wrong.stderr


def test_the_mou_prints_its_life(tmp_path, monkeypatch, run, golden):
    """Section 0 (the project), validity until the project's end, the adhesion and
    withdrawal clauses and the MoU replaced, as printed, in English and German."""
    shown = []
    for fixture, heads in (("adhesion", ("# ", "## 7.")), ("withdrawal", ("## 7.",))):
        folder = tmp_path / fixture
        shutil.copytree(FIXTURES / fixture, folder)
        for lang in ("en", "de"):
            text = ok(run("render", "--lang", lang, "-o", "-", cwd=folder,
                          env={"MOUCTL_TODAY": "2026-03-01"})).stdout
            shown += [f"<!-- {fixture}, {lang} -->", *_sections(text, heads)]
    folder = tmp_path / "replacing"
    shutil.copytree(FIXTURES / "withdrawal", folder)
    network = folder / "network.yaml"
    network.write_text(network.read_text(encoding="utf-8").replace(
        "title: Mechatronics Mobility Partnership",
        "title: Mechatronics Mobility Partnership 2029-2031\nreplaces:\n  title: "
        "Mechatronics Mobility Partnership\n  release: mou-v1.0\n  date: 2026-01-16"),
        encoding="utf-8")
    text = ok(run("render", "-o", "-", cwd=folder, env={"MOUCTL_TODAY": "2026-03-01"})).stdout
    shown += ["<!-- replacing, en -->", *_sections(text, ("# ",))]
    golden("lifecycle/mou-lifecycle-texts.md", "\n".join(shown))


def _sections(markdown: str, heads: tuple[str, ...]) -> list[str]:
    """The parts of a rendered MoU that start with one of `heads`, up to the next heading."""
    out, keep = [], False
    for line in markdown.splitlines():
        if line.startswith("#"):
            keep = line.startswith(heads)
        if keep:
            out.append(line)
    return out


def test_adhesion_with_another_substantive_change_is_an_ordinary_amendment(
        tmp_path, monkeypatch):
    repo = signed_nine(tmp_path, monkeypatch)
    add_adherent(repo, monkeypatch)
    repo.edit("ecvet_points: 6", "ecvet_points: 8")
    old = history.network_at(repo.folder, "mou-v1.0").network
    new = loader.load(repo.folder).network
    found = changes.compare(old, new)
    assert {c.rule for c in found} == {"joins-by-adhesion", "adherent-listed", "unit-points"}
    assert changes.must_sign(found, new) == [*NINE, "slo-ljubljana"]


def test_joining_an_mou_not_open_to_adhesion_needs_everyone(tmp_path, monkeypatch):
    repo = signed_nine(tmp_path, monkeypatch)
    repo.edit("open_to_adhesion: true", "open_to_adhesion: false")
    at(monkeypatch, "2026-01-30")
    git_commit(repo, "Closed to adhesion")
    add_adherent(repo, monkeypatch)
    old = history.network_at(repo.folder, "HEAD~1").network
    found = changes.compare(old, loader.load(repo.folder).network)
    assert [c.rule for c in found if c.section == "partners"] == ["partner-joined"]
    assert len(changes.must_sign(found, loader.load(repo.folder).network)) == 10


# -- withdrawal ---------------------------------------------------------------------

def signed_four(tmp_path, mp, *, clause: bool = True) -> NetRepo:
    repo = start(tmp_path, "withdrawal", mp)
    if not clause:
        repo.edit("withdrawal:\n  notice_days: 90\n  procedure: A partner withdraws by "
                  "written notice to the coordinator.\n", "")
        git_commit(repo, "No withdrawal clause")
    release(repo.folder, "1.0", "Signed at the kick-off", mp, "2026-01-12")
    for i, (partner, who) in enumerate(FOUR.items()):
        sign(repo.folder, partner, who, f"2026-01-{13 + i}", mp)
    return repo


def remove_zagreb(repo: NetRepo, mp) -> None:
    text = repo.network_yaml.read_text(encoding="utf-8")
    start_at = text.index("  - id: ss-zagreb")
    end_at = text.index("qualifications:")
    text = text[:start_at] + text[end_at:]
    text = text.replace("lycee-lille, ss-zagreb]", "lycee-lille]")
    repo.network_yaml.write_text(text, encoding="utf-8")
    at(mp, "2026-02-15")
    git_commit(repo, "Zagreb leaves the partnership")


def test_withdrawal_story(tmp_path, monkeypatch, run, golden):
    repo = signed_four(tmp_path, monkeypatch)
    at(monkeypatch, "2026-02-10")
    notice = ok(run("withdraw", "ss-zagreb", "--date", "2026-02-10", "--note",
                    "the school's mechatronics programme closes", cwd=repo.folder))
    golden("lifecycle/withdraw.txt", notice.stdout + notice.stderr)
    assert git(repo.root, "show", "--name-only", "--format=%s", "HEAD") == (
        "Record ss-zagreb's withdrawal from mou-v1.0\n\nsignatures.yaml\n")
    again = run("withdraw", "ss-zagreb", "--date", "2026-02-11", cwd=repo.folder)
    assert again.code == 1 and "gave notice of withdrawal already" in again.stderr

    noticed = ok(run("status", "--check", cwd=repo.folder))
    golden("lifecycle/withdrawal-status-notice.txt", stable(noticed.stdout, repo.folder))

    refused = run("release", "1.1", "-m", "Too early", cwd=repo.folder)
    assert refused.code == 1 and "still a partner in the network data" in refused.stderr

    remove_zagreb(repo, monkeypatch)
    diff = run("diff", "--exit-code", cwd=repo.folder)
    assert diff.code == 1, diff.output  # administrative only
    golden("lifecycle/withdrawal-diff.txt", diff.stdout)

    made = release(repo.folder, "1.1", "Zagreb withdrew", monkeypatch, "2026-02-16")
    assert made.signers == [] and made.trailers["Withdrawn"] == "ss-zagreb"
    after = ok(run("status", "--check", cwd=repo.folder))
    golden("lifecycle/withdrawal-status.txt", stable(after.stdout, repo.folder))
    assert "In force: mou-v1.1, binding 3 partners" in after.stdout


def test_without_a_withdrawal_clause_the_others_re_sign(tmp_path, monkeypatch, run, golden):
    repo = signed_four(tmp_path, monkeypatch, clause=False)
    refused = run("withdraw", "ss-zagreb", "--date", "2026-02-10", cwd=repo.folder)
    assert refused.code == 1
    assert "does not provide for withdrawal" in refused.stderr
    assert "signatures.yaml" not in git(repo.root, "status", "--porcelain")

    remove_zagreb(repo, monkeypatch)
    diff = run("diff", "--exit-code", cwd=repo.folder)
    assert diff.code == 5
    golden("lifecycle/no-clause-diff.txt", diff.stdout)
    release(repo.folder, "1.1", "Zagreb left; the three continue", monkeypatch, "2026-02-16")
    waiting = run("status", "--check", cwd=repo.folder)
    assert waiting.code == 1
    assert "In force: mou-v1.0 (until mou-v1.1 is signed by all)" in waiting.stdout
    for i, partner in enumerate(["bs-stuttgart", "omnia", "lycee-lille"]):
        sign(repo.folder, partner, FOUR[partner], f"2026-02-{17 + i}", monkeypatch)
    done = ok(run("status", "--check", cwd=repo.folder))
    golden("lifecycle/no-clause-status.txt", stable(done.stdout, repo.folder))


# -- a new MoU ------------------------------------------------------------------------

def test_a_new_mou_replaces_the_old_one(tmp_path, monkeypatch, run, golden):
    repo = signed_four(tmp_path, monkeypatch)
    repo.edit("title: Mechatronics Mobility Partnership",
              "title: Mechatronics Mobility Partnership 2029-2031\n"
              "replaces:\n  title: Mechatronics Mobility Partnership\n  release: mou-v1.0\n"
              "  date: 2026-01-16")
    repo.edit("valid_from: 2026-01-01\nvalid_until: 2028-12-31",
              "valid_from: 2026-03-01\nvalid_until: 2031-12-31")
    at(monkeypatch, "2026-02-20")
    git_commit(repo, "The MoU for 2029-2031")
    amend = run("release", "1.1", "-m", "New MoU", cwd=repo.folder)
    assert amend.code == 1 and "--new-mou" in amend.stderr
    at(monkeypatch, "2026-02-21")
    made = ok(run("release", "1.0", "--new-mou", "-m", "The MoU for 2029-2031",
                  cwd=repo.folder))
    assert "released mou2-v1.0" in made.output
    golden("lifecycle/new-mou-tag.txt", stable(
        git(repo.root, "tag", "-l", "--format=%(contents)", "mou2-v1.0"), repo.folder))
    second = run("release", "1.0", "--new-mou", "-m", "again", cwd=repo.folder)
    assert second.code == 1 and "the same as mou2-v1.0" in second.stderr
    waiting = run("status", "--check", cwd=repo.folder)
    assert waiting.code == 1
    golden("lifecycle/new-mou-status-waiting.txt", stable(waiting.stdout, repo.folder))
    for i, (partner, who) in enumerate(FOUR.items()):
        sign(repo.folder, partner, who, f"2026-02-{22 + i}", monkeypatch)
    ledger = signatures.read(repo.folder)
    assert [s.mou for s in ledger.signatures] == [None] * 4 + [2] * 4
    done = ok(run("status", "--check", cwd=repo.folder))
    golden("lifecycle/new-mou-status.txt", stable(done.stdout, repo.folder))
    log = ok(run("log", cwd=repo.folder))
    golden("lifecycle/new-mou-log.txt", log.stdout)
    assert "mou2-v1.0" in log.stdout and "mou-v1.0" in log.stdout


# -- validity -------------------------------------------------------------------------

@pytest.mark.parametrize(("today", "code", "name"), [
    ("2026-03-01", 1, "expired"), ("2025-07-01", 0, "ending"), ("2023-08-01", 0, "not-yet"),
])
def test_validity_in_status(tmp_path, monkeypatch, run, golden, today, code, name):
    repo = start(tmp_path, "expired", monkeypatch, when="2023-06-01")
    release(repo.folder, "1.0", "Signed for the project", monkeypatch, "2023-06-02")
    sign(repo.folder, "bs-ulm", "Eva Maier", "2023-06-05", monkeypatch, place="Ulm")
    sign(repo.folder, "ecole-rouen", "Paul Durand", "2023-06-06", monkeypatch, place="Rouen")
    shown = run("status", "--check", cwd=repo.folder, env={"MOUCTL_TODAY": today})
    assert shown.code == code, shown.output
    golden(f"lifecycle/validity-{name}.txt", stable(shown.stdout, repo.folder))
    state = json.loads(run("status", "-f", "json", cwd=repo.folder,
                           env={"MOUCTL_TODAY": today}).stdout)["validity"]
    assert state["until"] == "2025-08-31"  # the project's end, before valid_until

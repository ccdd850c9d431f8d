"""The amendment instrument partners sign, and the notice of administrative changes."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest

from tests.gitnet import NetRepo


@pytest.fixture
def amended(tmp_path, run):
    """Release 1.0, then 1.1 with more points for a unit and a new e-mail address."""
    r = NetRepo.create(tmp_path / "net")
    assert run("release", "1.0", "-m", "First version", cwd=r.folder).code == 0
    r.edit("ecvet_points: 20", "ecvet_points: 25")
    r.edit("mobility@example.net", "erasmus@example.net")
    r.commit("Cold dishes: more points")
    result = run("release", "1.1", "-m", "Cold dishes extended", "--effective", "2026-04-01",
                 "--amendment", str(tmp_path / "amendment-1.md"), cwd=r.folder)
    assert result.code == 0, result.output
    assert "wrote Amendment No. 1 to" in result.stderr
    return r


def test_release_writes_the_amendment_in_words(amended, tmp_path, golden):
    text = (tmp_path / "amendment-1.md").read_text(encoding="utf-8")
    golden("amendment/amendment-1.en.md", text)
    assert "# Amendment No. 1 to the Memorandum of Understanding" in text
    assert "| Previous text | 20 |" in text and "| New text | 25 |" in text
    assert "This amendment takes effect on 1 April 2026." in text
    # No ids, field paths or git words; the administrative change is listed too.
    for word in ("cook-u1", "ecvet_points", "mou-v", "commit", "contact.email"):
        assert word not in text, word
    assert "erasmus@example.net" in text
    # Signature blocks for exactly the organisations that must sign (all, substantive).
    assert text.count("Place, Date:") == 2


def test_the_amendment_in_german_and_every_format(amended, run, tmp_path, golden):
    out = tmp_path / "de.md"
    result = run("amendment", "mou-v1.0", "mou-v1.1", "--lang", "de", "-o", str(out),
                 cwd=amended.folder)
    assert result.code == 0, result.output
    text = out.read_text(encoding="utf-8")
    golden("amendment/amendment-1.de.md", text)
    assert text.startswith("# Änderung Nr. 1 der Absichtserklärung")
    assert "Diese Änderung tritt am 1. April 2026 in Kraft." in text
    html = run("amendment", "-o", str(tmp_path / "a.html"), cwd=amended.folder)
    assert html.code == 0, html.output
    page = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Amendment No. 1" in page
    assert '<table class="signatures">' in page  # signature blocks side by side
    docx = run("amendment", "--lang", "de", "-o", str(tmp_path / "a.docx"), cwd=amended.folder)
    assert docx.code == 0, docx.output
    body = zipfile.ZipFile(io.BytesIO((tmp_path / "a.docx").read_bytes())).read(
        "word/document.xml").decode()
    assert "Änderung Nr. 1" in body and "Neuer Wortlaut" in body
    pdf = run("amendment", "-o", str(tmp_path / "a.pdf"), cwd=amended.folder)
    assert pdf.code == 0, pdf.output
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        words = subprocess.run(["pdftotext", str(tmp_path / "a.pdf"), "-"],
                               capture_output=True, text=True).stdout
        assert "Amendment No. 1" in words and "Signature" in words


def test_an_administrative_release_gets_a_notice_not_a_number(amended, run, tmp_path):
    amended.edit("erasmus@example.net", "international@example.net")
    amended.commit("New e-mail address")
    notice = tmp_path / "notice.md"
    result = run("release", "1.2", "-m", "Contact", "--amendment", str(notice),
                 cwd=amended.folder)
    assert result.code == 0, result.output
    assert "wrote the notice of changes to" in result.stderr
    text = notice.read_text(encoding="utf-8")
    assert text.startswith("# Notice of changes to the Memorandum of Understanding")
    assert "Place, Date" not in text and "No." not in text.splitlines()[0]
    tag = amended.git("tag", "-l", "--format=%(contents)", "mou-v1.2")
    assert "Amendment:" not in tag
    # The next release that needs signatures is Amendment No. 2.
    amended.edit("ecvet_points: 25", "ecvet_points: 30")
    amended.commit("Even more points")
    second = tmp_path / "amendment-2.md"
    assert run("release", "1.3", "-m", "Points", "--amendment", str(second),
               cwd=amended.folder).code == 0
    assert second.read_text(encoding="utf-8").startswith("# Amendment No. 2 ")
    assert "Amendment: 2" in amended.git("tag", "-l", "--format=%(contents)", "mou-v1.3")


def test_release_amendment_in_pdf_and_a_wrong_name_refused(amended, run, tmp_path):
    amended.edit("ecvet_points: 25", "ecvet_points: 30")
    amended.commit("More points")
    refused = run("release", "1.2", "-m", "Points", "--amendment", str(tmp_path / "a.txt"),
                  cwd=amended.folder)
    assert refused.code == 2
    assert "cannot tell the format from 'a.txt'" in refused.stderr
    assert "mou-v1.2" not in amended.git("tag", "-l")
    made = run("release", "1.2", "-m", "Points", "--amendment", str(tmp_path / "a.pdf"),
               cwd=amended.folder)
    assert made.code == 0, made.output
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")


def test_the_working_tree_gives_a_draft(amended, run):
    amended.edit("ecvet_points: 25", "ecvet_points: 30")
    result = run("amendment", cwd=amended.folder)
    assert result.code == 0, result.output
    assert result.stdout.startswith("# Draft: Amendment No. 2 to the Memorandum")

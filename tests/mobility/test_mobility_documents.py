"""Learning agreements and transcripts of the example's mobilities, on a released MoU.

The consortium example goes into a real git repository, is released as 1.0 and
signed by every partner (through mouctl's own release and sign), so the documents
name the release and its fingerprint; golden files hold the Markdown, and the Word
and PDF files are read back.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil

import pytest

from mouctl.mobility import documents, register
from tests.conftest import EXAMPLES, git

TODAY = dt.date(2026, 3, 1)


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """The consortium example released as 1.0 in September 2025 and signed by all."""
    import os

    from mouctl.ledger import release as releases
    from mouctl.ledger import signatures

    folder = tmp_path_factory.mktemp("mechamove") / "consortium"
    shutil.copytree(EXAMPLES / "consortium", folder)
    (folder / ".gitignore").write_text("/mobilities/\n", encoding="utf-8")
    saved = {k: os.environ.get(k) for k in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE")}
    os.environ.update(GIT_AUTHOR_DATE="2025-09-15T10:00:00+00:00",
                      GIT_COMMITTER_DATE="2025-09-15T10:00:00+00:00",
                      GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="t@example.org",
                      GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="t@example.org")
    try:
        git(folder, "init", "-q", "--initial-branch=main")
        git(folder, "add", "-A")
        git(folder, "commit", "-q", "-m", "MechaMove MoU")
        plan = releases.plan(folder, "1.0", "First version for signature", today=TODAY)
        releases.create(folder, plan, today=TODAY)
        for i, partner in enumerate(plan.network.partners):
            signatures.sign(folder, partner.id, signatory=partner.signatory.name,
                            date=f"2025-09-{22 + i}", place="Regensburg", version=None,
                            note=None, file=None, today=TODAY)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return folder


def document(folder, mobility: str, kind: str, fmt: str, lang: str | None = None) -> bytes:
    checked = register.check_one(folder, mobility, today=TODAY)
    assert checked.valid and checked.diagnostics == [], checked.diagnostics
    assert checked.mou.label == "mou-v1.0"
    return documents.render(kind, checked.file.mobility, checked.mou, fmt, lang=lang)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_learning_agreement_golden(released, golden, lang):
    text = document(released, "2026-graz-virtanen", documents.LEARNING_AGREEMENT, "md",
                    lang).decode()
    golden(f"mobility/learning-agreement-{lang}.md", text)
    assert "mou-v1.0" in text


def test_transcript_golden(released, golden):
    text = document(released, "2025-regensburg-dubois", documents.TRANSCRIPT, "md").decode()
    golden("mobility/transcript-en.md", text)


def test_learning_agreement_carries_what_the_mou_agreed(released):
    from mouctl.source import loader as source

    text = document(released, "2026-oulu-berger", documents.LEARNING_AGREEMENT, "md").decode()
    network = source.load_or_raise(released)
    [unit] = [u for _, u in network.units() if u.id == "mech-plc"]
    for outcome in (*unit.learning_outcomes.skills, *unit.assessment.methods):
        assert outcome["en"] in text
    host = network.partner("ppao-oulu")
    assert host.oid in text and host.contact.email in text
    assert network.arrangements.recognition["en"] in text
    assert network.fingerprint() in text
    assert text.count("Signature: ....") == 3  # learner, sending, receiving


def test_word_and_pdf(released):
    import docx

    data = document(released, "2026-graz-virtanen", documents.LEARNING_AGREEMENT, "docx",
                    "de")
    word = docx.Document(io.BytesIO(data))
    body = "\n".join([p.text for p in word.paragraphs]
                     + [c.text for table in word.tables for row in table.rows
                        for c in row.cells])
    assert "Lernvereinbarung" in body and "Emma Virtanen" in body
    pytest.importorskip("weasyprint")
    pdf = document(released, "2025-regensburg-dubois", documents.TRANSCRIPT, "pdf")
    assert pdf.startswith(b"%PDF-")


def test_the_cli_refuses_a_mobility_with_errors_and_a_transcript_without_assessment(
        released, run, tmp_path):
    folder = tmp_path / "net"
    shutil.copytree(released, folder)
    result = run("transcript", "2026-graz-virtanen", "-N", str(folder))
    assert result.code == 1
    assert "error: the mobility has no assessment recorded, so there is no transcript yet" \
        in result.stderr
    bad = folder / "mobilities" / "2026-graz-virtanen.yaml"
    bad.write_text(bad.read_text().replace("[ea-basics]", "[ea-basic]"), encoding="utf-8")
    result = run("learning-agreement", "2026-graz-virtanen", "-N", str(folder))
    assert result.code == 1 and result.stderr.count("unit 'ea-basic' is not in mou-v1.0") == 1
    assert "cannot write the learning agreement: the mobility '2026-graz-virtanen' has 1 " \
        "error(s)" in result.stderr
    out = tmp_path / "la.docx"
    result = run("learning-agreement", "2026-oulu-berger", "-N", str(folder), "-o", str(out))
    assert result.code == 0, result.output
    assert "learning agreement of 2026-oulu-berger, docx, MoU mou-v1.0" in result.stderr

"""The version line: a release and its date when data and templates equal it, else a draft."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import pytest

from mouctl import api
from mouctl.history import revisions
from mouctl.ledger import release as releases
from mouctl.ledger import signatures
from tests.gitnet import COORDINATOR, NetRepo

TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def released(tmp_path, monkeypatch):
    """A network released as 1.0 on 2026-02-10."""
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-02-10T10:00:00+00:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-02-10T10:00:00+00:00")
    repo = NetRepo.create(tmp_path / "net")
    plan = releases.plan(repo.folder, "1.0", "first MoU", today=TODAY)
    releases.create(repo.folder, plan, today=TODAY)
    return repo


def test_a_release_names_itself_and_its_date(released):
    edition = revisions.edition(released.folder, today=TODAY)
    assert (edition.label, edition.release, edition.version, edition.date) == (
        "mou-v1.0", "mou-v1.0", "1.0", dt.date(2026, 2, 10))
    text = api.render_document(released.folder, "md", today=TODAY).data.decode()
    assert "**Version 1.0 of 10 February 2026**" in text
    german = api.render_document(released.folder, "md", lang="de", today=TODAY).data.decode()
    assert "**Fassung 1.0 vom 10. Februar 2026**" in german


def test_signatures_after_the_release_keep_it_the_release(released, monkeypatch):
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-02-20T10:00:00+00:00")
    signatures.sign(released.folder, COORDINATOR, signatory="Thomas Brandt",
                    date="2026-02-20", place="Bremen", version=None, note=None, file=None,
                    today=TODAY)
    edition = revisions.edition(released.folder, today=TODAY)
    assert edition.release == "mou-v1.0" and not edition.draft
    made = api.render_document(released.folder, "docx", today=TODAY)
    document = docx.Document(io.BytesIO(made.data))
    assert made.version == "mou-v1.0"
    assert "Version 1.0 of 10 February 2026" in [p.text for p in document.paragraphs]
    assert document.core_properties.created == dt.datetime(2026, 2, 10, tzinfo=dt.UTC)
    assert not "".join(p.text for p in document.sections[0].header.paragraphs)


def test_a_changed_text_is_a_draft_of_today_with_a_visible_mark(released):
    released.edit("Berufsschule am Hafen", "Berufsschule am Hafen Bremen")
    edition = revisions.edition(released.folder, today=TODAY)
    assert edition.draft and edition.date == TODAY
    assert edition.label.startswith("draft (uncommitted changes on ")
    text = api.render_document(released.folder, "md", today=TODAY).data.decode()
    assert "**Draft of 1 March 2026**" in text
    html = api.render_document(released.folder, "html", today=TODAY).data.decode()
    assert re.search(r'<div class="draft-mark" aria-hidden="true"[^>]*>DRAFT</div>', html)
    word = docx.Document(io.BytesIO(api.render_document(released.folder, "docx",
                                                        today=TODAY).data))
    assert word.sections[0].header.paragraphs[0].text == "DRAFT"
    french = api.render_document(released.folder, "html", lang="fr", today=TODAY).data
    assert b">PROJET</div>" in french


def test_a_changed_network_template_is_a_draft_too(released):
    (released.folder / "templates").mkdir()
    (released.folder / "templates" / "style.css").write_text("h1 { color: red; }\n")
    assert revisions.edition(released.folder, today=TODAY).draft
    released.commit("Red title")
    edition = revisions.edition(released.folder, today=TODAY)
    assert edition.draft and edition.label.startswith("commit ")


def test_a_template_change_is_a_wording_change_for_diff_and_release(released):
    templates = released.folder / "templates"
    templates.mkdir()
    (templates / "mou.md.j2").write_text(
        '{% extends "default/mou.md.j2" %}\n{% block objectives %}\n## 1. Objectives\n\n'
        "The signatories declare their understanding of the objectives.\n\n"
        "{% endblock %}\n", encoding="utf-8")
    comparison = api.compare_revisions(released.folder, today=TODAY)
    assert comparison.changes == [] and comparison.wording == ["templates/mou.md.j2"]
    assert comparison.exit_code == 1
    from mouctl.changes import report

    text = " ".join(line for line, _ in report.footer(comparison))
    assert "The wording of the document changed" in text and "No changes" not in text
    with pytest.raises(Exception, match="templates/ have uncommitted changes"):
        releases.plan(released.folder, "1.1", "declaratory wording", today=TODAY)
    released.commit("Declaratory wording")
    plan = releases.plan(released.folder, "1.1", "declaratory wording", today=TODAY)
    assert plan.wording == ["templates/mou.md.j2"] and plan.templates_fingerprint != "none"
    message = plan.message()
    assert "Wording-Changed: templates/mou.md.j2" in message
    assert f"Templates-Fingerprint: {plan.templates_fingerprint}" in message
    first = revisions.find_release(released.folder, "1.0")
    assert plan.document_fingerprint != first.document_fingerprint


def test_a_newer_default_wording_is_said_in_words_not_as_tampering(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-02-10T10:00:00+00:00")
    repo = NetRepo.create(tmp_path / "net")
    plan = releases.plan(repo.folder, "1.0", "first MoU", today=TODAY)
    plan.document_fingerprint = "0123456789ab"  # as an older mouctl worded it
    releases.create(repo.folder, plan, today=TODAY)
    report = api.status(repo.folder, today=TODAY)
    assert report.problems == []
    (note,) = report.notes
    assert "words the default template differently" in note
    assert "0123456789ab then" in note and "nothing was tampered with" in note
    made = api.render_document(repo.folder, "md", at="mou-v1.0", today=TODAY)
    assert any("words the default template differently" in w for w in made.warnings)
    assert "**Version 1.0 of 10 February 2026**" in made.data.decode()

"""The redline of two document trees, aligned by anchors: golden files of the common
amendments and the Word revision marks read back (accept all = new, reject all = old)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace

import pytest

from mouctl.changes import redline
from mouctl.render import engine
from mouctl.source import loader
from tests.conftest import EXAMPLES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _consortium():
    return loader.load(EXAMPLES / "consortium", today=dt.date(2026, 3, 1)).network


def _drop_partner(net, ident):
    return net.model_copy(update={"partners": [p for p in net.partners if p.id != ident]})


def _units(net, qual_id, units):
    quals = [q.model_copy(update={"units": units}) if q.id == qual_id else q
             for q in net.qualifications]
    return net.model_copy(update={"qualifications": quals})


def _qual(net, qual_id):
    return next(q for q in net.qualifications if q.id == qual_id)


def _reword(net):
    qual = _qual(net, "mechatronics-de")
    unit = qual.units[1]
    outcomes = unit.learning_outcomes
    knowledge = list(outcomes.knowledge)
    def reword(text):
        if isinstance(text, dict):
            return {lang: reword(v) for lang, v in text.items()}
        if " five " in text:
            return text.replace(" five ", " six ", 1)  # one word changed
        words = text.split(" ")
        words[-2] = "changed"
        return " ".join(words)

    knowledge[0] = reword(knowledge[0])
    unit = unit.model_copy(update={"learning_outcomes": outcomes.model_copy(
        update={"knowledge": knowledge})})
    return _units(net, qual.id, [qual.units[0], unit, *qual.units[2:]])


def _cases():
    full = _consortium()
    qual = _qual(full, "mechatronics-de")
    without_middle = _units(full, qual.id, [qual.units[0], qual.units[1], qual.units[3]])
    reordered = _units(full, qual.id, [qual.units[1], qual.units[0], *qual.units[2:]])
    return {
        "partner-joins": (_drop_partner(full, "mobilitas-valencia"), full),
        "partner-leaves": (full, _drop_partner(full, "mobilitas-valencia")),
        "unit-inserted": (without_middle, full),
        "outcome-reworded": (full, _reword(full)),
        "units-reordered": (full, reordered),
    }


def _tree(network, version):
    return engine.document(network, version=version)


def _redline(case):
    old, new = _cases()[case]
    return redline.compare(_tree(old, "1.0"), _tree(new, "1.1"))


@pytest.mark.parametrize("case", list(_cases()))
def test_redline_golden(case, golden):
    from mouctl.render import md_writer

    marked = _redline(case)
    golden(f"redline/{case}.md", md_writer.write(marked.document))
    lines = redline.terminal_lines(marked, old_label="1.0", new_label="1.1")
    golden(f"redline/{case}.txt", "\n".join("".join(t for t, _ in line) for line in lines)
           + "\n")


def test_a_joining_partner_is_one_inserted_table_not_pipes():
    from mouctl.render import html_writer, md_writer

    marked = _redline("partner-joins")
    md = md_writer.write(marked.document)
    assert "| <ins>" in md  # a table, its cells marked
    assert "<del>" not in md.split("## 3.")[0].split("## 2.")[1]  # nothing else in section 2
    html = html_writer.write(marked.document, "")
    assert '<tr><th><ins>' in html or "<td><ins>" in html
    assert marked.counts.anchors.get("partner/mobilitas-valencia") == "inserted"


def test_an_inserted_unit_does_not_mispair_its_neighbours():
    marked = _redline("unit-inserted")
    inserted = {a for a, k in marked.counts.anchors.items() if k == "inserted"}
    assert any(a.endswith("/unit/mech-plc") for a in inserted)
    assert not any(k == "deleted" for k in marked.counts.anchors.values())
    # The next unit's number shifted (A.3 -> A.4): numbering is not marked.
    from mouctl.render import md_writer

    md = md_writer.write(marked.document)
    assert "<del>A.3</del>" not in md and "<ins>A.4</ins>" not in md


def test_a_reordered_unit_is_a_move():
    marked = _redline("units-reordered")
    assert marked.counts.moved_blocks >= 1
    assert marked.counts.deleted_words == 0 or marked.counts.inserted_words == 0 or \
        "move-to" in marked.counts.anchors.values()


def test_an_email_edit_is_one_word():
    full = _consortium()
    partner = full.partners[1]
    contact = partner.contact.model_copy(update={"email": "new.person@hwk-ostbayern.de"})
    changed = full.model_copy(update={"partners": [full.partners[0],
                                                   partner.model_copy(update={"contact": contact}),
                                                   *full.partners[2:]]})
    marked = redline.compare(_tree(full, "1.0"), _tree(changed, "1.0"))
    from mouctl.render import md_writer

    md = md_writer.write(marked.document)
    # The address changes as one word wherever it is printed: never character soup.
    assert "<ins>new.person@hwk-ostbayern.de</ins>" in md
    assert marked.counts.inserted_words == marked.counts.deleted_words >= 1
    assert set(re.findall(r"<ins>([^<]*)</ins>", md.split("Rendered by")[0])) == {
        "new.person@hwk-ostbayern.de"}


def test_time_is_linear_in_a_long_changed_paragraph():
    """A 10,000-word paragraph with one word changed compares by its head and tail."""
    from mouctl.render.document import Document, Paragraph, Run

    words = [f"word{i}" for i in range(10_000)]
    old = Document([Paragraph((Run(" ".join(words)),))], "en", ["en"], "t", "1", "f")
    words[5000] = "changed"
    new = Document([Paragraph((Run(" ".join(words)),))], "en", ["en"], "t", "1", "f")
    marked = redline.compare(old, new)
    assert (marked.counts.inserted_words, marked.counts.deleted_words) == (1, 1)


# -- Word: real revision marks ------------------------------------------------------


def _docx_paragraphs(data: bytes, mode: str) -> list[str]:
    """Body paragraph texts of a .docx with every revision accepted, rejected or as is."""
    from lxml import etree

    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    drop = {"accept": (f"{W}del", f"{W}moveFrom"), "reject": (f"{W}ins", f"{W}moveTo"),
            "plain": ()}[mode]
    for tag in drop:
        for el in root.iter(tag):
            if el.getparent().tag != f"{W}rPr" and el.getparent().tag != f"{W}trPr":
                el.getparent().remove(el)
    for row in list(root.iter(f"{W}tr")):
        trpr = row.find(f"{W}trPr")
        if trpr is not None and any(trpr.find(t) is not None for t in drop):
            row.getparent().remove(row)
    out = []
    for p in root.iter(f"{W}p"):
        text = "".join(t.text or "" for t in p.iter(f"{W}t", f"{W}delText"))
        mark = p.find(f"{W}pPr/{W}rPr")
        gone = mark is not None and any(mark.find(t) is not None for t in drop)
        if text.strip() and not (gone and not text.strip()):
            out.append(text)
    return out


def _body(paragraphs: list[str]) -> list[str]:
    # The version lines and the signature pages' reference line name the versions and
    # fingerprints; they identify the document and are not part of the MoU's text.
    return [p for p in paragraphs
            if not re.match(r"^(Version|Rendered by mouctl)", p) and "Data fingerprint" not in p]


@pytest.mark.parametrize("case", ["partner-joins", "partner-leaves", "outcome-reworded"])
def test_word_redline_accepts_to_the_new_and_rejects_to_the_old(case):
    old, new = _cases()[case]
    marked = redline.compare(_tree(old, "1.0"), _tree(new, "1.1"))
    doc = replace(marked.document, revision=("Test Coordinator", "2026-03-01T00:00:00Z"))
    data = engine.write(doc, "docx")
    old_text = _body(_docx_paragraphs(engine.write(_tree(old, "1.1"), "docx"), "plain"))
    new_text = _body(_docx_paragraphs(engine.write(_tree(new, "1.1"), "docx"), "plain"))
    assert _body(_docx_paragraphs(data, "accept")) == new_text
    assert _body(_docx_paragraphs(data, "reject")) == old_text


def test_word_redline_marks_only_what_changed():
    from lxml import etree

    old, new = _cases()["outcome-reworded"]
    marked = redline.compare(_tree(old, "1.0"), _tree(new, "1.0"))
    doc = replace(marked.document, revision=("Test Coordinator", "2026-03-01T00:00:00Z"))
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(engine.write(doc, "docx")))
                            .read("word/document.xml"))

    def body(elements):  # the trace line's fingerprint changes too; leave it out
        return [e for e in elements if "Rendered by" not in "".join(
            next(e.iterancestors(f"{W}p")).itertext())]

    inserted = body(root.findall(f".//{W}ins"))
    deleted = body(root.findall(f".//{W}del"))
    assert len(inserted) == 1 and len(deleted) == 1
    assert inserted[0].get(f"{W}author") == "Test Coordinator"
    assert inserted[0].get(f"{W}date") == "2026-03-01T00:00:00Z"
    tree = root.getroottree()
    changed = {tree.getpath(p) for el in (*inserted, *deleted) for p in el.iterancestors(f"{W}p")}
    assert len(changed) == 1  # unchanged paragraphs carry no revision marks


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_word_redline_with_its_tracked_changes(tmp_path):
    old, new = _cases()["partner-joins"]
    marked = redline.compare(_tree(old, "1.0"), _tree(new, "1.1"))
    doc = replace(marked.document, revision=("Test Coordinator", "2026-03-01T00:00:00Z"))
    path = tmp_path / "redline.docx"
    path.write_bytes(engine.write(doc, "docx"))
    # LibreOffice reads the revisions and writes them back as tracked changes in ODF.
    proc = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--convert-to", "odt", "--outdir", str(tmp_path), str(path)],
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    content = zipfile.ZipFile(tmp_path / "redline.odt").read("content.xml").decode()
    assert "<text:tracked-changes" in content
    assert "text:insertion" in content

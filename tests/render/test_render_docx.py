"""The Word document read back with python-docx, and the wheel's templates."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from mouctl.render import engine as rendering
from mouctl.source import loader as source
from tests.conftest import ROOT

SIX = Path(__file__).parents[1] / "networks" / "six-partners"


@pytest.fixture(scope="module")
def network():
    return source.load_or_raise(SIX)


@pytest.fixture(scope="module")
def document(network):
    return docx.Document(io.BytesIO(rendering.render(network, "docx", version="mou-v1.0")))


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def test_sections_are_real_headings_in_the_official_order(document):
    numbered = [h for h in headings(document, 1) if h[:1].isdigit()]
    assert [h.split(".")[0] for h in numbered] == [str(n) for n in range(1, 12)]
    assert numbered[1] == "2. Organisations signing the Memorandum of Understanding"
    assert "Annex A: Descriptions of the units of learning outcomes" in headings(document, 1)
    assert headings(document, 2)[:2] == ["2.1 Berufsschule am Hafen (BS Hafen)",
                                         "2.2 Tampereen ammattiopisto (TAO)"]
    title = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert title == ["EuroCook Mobility Network - Memorandum of Understanding"]


def test_tables_carry_the_data_and_rows_never_split(document, network):
    qualification_table = next(t for t in document.tables
                               if t.rows[0].cells[0].text == "Qualification")
    assert [c.text for c in qualification_table.rows[1].cells] == [
        "Cook", "Germany", "BS Hafen", "4", "4", "180"]
    for table in document.tables:
        for row in table.rows:
            assert row._tr.trPr.find(docx.oxml.ns.qn("w:cantSplit")) is not None


def test_signature_blocks_side_by_side_with_aligned_lines(document, network):
    heading = next(p for p in document.paragraphs if p.text.startswith("9. "))
    assert heading.paragraph_format.page_break_before
    table = next(t for t in document.tables if t.rows[0].cells[0].text.startswith(
        "EuroCook Mobility Network - Memorandum of Understanding · File code ECK-2026-MOU-01"))
    head = table.rows[0]._tr.trPr
    assert head.find(docx.oxml.ns.qn("w:tblHeader")) is not None  # repeats on every page
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(rows) == 2 * 3  # six partners, two side by side: organisations, then lines
    for pair in range(3):
        top, body = rows[2 * pair], rows[2 * pair + 1]
        for column in range(2):
            partner = network.partners[pair * 2 + column]
            assert top[column].startswith(partner.name)
            lines = body[column].split("\n")
            assert lines[:4] == [partner.signatory.name, "Name", partner.signatory.position,
                                 "Position"]
            assert [x for x in lines[4:] if x.strip()] == ["Place", "Date", "Signature",
                                                           "Stamp"]
        # the lines of a pair never split across pages; its organisations stay with them
        trpr = table.rows[2 * pair + 2]._tr.trPr
        assert trpr.find(docx.oxml.ns.qn("w:cantSplit")) is not None


def test_word_carries_the_language_and_the_title(network):
    doc = docx.Document(io.BytesIO(rendering.render(network, "docx", lang="de")))
    assert doc.core_properties.language == "de-DE"
    assert doc.core_properties.title == "EuroCook Mobilitätsnetzwerk - Absichtserklärung"
    styles = doc.styles.element.xml
    assert 'w:val="de-DE"' in styles and "en-US" not in styles


def test_the_footer_carries_version_fingerprint_and_page_numbers(document, network):
    footer = document.sections[0].footer
    xml = footer._element.xml
    assert f"Version mou-v1.0 · Data fingerprint {network.fingerprint()}" in footer.paragraphs[
        0].text
    assert " PAGE " in xml and " NUMPAGES " in xml


def test_bilingual_word_document_gives_both_languages(network):
    doc = docx.Document(io.BytesIO(rendering.render(network, "docx", bilingual="de")))
    assert "1. Objectives of the Memorandum of Understanding / Ziele der Absichtserklärung" \
        in headings(doc, 1)
    texts = [p.text for p in doc.paragraphs]
    assert any(t.startswith("Ziel dieser Absichtserklärung") for t in texts)


def test_word_to_pdf_through_libreoffice(tmp_path, network):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    src = tmp_path / "mou.docx"
    src.write_bytes(rendering.render(network, "docx"))
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180)
    assert (tmp_path / "mou.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.slow
def test_a_plain_wheel_install_finds_the_default_template(tmp_path):
    """Build the wheel, unpack it away from the source tree, render from it."""
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".git", "tests", "examples", "build", "*.egg-info", "__pycache__", ".venv"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(src),
                    "-w", str(tmp_path / "dist")],
                   check=True, capture_output=True, timeout=300)
    wheel = next((tmp_path / "dist").glob("mouctl-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for name in ("mou.md.j2", "style.css", "i18n/en.yaml", "i18n/de.yaml",
                 "i18n/fr.yaml"):
        assert f"mouctl/templates/default/{name}" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("from mouctl.render import engine as rendering; "
            "from mouctl.source import loader as source; from pathlib import Path; "
            f"n = source.load_or_raise(Path({str(SIX)!r})); "
            "print(rendering.templates_root()); print(rendering.render_markdown(n)[:40])")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
                         check=True).stdout
    assert out.startswith(str(site / "mouctl" / "templates"))
    assert "# EuroCook Mobility Network" in out


def test_a_text_over_lxmls_ten_million_characters_is_written(tmp_path, run):
    """lxml refuses a text node over 10,000,000 characters unless told otherwise; Word
    has no such limit, so the document is written, whole, by a real `mouctl render`."""
    from lxml import etree

    from tests.gitnet import NetRepo

    repo = NetRepo.create(tmp_path / "net", commit=False)
    long_title = "A" * 10_500_000
    repo.edit('title: "EuroCook Network"', f'title: "{long_title}"')
    result = run("render", "-f", "docx", "-o", "mou.docx", cwd=repo.folder)
    assert result.code == 0, result.output[:2000]
    with zipfile.ZipFile(repo.folder / "mou.docx") as archive:
        body = etree.fromstring(archive.read("word/document.xml"),
                                etree.XMLParser(huge_tree=True))
        core = archive.read("docProps/core.xml").decode("utf-8")
    texts = body.itertext()
    assert any(text == long_title for text in texts)
    # Word keeps document properties of up to 255 characters: the title is shortened there.
    assert f"<dc:title>{'A' * 254}…</dc:title>" in core


def test_the_streamed_body_is_the_xml_lxml_would_write(network):
    """The body is written as text into the zip, never parsed: it must be exactly what
    lxml serialises (as the package's other parts), whatever characters the data holds."""
    from lxml import etree

    from mouctl.render import docx_writer
    from mouctl.render.document import Document, Paragraph, Run

    tricky = 'Quotes " and \' <tags> & ampersands\ttabs\rreturns — non-ASCII ü ☃'
    doc = rendering.document(network.model_copy(update={"title": tricky}), version="x")
    doc = Document([*doc.children, Paragraph((Run(""),)), Paragraph(()),
                    Paragraph((Run(tricky), Run("", bold=True))),
                    Paragraph((Run("kept "), Run(tricky, change="ins")))],
                   revision=(tricky + "\n", "2026-03-01T00:00:00Z"),
                   **{k: getattr(doc, k) for k in ("lang", "langs", "title", "version",
                                                   "fingerprint", "file_code", "labels")})
    body = zipfile.ZipFile(io.BytesIO(docx_writer.write(doc))).read("word/document.xml")
    assert tricky.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        "\r", "&#13;").encode() in body
    assert etree.tostring(etree.fromstring(body), encoding="UTF-8", standalone=True) == body

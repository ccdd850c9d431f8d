"""Golden files of Word and PDF, compared as extracted text and XML, not as bytes.

Word and PDF bytes vary with font and library versions, so the golden file of a
.docx is its text read back (paragraph styles, runs' marks, table cells, the
document's language and properties) and that of a PDF is what a reader relies on:
PDF/A identification, language, title and the bookmarks. Markdown and HTML have
golden files of their own (test_render.py).
"""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from lxml import etree

from mouctl.render import engine as rendering
from mouctl.render import pdf
from tests.render.test_render import NETWORKS, load

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(data: bytes) -> str:
    """A .docx as text: one line per paragraph (style, text) and per table row."""
    document = docx.Document(io.BytesIO(data))
    props = document.core_properties
    lines = [f"title: {props.title}", f"language: {props.language}",
             f"created: {props.created}", f"comments: {props.comments}"]
    styles = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml"))
    langs = sorted({el.get(f"{W}val") for el in styles.iter(f"{W}lang")})
    lines.append(f"style languages: {', '.join(langs)}")
    header = " ".join(p.text for p in document.sections[0].header.paragraphs).strip()
    lines.append(f"header: {header}")
    lines.append("")
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == f"{W}p":
            paragraph = docx.text.paragraph.Paragraph(child, document)
            if paragraph.text.strip():
                lines.append(f"[{paragraph.style.name}] {paragraph.text}")
        elif child.tag == f"{W}tbl":
            table = docx.table.Table(child, document)
            for row in table.rows:
                lines.append("| " + " | ".join(c.text.replace("\n", " / ") for c in row.cells)
                             + " |")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_word_matches_golden_text(name, golden):
    data = rendering.render(load(NETWORKS[name]), "docx", version="mou-v1.0")
    golden(f"render/{name}.docx.txt", docx_text(data))


def pdf_summary(data: bytes) -> str:
    """What a PDF says about itself: PDF/A part, language, title, bookmarks."""
    import pikepdf

    document = pikepdf.open(io.BytesIO(data))
    meta = document.open_metadata()
    lines = [f"pdfa: {meta.get('pdfaid:part')}{meta.get('pdfaid:conformance')}",
             f"lang: {document.Root.Lang}", f"title: {document.docinfo.get('/Title')}",
             f"tagged: {'/StructTreeRoot' in document.Root}", "bookmarks:"]

    def walk(items, depth):
        for item in items:
            lines.append(f"{'  ' * depth}- {item.title}")
            walk(item.children, depth + 1)

    with document.open_outline() as outline:
        walk(outline.root, 1)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_pdf_matches_golden_summary(name, golden):
    pytest.importorskip("pikepdf")
    if not pdf.available():
        pytest.skip("WeasyPrint is not installed")
    data = rendering.render(load(NETWORKS[name]), "pdf", version="mou-v1.0")
    golden(f"render/{name}.pdf.txt", pdf_summary(data))

"""The PDF read back with pikepdf: PDF/A, tagged, in the document's language, bookmarked."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from mouctl.render import engine as rendering
from mouctl.render import pdf
from mouctl.source import loader as source

SIX = Path(__file__).parents[1] / "networks" / "six-partners"

pikepdf = pytest.importorskip("pikepdf")
if not pdf.available():
    pytest.skip("WeasyPrint is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def german():
    data = rendering.render(source.load_or_raise(SIX), "pdf", lang="de", version="mou-v1.0")
    return pikepdf.open(io.BytesIO(data))


def test_the_pdf_is_pdf_a_and_tagged(german):
    meta = german.open_metadata()
    assert meta.get("pdfaid:part") == "2"
    assert meta.get("pdfaid:conformance") == "A"
    root = german.Root
    assert "/StructTreeRoot" in root
    assert bool(root.MarkInfo.Marked)
    assert "/OutputIntents" in root


def test_the_pdf_says_its_language(german):
    assert str(german.Root.Lang) == "de"


def test_the_pdf_has_bookmarks_for_the_sections(german):
    with german.open_outline() as outline:
        (title,) = outline.root
        assert title.title == "EuroCook Mobilitätsnetzwerk - Absichtserklärung"
        sections = [item.title for item in title.children]
    assert sections[0] == "1. Ziele der Absichtserklärung"
    assert "9. Unterschriften" in sections
    assert sum(1 for s in sections if s[:1].isdigit()) == 11


def test_the_pdf_keeps_mouctls_metadata(german):
    info = german.docinfo
    assert str(info["/MouctlVersion"]) == "mou-v1.0"
    assert str(info["/Title"]) == "EuroCook Mobilitätsnetzwerk - Absichtserklärung"

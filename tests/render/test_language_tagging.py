"""Each passage in its own language, names never hyphenated, in HTML, Word and PDF."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest

from mouctl.render import engine as rendering
from mouctl.render import markup
from mouctl.source import loader as source
from tests.conftest import EXAMPLES

HERE = Path(__file__).parents[1]
SIX = HERE / "networks" / "six-partners"  # languages [en, de]
TODAY = dt.date(2026, 3, 1)


def load(folder: Path):
    return source.load(folder, today=TODAY).require()


def english_only():
    """The six partners' network as an English-only MoU (texts with a German version)."""
    return load(SIX).model_copy(update={"languages": ["en"]})


def document_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()


def test_markup_reads_name_and_language_spans():
    blocks = markup.parse('A <span class="name">Berufsschule</span> and '
                          '<span class="name" lang="de">Hafen</span> '
                          '<span class="alt" lang="de">/ Text</span> '
                          '<span lang="en">fallback</span>')
    runs = {r.text.strip(): r for r in blocks[0].runs if r.text.strip()}
    assert runs["Berufsschule"].name and runs["Berufsschule"].lang is None
    assert runs["Hafen"].name and runs["Hafen"].lang == "de"
    assert runs["/ Text"].alt and runs["/ Text"].lang == "de" and not runs["/ Text"].name
    assert runs["fallback"].lang == "en" and not runs["fallback"].alt
    assert not runs["A"].name and not runs["and"].name


def test_names_are_marked_in_html_and_never_hyphenated():
    html = rendering.render(load(SIX), "html").decode()
    assert '<span class="name">Berufsschule am Hafen</span>' in html
    assert '<span class="name">Maria Keller</span>' in html  # a person's name
    assert ".name { hyphens: none; }" in html
    assert "main { hyphens: auto; }" in html
    # Markdown has no spans: names print as written.
    text = rendering.render_markdown(load(SIX))
    assert "Berufsschule am Hafen" in text and "class=" not in text


def test_a_legal_name_in_another_language_is_tagged_with_it():
    net = load(SIX)
    partner = net.partners[0].model_copy(update={"name": {
        "de": "Berufsschule am Hafen", "en": "Vocational School at the Harbour"}})
    net = net.model_copy(update={"languages": ["en"], "partners": [partner, *net.partners[1:]]})
    html = rendering.render(net, "html").decode()
    assert ('<span class="name" lang="de">Berufsschule am Hafen</span> '
            '(<span class="name">Vocational School at the Harbour</span>)') in html


def test_a_text_shown_in_another_language_is_tagged_with_that_language():
    # A Polish translation of an English MoU: the data's texts stay English and say so.
    html = rendering.render(english_only(), "html", lang="pl").decode()
    assert '<html lang="pl">' in html
    assert re.search(r'<div class="language" lang="en">\s*<p>', html)
    assert '<span lang="en">' in html
    # The Polish fixed text is not tagged as English.
    assert '<span lang="en">Cele' not in html


def test_word_tags_every_passage_of_a_bilingual_document_with_its_language():
    xml = document_xml(rendering.render(load(SIX), "docx", bilingual="de"))
    runs = re.findall(r"<w:r>(.*?)</w:r>", xml)
    german = [r for r in runs if '<w:lang w:val="de-DE"/>' in r]
    # The German column of the bilingual texts: runs tagged de-DE, in italics.
    assert len(german) > 20
    assert any("Ziele" in r or "Absichtserklärung" in r for r in german)
    # English runs carry no tag of their own: the document's language (en-GB) holds.
    styles = zipfile.ZipFile(io.BytesIO(rendering.render(load(SIX), "docx", bilingual="de"))
                             ).read("word/styles.xml").decode()
    assert 'w:val="en-GB"' in styles
    # Names are not spell-checked.
    named = [r for r in runs if "Berufsschule am Hafen" in r]
    assert named and all("<w:noProof/>" in r for r in named)


def test_word_tags_a_translation_passage_in_the_language_it_is_written_in():
    xml = document_xml(rendering.render(english_only(), "docx", lang="pl"))
    assert '<w:lang w:val="en-GB"/>' in xml  # the English texts of the data
    styles = zipfile.ZipFile(io.BytesIO(rendering.render(english_only(), "docx", lang="pl"))
                             ).read("word/styles.xml").decode()
    assert 'w:val="pl-PL"' in styles


def test_serbian_word_documents_say_cyrillic():
    from mouctl.render.docx_writer import word_language

    assert word_language("sr") == "sr-Cyrl-RS"  # the catalogue is in Cyrillic
    assert word_language("de") == "de-DE" and word_language("el") == "el-GR"


def test_word_fonts_cover_every_script_slot():
    data = rendering.render(load(EXAMPLES / "bilateral"), "docx", lang="el")
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    fonts = re.findall(r"<w:rFonts [^>]*/>", styles)
    assert fonts and not [f for f in fonts if "heme=" in f]  # no theme font anywhere
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, re.S).group(0)
    assert all(f'w:{slot}="Liberation Sans"' in defaults
               for slot in ("ascii", "hAnsi", "eastAsia", "cs"))


@pytest.mark.parametrize("lang", ["de", "pl"])
def test_pdf_hyphenates_running_text_but_never_a_name(lang):
    from mouctl.render import pdf

    if not pdf.available():
        pytest.skip("WeasyPrint is not installed")
    from pypdf import PdfReader

    net = load(EXAMPLES / "bilateral")
    data = rendering.render(net, "pdf", lang=lang)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    broken = re.findall(r"(\w+)-\n(\w+)", text)
    # The language's dictionary hyphenates long words at line ends ...
    assert broken, "no word was hyphenated: is the lang attribute or hyphens: auto lost?"
    names = [str(p.name if isinstance(p.name, str) else " ".join(p.name.values()))
             for p in net.partners]
    names += [p.signatory.name for p in net.partners if p.signatory and p.signatory.name]
    words = {w for name in names for w in re.findall(r"\w+", name)}
    # ... but no word of a name is ever split, nor the draft mark (PRO-JEKT was).
    mark = rendering.document(net, lang=lang).labels["draft_mark"]
    assert [f"{a}-{b}" for a, b in broken if a + b in words or a + b == mark] == []


def test_the_draft_mark_is_one_word_on_one_line():
    html = rendering.render(load(EXAMPLES / "bilateral"), "html", lang="lt").decode()
    assert '<div class="draft-mark" aria-hidden="true" style="font-size: 60pt">PROJEKTAS' in html
    rule = html[html.index(".draft-mark {"):]
    assert "hyphens: none; white-space: nowrap;" in rule[:rule.index("}")]


def test_a_rendering_reads_only_the_catalogues_it_needs():
    from mouctl.render import catalogue

    folders = rendering.template_set(None).folders
    assert set(catalogue.load(folders, {"de", "en"}).texts) == {"de", "en"}
    assert len(catalogue.load(folders).texts) >= 29

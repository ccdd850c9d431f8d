"""Every example in every language of the programme: no fallback, no missing glyph.

Markdown for every catalogue language (cheap), PDF for a sample of scripts (Greek,
Cyrillic, Maltese and Polish letters), golden files for de, fr, it, pl and el.
"""

from __future__ import annotations

import datetime as dt
import functools
import html as htmllib
import io
import re
from pathlib import Path

import pytest

from mouctl.render import engine as rendering
from mouctl.render import fonts
from mouctl.source import loader as source
from tests.conftest import EXAMPLES

TODAY = dt.date(2026, 3, 1)
# The 24 official EU languages and those of the other Erasmus+ programme countries.
PROGRAMME = ["bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu",
             "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv",
             "is", "no", "mk", "sr", "tr"]
CATALOGUES = sorted(p.stem for p in (rendering.templates_root() / "default" / "i18n")
                    .glob("*.yaml"))
EXAMPLE_DIRS = sorted(p.parent for p in EXAMPLES.glob("*/network.yaml"))


def load(folder: Path):
    return source.load(folder, today=TODAY).require()


def test_every_programme_language_has_a_catalogue():
    assert sorted(set(PROGRAMME) - set(CATALOGUES)) == []


@pytest.mark.parametrize("example", EXAMPLE_DIRS, ids=lambda p: p.name)
def test_every_example_renders_in_every_catalogue_language_without_fallback(example):
    net = load(example)
    for lang in CATALOGUES:
        warnings: list[str] = []
        text = rendering.render_markdown(net, lang=lang, warnings=warnings)
        assert warnings == [], (lang, warnings)
        assert "## 11. " in text, lang
        if lang not in net.languages:
            assert text.count("\n") > 50


@pytest.mark.parametrize("lang", ["de", "fr", "it", "pl", "el"])
def test_golden_rendering_per_language(golden, lang):
    net = load(EXAMPLES / "bilateral")
    golden(f"render/lang/bilateral.{lang}.md",
           rendering.render_markdown(net, lang=lang, version="draft"))


def test_golden_bilingual_pair_without_english(golden):
    net = load(EXAMPLES / "bilateral").model_copy(update={"languages": ["it", "de"]})
    golden("render/lang/bilateral.it-de.md",
           rendering.render_markdown(net, lang="de", bilingual="it", version="draft"))


@functools.cache
def _covered() -> frozenset[int]:
    """The characters every bundled face has (read once: parsing a font is slow)."""
    from fontTools.ttLib import TTFont

    cmaps = [set(TTFont(fonts.folder() / name).getBestCmap()) for name, _, _ in fonts.FACES]
    return frozenset(set.intersection(*cmaps))


@pytest.mark.parametrize("lang", ["el", "bg", "mk", "sr", "mt", "pl", "ro", "tr"])
def test_the_bundled_fonts_have_every_character_of_the_document(lang):
    html = rendering.render(load(EXAMPLES / "bilateral"), "html", lang=lang).decode()
    body = html[html.index("<body>"):]
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", body))
    covered = _covered()
    missing = sorted({ch for ch in set(text) if ch.isprintable() and ch != " "
                      and ord(ch) not in covered})
    assert missing == []


@pytest.mark.parametrize("lang", ["el", "bg", "mt", "pl"])
def test_pdfs_use_only_the_bundled_fonts_and_say_their_language(lang):
    from mouctl.render import pdf

    if not pdf.available():
        pytest.skip("WeasyPrint is not installed")
    import pikepdf

    data = rendering.render(load(EXAMPLES / "bilateral"), "pdf", lang=lang)
    document = pikepdf.open(io.BytesIO(data))
    assert str(document.Root.Lang) == lang
    used = {str(font.BaseFont).split("+")[-1]
            for page in document.pages
            for font in page.Resources.get("/Font", {}).values()}
    # Every glyph came from the bundled family: no fallback to a system font, which a
    # fresh machine may not have (empty boxes instead of Greek or Cyrillic).
    assert used and all(name.startswith("/Liberation-Sans") or
                        name.startswith("Liberation-Sans") for name in used), used

"""One paragraph rule for every format: a blank line (even with spaces) separates."""

from __future__ import annotations

import datetime as dt
import io

import mouctl
from mouctl.source import loader
from tests.conftest import EXAMPLES

TEXT = "First sentence here.\n \nSecond sentence here.\nSame paragraph."


def _network():
    net = loader.load(EXAMPLES / "bilateral", today=dt.date(2026, 3, 1)).network
    return net.model_copy(update={"additional_information": TEXT})


def test_markdown_and_word_agree_on_paragraphs():
    import docx

    md = mouctl.render_network(_network(), "md").decode()
    assert "First sentence here.\n\nSecond sentence here." in md
    doc = docx.Document(io.BytesIO(mouctl.render_network(_network(), "docx")))
    found = [p.text for p in doc.paragraphs if "sentence here" in p.text]
    assert [t.split("\n")[0] for t in found] == ["First sentence here.", "Second sentence here."]


def test_html_has_the_same_paragraphs():
    html = mouctl.render_network(_network(), "html").decode()
    assert "<p>First sentence here.</p>" in html
    assert "Second sentence here." in html.split("<p>First sentence here.</p>", 1)[1]

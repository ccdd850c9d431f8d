"""The document tree: anchors from ids, and every format written from the same tree."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import docx
import pytest

from mouctl.render import engine as rendering
from mouctl.render import markup
from mouctl.render.document import (
    Group,
    ItemList,
    Paragraph,
    Section,
    Table,
    anchors,
    headings,
    kind_of,
    plain_text,
    signature_fields,
)
from mouctl.render.html_writer import html_id
from tests.render.test_render import NETWORKS, SIX, load


def expected_anchors(network) -> set[str]:
    """What the default template anchors, derived from the network's ids alone."""
    out = {"edition"} | {f"partner/{p.id}" for p in network.partners}
    if len(network.partners) > 10:  # the one-table overview of the partners
        out |= {f"partner/{p.id}/overview" for p in network.partners}
    out |= {f"signature/{p.id}" for p in network.partners}
    out |= {f"signature/{p.id}/{line}" for p in network.partners for line in (
        "organisation", "name", "position", "place", "date", "signature", "stamp")}
    out |= {f"organisation/{c.id}" for c in network.covered_organisations}
    for q in network.qualifications:
        out.add(f"qualification/{q.id}")
        if q.description or q.register_url:
            out.add(f"qualification/{q.id}/profile")
        for u in q.units:
            unit = f"qualification/{q.id}/unit/{u.id}"
            out |= {unit, f"{unit}/description"}
            for key, items in (("knowledge", u.learning_outcomes.knowledge),
                               ("skills", u.learning_outcomes.skills),
                               ("competence", u.learning_outcomes.competence),
                               ("methods", u.assessment.methods),
                               ("criteria", u.assessment.criteria)):
                out |= {f"{unit}/{key}/{i}" for i in range(1, len(items) + 1)}
    return out


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_every_entity_block_carries_an_anchor_from_its_ids(name):
    network = load(NETWORKS[name])
    tree = rendering.document(network)
    found = [a for a, _ in anchors(tree)]
    assert len(found) == len(set(found)), "anchors are unique in a document"
    entities = {a for a in found if not a.startswith(("section/", "arrangement/"))}
    assert entities == expected_anchors(network)
    sections = [a for a in found if a.startswith("section/")]
    assert sections[:10] == [f"section/{s}" for s in (
        "objectives", "partners", "covered", "qualifications", "units", "arrangements",
        "validity", "review", "signatures", "additional")]


def test_anchors_name_the_blocks_they_belong_to():
    network = load(SIX)
    by_anchor = dict(anchors(rendering.document(network)))
    partner = by_anchor["partner/bs-hafen"]
    assert isinstance(partner, Section) and plain_text(partner.title).startswith(
        "2.1 Berufsschule am Hafen")
    assert isinstance(partner.children[0], Table)
    signature = by_anchor["signature/bs-hafen"]
    assert isinstance(signature, Group) and signature.kind == "signature"
    form = signature_fields(signature)
    assert [(f.kind, f.blank) for f in form] == [
        ("organisation", False), ("name", False), ("position", False), ("place", True),
        ("date", True), ("signature", True), ("stamp", True)]
    assert plain_text(form[0].value) == "Berufsschule am Hafen (Germany)"
    assert plain_text(form[1].value) == "Thomas Brandt"
    unit = network.qualifications[0].units[0]
    row = by_anchor[f"qualification/{network.qualifications[0].id}/unit/{unit.id}"]
    assert plain_text(row.cells[1]) == unit.title["en"]
    item = by_anchor[f"qualification/{network.qualifications[0].id}/unit/{unit.id}/skills/1"]
    assert plain_text(item.runs) == unit.learning_outcomes.skills[0]["en"]
    assert kind_of("qualification/cook/unit/u1/skills/1") == "skills"
    assert kind_of("qualification/cook/unit/u1/description") == "description"
    assert kind_of("partner/bsh") == "partner"


def test_html_ids_are_the_anchors():
    network = load(SIX)
    html = rendering.render(network, "html").decode()
    for anchor, _ in anchors(rendering.document(network)):
        if not anchor.startswith("section/"):
            assert f'id="{html_id(anchor)}"' in html, anchor


def test_the_second_language_is_a_property_of_runs_and_groups():
    tree = rendering.document(load(SIX), bilingual="de")
    title = plain_text(tree.children[0].title)
    assert title.startswith("EuroCook Mobility Network")
    objectives = next(b for b in tree.children[0].children
                      if isinstance(b, Section) and b.anchor == "section/objectives")
    assert [r.lang for r in objectives.title] == [None, "de"]
    bilingual = next(b for b in objectives.children if isinstance(b, Group))
    assert bilingual.kind == "bilingual"
    assert [g.lang for g in bilingual.children] == ["en", "de"]


def test_the_markup_reader():
    blocks = markup.parse(
        "# Title\n\nText with **bold** and a<br>break.\n\n<!-- anchor x/1 -->\n## Part\n\n"
        "| | |\n| --- | --- |\n| Label | a \\| b |\n\n"
        "| A | B |\n| --- | ---: |\n| <!-- anchor row/1 -->one | 2 |\n\n"
        "- first<!-- anchor item/1 -->\n- second\n  continued\n\n"
        "<!-- group signature anchor=signature/a -->\nName\n\nPlace: .......\n"
        "<!-- end signature -->\n\n1. one\n2. two\n\n---\n\nplain\nlines\n")
    (title,) = blocks
    assert plain_text(title.title) == "Title"
    para, part = title.children
    assert [(r.text, r.bold) for r in para.runs if not r.line_break] == [
        ("Text with ", False), ("bold", True), (" and a", False), ("break.", False)]
    assert part.anchor == "x/1"
    fields, grid, items, group, numbered, rule, last = part.children
    assert fields.header is None and plain_text(fields.rows[0].cells[1]) == "a | b"
    assert grid.align == [None, "right"] and grid.rows[0].anchor == "row/1"
    assert [plain_text(i.runs) for i in items.items] == ["first", "second continued"]
    assert items.items[0].anchor == "item/1"
    assert group.kind == "signature" and group.anchor == "signature/a"
    assert isinstance(numbered, ItemList) and numbered.ordered
    assert isinstance(last, Paragraph) and plain_text(last.runs) == "plain lines"


def test_data_that_looks_like_a_marker_stays_text(tmp_path):
    from tests.render.test_render import load_text

    net = load_text(tmp_path, """
title: "<!-- anchor partner/x --> <!-- group signature -->"
partners:
  - {id: a, name: "<!-- end signature -->", country: DE,
     roles: [sending, competent_institution], signatory: {name: A}}
  - {id: b, name: "B <span lang=de>x</span>", country: FR, roles: [receiving],
     signatory: {name: B}}
""")
    tree = rendering.document(net)
    assert plain_text(tree.children[0].title) == \
        "<!-- anchor partner/x --> <!-- group signature -->"
    assert "partner/x" not in dict(anchors(tree))
    md = rendering.render_markdown(net)
    assert "\\<!-- end signature --\\>" in md
    assert "B \\<span lang=de\\>x\\</span\\>" in md


# -- every format from the same tree ------------------------------------------------------


class _Structure(HTMLParser):
    """Headings and table cells of an HTML page, as text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.rows: list[list[str]] = []
        self._text: list[str] | None = None
        self._level = 0
        self._layout = 0  # inside the signature blocks' layout table

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("class", "signatures") in attrs:
            self._layout += 1
        if self._layout:
            return
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "th", "td"):
            self._text, self._level = [], int(tag[1]) if tag[0] == "h" else 0
        if tag == "tr":
            self.rows.append([])
        if tag == "br" and self._text is not None:
            self._text.append("\n")

    def handle_endtag(self, tag):
        if tag == "table" and self._layout:
            self._layout -= 1
        if self._text is None:
            return
        text = "".join(self._text).strip()
        if tag[0] == "h" and tag[1:].isdigit():
            self.headings.append((self._level, text))
            self._text = None
        elif tag in ("th", "td"):
            self.rows[-1].append(text)
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def _html_structure(html: str):
    parser = _Structure()
    parser.feed(html)
    return parser.headings, [r for r in parser.rows if any(r)]


def _docx_structure(data: bytes):
    document = docx.Document(io.BytesIO(data))
    levels = {"Title": 1, **{f"Heading {n}": n + 1 for n in range(1, 6)}}
    heads = [(levels[p.style.name], p.text) for p in document.paragraphs
             if p.style.name in levels]
    rows = []
    for table in document.tables:
        if table.style is None or table.style.name != "Table Grid":
            continue  # the signature blocks' layout table
        rows += [[c.text for c in row.cells] for row in table.rows]
    return heads, [r for r in rows if any(r)]


@pytest.mark.parametrize("bilingual", [None, "de"])
@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_every_format_has_the_same_headings_labels_and_cells(name, bilingual):
    from markdown_it import MarkdownIt

    if bilingual and name != "six-partners":
        pytest.skip("one bilingual network is enough")
    network = load(NETWORKS[name])
    tree = rendering.document(network, bilingual=bilingual)
    md = rendering.render(network, "md", bilingual=bilingual).decode()
    html = rendering.render(network, "html", bilingual=bilingual).decode()
    word = rendering.render(network, "docx", bilingual=bilingual)
    md_heads, md_rows = _html_structure(MarkdownIt("commonmark").enable("table").render(md))
    html_heads, html_rows = _html_structure(html)
    docx_heads, docx_rows = _docx_structure(word)
    assert md_heads == headings(tree)
    assert html_heads == md_heads
    assert docx_heads == md_heads
    assert html_rows == md_rows
    assert docx_rows == md_rows
    labels = [plain_text(r.cells[0]) for block in _tables(tree) if block.header is None
              for r in block.rows if not (r.anchor or "").startswith("signature/")]
    assert labels and all(any(r[0] == label for r in docx_rows) for label in labels)


def _tables(tree):
    from mouctl.render.document import walk

    return [b for b in walk(tree) if isinstance(b, Table)]


def test_an_empty_label_value_table_prints_nothing(tmp_path):
    # A network's own template whose rows are all left out: no table at all, in every
    # format (Word used to fail dividing the page among no columns).
    network = load(SIX)
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "mou.md.j2").write_text(
        '{% extends "default/mou.md.j2" %}\n{% block objectives %}\n## 1. Objectives\n\n'
        "| | |\n| --- | --- |\n\nSome text.\n{% endblock %}\n", encoding="utf-8")
    for fmt in ("md", "html", "docx"):
        data = rendering.render(network, fmt, template=folder)
        assert data
    markdown = rendering.render(network, "md", template=folder).decode()
    assert "## 1. Objectives\n\nSome text." in markdown

"""Annex A's description of one unit, built as document blocks: `unit_description(u)`.

The units are most of a large network's document (L: 2,000 units, 85% of its
Markdown). Written as Markdown by Jinja and read back by `markup`, they took two
thirds of a rendering; built here, the template writes one marker per unit
(`<!-- blocks N -->`, see `markup.Prebuilt`) and the parser puts the blocks in its
place. Every text still goes through the template's escaping (`md_finalize`) and the
parser's inline reader, so a unit reads exactly as its Markdown would.

The Markdown it stands for, which a network's own template can copy and change, is
in docs/rendering.md ("The description of a unit"); a test renders that Markdown with
Jinja and holds the two documents equal.
"""

from __future__ import annotations

from jinja2 import TemplateRuntimeError, pass_context

from mouctl.render.document import Block, Item, ItemList, Paragraph, Row, Section, Table
from mouctl.render.escaping import Markdown, anchor_path, md_finalize, md_prose
from mouctl.render.markup import Prebuilt, heading_text, paragraph_line

OUTCOMES = ("knowledge", "skills", "competence", "methods", "criteria")


def _md(value: object) -> str:
    """What `{{ value }}` writes in the template (Jinja: `str(finalize(value))`)."""
    return str(md_finalize(value))


def _joined(records: list) -> str:
    """`records|map(attribute="label")|join(", ")` (Jinja joins the plain strings)."""
    return ", ".join(map(str, (r.label for r in records)))


@pass_context
def unit_description(context, u) -> Markdown:
    """The template helper: unit `u`'s description (heading, facts, outcomes) in
    Annex A, as a marker for the blocks built here."""
    prebuilt: Prebuilt = context.environment.prebuilt
    # Once per unit: a marker is a few characters standing for a unit's blocks, so
    # the output limit of a network's own template would not bound a loop of them.
    described = prebuilt.memo.setdefault(("described",), set())
    if id(u) in described:
        raise TemplateRuntimeError(f"unit '{getattr(u, 'id', u)}' is described a second "
                                   "time; unit_description(u) describes each unit once")
    described.add(id(u))
    section = build(prebuilt, u, t=context["t"], mou=context["mou"],
                    colon=context["colon"], tr=context["tr"])
    return Markdown(prebuilt.marker(section))


def build(prebuilt: Prebuilt, u, *, t, mou, colon, tr) -> Section:
    """The section of unit `u`: what its Markdown in docs/rendering.md reads as."""
    read = prebuilt.inline.parse
    labels = t.labels
    prefix = anchor_path(("qualification", u.qualification.id, "unit", u.id))
    title = heading_text(f"### {_md(u.number)} {_md(u.title)}".rstrip())
    runs, anchor = read(title)
    section = Section(3, runs, [], anchor=anchor or f"{prefix}/description")
    out = section.children

    # The label/value table (`| | |` header: no header row, no alignment). A cell is
    # the escaped value, whose pipes are escaped: it reads as the value alone.
    data = prebuilt.inline.data
    rows = [Row([data(labels.qualification), data(u.qualification_titles)])]
    if u.ecvet_points:
        rows.append(Row([data(mou.points_label or labels.ecvet_points),
                         data(u.points if mou.points_in_cells else u.ecvet_points)]))
    if u.hours:
        rows.append(Row([data(labels.hours), data(u.hours)]))
    if u.eqf_level:
        rows.append(Row([data(labels.eqf_level), data(u.eqf_level)]))
    if u.validity:
        rows.append(Row([data(labels.validity), data(u.validity)]))
    if u.status:
        group = f" ({_md(u.group.title)})" if u.group else ""
        rows.append(Row([data(labels.status), read(f"{_md(u.status)}{group}")[0]]))
    if u.hosts:
        rows.append(Row([data(labels.hosts), data(_joined(u.hosts))]))
    out.append(Table(None, rows, align=[None, None]))

    if u.description:
        out += _prose(prebuilt, md_prose(u.description))
    if u.parts:
        out += prebuilt.paragraphs(_parts(u, labels, prefix))
    if u.outcomes_annex and not (u.knowledge or u.skills or u.competence):
        text = _md(md_prose(tr("annexes.outcomes_in", annex=u.outcomes_annex.title)))
        if u.outcomes_annex.url:
            text += f" {_md(u.outcomes_annex.url)}"
        out += prebuilt.paragraphs(text.split("\n"))
    for key in OUTCOMES:
        items = getattr(u, key)
        if items:
            out.append(_paragraph(prebuilt, f"**{_md(getattr(labels, key))}**"))
            out.append(ItemList([Item(data(item), anchor=f"{prefix}/{key}/{i}")
                                 for i, item in enumerate(items, 1)]))
    if u.assessed_by:
        label = _colon(prebuilt, colon, labels.assessed_by)
        out.append(_paragraph(prebuilt, f"**{label}** {_md(_joined(u.assessed_by))}".rstrip()))
    return section


def _colon(prebuilt: Prebuilt, colon, label) -> str:
    """`{{ colon(label) }}`, worked out once per label and rendering."""
    key = ("colon", id(label))  # the label lives as long as the rendering
    done = prebuilt.memo.get(key)
    if done is None:
        done = prebuilt.memo[key] = _md(colon(label))
    return done


def _prose(prebuilt: Prebuilt, text: str) -> list[Block]:
    """The blocks of `prose(...)`: one paragraph (a text in one language, most) read
    directly, anything else (paragraphs, languages side by side) as Markdown."""
    if "\n" not in text and paragraph_line(text):
        runs, anchor = prebuilt.inline.parse(text.strip())
        return [Paragraph(runs, anchor=anchor)]
    return prebuilt.paragraphs(text.split("\n"))


def _paragraph(prebuilt: Prebuilt, line: str) -> Block:
    """A one-line paragraph (a bold label). A line that is not one (`****` of an empty
    label is a rule) is read as Markdown: one line starting `**` is one block."""
    runs = prebuilt.memo.get(line)
    if runs is None:
        runs = prebuilt.memo[line] = prebuilt.inline.parse(line.strip())[0] \
            if paragraph_line(line) else False
    if runs is not False:
        return Paragraph(runs)
    return prebuilt.paragraphs([line])[0]


def _parts(u, labels, prefix: str) -> list[str]:
    """The Markdown of a unit's parts: a bold label and one item per part."""
    lines = [f"**{_md(labels.parts)}**", ""]
    for i, part in enumerate(u.parts, 1):
        text = f"{_md(part.code)} " if part.code else ""
        text += _md(part.title)
        if part.hours or part.ecvet_points:
            text += " ("
            if part.ecvet_points:
                text += f"{_md(part.ecvet_points)} {_md(labels.points_short)}"
                if part.hours:
                    text += ", "
            if part.hours:
                text += f"{_md(part.hours)} {_md(labels.hours_short)}"
            text += ")"
        lines.append(f"- {text}<!-- anchor {prefix}/part/{i} -->")
    return lines

"""The document model: one tree of blocks that every writer walks.

A rendering builds the tree once (`markup.parse` reads it from the Markdown the
Jinja template produces) and each writer (`md_writer`, `html_writer`,
`docx_writer`; PDF is laid out from the HTML) walks the same tree, so no format
repeats the document's structure. The redline, the amendment and the learning
agreement are built on the same blocks.

Blocks: `Section` (a heading and everything under it, nested by level),
`Paragraph`, `ItemList` of `Item`, `Table` of `Row`, `Rule` and `Group` (a
container with a `kind`: `signature` for one signature block, `bilingual` and
`language` for text given side by side in two languages, `footer`). Text inside
a block is a tuple of `Run`s (inline text with marks and a language).

Anchors: a block that comes from an entity carries a stable `anchor` built from
its ids (`partner/bsh`, `qualification/cook/unit/u1`,
`qualification/cook/unit/u1/knowledge/2`, `signature/bsh`). Templates set them
with `{{ anchor(...) }}`; `anchors()` enumerates them and a redline aligns two
trees by them.

Language: `Document.lang` is the document's language; a `Run`, `Group` or any
block with `lang` set is in that language instead (the second language of a
bilingual document, or a text that fell back to another language). Writers tag it
(`lang=` in HTML, `w:lang` in Word).

To add a block type: define a frozen dataclass here with `anchor` and `lang`
fields, produce it in `markup.py` (from a Markdown construct or a `group` marker),
and give each writer a branch for it; `walk()` and `anchors()` find it through
`children()`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of inline text with its marks."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None
    lang: str | None = None
    line_break: bool = False  # a line break (`text` is empty)
    # In a redline: "ins", "del", "move-from" or "move-to" (mouctl.changes.redline).
    change: str | None = None
    # A name (legal name, person, national title of a qualification): never
    # hyphenated, never spell-checked as a word of the document's language.
    name: bool = False
    # The other language's version of a text in a bilingual document (set apart);
    # a run with `lang` but not `alt` is a passage in another language (a fallback).
    alt: bool = False


Inline = tuple[Run, ...]


def plain_text(runs: Inline) -> str:
    """The text of some runs without marks; line breaks become newlines."""
    return "".join("\n" if r.line_break else r.text for r in runs)


@dataclass(slots=True)
class Paragraph:
    """A paragraph of running text."""

    runs: Inline
    anchor: str | None = None
    lang: str | None = None


@dataclass(slots=True)
class Item:
    """One item of a list (learning outcomes carry an anchor each)."""

    runs: Inline
    anchor: str | None = None
    lang: str | None = None


@dataclass(slots=True)
class ItemList:
    """A bulleted or numbered list."""

    items: list[Item]
    ordered: bool = False
    anchor: str | None = None
    lang: str | None = None


@dataclass(slots=True)
class Row:
    """A table row: one inline text per cell."""

    cells: list[Inline]
    anchor: str | None = None


@dataclass(slots=True)
class Table:
    """A table. With `header` None it is a label/value table (labels in column one)."""

    header: list[Inline] | None
    rows: list[Row]
    align: list[str | None] = field(default_factory=list)  # "left" / "right" / "center"
    anchor: str | None = None
    lang: str | None = None

    @property
    def columns(self) -> int:
        return len(self.header) if self.header is not None else max(
            (len(r.cells) for r in self.rows), default=0)


@dataclass(slots=True)
class Rule:
    """A thematic break (the line above the document's trace note)."""

    anchor: str | None = None
    lang: str | None = None


@dataclass(slots=True)
class Group:
    """Blocks that belong together: a signature block, a text in two languages."""

    kind: str
    children: list[Block]
    anchor: str | None = None
    lang: str | None = None


@dataclass(slots=True)
class Section:
    """A heading (level 1 = the document title) and the blocks under it."""

    level: int
    title: Inline
    children: list[Block]
    anchor: str | None = None
    lang: str | None = None


Block = Paragraph | ItemList | Table | Rule | Group | Section


@dataclass(slots=True)
class Document:
    """A rendered document: its blocks and what identifies it."""

    children: list[Block]
    lang: str
    langs: list[str]
    title: str
    version: str
    fingerprint: str
    file_code: str | None = None
    labels: dict[str, str] = field(default_factory=dict)  # fixed texts writers print
    draft: bool = True  # not a release: html, pdf and docx carry a DRAFT mark
    date: dt.date | None = None  # the release's date or the draft's
    # A redline's revision author and ISO date, for Word's revision marks.
    revision: tuple[str, str] | None = None


def children(block: Block | Document) -> list[Block]:
    """The blocks directly inside a block (none for leaves)."""
    if isinstance(block, Section | Group | Document):
        return block.children
    return []


def walk(node: Block | Document) -> Iterator[Block]:
    """Every block under `node`, depth first, in document order."""
    for child in children(node):
        yield child
        yield from walk(child)


def anchors(document: Document) -> list[tuple[str, object]]:
    """Every anchor in document order with the block, row or item that carries it."""
    out: list[tuple[str, object]] = []
    for block in walk(document):
        if block.anchor:
            out.append((block.anchor, block))
        if isinstance(block, Table):
            out += [(row.anchor, row) for row in block.rows if row.anchor]
        elif isinstance(block, ItemList):
            out += [(item.anchor, item) for item in block.items if item.anchor]
    return out


def contents(document: Document) -> list[Section]:
    """The sections a contents page lists: those just below the title."""
    out = []
    for block in document.children:
        if isinstance(block, Section) and block.level == 1:
            out += [b for b in block.children if isinstance(b, Section)]
        elif isinstance(block, Section):
            out.append(block)
    return out


def headings(document: Document) -> list[tuple[int, str]]:
    """Every section heading as (level, text)."""
    return [(b.level, plain_text(b.title)) for b in walk(document) if isinstance(b, Section)]


def kind_of(anchor: str | None) -> str | None:
    """What an anchor names: `partner/bsh` -> `partner`, `.../unit/u1/description` -> `description`.

    Anchors are kind/id pairs, optionally followed by one word for a part of the entity.
    """
    if not anchor:
        return None
    parts = anchor.split("/")
    return parts[-2] if len(parts) % 2 == 0 else parts[-1]


_BLANK = re.compile(r"^(.*?):?\s*\.{5,}\s*$", re.DOTALL)


@dataclass(slots=True)
class Field:
    """One line of a signature block: a label and a value, or a blank to fill in."""

    kind: str  # organisation, name, position, place, date, signature, stamp, text
    label: Inline
    value: Inline
    blank: bool
    anchor: str | None = None


def blank_label(runs: Inline) -> str | None:
    """`Place, Date: .....` -> `Place, Date`: a paragraph ending in dots is a blank."""
    match = _BLANK.match(plain_text(runs))
    return match.group(1) if match else None


def signature_fields(group: Group) -> list[Field]:
    """The lines of a signature block, from its label/value table (or its paragraphs)."""
    fields: list[Field] = []
    for block in group.children:
        if isinstance(block, Table):
            for row in block.rows:
                label, value = (list(row.cells) + [(), ()])[:2]
                fields.append(Field(kind_of(row.anchor) or "text", label, value,
                                    blank_label(value) is not None or not value, row.anchor))
        elif isinstance(block, Paragraph):
            label = blank_label(block.runs)
            if label is None:
                fields.append(Field("text", (), block.runs, False))
            else:
                fields.append(Field("text", (Run(label),), (), True))
    return fields

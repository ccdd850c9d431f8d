"""The document tree as Markdown (CommonMark with GFM tables).

Markdown is the format partners review in git and `mouctl diff --rendered`
compares, so it carries no anchors or markers: only the text, with every data
character escaped (`escaping.md_line`) so that it prints literally.
"""

from __future__ import annotations

import re

from mouctl.render.document import (
    Document,
    Group,
    Inline,
    ItemList,
    Paragraph,
    Rule,
    Run,
    Section,
    Table,
    contents,
    signature_fields,
)
from mouctl.render.escaping import BLANK, md_inline

_BLOCK_START = re.compile(r"^([-+*]|#{1,6}|>|=+\s*$|\d{1,9}[.)])(?=\s|$)")


def write(document: Document) -> str:
    """The Markdown text of a document."""
    out: list[str] = []
    toc = [document.labels.get("contents", "Contents"),
           *(inline(s.title) for s in contents(document))]
    _Writer(out, toc).blocks(document.children, False)
    text = "\n".join(out).strip("\n")
    if "\n\n\n" in text:  # one scan instead of a regex pass over the whole text
        text = re.sub(r"\n{3,}", "\n\n", text)
    return text + "\n"


class _Writer:
    """Writes blocks as Markdown lines into `out`.

    Each runs tuple is written once however often it is printed: the parser hands out
    one tuple per distinct text, and labels and values repeat thousands of times. The
    memos are keyed by identity (the document keeps every tuple alive while it is
    written), so only tuples of the tree go through them, never ones made while
    writing.
    """

    def __init__(self, out: list[str], toc: list[str]) -> None:
        self.out = out
        self.toc = toc  # the contents page: its title, then its entries
        self.cells: dict[int, str] = {}  # id(runs) -> " text " as a table cell
        self.lines: dict[int, str] = {}  # id(runs) -> the text guarded as a line start
        self.bullets: dict[int, str] = {}  # id(runs) -> "- text" as a bulleted item

    def line(self, runs: Inline) -> str:
        """Runs as the text of a paragraph or item (it cannot start a block)."""
        done = self.lines.get(id(runs))
        if done is None:
            done = self.lines[id(runs)] = _start(inline(runs))
        return done

    def cell(self, runs: Inline) -> str:
        """Runs as a table cell between its bars, spaces included."""
        text = inline(runs)
        done = self.cells[id(runs)] = f" {text} " if text else " "
        return done

    def bullet(self, runs: Inline) -> str:
        """Runs as an item of a bulleted list."""
        done = self.bullets[id(runs)] = f"- {self.line(runs)}".rstrip()
        return done

    def blocks(self, blocks, italic: bool) -> None:
        """Blocks as Markdown lines; a second language (`italic`) in italics."""
        out = self.out
        for block in blocks:
            kind = type(block)
            if kind is Paragraph:
                line = self.lines.get(id(block.runs))
                if line is None:
                    line = self.line(block.runs)
                out.append(f"*{line}*" if italic and line else line)
                out.append("")
            elif kind is ItemList:
                if block.ordered:
                    out += [f"{number}. {self.line(item.runs)}".rstrip()
                            for number, item in enumerate(block.items, 1)]
                else:
                    bullets = self.bullets
                    out += [bullets.get(id(item.runs)) or self.bullet(item.runs)
                            for item in block.items]
                out.append("")
            elif kind is Table:
                self.table(block)
            elif kind is Section:
                out.append(f"{'#' * block.level} {inline(block.title)}".rstrip())
                out.append("")
                self.blocks(block.children, italic)
            elif kind is Rule:
                out += ["---", ""]
            elif kind is Group:
                if block.kind == "signature":
                    _signature(block, out)
                elif block.kind == "contents":
                    title, *entries = self.toc
                    out += [f"**{md_inline(title)}**", "", *(f"- {e}" for e in entries), ""]
                elif block.kind == "bilingual":
                    for i, child in enumerate(block.children):
                        self.blocks([child], italic or i > 0)
                else:
                    self.blocks(block.children, italic)

    def table(self, table: Table) -> None:
        """A GFM table; a label/value table gets an empty header row."""
        out = self.out
        cells, cell = self.cells, self.cell
        header = table.header if table.header is not None else [()] * table.columns
        out.append(_row([cells.get(id(c)) or cell(c) for c in header]))
        out.append(_row([_ALIGN.get(a or "", " --- ") for a in table.align]))
        out += [f"|{'|'.join([cells.get(id(c)) or cell(c) for c in row.cells])}|"
                for row in table.rows]
        out.append("")


_ALIGN = {"right": " ---: ", "center": " :---: ", "left": " :--- "}


def _signature(group: Group, out: list[str]) -> None:
    """A signature block as lines: the organisation in bold, then `Label: value`."""
    for field in signature_fields(group):
        if field.kind == "organisation":
            out += [f"**{inline(field.value)}**", ""]
            continue
        label = inline(field.label)
        value = BLANK if field.blank else inline(field.value)
        out += [f"{label}: {value}" if label else value, ""]


def _row(cells: list[str]) -> str:
    """Cells, each already between its spaces, as a table row."""
    return f"|{'|'.join(cells)}|"


def _start(text: str) -> str:
    """A paragraph or item must not start like a block (a list marker, a heading)."""
    return _BLOCK_START.sub(r"\\\1", text, count=1) if text[:1] in "-+*#>=0123456789" else text


def inline(runs: Inline) -> str:
    """Runs as inline Markdown; data characters escaped, line breaks as `<br>`."""
    if len(runs) == 1:  # most texts: one run without marks
        run = runs[0]
        if not (run.line_break or run.code or run.href or run.bold or run.italic
                or run.change):
            return _escape(run.text)
    parts = []
    for run in _by_marks(runs):
        if run.line_break:
            parts.append("<br>")
            continue
        text = run.text
        if run.code:
            fence = "``" if "`" in text else "`"
            text = f"{fence}{text}{fence}"
        else:
            text = _escape(text)
        if run.href:
            text = f"[{text}]({run.href})"
        if run.bold and text.strip():
            text = _wrap(text, "**")
        if run.italic and text.strip():
            text = _wrap(text, "*")
        if run.change:
            text = _CHANGE_TAGS[run.change].format(text)
        parts.append(text)
    return "".join(parts)


def _by_marks(runs: Inline) -> list[Run]:
    """Runs that differ only in language as one (Markdown cannot tag a language)."""
    out: list[Run] = []
    for run in runs:
        if out and not run.line_break and not out[-1].line_break and (
                out[-1].bold, out[-1].italic, out[-1].code, out[-1].href, out[-1].change) == (
                run.bold, run.italic, run.code, run.href, run.change):
            last = out.pop()
            run = Run(last.text + run.text, run.bold, run.italic, run.code, run.href,
                      change=run.change)
        out.append(run)
    return out


# A redline's marks as HTML inside Markdown (GitHub and GitLab show them).
_CHANGE_TAGS = {"ins": "<ins>{}</ins>", "del": "<del>{}</del>",
                "move-from": '<del class="moved">{}</del>',
                "move-to": '<ins class="moved">{}</ins>'}


def _escape(text: str) -> str:
    """Data characters escaped; a block cannot start here (_start() guards line starts)."""
    # A text without any character md_inline() escapes (most) is its own Markdown; the
    # `in` tests (C scans) cost less than md_inline's passes or a regex search
    # (tests/render/test_writers.py holds this to md_inline).
    if ("\\" in text or "`" in text or "*" in text or "[" in text or "]" in text
            or "<" in text or ">" in text or "|" in text or "~" in text or "_" in text
            or "&" in text):
        return md_inline(text)
    return text


def _wrap(text: str, mark: str) -> str:
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()):]
    return f"{lead}{mark}{text.strip()}{mark}{trail}"

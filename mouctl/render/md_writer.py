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
    _blocks(document.children, out, italic=False, toc=toc, memo=_Inline())
    text = "\n".join(out).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text) + "\n"


class _Inline(dict):
    """`inline()` of each runs tuple, written once: the parser hands out one tuple per
    distinct text, and labels and values repeat thousands of times (keyed by identity;
    the document keeps every tuple alive while it is written)."""

    def __call__(self, runs: Inline) -> str:
        done = self.get(id(runs))
        if done is None:
            done = self[id(runs)] = inline(runs)
        return done


def _blocks(blocks, out: list[str], *, italic: bool, toc: list[str],
            memo: _Inline | None = None) -> None:
    """Blocks as Markdown lines; `toc` is the contents page (its title, then entries)."""
    written = memo if memo is not None else _Inline()
    for block in blocks:
        kind = type(block)
        if kind is Table:
            _table(block, out, written)
        elif kind is Section:
            out += [f"{'#' * block.level} {written(block.title)}".rstrip(), ""]
            _blocks(block.children, out, italic=italic, toc=toc, memo=written)
        elif kind is Paragraph:
            line = _start(written(block.runs))
            out += [f"*{line}*" if italic and line else line, ""]
        elif kind is ItemList:
            for number, item in enumerate(block.items, 1):
                marker = f"{number}." if block.ordered else "-"
                out.append(f"{marker} {_start(written(item.runs))}".rstrip())
            out.append("")
        elif kind is Rule:
            out += ["---", ""]
        elif kind is Group:
            if block.kind == "signature":
                _signature(block, out)
            elif block.kind == "contents":
                title, *entries = toc
                out += [f"**{md_inline(title)}**", "", *(f"- {e}" for e in entries), ""]
            elif block.kind == "bilingual":
                for i, child in enumerate(block.children):
                    _blocks([child], out, italic=italic or i > 0, toc=toc, memo=written)
            else:
                _blocks(block.children, out, italic=italic, toc=toc, memo=written)


def _signature(group: Group, out: list[str]) -> None:
    """A signature block as lines: the organisation in bold, then `Label: value`."""
    for field in signature_fields(group):
        if field.kind == "organisation":
            out += [f"**{inline(field.value)}**", ""]
            continue
        label = inline(field.label)
        value = BLANK if field.blank else inline(field.value)
        out += [f"{label}: {value}" if label else value, ""]


def _table(table: Table, out: list[str], written=None) -> None:
    written = written if written is not None else inline
    width = table.columns
    header = table.header if table.header is not None else [()] * width
    out.append(_row([written(c) for c in header]))
    out.append(_row([{"right": "---:", "center": ":---:", "left": ":---"}.get(a or "", "---")
                     for a in table.align]))
    out += [_row([written(c) for c in row.cells]) for row in table.rows]
    out.append("")


def _row(cells: list[str]) -> str:
    return "|" + "|".join(f" {c} " if c else " " for c in cells) + "|"


def _start(text: str) -> str:
    """A paragraph or item must not start like a block (a list marker, a heading)."""
    return _BLOCK_START.sub(r"\\\1", text, count=1) if text[:1] in "-+*#>=0123456789" else text


def inline(runs: Inline) -> str:
    """Runs as inline Markdown; data characters escaped, line breaks as `<br>`."""
    if len(runs) == 1:  # most texts: one run without marks
        run = runs[0]
        if not (run.line_break or run.code or run.href or run.bold or run.italic
                or run.change):
            return md_inline(run.text)
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
    return md_inline(text)


def _wrap(text: str, mark: str) -> str:
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()):]
    return f"{lead}{mark}{text.strip()}{mark}{trail}"

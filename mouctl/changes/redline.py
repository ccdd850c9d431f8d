"""A redline of two rendered MoUs, aligned block by block on their anchors (pure).

Both versions are document trees (`mouctl.render.document`). Blocks are paired
level by level: a block that comes from an entity (a partner, a unit, a learning
outcome, a table row) is paired only with the block of the same anchor, so a
partner who joins is one inserted table and an inserted unit never mis-pairs its
neighbours; blocks without an anchor are paired by their text. An anchored block
found in both versions but in another order is marked as moved. Only paired
blocks are compared word by word (whole words: an e-mail address is one word),
and generated numbering ("2.3", "A.1") that shifts because of an insertion is left
out of the comparison.

The result is itself a document tree whose runs carry `change` marks (`ins`,
`del`, `move-from`, `move-to`); the ordinary writers turn it into Markdown, HTML,
PDF or Word (with real revision marks), and `terminal_lines` into a folded view.

Cost: blocks are aligned per container (a few hundred at most), and a paired text
is compared only between its common head and tail; a middle too long to compare
word by word is replaced whole. So time grows linearly with the documents.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace

from mouctl.render.document import (
    Block,
    Document,
    Group,
    Inline,
    Item,
    ItemList,
    Paragraph,
    Row,
    Rule,
    Run,
    Section,
    Table,
    plain_text,
    walk,
)
from mouctl.text import plural

INS, DEL, MOVE_FROM, MOVE_TO = "ins", "del", "move-from", "move-to"
_WORD = re.compile(r"\S+|\s+")
# Generated numbering: "2.", "2.3", "A.1", "A.1.2" (a unit's own code is not one). It
# is looked for only where the template numbers: a heading's first word and a row's
# first cell (points such as "2.5" elsewhere are data).
_NUMBER = re.compile(r"^(?:(?:\d+|[A-Z])(?:\.\d+)+\.?|\d+\.)$")
_MAX_PAIRS = 4_000_000  # words x words above which a changed middle is replaced whole


@dataclass
class Counts:
    """How much the redline marks."""

    inserted_words: int = 0
    deleted_words: int = 0
    moved_blocks: int = 0
    anchors: dict[str, str] = field(default_factory=dict)  # anchor -> inserted/deleted/...


@dataclass
class Redline:
    """The marked document and what it marks."""

    document: Document
    counts: Counts

    @property
    def changed(self) -> bool:
        c = self.counts
        return bool(c.inserted_words or c.deleted_words or c.moved_blocks)


def compare(old: Document, new: Document) -> Redline:
    """The redline from `old` to `new`: `new`'s tree with every difference marked."""
    counts = Counts()
    blocks = _Merger(counts).blocks(old.children, new.children)
    document = replace(new, children=blocks)
    return Redline(document, counts)


# -- pairing blocks -----------------------------------------------------------------


def _key(block) -> tuple:
    """What pairs a block with its counterpart: its anchor, else its kind and text."""
    anchor = getattr(block, "anchor", None)
    if anchor:
        return ("anchor", anchor)
    return (type(block).__name__, _text_key(block))


def _text_key(block) -> str:
    if isinstance(block, Section):
        return _unnumbered(plain_text(block.title))
    if isinstance(block, Paragraph | Item):
        return plain_text(block.runs)
    if isinstance(block, Row):
        return _unnumbered(" | ".join(plain_text(c) for c in block.cells))
    if isinstance(block, Table):
        head = block.header or (block.rows[0].cells[:1] if block.rows else [])
        return " | ".join(plain_text(c) for c in head)
    if isinstance(block, ItemList):
        return "list"
    if isinstance(block, Group):
        return block.kind
    return type(block).__name__


def _unnumbered(text: str) -> str:
    first, _, rest = text.partition(" ")
    return rest if _NUMBER.match(first) else text


class _Merger:
    def __init__(self, counts: Counts) -> None:
        self.counts = counts

    def blocks(self, old: list, new: list) -> list:
        """The merged list of `old` and `new` blocks (or rows, or items)."""
        a, b = [_key(x) for x in old], [_key(x) for x in new]
        ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        # Anchors deleted in one place and inserted in another: a move.
        gone = {k for tag, i1, i2, _, _ in ops if tag in ("delete", "replace")
                for k in a[i1:i2] if k[0] == "anchor"}
        came = {k for tag, _, _, j1, j2 in ops if tag in ("insert", "replace")
                for k in b[j1:j2] if k[0] == "anchor"}
        moved = gone & came
        old_of = {k: x for k, x in zip(a, old, strict=True) if k in moved}
        out: list = []
        for tag, i1, i2, j1, j2 in ops:
            if tag == "equal":
                out += [self.pair(x, y) for x, y in zip(old[i1:i2], new[j1:j2], strict=True)]
                continue
            olds, news = list(old[i1:i2]), list(new[j1:j2])
            out += self.region(olds, news, a[i1:i2], b[j1:j2], moved, old_of)
        return out

    def region(self, olds, news, ka, kb, moved, old_of) -> list:
        """A changed stretch: pair unanchored blocks of one kind in order, mark the rest."""
        out: list = []
        pending = [(x, k) for x, k in zip(olds, ka, strict=True)]
        for y, k in zip(news, kb, strict=True):
            if k in moved:
                self.counts.moved_blocks += 1
                self.counts.anchors[k[1]] = MOVE_TO
                out.append(_mark_block(self.pair(old_of[k], y), MOVE_TO, only_plain=True))
                continue
            match = next((i for i, (x, kx) in enumerate(pending)
                          if kx[0] != "anchor" and k[0] != "anchor"
                          and type(x) is type(y) and _same_shape(x, y)), None)
            # Deleted blocks before the paired one keep their place in front of it.
            if match is not None:
                for x, kx in pending[:match]:
                    out.append(self.gone(x, kx, moved))
                x, _ = pending[match]
                pending = pending[match + 1:]
                out.append(self.pair(x, y))
            else:
                self.count(y, INS)
                out.append(_mark_block(y, INS))
        out += [self.gone(x, kx, moved) for x, kx in pending]
        return out

    def gone(self, block, key, moved):
        if key in moved:
            return _mark_block(block, MOVE_FROM)
        self.count(block, DEL)
        return _mark_block(block, DEL)

    def count(self, block, kind: str) -> None:
        words = len(_text_of(block).split())
        if kind == INS:
            self.counts.inserted_words += words
        else:
            self.counts.deleted_words += words
        anchor = getattr(block, "anchor", None)
        if anchor:
            self.counts.anchors[anchor] = "inserted" if kind == INS else "deleted"

    def pair(self, x, y):
        """Two blocks that stand for each other: `y` with the words that differ marked."""
        if isinstance(y, Section) and isinstance(x, Section):
            return replace(y, title=self.heading(x.title, y.title),
                           children=self.blocks(x.children, y.children))
        if isinstance(y, Paragraph) and isinstance(x, Paragraph):
            return replace(y, runs=self.words(x.runs, y.runs))
        if isinstance(y, Item) and isinstance(x, Item):
            return replace(y, runs=self.words(x.runs, y.runs))
        if isinstance(y, ItemList) and isinstance(x, ItemList):
            return replace(y, items=self.blocks(x.items, y.items))
        if isinstance(y, Table) and isinstance(x, Table):
            header = y.header
            if x.header is not None and y.header is not None and len(x.header) == len(
                    y.header):
                header = [self.words(p, q) for p, q in zip(x.header, y.header, strict=True)]
            return replace(y, header=header, rows=self.blocks(x.rows, y.rows))
        if isinstance(y, Row) and isinstance(x, Row):
            if len(x.cells) != len(y.cells):
                return replace(y, cells=[_mark(c, INS) for c in y.cells])
            cells = list(zip(x.cells, y.cells, strict=True))
            return replace(y, cells=[self.cell(*cells[0]), *(self.words(p, q)
                                                            for p, q in cells[1:])])
        if isinstance(y, Group) and isinstance(x, Group):
            return replace(y, children=self.blocks(x.children, y.children))
        return y

    def cell(self, old: Inline, new: Inline) -> Inline:
        a, b = plain_text(old).strip(), plain_text(new).strip()
        if a != b and _NUMBER.match(a) and _NUMBER.match(b):
            return new  # generated numbering that shifted
        return self.words(old, new)

    def heading(self, old: Inline, new: Inline) -> Inline:
        a, b = plain_text(old), plain_text(new)
        if a != b and _unnumbered(a) == _unnumbered(b):
            return new
        return self.words(old, new)

    def words(self, old: Inline, new: Inline) -> Inline:
        """`new` with the words deleted from `old` and inserted into it marked."""
        a, b = plain_text(old), plain_text(new)
        if a == b:
            return new
        wa, wb = _WORD.findall(a), _WORD.findall(b)
        head = 0
        while head < len(wa) and head < len(wb) and wa[head] == wb[head]:
            head += 1
        tail = 0
        while (tail < len(wa) - head and tail < len(wb) - head
               and wa[-1 - tail] == wb[-1 - tail]):
            tail += 1
        mid_a, mid_b = wa[head:len(wa) - tail], wb[head:len(wb) - tail]
        if len(mid_a) * len(mid_b) <= _MAX_PAIRS:
            ops = [(t, i1 + head, i2 + head, j1 + head, j2 + head) for t, i1, i2, j1, j2 in
                   difflib.SequenceMatcher(None, mid_a, mid_b, autojunk=False).get_opcodes()]
        else:
            ops = [("replace", head, len(wa) - tail, head, len(wb) - tail)]
        ops = [("equal", 0, head, 0, head), *ops,
               ("equal", len(wa) - tail, len(wa), len(wb) - tail, len(wb))]
        sa, sb = _starts(wa), _starts(wb)
        out: list[Run] = []
        for tag, i1, i2, j1, j2 in ops:
            if tag == "equal":
                out += _slice(new, sb[j1], sb[j2])
                continue
            if tag in ("delete", "replace") and i2 > i1:
                self.counts.deleted_words += sum(1 for w in wa[i1:i2] if not w.isspace())
                out += _mark(_slice(old, sa[i1], sa[i2]), DEL)
            if tag in ("insert", "replace") and j2 > j1:
                self.counts.inserted_words += sum(1 for w in wb[j1:j2] if not w.isspace())
                out += _mark(_slice(new, sb[j1], sb[j2]), INS)
        return tuple(out)


def _same_shape(x, y) -> bool:
    """Two unanchored blocks of one kind that can be compared word by word."""
    if isinstance(x, Section):
        return x.level == y.level
    if isinstance(x, Table):
        return x.columns == y.columns
    if isinstance(x, Group):
        return x.kind == y.kind
    return True


def _starts(words: list[str]) -> list[int]:
    out, at = [0], 0
    for w in words:
        at += len(w)
        out.append(at)
    return out


def _slice(runs: Inline, start: int, end: int) -> list[Run]:
    """The runs covering characters `start:end` of their plain text (marks kept)."""
    out: list[Run] = []
    at = 0
    for run in runs:
        size = 1 if run.line_break else len(run.text)
        lo, hi = max(start, at), min(end, at + size)
        if lo < hi:
            out.append(run if run.line_break or (lo == at and hi == at + size)
                       else replace(run, text=run.text[lo - at:hi - at]))
        at += size
        if at >= end:
            break
    return out


def _mark(runs, kind: str) -> tuple[Run, ...]:
    return tuple(replace(r, change=kind) for r in runs)


def _mark_block(block, kind: str, *, only_plain: bool = False):
    """A whole block inserted, deleted or moved: every run in it marked.

    `only_plain`: runs the word comparison already marked keep their mark.
    """
    def mark(runs):
        return tuple(r if (only_plain and r.change) else replace(r, change=kind)
                     for r in runs)

    if isinstance(block, Section):
        return replace(block, title=mark(block.title),
                       children=[_mark_block(c, kind, only_plain=only_plain)
                                 for c in block.children])
    if isinstance(block, Paragraph | Item):
        return replace(block, runs=mark(block.runs))
    if isinstance(block, ItemList):
        return replace(block, items=[_mark_block(i, kind, only_plain=only_plain)
                                     for i in block.items])
    if isinstance(block, Table):
        header = [mark(c) for c in block.header] if block.header is not None else None
        return replace(block, header=header, rows=[_mark_block(r, kind, only_plain=only_plain)
                                                   for r in block.rows])
    if isinstance(block, Row):
        return replace(block, cells=[mark(c) for c in block.cells])
    if isinstance(block, Group):
        return replace(block, children=[_mark_block(c, kind, only_plain=only_plain)
                                        for c in block.children])
    return block


def _text_of(block) -> str:
    if isinstance(block, Section):
        return " ".join([plain_text(block.title), *(_text_of(c) for c in block.children)])
    if isinstance(block, Paragraph | Item):
        return plain_text(block.runs)
    if isinstance(block, ItemList):
        return " ".join(_text_of(i) for i in block.items)
    if isinstance(block, Table):
        head = [plain_text(c) for c in block.header] if block.header else []
        return " ".join([*head, *(_text_of(r) for r in block.rows)])
    if isinstance(block, Row):
        return " ".join(plain_text(c) for c in block.cells)
    if isinstance(block, Group):
        return " ".join(_text_of(c) for c in block.children)
    return ""


# -- reading the result -------------------------------------------------------------


def counts_line(redline: Redline) -> str:
    """`12 words inserted, 3 words deleted, 1 block moved`."""
    c = redline.counts
    parts = [f"{plural(c.inserted_words, 'word')} inserted",
             f"{plural(c.deleted_words, 'word')} deleted"]
    if c.moved_blocks:
        parts.append(f"{plural(c.moved_blocks, 'block')} moved")
    return ", ".join(parts)


def changed_runs(document: Document) -> int:
    """How many runs carry a change mark (0: the versions read the same)."""
    total = 0
    for block in walk(document):
        for runs in _inlines(block):
            total += sum(1 for r in runs if r.change)
    return total


def _inlines(block) -> list[Inline]:
    if isinstance(block, Section):
        return [block.title]
    if isinstance(block, Paragraph):
        return [block.runs]
    if isinstance(block, ItemList):
        return [i.runs for i in block.items]
    if isinstance(block, Table):
        return [*(block.header or []), *(c for r in block.rows for c in r.cells)]
    return []


_STYLE = {INS: "green", DEL: "red strike", MOVE_FROM: "cyan strike", MOVE_TO: "cyan"}
_MARKS = {INS: ("{+", "+}"), DEL: ("[-", "-]"), MOVE_FROM: ("[<", ">]"),
          MOVE_TO: ("{>", "<}")}


def terminal_lines(redline: Redline, *, old_label: str, new_label: str
                   ) -> list[list[tuple[str, str | None]]]:
    """The changed blocks under their headings; unchanged blocks folded to a count.

    Without colour the marks are visible as `[-deleted-]` and `{+inserted+}` (as
    `git diff --word-diff`), moves as `[<from>]` and `{>to<}`.
    """
    lines: list[list[tuple[str, str | None]]] = [
        [(f"Redline from {old_label} to {new_label}: {counts_line(redline)}", "bold")]]
    folded = 0
    shown_path: list[str] = []

    def flush():
        nonlocal folded
        if folded:
            lines.append([(f"  … {plural(folded, 'unchanged block')} …", "dim")])
            folded = 0

    def visit(blocks: list[Block], path: list[str]) -> None:
        nonlocal folded, shown_path
        for block in blocks:
            if isinstance(block, Section):
                title = plain_text(block.title)
                if any(r.change for r in block.title):
                    flush()
                    lines.append(_segments(block.title, prefix="#" * block.level + " "))
                    shown_path = [*path, title]
                visit(block.children, [*path, title])
                continue
            if isinstance(block, Group):
                visit(block.children, path)
                continue
            changed = [runs for runs in _rows_of(block) if any(r.change for r in runs)]
            if not changed:
                folded += 1
                continue
            flush()
            if path and path != shown_path:
                lines.append([("@ " + " › ".join(path[-2:]), "dim")])
                shown_path = path
            lines.extend(_segments(runs, prefix="  ") for runs in changed)

    visit(redline.document.children, [])
    flush()
    return lines


def _rows_of(block) -> list[Inline]:
    if isinstance(block, Paragraph):
        return [block.runs]
    if isinstance(block, ItemList):
        return [(Run("- "), *i.runs) for i in block.items]
    if isinstance(block, Table):
        rows = [block.header] if block.header else []
        rows += [r.cells for r in block.rows]
        return [tuple(run for i, cell in enumerate(cells)
                      for run in ((Run(" | "),) if i else ()) + tuple(cell)) for cells in rows]
    if isinstance(block, Rule):
        return []
    return []


def _segments(runs: Inline, prefix: str = "") -> list[tuple[str, str | None]]:
    """Runs as (text, style) pieces; neighbouring runs with one mark share it."""
    merged: list[tuple[str, str | None]] = []
    for run in runs:
        text = " " if run.line_break else run.text
        if not text:
            continue
        if merged and merged[-1][1] == run.change:
            merged[-1] = (merged[-1][0] + text, run.change)
        else:
            merged.append((text, run.change))
    out: list[tuple[str, str | None]] = [(prefix, None)] if prefix else []
    for text, change in merged:
        if change:
            start, end = _MARKS[change]
            out.append((f"{start}{text}{end}", _STYLE[change]))
        else:
            out.append((text, None))
    return out

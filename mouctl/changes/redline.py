"""A word-level redline of two rendered MoUs (pure: text in, text out).

A word diff of two whole documents is quadratic (design.md: 1.7 s for 50 KB), so
the work goes in steps, each on far less text than the one before:

1. the common head and tail of the documents are set aside (an amendment touches
   a few places of a long document);
2. the rest is compared section by section (text under a heading), then block
   by block inside changed sections (paragraphs, tables, lists: text between
   blank lines), then line by line inside changed blocks;
3. only the lines paired up in step 2 are compared word by word.

The result is a list of `Piece`s (folded runs of unchanged text, lines made of
equal / deleted / inserted spans, blank separators) that `to_markdown`,
`to_html` and `to_terminal` turn into a track-changes document.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from mouctl.text import plural

EQUAL, DELETE, INSERT = "equal", "delete", "insert"
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_HEADING = re.compile(r"^#{1,6} ")
_BLOCK_MARK = re.compile(r"^(#{1,6} |\s*[-*+] |\s*\d+\. |> )")
_CONTEXT_LINES = 1  # unchanged lines kept around a change inside a block
_MIN_SIMILAR = 0.4  # below this share of equal characters a line is replaced whole
_LABEL_LENGTH = 80  # a one-line block this short before a change is kept as its label


@dataclass(frozen=True)
class Span:
    kind: str  # equal | delete | insert
    text: str


@dataclass(frozen=True)
class Piece:
    """A line of the redline; `folded` > 0 stands for that many unchanged units."""

    spans: tuple[Span, ...] = ()
    folded: int = 0
    unit: str = ""  # what was folded: paragraph | line | row
    blank: bool = False

    @property
    def changed(self) -> bool:
        return any(s.kind != EQUAL for s in self.spans)


@dataclass
class Redline:
    """Two documents' differences, ready to print or write."""

    pieces: list[Piece]
    inserted_words: int
    deleted_words: int

    @property
    def unchanged(self) -> bool:
        return not any(p.changed for p in self.pieces)


def compare(old: str, new: str) -> Redline:
    """The redline from `old` to `new` (two Markdown documents)."""
    a, b = _blocks(old), _blocks(new)
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    regions: list[tuple[str, list[str], list[str]]] = [("equal", a[:head], b[:head])]
    regions += _section_regions(_sections(a[head:len(a) - tail]),
                                _sections(b[head:len(b) - tail]))
    regions.append(("equal", a[len(a) - tail:], b[len(b) - tail:]))
    return _assemble(_merge_regions(regions))


def _sections(blocks: list[str]) -> list[list[str]]:
    """Blocks grouped into sections, each starting at a heading (the first may not)."""
    sections: list[list[str]] = []
    for block in blocks:
        if not sections or _HEADING.match(block):
            sections.append([])
        sections[-1].append(block)
    return sections


def _section_regions(a: list[list[str]], b: list[list[str]]) -> list[tuple]:
    """Align whole sections, then sections by heading, then blocks inside a section.

    Comparing the ~30,000 blocks of a large MoU at once is slow in difflib, because
    many blocks repeat (`**Skills**`, table headers); sections are nearly all
    unique, and the blocks of one section are few.
    """
    regions: list[tuple] = []
    whole = difflib.SequenceMatcher(None, ["\n\n".join(s) for s in a],
                                    ["\n\n".join(s) for s in b], autojunk=False)
    for op, i1, i2, j1, j2 in whole.get_opcodes():
        if op == "equal":
            regions.append(("equal", _flat(a[i1:i2]), _flat(b[j1:j2])))
            continue
        x, y = a[i1:i2], b[j1:j2]
        heads = difflib.SequenceMatcher(None, [s[0] for s in x], [s[0] for s in y],
                                        autojunk=False)
        for hop, h1, h2, k1, k2 in heads.get_opcodes():
            pairs = min(h2 - h1, k2 - k1) if hop in ("equal", "replace") else 0
            for n in range(pairs):
                regions += _block_regions(x[h1 + n], y[k1 + n])
            if h1 + pairs < h2 or k1 + pairs < k2:
                regions.append(("replace", _flat(x[h1 + pairs:h2]), _flat(y[k1 + pairs:k2])))
    return regions


def _block_regions(a: list[str], b: list[str]) -> list[tuple]:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(op, a[i1:i2], b[j1:j2]) for op, i1, i2, j1, j2 in matcher.get_opcodes()]


def _flat(sections: list[list[str]]) -> list[str]:
    return [block for section in sections for block in section]


def _merge_regions(regions: list[tuple]) -> list[tuple]:
    """Drop empty regions and join neighbours of the same kind (equal or changed)."""
    out: list[tuple] = []
    for op, old, new in regions:
        if not old and not new:
            continue
        kind = "equal" if op == "equal" else "replace"
        if out and out[-1][0] == kind:
            out[-1] = (kind, out[-1][1] + list(old), out[-1][2] + list(new))
        else:
            out.append((kind, list(old), list(new)))
    return out


def _blocks(text: str) -> list[str]:
    return [b.strip("\n") for b in re.split(r"\n[ \t]*\n", text) if b.strip()]


def _assemble(regions) -> Redline:
    pieces: list[Piece] = []
    for index, (op, old, new) in enumerate(regions):
        if op == "equal":
            last = index == len(regions) - 1
            pieces += _fold_equal(old, keep_headings=not last)
        else:
            pieces += _changed_region(old, new)
    inserted = sum(len(_words(s.text)) for p in pieces for s in p.spans if s.kind == INSERT)
    deleted = sum(len(_words(s.text)) for p in pieces for s in p.spans if s.kind == DELETE)
    return Redline(pieces, inserted, deleted)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def _fold_equal(blocks: list[str], *, keep_headings: bool) -> list[Piece]:
    """Unchanged blocks folded, keeping the headings that lead to the next change."""
    keep: dict[int, int] = {}  # heading level -> index of its last block in the run
    if keep_headings:
        for i, block in enumerate(blocks):
            if _HEADING.match(block):
                level = len(block) - len(block.lstrip("#"))
                keep = {lv: j for lv, j in keep.items() if lv < level}
                keep[level] = i
    shown = set(keep.values())
    if keep_headings and blocks and _label_like(blocks[-1]):
        shown.add(len(blocks) - 1)  # e.g. `**Skills**` just before the change
    shown = sorted(shown)
    pieces: list[Piece] = []
    start = 0
    for i in [*shown, len(blocks)]:
        if i > start:
            pieces += [Piece(folded=i - start, unit="paragraph"), Piece(blank=True)]
        if i < len(blocks):
            pieces += [Piece((Span(EQUAL, blocks[i]),)), Piece(blank=True)]
        start = i + 1
    return pieces


def _label_like(block: str) -> bool:
    return "\n" not in block and len(block) <= _LABEL_LENGTH and not block.startswith("|")


def _changed_region(old: list[str], new: list[str]) -> list[Piece]:
    """Blocks that differ, compared line by line, then word by word in paired lines."""
    a = "\n\n".join(old).split("\n")
    b = "\n\n".join(new).split("\n")
    lines: list[tuple[Span, ...]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            lines += [(Span(EQUAL, line),) for line in a[i1:i2]]
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(pairs):
            lines += _line_pair(a[i1 + k], b[j1 + k])
        lines += [_whole(DELETE, line) for line in a[i1 + pairs:i2]]
        lines += [_whole(INSERT, line) for line in b[j1 + pairs:j2]]
    return _fold_context(lines)


def _line_pair(old: str, new: str) -> list[tuple[Span, ...]]:
    """One changed line: word spans, or the old line deleted and the new inserted."""
    x, y = _TOKEN.findall(old), _TOKEN.findall(new)
    ops = difflib.SequenceMatcher(None, x, y, autojunk=False).get_opcodes()
    same = sum(len("".join(x[i1:i2])) for op, i1, i2, _, _ in ops if op == "equal")
    mark = _BLOCK_MARK.match(old)
    other_block = mark is not None and not new.startswith(mark.group(1))
    if other_block or same < _MIN_SIMILAR * max(len(old), len(new), 1):
        return [_whole(DELETE, old), _whole(INSERT, new)]
    spans: list[Span] = []
    for op, i1, i2, j1, j2 in _merge_small_equals(ops, x):
        if op == "equal":
            spans.append(Span(EQUAL, "".join(x[i1:i2])))
            continue
        if i2 > i1:
            spans.append(Span(DELETE, "".join(x[i1:i2])))
        if j2 > j1:
            spans.append(Span(INSERT, "".join(y[j1:j2])))
    return [tuple(spans)]


def _merge_small_equals(ops, x: list[str]) -> list[tuple]:
    """Join changes split only by spaces or one punctuation mark: `a b` -> `c d` is one."""
    out: list[tuple] = []
    for op in ops:
        if op[0] != "equal" and out and out[-1][0] != "equal":
            out[-1] = ("replace", out[-1][1], op[2], out[-1][3], op[4])
        elif op[0] != "equal" and len(out) >= 2 and out[-2][0] != "equal" \
                and _small("".join(x[out[-1][1]:out[-1][2]])):
            out.pop()
            out[-1] = ("replace", out[-1][1], op[2], out[-1][3], op[4])
        else:
            out.append(tuple(op))
    return out


def _small(text: str) -> bool:
    core = text.strip()
    return len(core) <= 1 and not core.isalnum()


def _whole(kind: str, line: str) -> tuple[Span, ...]:
    """A whole line inserted or deleted; its Markdown block mark stays outside the mark."""
    if not line.strip():
        return (Span(EQUAL, line),)
    mark = _BLOCK_MARK.match(line)
    prefix = mark.group(1) if mark else ""
    return (Span(EQUAL, prefix), Span(kind, line[len(prefix):])) if prefix else \
        (Span(kind, line),)


def _fold_context(lines: list[tuple[Span, ...]]) -> list[Piece]:
    """Keep changed lines, a line of context, table headers; fold the other equal lines."""
    changed = [any(s.kind != EQUAL for s in spans) for spans in lines]
    near = [any(changed[max(0, i - _CONTEXT_LINES):i + _CONTEXT_LINES + 1])
            for i in range(len(lines))]
    pieces: list[Piece] = []
    folded = 0
    for i, spans in enumerate(lines):
        text = "".join(s.text for s in spans)
        blank = not text.strip() and not changed[i]
        keep = changed[i] or near[i] or blank or _table_header(lines, i) or _HEADING.match(text)
        if keep:
            if folded:
                pieces.append(Piece(folded=folded, unit=_unit(lines, i - 1)))
                folded = 0
            pieces.append(Piece(blank=True) if blank else Piece(spans))
        else:
            folded += 1
    if folded:
        pieces.append(Piece(folded=folded, unit=_unit(lines, len(lines) - 1)))
    pieces.append(Piece(blank=True))
    return pieces


def _plain(spans: tuple[Span, ...]) -> str:
    return "".join(s.text for s in spans if s.kind != INSERT)


def _table_header(lines, i: int) -> bool:
    """The first two lines of a Markdown table (the header row and its rule)."""
    def is_row(j: int) -> bool:
        return 0 <= j < len(lines) and _plain(lines[j]).lstrip().startswith("|")
    return is_row(i) and (not is_row(i - 1) or not is_row(i - 2))


def _unit(lines, i: int) -> str:
    return "row" if _plain(lines[i]).lstrip().startswith("|") else "line"


# -- writers ------------------------------------------------------------------------

def _fold_note(piece: Piece) -> str:
    return f"… {plural(piece.folded, 'unchanged ' + piece.unit)} …"


def _marked(spans: tuple[Span, ...], open_close: dict[str, tuple[str, str]]) -> str:
    """Spans with their marks; a mark never spans a table's `|`, so tables stay tables."""
    out = []
    for span in spans:
        if span.kind == EQUAL:
            out.append(span.text)
            continue
        start, end = open_close[span.kind]
        for part in re.split(r"(\|)", span.text):
            if part == "|" or not part.strip():
                out.append(part)
            else:
                core = part.strip()
                lead = part[:len(part) - len(part.lstrip())]
                trail = part[len(part.rstrip()):]
                out.append(f"{lead}{start}{core}{end}{trail}")
    return "".join(out)


_MD_MARKS = {DELETE: ("<del>", "</del>"), INSERT: ("<ins>", "</ins>")}


def _counts(redline: Redline) -> str:
    if redline.unchanged:
        return "no differences"
    return (f"{plural(redline.inserted_words, 'word')} inserted, "
            f"{plural(redline.deleted_words, 'word')} deleted")


def to_markdown(redline: Redline, *, title: str, old_label: str, new_label: str) -> str:
    """A track-changes Markdown document: <del>deleted</del>, <ins>inserted</ins>."""
    head = [f"# Redline: {title}", "",
            f"Changes from **{old_label}** to **{new_label}**: {_counts(redline)}. "
            "Inserted text is marked <ins>like this</ins>, deleted text <del>like "
            "this</del>; unchanged parts are folded.", ""]
    body = []
    for piece in redline.pieces:
        if piece.blank:
            if body and body[-1] != "":
                body.append("")
        elif piece.folded:
            table = body and body[-1].lstrip().startswith("|")
            body.append(f"| {_fold_note(piece)} |" if table and piece.unit == "row"
                        else f"*{_fold_note(piece)}*")
        else:
            body.append(_marked(piece.spans, _MD_MARKS))
    return "\n".join(head + body).rstrip("\n") + "\n"


_CSS = """body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;line-height:1.5}
ins{background:#e6ffec;color:#05521c;text-decoration:underline}
del{background:#ffebe9;color:#82071e;text-decoration:line-through}
.folded{color:#6e7781;font-style:italic}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.2em .5em}"""


def to_html(redline: Redline, *, title: str, old_label: str, new_label: str) -> str:
    """A standalone HTML track-changes document (what a coordinator mails to partners)."""
    from html import escape

    from markdown_it import MarkdownIt  # lazy: only this writer needs it

    md = to_markdown(redline, title=title, old_label=old_label, new_label=new_label)
    md = re.sub(r"^\*(… \d+ unchanged \w+ …)\*$", r'<p class="folded">\1</p>', md,
                flags=re.M)
    body = MarkdownIt("commonmark", {"html": True}).enable("table").render(md)
    return ("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>Redline: {escape(title)}</title>\n<style>\n{_CSS}\n</style>\n"
            f"</head>\n<body>\n{body}</body>\n</html>\n")


_PLAIN_MARKS = {DELETE: ("[-", "-]"), INSERT: ("{+", "+}")}


def to_terminal(redline: Redline, *, old_label: str, new_label: str
                ) -> list[list[tuple[str, str | None]]]:
    """Lines of (text, rich style) for the console to print.

    Inserted and deleted spans carry `{+...+}` / `[-...-]` marks (as in
    `git diff --word-diff=plain`) besides their colour, so that the redline reads
    the same without colour (NO_COLOR, pipes) and for colour-blind readers.
    """
    lines: list[list[tuple[str, str | None]]] = [
        [(f"Rendered MoU from {old_label} to {new_label}: {_counts(redline)}", "bold")], []]
    for piece in redline.pieces:
        if piece.blank:
            if lines and lines[-1]:
                lines.append([])
        elif piece.folded:
            lines.append([(_fold_note(piece), "dim")])
        else:
            lines.append([(_term_text(s), _STYLE[s.kind]) for s in piece.spans if s.text])
    while lines and not lines[-1]:
        lines.pop()
    return lines


_STYLE = {EQUAL: None, DELETE: "red strike", INSERT: "green underline"}


def _term_text(span: Span) -> str:
    if span.kind == EQUAL:
        return span.text
    start, end = _PLAIN_MARKS[span.kind]
    return f"{start}{span.text}{end}"

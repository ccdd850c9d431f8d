"""The template's Markdown -> the document tree (`document.py`).

The Jinja template writes Markdown with a few markers (HTML comments on a line of
their own, which any Markdown viewer hides):

- `<!-- anchor partner/bsh -->` gives the next block (a heading's section, a
  table, a list, a paragraph) its anchor; inside a table row, list item or
  heading it anchors that row, item or section;
- `<!-- group signature anchor=signature/bsh -->` ... `<!-- end signature -->`
  wraps blocks in a `Group` (also `lang=xx`);
- `<!-- blocks 7 -->` stands for blocks a helper built directly (`Prebuilt`): the
  default template's `unit_description(u)` writes a unit of Annex A so, as the blocks
  its Markdown would give, without writing and reading that Markdown (two thirds of
  a large network's document);
- inline, `<span lang="xx">...</span>` marks text in another language (with
  `class="alt"`: the other language's version in a bilingual document),
  `<span class="name">` a name (never hyphenated), and `<br>` a line break.

Templates write them with `anchor()`, `begin()`/`end()`, `prose()` and
`unit_description()`; data values never contain them (escaping turns every `<` of
the data into `\\<`).

Blocks are read here, line by line, for the subset of Markdown a document uses:
ATX headings, paragraphs, bullet and numbered lists, pipe tables and `---`;
any other line is paragraph text. markdown-it-py parses only inline text that has
Markdown punctuation in it, each distinct text once: markdown-it over the whole
3.4 MB Markdown of the large benchmark network costs 2.4 s, this about 0.3 s.
"""

from __future__ import annotations

import re

from mouctl.errors import TemplateError
from mouctl.render.context import LText
from mouctl.render.document import (
    Block,
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
)
from mouctl.render.escaping import BLOCK_CHARS, md_finalize

_MARKER = re.compile(r"^\s{0,3}<!--\s*(anchor|group|end|blocks)\b\s*(.*?)\s*-->\s*$")
_INLINE_ANCHOR = re.compile(r"<!--\s*anchor\s+(\S+)\s*-->")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_BULLET = re.compile(r"^ {0,3}([-*+])[ \t]+(.*)$")
_ORDERED = re.compile(r"^ {0,3}(\d{1,9})[.)][ \t]+(.*)$")
_DELIMITER = re.compile(r"^ {0,3}\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_CELL = re.compile(r"((?:\\.|[^\\|])*)\|")
_SPECIAL = re.compile(r"[\\`*_<>\[\]&!~]")
# A data text made only of these characters, not starting like a block (a digit, `-`,
# `#`...) nor with or after a space, is written by the escaper as it is and read back as
# one plain run (escaping.md, and `_SPECIAL` and names above): `data()` takes it so.
_PLAIN_DATA = re.compile(r"[^\\`*\[\]<>|~_&!\n\r\ue000-\ue002]+")
_SPAN = re.compile(
    r"""^<span((?:\s+(?:lang|class)=(?:"[A-Za-z -]*"|'[A-Za-z -]*'|[A-Za-z-]+))*)\s*>$""")
_SPAN_ATTR = re.compile(r"""(lang|class)=["']?([A-Za-z -]*?)["']?(?=\s|$)""")
_BR = re.compile(r"^<br\s*/?>$", re.IGNORECASE)
_SAFE_HREF = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)


def parse(text: str) -> list[Block]:
    """The blocks of a template's Markdown, sections nested by heading level."""
    return _Parser().parse(text.split("\n"))


def parse_lines(lines: list[str], prebuilt: Prebuilt | None = None) -> list[Block]:
    """`parse` of a text split at its newlines (the list is emptied as it is read);
    `prebuilt`: the blocks its `blocks` markers stand for."""
    try:
        blocks = _Parser(prebuilt).parse(lines)
        if prebuilt is not None and any(b is not None for b in prebuilt.blocks):
            # A marker not on a line of its own would be paragraph text: the blocks it
            # stands for would be lost without a word.
            raise TemplateError("a unit_description(u) was not written on a line of its own",
                                "write {{ unit_description(u) }} alone on its line, "
                                "without indentation or other text")
        return blocks
    finally:
        lines.clear()
        if prebuilt is not None:
            prebuilt.blocks.clear()


class Prebuilt:
    """Blocks that a template helper built directly during one rendering; the
    template's Markdown holds a `<!-- blocks N -->` marker for each (see the module
    docstring). Their inline texts are read by the same reader, with the same cache,
    as the Markdown around them."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.inline = _InlineParser()
        self.memo: dict = {}  # what a helper works out once per rendering (fixed labels)

    def marker(self, block: Block) -> str:
        """The marker line that stands for `block` in the template's Markdown."""
        self.blocks.append(block)
        return f"<!-- blocks {len(self.blocks) - 1} -->"

    def paragraphs(self, lines: list[str]) -> list[Block]:
        """Blocks of a few lines of Markdown (a helper's prose), read as the template's
        Markdown is: lines without trailing spaces, blank lines collapsed."""
        tidy: list[str] = []
        for line in lines:
            line = line.rstrip()
            if line or (tidy and tidy[-1]):
                tidy.append(line)
        parser = _Parser(inline=self.inline)
        return parser.parse(tidy)


class _Parser:
    def __init__(self, prebuilt: Prebuilt | None = None, *,
                 inline: _InlineParser | None = None) -> None:
        self.root: list[Block] = []
        # Open containers: (node, level). Sections close at a heading of the same or a
        # higher level; groups close at their `end` marker.
        self.stack: list[tuple[Section | Group | None, int]] = [(None, 0)]
        self.pending: str | None = None
        self.prebuilt = prebuilt
        self.inline = inline or (prebuilt.inline if prebuilt is not None else _InlineParser())

    # -- containers --------------------------------------------------------------
    def add(self, block: Block) -> None:
        if self.pending and block.anchor is None:
            block.anchor = self.pending
        self.pending = None
        top = self.stack[-1][0]
        (top.children if top is not None else self.root).append(block)

    def open_section(self, level: int, content: str) -> None:
        runs, anchor = self.inline.parse(content)
        self.enter(Section(level, runs, [], anchor=anchor))

    def enter(self, section: Section) -> None:
        """Add a section and keep it open: what follows belongs to it until a heading
        of its level or higher."""
        while isinstance(self.stack[-1][0], Section) and self.stack[-1][1] >= section.level:
            self.stack.pop()
        self.add(section)
        self.stack.append((section, section.level))

    def insert(self, args: str, line: int) -> None:
        """The prebuilt block a `blocks` marker stands for, where the marker is."""
        blocks = self.prebuilt.blocks if self.prebuilt is not None else []
        if not args.isdigit():  # more than one marker, or other text, on the line
            raise TemplateError(f"line {line} of the template's Markdown: a "
                                "unit_description(u) was not written on a line of its own",
                                "write {{ unit_description(u) }} alone on its line, "
                                "without indentation or other text")
        index = int(args)
        if not 0 <= index < len(blocks):
            raise TemplateError(f"line {line} of the template's Markdown: '<!-- blocks "
                                f"{args} -->' stands for no blocks of this rendering",
                                "write the helper that makes it (unit_description(u)), "
                                "not its marker")
        if blocks[index] is None:
            raise TemplateError(f"line {line} of the template's Markdown: the result of a "
                                "unit_description(u) is written a second time",
                                "write {{ unit_description(u) }} once where the unit "
                                "should stand")
        block, blocks[index] = blocks[index], None  # each is placed once
        if isinstance(block, Section):
            self.enter(block)
        else:
            self.add(block)

    def open_group(self, args: str, line: int) -> None:
        words = args.split()
        if not words:
            raise TemplateError(f"line {line} of the template's Markdown: a group marker "
                                "without a kind", "write <!-- group KIND -->")
        options = dict(w.split("=", 1) for w in words[1:] if "=" in w)
        group = Group(words[0], [], anchor=options.get("anchor"), lang=options.get("lang"))
        self.add(group)
        self.stack.append((group, 0))

    def close_group(self, args: str, line: int) -> None:
        while len(self.stack) > 1:
            node, _ = self.stack.pop()
            if isinstance(node, Group):
                return
        raise TemplateError(f"line {line} of the template's Markdown: '<!-- end {args} -->' "
                            "closes no group", "write begin() and end() in pairs")

    # -- blocks ------------------------------------------------------------------
    def parse(self, lines: list[str]) -> list[Block]:
        paragraph: list[str] = []
        i, n = 0, len(lines)
        marker_match, heading_match = _MARKER.match, _HEADING.match

        def flush() -> None:
            runs, anchor = self.inline.parse("\n".join(paragraph))
            self.add(Paragraph(runs, anchor=anchor))
            paragraph.clear()

        # The common line shapes of a template's Markdown (table rows, list items, blank
        # lines) are tested first and cheaply; L has 97,000 lines.
        while i < n:
            line = lines[i]
            first = line[:1]
            if first == "|" and i + 1 < n and _DELIMITER.match(lines[i + 1]):
                if paragraph:
                    flush()
                i = self.table(lines, i)
                continue
            stripped = line.strip()
            if not stripped:
                if paragraph:
                    flush()
                i += 1
                continue
            first = stripped[0]
            if first == "<" and (marker := marker_match(line)):
                if paragraph:
                    flush()
                word, args = marker.groups()
                if word == "anchor":
                    self.pending = args or None
                elif word == "blocks":
                    self.insert(args, i + 1)
                elif word == "group":
                    self.open_group(args, i + 1)
                else:
                    self.close_group(args, i + 1)
                i += 1
                continue
            if first == "#" and (heading := heading_match(line)):
                if paragraph:
                    flush()
                self.open_section(len(heading.group(1)), heading.group(2) or "")
                i += 1
                continue
            if first == "|" and i + 1 < n and _DELIMITER.match(lines[i + 1]):
                if paragraph:
                    flush()
                i = self.table(lines, i)
                continue
            if first in "-*_" and _RULE.match(line):
                if paragraph:
                    flush()
                self.add(Rule())
                i += 1
                continue
            if first in "-*+" and _BULLET.match(line) or first.isdigit() and _ORDERED.match(line):
                if paragraph:
                    flush()
                i = self.item_list(lines, i)
                continue
            paragraph.append(stripped)
            i += 1
        if paragraph:
            flush()
        return self.root

    def table(self, lines: list[str], i: int) -> int:
        header = split_cells(lines[i])
        align = [_alignment(c) for c in split_cells(lines[i + 1])]
        i += 2
        n = len(lines)
        rows: list[Row] = []
        parse = self.inline.parse
        width = len(header)
        while i < n:
            line = lines[i]
            if line[:1] != "|" and not line.lstrip().startswith("|"):
                break
            cells, anchor = [], None
            for raw in split_cells(line):
                runs, found = parse(raw)
                cells.append(runs)
                if found and not anchor:
                    anchor = found
            if len(cells) != width:  # GFM: a row has as many cells as the header
                cells = (cells + [()] * width)[:width]
            rows.append(Row(cells, anchor=anchor))
            i += 1
        head = [parse(c)[0] for c in header]
        if not any(head):
            head = None  # `| | |`: a label/value table
            if not rows:  # ... with nothing in it (a template's rows all left out)
                self.pending = None
                return i
        self.add(Table(head, rows, align=(align + [None] * width)[:width]))
        return i

    def item_list(self, lines: list[str], i: int) -> int:
        ordered = bool(_ORDERED.match(lines[i]))
        match = (_ORDERED if ordered else _BULLET).match
        items: list[Item] = []
        current: list[str] | None = None
        n = len(lines)
        while i < n:
            line = lines[i]
            found = match(line)
            if found:
                if current is not None:
                    items.append(self.item(current))
                current = [found.group(2)]
            elif line.strip() and line[:1] in " \t" and current is not None:
                current.append(line.strip())  # a continuation line of the item
            elif not line.strip() and i + 1 < n and match(lines[i + 1]):
                pass  # a loose list: the next item follows after a blank line
            else:
                break
            i += 1
        if current is not None:
            items.append(self.item(current))
        self.add(ItemList(items, ordered=ordered))
        return i

    def item(self, lines: list[str]) -> Item:
        runs, anchor = self.inline.parse(lines[0] if len(lines) == 1 else "\n".join(lines))
        return Item(runs, anchor=anchor)


def paragraph_line(line: str) -> bool:
    """True when `line`, with a blank line after it, is read as a paragraph of its own
    (not a marker, heading, rule or list item): the same tests as `_Parser.parse`."""
    stripped = line.strip()
    if not stripped:
        return False
    first = stripped[0]
    return not (first == "<" and _MARKER.match(line)
                or first == "#" and _HEADING.match(line)
                or first in "-*_" and _RULE.match(line)
                or first in "-*+" and _BULLET.match(line)
                or first.isdigit() and _ORDERED.match(line))


def heading_text(line: str) -> str | None:
    """The text of an ATX heading line as the parser reads it; None for another line."""
    match = _HEADING.match(line) if line.lstrip(" ")[:1] == "#" else None
    return (match.group(2) or "") if match else None


def split_cells(line: str) -> list[str]:
    """The cells of a table row as Markdown (a pipe escaped in data stays in its cell)."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if "\\" not in text:  # no escaped pipe: the cells are what lies between pipes
        if text.endswith("|"):
            text = text[:-1]
        return [c.strip() for c in text.split("|")]
    if not text.endswith("|") or text.endswith("\\|"):
        text += "|"
    return [c.strip() for c in _CELL.findall(text)]


def _alignment(delimiter: str) -> str | None:
    left, right = delimiter.startswith(":"), delimiter.endswith(":")
    return "center" if left and right else "right" if right else "left" if left else None


class _InlineParser:
    """Inline Markdown -> runs; plain texts skip markdown-it, each text parsed once."""

    def __init__(self) -> None:
        self.cache: dict[str, tuple[Inline, str | None]] = {}
        self.texts: dict[str, Inline] = {}  # data() of a data text, by the text
        self.md = None

    def parse(self, text: str) -> tuple[Inline, str | None]:
        # Every distinct text is read once: labels and values repeat thousands of times.
        parsed = self.cache.get(text)
        if parsed is not None:
            return parsed
        if "<!--" in text and (found := _INLINE_ANCHOR.search(text)):
            rest = self.parse(text[:found.start()] + text[found.end():])
            return rest[0], found.group(1)  # the text's anchor wins over one inside
        stripped = text.strip()
        if not stripped:
            parsed = ((), None)
        elif not _SPECIAL.search(stripped):
            parsed = ((Run(stripped.replace("\n", " ")),), None)
        else:
            parsed = self.cache.get(stripped) or _spans(stripped) or self._parse(stripped)
        self.cache[text] = parsed
        return parsed

    def data(self, value: object) -> Inline:
        """The runs of `{{ value }}` in a template's Markdown: `parse(md_finalize(value))`,
        without escaping and reading a plain text (most of a network's texts)."""
        kind = value.__class__
        if kind is str:
            text = value
        elif kind is LText and len(value.versions) == 1 and not value.sources:
            text = value.versions[0][1]  # written as the text alone, as a str is
        else:
            return self.parse(str(md_finalize(value)))[0]
        runs = self.texts.get(text)
        if runs is None:
            if text and _PLAIN_DATA.fullmatch(text) and text[0] not in BLOCK_CHARS and not (
                    text[0].isspace() or text[-1].isspace()):
                parsed = self.cache.get(text)
                if parsed is None:
                    parsed = self.cache[text] = ((Run(text),), None)
                runs = parsed[0]
            else:
                runs = self.parse(str(md_finalize(value)))[0]
            self.texts[text] = runs
        return runs

    def _parse(self, text: str) -> tuple[Inline, str | None]:
        if self.md is None:
            from markdown_it import MarkdownIt

            self.md = MarkdownIt("commonmark")
        runs: list[Run] = []
        anchor = None
        bold = italic = 0
        href: list[str | None] = []
        langs: list[str | None] = []
        spans: list[tuple[bool, bool]] = []  # (name, alt) of each open span

        def marks() -> dict:
            return {"lang": _last(langs), "name": any(n for n, _ in spans),
                    "alt": any(a for _, a in spans)}

        for token in self.md.parseInline(text)[0].children or []:
            kind = token.type
            if kind in ("text", "text_special", "code_inline", "softbreak", "image"):
                content = token.content if kind != "softbreak" else " "
                if kind == "image":
                    content = "".join(c.content for c in token.children or [])
                runs.append(Run(content, bold=bold > 0, italic=italic > 0,
                                code=kind == "code_inline",
                                href=href[-1] if href else None, **marks()))
            elif kind == "hardbreak":
                runs.append(Run("", line_break=True, **marks()))
            elif kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind == "link_open":
                target = str(token.attrs.get("href", ""))
                href.append(target if _SAFE_HREF.match(target) else None)
            elif kind == "link_close":
                href.pop() if href else None
            elif kind == "html_inline":
                tag = token.content.strip()
                if _BR.match(tag):
                    runs.append(Run("", line_break=True, **marks()))
                elif m := _INLINE_ANCHOR.fullmatch(tag):
                    anchor = anchor or m.group(1)
                elif m := _SPAN.match(tag):
                    attrs = dict(_SPAN_ATTR.findall(m.group(1)))
                    classes = attrs.get("class", "").split()
                    langs.append(attrs.get("lang") or None)
                    spans.append(("name" in classes, "alt" in classes))
                elif tag.lower().startswith("<span"):
                    langs.append(None)
                    spans.append((False, False))
                elif tag.lower() == "</span>":
                    langs.pop() if langs else None
                    spans.pop() if spans else None
                # any other inline HTML of a template is left out; its text stays
        return tuple(_merge(runs)), anchor


# What escaping writes into a text besides plain characters: a backslash escape, the
# spans of names, languages and the other language's version, a line break. A text made
# only of these is read here as markdown-it reads it (a property test holds the two
# equal), without importing markdown-it (L: 1,200 such texts, 0.1 s with it).
_PIECE = re.compile(
    r"""(?P<plain>[^\\`*_<>\[\]&\n\r\x00]+)"""
    r"""|\\(?P<escaped>[!-/:-@\[-`{-~])"""
    r"""|<span(?: class="(?P<kind>name|alt)")?(?: lang="(?P<lang>[A-Za-z-]+)")?>"""
    r"""|(?P<close></span>)|(?P<br><br>)|(?P<amp>&)(?!#?[A-Za-z0-9]+;)""")


_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _spans(text: str) -> tuple[Inline, None] | None:
    """The runs of a text of plain characters, escapes, spans and line breaks (as
    `_parse` gives them), which may start with a bold label (`**Assessed by:** ...`) or
    an italic text (`*Rendered by mouctl ...*`); None for any other text."""
    if text[:1] != "*":
        runs = _pieces(text)
        return (tuple(_merge(runs)), None) if runs is not None else None
    mark = "**" if text.startswith("**") else "*"
    width = len(mark)
    close = text.find(mark, width)
    if close <= width or text[width] == "*" or text[width].isspace() \
            or text[close - 1].isspace() or "_" in text or "*" in text[width:close] \
            or "*" in text[close + width:]:
        return None
    after = text[close + width:close + width + 1]
    if not (text[width] + text[close - 1] + after).isascii():
        return None  # CommonMark's Unicode whitespace and punctuation: markdown-it decides
    # CommonMark closes the emphasis there only if the mark is right-flanking.
    if text[close - 1] in _PUNCTUATION and after and not (
            after.isspace() or after in _PUNCTUATION):
        return None
    inner, rest = _pieces(text[width:close], balanced=True), _pieces(text[close + width:])
    if inner is None or rest is None or not any(r.text.strip() for r in inner):
        return None
    bold, italic = mark == "**", mark == "*"
    marked = [r if r.line_break else Run(r.text, bold=bold, italic=italic, lang=r.lang,
                                         name=r.name, alt=r.alt) for r in inner]
    # markdown-it leaves what remains of each `**` as an empty text before and after
    # (of a `*`, nothing).
    edge = [Run("")] if bold else []
    return tuple(_merge([*edge, *marked, *edge, *rest])), None


def _pieces(text: str, *, balanced: bool = False) -> list[Run] | None:
    """`_spans` of a text without bold, before adjacent runs are merged; `balanced`:
    None unless every span it opens it closes (inside a bold label)."""
    runs: list[Run] = []
    langs: list[str | None] = []
    spans: list[tuple[bool, bool]] = []
    buffer: list[str] = []
    pos, end = 0, len(text)
    match = _PIECE.match

    def flush() -> None:
        if buffer:
            runs.append(Run("".join(buffer), lang=_last(langs),
                            name=any(n for n, _ in spans), alt=any(a for _, a in spans)))
            buffer.clear()

    while pos < end:
        piece = match(text, pos)
        if piece is None:
            return None
        pos = piece.end()
        kind = piece.lastgroup
        if kind == "plain":
            buffer.append(piece.group("plain"))
        elif kind == "escaped":
            buffer.append(piece.group("escaped"))
        elif kind == "amp":
            buffer.append("&")
        elif kind == "close":
            if balanced and not spans:
                return None
            flush()
            langs.pop() if langs else None
            spans.pop() if spans else None
        elif kind == "br":
            flush()
            runs.append(Run("", line_break=True, lang=_last(langs),
                            name=any(n for n, _ in spans), alt=any(a for _, a in spans)))
        else:  # a span opens
            flush()
            langs.append(piece.group("lang") or None)
            span = piece.group("kind")
            spans.append((span == "name", span == "alt"))
    if balanced and spans:
        return None
    flush()
    return runs


def _last(values: list[str | None]) -> str | None:
    for value in reversed(values):
        if value:
            return value
    return None


def _merge(runs: list[Run]) -> list[Run]:
    """Adjacent runs with the same marks as one run."""
    out: list[Run] = []
    for run in runs:
        if out and not run.line_break and not out[-1].line_break and (
                out[-1].bold, out[-1].italic, out[-1].code, out[-1].href, out[-1].lang,
                out[-1].name, out[-1].alt) == (
                run.bold, run.italic, run.code, run.href, run.lang, run.name, run.alt):
            last = out.pop()
            run = Run(last.text + run.text, run.bold, run.italic, run.code, run.href, run.lang,
                      name=run.name, alt=run.alt)
        out.append(run)
    while out and out[-1].text == " " and not out[-1].line_break:
        out.pop()
    return out

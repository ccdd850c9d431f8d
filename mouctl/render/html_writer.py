"""The document tree as one self-contained HTML file with print CSS (and the PDF's source).

Sections become `<section>` elements with the anchor as `id` and the anchor's kind
as `class` (`partner`, `description`, ...), so the style sheet can keep an entity
on one page; the section of the signatures (`section/signatures`) starts a page.
The default style sheet is the template's `style.css`; a network's own
`templates/style.css` is added after it. The version and the data fingerprint go
into the page margins (WeasyPrint) and under the title.
"""

from __future__ import annotations

import functools
import re

from markupsafe import escape

from mouctl.render.document import (
    Document,
    Field,
    Group,
    Inline,
    ItemList,
    Paragraph,
    Rule,
    Section,
    Table,
    contents,
    kind_of,
    plain_text,
    signature_fields,
)
from mouctl.render.escaping import css_string

_SAFE_CLASS = re.compile(r"[^A-Za-z0-9_-]")
_NUM = ' class="num"'


def _draft_corner(document: Document) -> str:
    """A draft says so in the top margin of every page, too."""
    mark = document.labels.get("draft_mark")
    if not (document.draft and mark):
        return ""
    return (f"  @top-right {{ content: {css_string(mark)}; font-size: 9pt; font-weight: bold; "
            "color: #b00020; letter-spacing: 0.1em; }\n")


def _style(css: str) -> str:
    """A style sheet that cannot close the <style> element it stands in."""
    return css.replace("</", "<\\/")


def write(document: Document, css: str) -> str:
    """The HTML text of a document, with the style sheet `css` inlined."""
    lab = document.labels
    trace = f"{lab['version']} {document.version} · {lab['fingerprint']} {document.fingerprint}"
    page = (f"@page {{\n  size: A4;\n  margin: 20mm 18mm 22mm 18mm;\n"
            f"  @bottom-left {{ content: {css_string(trace)}; font-size: 7.5pt; "
            f"color: #4a5160; }}\n"
            f"  @bottom-right {{ content: {css_string(lab['page'])} \" \" counter(page) \" \" "
            f"{css_string(lab['page_of'])} \" \" counter(pages); font-size: 8pt; "
            f"color: #4a5160; }}\n{_draft_corner(document)}}}\n")
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(document.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="generator" content="mouctl">',
        f'<meta name="description" content="{escape(document.version)} · '
        f'{escape(document.fingerprint)}">',
        f"<title>{escape(document.title)}</title>",
        f"<style>\n{page}{_style(css)}</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    if document.draft and lab.get("draft_mark"):
        # position: fixed repeats the mark on every printed page.
        # One word on one line: a longer word (PROJEKTAS) is set smaller to fit.
        size = min(96, 540 // max(len(lab["draft_mark"]), 1))
        out.append(f'<div class="draft-mark" aria-hidden="true" style="font-size: {size}pt">'
                   f'{escape(lab["draft_mark"])}'
                   "</div>")
    _Writer(document, out).blocks(document.children)
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)


class _Writer:
    """Writes blocks as HTML lines into `out`.

    Each runs tuple is written once: the parser hands out one tuple per distinct
    text, and labels and values repeat thousands of times. The memos are keyed by
    identity (the document keeps every tuple alive while it is written), so only
    tuples of the tree go through them, never ones made while writing.
    """

    def __init__(self, document: Document, out: list[str]) -> None:
        self.document = document
        self.out = out
        self.texts: dict[int, str] = {}  # id(runs) -> inline(runs)
        # A cell's kind (see cell()) -> id(runs) -> the whole cell.
        self.cells: dict[str, dict[int, str]] = {"th": {}, "td": {}, "num": {}, "data": {}}

    def text(self, runs: Inline) -> str:
        """inline(runs), written once per tuple."""
        done = self.texts.get(id(runs))
        if done is None:
            done = self.texts[id(runs)] = inline(runs)
        return done

    def cell(self, kind: str, runs: Inline) -> str:
        """A table cell: `th`, `td` (label/value), `num` or `data` (`short` if one word)."""
        memo = self.cells[kind]
        done = memo.get(id(runs))
        if done is None:
            text = self.text(runs)
            if kind == "num":
                done = f"<td{_NUM}>{text}</td>"
            elif kind == "data":
                done = f"<td{_short(runs)}>{text}</td>"
            else:
                done = f"<{kind}>{text}</{kind}>"
            memo[id(runs)] = done
        return done

    def blocks(self, blocks, *, italic: bool = False) -> None:
        out, texts, text = self.out, self.texts, self.text
        after = 0  # blocks before this one went out with a run of signature blocks
        for i, block in enumerate(blocks):
            if i < after:
                continue
            if type(block) is Paragraph:  # the commonest block, without a call of its own
                inner = texts.get(id(block.runs))
                if inner is None:
                    inner = text(block.runs)
                if block.anchor or block.lang:
                    out.append(f"<p{_attrs(block.anchor, lang=block.lang)}>{inner}</p>")
                else:
                    out.append(f"<p>{inner}</p>")
            elif isinstance(block, Group) and block.kind == "signature":
                after = i + 1
                while after < len(blocks) and isinstance(blocks[after], Group) \
                        and blocks[after].kind == "signature":
                    after += 1
                self.signatures(blocks[i:after])
            else:
                self.block(block, italic=italic)

    def block(self, block, *, italic: bool) -> None:
        out = self.out
        if isinstance(block, Paragraph):
            out.append(f"<p{_attrs(block.anchor, lang=block.lang)}>{self.text(block.runs)}</p>")
        elif isinstance(block, ItemList):
            tag = "ol" if block.ordered else "ul"
            out.append(f"<{tag}{_attrs(block.anchor, lang=block.lang)}>")
            texts, text = self.texts, self.text
            for item in block.items:  # L: 24,000 items, each with an id of its own
                inner = texts.get(id(item.runs))
                if inner is None:
                    inner = text(item.runs)
                if item.lang or not item.anchor:
                    out.append(f"<li{_attrs(item.anchor, lang=item.lang)}>{inner}</li>")
                else:
                    out.append(f'<li id="{_escape(html_id(item.anchor))}">{inner}</li>')
            out.append(f"</{tag}>")
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Section):
            self.section(block)
        elif isinstance(block, Rule):
            out.append("<hr>")
        elif isinstance(block, Group):
            self.group(block)

    def section(self, section: Section) -> None:
        out, doc = self.out, self.document
        level = min(section.level, 6)
        if level == 1:
            # The title block: the heading, what stands before the first section, and
            # the version line.
            out.append("<header>")
            out.append(f"<h1>{self.text(section.title)}</h1>")
            rest = list(section.children)
            while rest and not isinstance(rest[0], Section) and not _is_contents(rest[0]):
                self.block(rest.pop(0), italic=False)
            lab = doc.labels
            out.append(f'<p class="meta">{escape(lab["version"])} {escape(doc.version)} · '
                       f'{escape(lab["fingerprint"])} {escape(doc.fingerprint)}</p>')
            while rest and not isinstance(rest[0], Section):
                self.block(rest.pop(0), italic=False)
            out.append("</header>")
            self.blocks(rest)
            return
        kind = kind_of(section.anchor)
        classes = [f"level-{level}"]
        ident = _section_id(section)
        if kind == "section" and ident:
            classes.append(ident)
        elif kind:
            classes.append(kind)
        out.append(f"<section{_attrs(ident, classes, section.lang, raw=True)}>")
        out.append(f"<h{level}>{self.text(section.title)}</h{level}>")
        self.blocks(section.children)
        out.append("</section>")

    def reference(self) -> str:
        """Title, file code, version and fingerprint: what identifies a signature page."""
        doc, lab = self.document, self.document.labels
        parts = [doc.title]
        if doc.file_code:
            parts.append(f"{lab['file_code']} {doc.file_code}")
        parts += [f"{lab['version']} {doc.version}", f"{lab['fingerprint']} {doc.fingerprint}"]
        return " · ".join(parts)

    def table(self, table: Table) -> None:
        out, cell = self.out, self.cell
        if table.header is None:
            out.append(f"<table{_attrs(table.anchor, ['fields'], table.lang)}>")
            labels, values = self.cells["th"], self.cells["td"]
            for row in table.rows:
                label, *rest = row.cells or [()]
                cells = "".join([values.get(id(v)) or cell("td", v) for v in rest])
                label = labels.get(id(label)) or cell("th", label)
                where = _attrs(row.anchor) if row.anchor else ""
                out.append(f"<tr{where}>{label}{cells}</tr>")
            out.append("</table>")
            return
        kinds = ["num" if a == "right" else "data" for a in table.align]
        memos = [self.cells[k] for k in kinds]
        out.append(f"<table{_attrs(table.anchor, lang=table.lang)}>")
        head = "".join(f"<th{_NUM if k == 'num' else ''}>{self.text(c)}</th>"
                       for c, k in zip(table.header, kinds, strict=False))
        out.append(f"<thead><tr>{head}</tr></thead>")
        out.append("<tbody>")
        for row in table.rows:
            cells = "".join([memo.get(id(c)) or cell(k, c)
                             for c, k, memo in zip(row.cells, kinds, memos, strict=False)])
            where = _attrs(row.anchor) if row.anchor else ""
            out.append(f"<tr{where}>{cells}</tr>")
        out.append("</tbody>")
        out.append("</table>")

    def contents(self) -> None:
        """The contents page: the sections with links and (in print) page numbers."""
        out, doc = self.out, self.document
        out.append('<nav class="contents">')
        out.append(f'<p class="toc-title">{escape(doc.labels.get("contents", "Contents"))}</p>')
        out.append('<ul class="toc">')
        for section in contents(doc):
            target = _section_id(section)
            link = f'<a href="#{escape(target)}">' if target else "<a>"
            out.append(f"<li>{link}{inline(section.title)}</a></li>")
        out.append("</ul>")
        out.append("</nav>")

    def group(self, group: Group) -> None:
        out = self.out
        if group.kind == "contents":
            self.contents()
            return
        if group.kind == "bilingual":
            out.append('<div class="bilingual">')
            for child in group.children:
                self.block(child, italic=False)
            out.append("</div>")
            return
        tag = "footer" if group.kind == "footer" else "div"
        css = "trace" if group.kind == "footer" else group.kind
        out.append(f"<{tag}{_attrs(group.anchor, [css], group.lang)}>")
        self.blocks(group.children)
        out.append(f"</{tag}>")

    def signatures(self, groups: list[Group]) -> None:
        """Signature blocks two side by side, one table row per line, so lines align.

        The table's head (title, file code, version) repeats on every page it spans.
        """
        out = self.out
        out.append('<table class="signatures">')
        out.append(f'<thead><tr><th colspan="2" class="ref-line">{escape(self.reference())}'
                   "</th></tr></thead>")
        for start in range(0, len(groups), 2):
            pair = groups[start:start + 2]
            forms = [signature_fields(g) for g in pair]
            out.append('<tbody class="pair">')
            for line in range(max(len(f) for f in forms)):
                kind = next((f[line].kind for f in forms if line < len(f)), "text")
                cells = []
                for group, form in zip(pair, forms, strict=True):
                    field = form[line] if line < len(form) else None
                    where = _attrs(field.anchor if field else None, lang=group.lang)
                    if line == 0 and group.anchor:  # the block's own anchor, on its top
                        where = _attrs(group.anchor, lang=group.lang)
                        inner = _attrs(field.anchor) if field else ""
                        cells.append(f"<td{where}><div{inner}>{_field(field)}</div></td>")
                        continue
                    cells.append(f"<td{where}>{_field(field)}</td>")
                if len(pair) == 1:
                    cells.append("<td></td>")
                out.append(f'<tr class="{_class_name(kind)}">{"".join(cells)}</tr>')
            out.append("</tbody>")
        out.append("</table>")


def _field(field: Field | None) -> str:
    if field is None:
        return ""
    if field.kind == "organisation":
        return f'<div class="org">{inline(field.value)}</div>'
    value = "" if field.blank else inline(field.value)
    label = f'<div class="label">{inline(field.label)}</div>' if field.label else ""
    return f'<div class="value">{value}</div>{label}'


def _short(runs: Inline) -> str:
    """A code or a one-word cell (`A.1`, `Germany`) is never broken inside."""
    text = plain_text(runs)
    return ' class="short"' if text and len(text) <= 24 and " " not in text.strip() else ""


@functools.lru_cache(maxsize=4096)
def _class_name(name: str) -> str:
    """A word as a class name (kinds and section names repeat: one regex pass each)."""
    return _SAFE_CLASS.sub("-", name)


def _attrs(anchor: str | None, classes: list[str] | None = None,
           lang: str | None = None, *, raw: bool = False) -> str:
    """id (from an anchor, or `raw` as given), class and lang attributes."""
    out = ""
    if anchor:
        out += f' id="{_escape(anchor if raw else html_id(anchor))}"'
    if classes:
        out += f' class="{" ".join([_class_name(c) for c in classes])}"'
    if lang:
        out += f' lang="{_escape(lang)}"'
    return out


def _escape(text: str) -> str:
    """Text as literal HTML (markupsafe's escape(), as a plain str)."""
    # A text without any character escape() replaces (most) is its own HTML; the `in`
    # tests (C scans) cost less than escape() and its Markup, or a regex search
    # (tests/render/test_writers.py holds this to escape()).
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return str(escape(text))
    return text


def _is_contents(block) -> bool:
    return isinstance(block, Group) and block.kind == "contents"


def _section_id(section: Section) -> str | None:
    """A section's element id: `objectives` for `section/objectives`, else its anchor's."""
    if not section.anchor:
        return None
    if kind_of(section.anchor) == "section":
        return section.anchor.split("/", 1)[1]
    return html_id(section.anchor)


def html_id(anchor: str) -> str:
    """An anchor as an HTML id: `qualification/cook/unit/u1` -> `qualification-cook-unit-u1`."""
    return anchor.replace("/", "-")


# A redline's marks (mouctl.changes.redline); moves look different from edits.
_CHANGE_TAGS = {"ins": "<ins>{}</ins>", "del": "<del>{}</del>",
                "move-from": '<del class="moved">{}</del>',
                "move-to": '<ins class="moved">{}</ins>'}


def inline(runs: Inline) -> str:
    """Runs as HTML; a run in another language, or a name, in a marked span."""
    if len(runs) == 1:  # most texts: one run without marks
        run = runs[0]
        if not (run.line_break or run.code or run.italic or run.bold or run.href
                or run.lang or run.name or run.change):
            return _escape(run.text)
    parts = []
    for run in runs:
        if run.line_break:
            parts.append("<br>")
            continue
        text = _escape(run.text)
        if run.code:
            text = f"<code>{text}</code>"
        if run.italic:
            text = f"<em>{text}</em>"
        if run.bold:
            text = f"<strong>{text}</strong>"
        if run.href:
            text = f'<a href="{escape(run.href)}">{text}</a>'
        if run.lang or run.name:
            # A name is never hyphenated (style.css); a passage in another language
            # carries it, the other language of a bilingual document is set apart.
            css = " ".join(c for c, on in (("alt", run.alt), ("name", run.name)) if on)
            attrs = (f' class="{css}"' if css else "") + (
                f' lang="{escape(run.lang)}"' if run.lang else "")
            text = f"<span{attrs}>{text}</span>"
        if run.change:
            text = _CHANGE_TAGS[run.change].format(text)
        parts.append(text)
    return "".join(parts)

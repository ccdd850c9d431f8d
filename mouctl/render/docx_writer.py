"""The document tree as a Word document (python-docx for the package, XML for the body).

Partners sign in Word or on paper, so the document uses Word's own structure:
real headings (navigation pane, table of contents), tables whose rows never split
across pages and whose header rows repeat, a signature page of its own, and a
footer with the version, the data fingerprint and "Page X of Y" fields. The fixed
text and the structure come from the same document tree as Markdown and HTML.
The zip is written with fixed timestamps, so the same data gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from xml.sax.saxutils import escape as xml_escape

from mouctl.render.document import (
    Document,
    Field,
    Group,
    Inline,
    ItemList,
    Paragraph,
    Run,
    Section,
    Table,
    contents,
    plain_text,
    signature_fields,
)

FONT = "Liberation Sans"
ACCENT = "1F3864"
SOFT = "EEF2F7"
RULE = "B8C0CC"


def write(document: Document) -> bytes:
    """The .docx bytes of a document."""
    from docx import Document as WordDocument

    doc = WordDocument()
    _REVISION.update(next=0, author=(document.revision or ("mouctl", ""))[0],
                     date=(document.revision or ("", "1970-01-01T00:00:00Z"))[1])
    _setup(doc, document)
    raw = io.BytesIO()
    doc.save(raw)  # the package with an empty body; the body is streamed into it
    return _stable_zip(raw.getvalue(), lambda sink: _Builder(document, sink).blocks(
        document.children))


_PROPERTY_CHARS = 255


def _at_most(text: str, limit: int) -> str:
    """`text`, shortened with an ellipsis to `limit` characters."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _setup(doc, document: Document) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Cm, Pt, RGBColor

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    normal = doc.styles["Normal"]
    _font(normal, FONT)
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Title", 20), ("Heading 1", 13), ("Heading 2", 11), ("Heading 3", 10.5),
                       ("Heading 4", 10), ("Heading 5", 10)):
        style = doc.styles[name]
        _font(style, FONT)
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor.from_string(ACCENT if name < "Heading 3" else "1D1D1F")
        style.paragraph_format.keep_with_next = True
    _language(doc, document.lang)
    _default_font(doc, FONT)
    # Word keeps properties of up to 255 characters; the title is on the first page.
    doc.core_properties.title = _at_most(document.title, _PROPERTY_CHARS)
    doc.core_properties.language = word_language(document.lang)
    doc.core_properties.author = "mouctl"
    doc.core_properties.last_modified_by = "mouctl"
    doc.core_properties.comments = f"{document.version} · {document.fingerprint}"
    _dates(doc, document.date)

    doc.styles["Footer"].font.size = Pt(7.5)
    _font(doc.styles["Footer"], FONT)
    footer = section.footer.paragraphs[0]
    stops = footer.paragraph_format.tab_stops
    for inherited in (Cm(8.255), Cm(16.51)):  # the Footer style's 3.25" and 6.5" stops
        stops.add_tab_stop(inherited, WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(section.page_width - section.left_margin - section.right_margin,
                       WD_TAB_ALIGNMENT.RIGHT)
    lab = document.labels
    footer.add_run(f"{lab['version']} {document.version} · {lab['fingerprint']} "
                   f"{document.fingerprint}\t{lab['page']} ")
    _field(footer, "PAGE")
    footer.add_run(f" {lab['page_of']} ")
    _field(footer, "NUMPAGES")
    if document.draft and lab.get("draft_mark"):
        # A visible mark on every page: the header, in red capitals.
        head = section.header.paragraphs[0]
        head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        mark = head.add_run(lab["draft_mark"])
        mark.bold = True
        mark.font.size = Pt(14)
        mark.font.color.rgb = RGBColor.from_string("B00020")


# Word and LibreOffice pick spelling and hyphenation by a language *and* region.
_REGIONS = {"en": "en-GB", "el": "el-GR", "cs": "cs-CZ", "da": "da-DK", "et": "et-EE",
            "sv": "sv-SE", "sl": "sl-SI", "ga": "ga-IE", "no": "nb-NO", "uk": "uk-UA",
            "sq": "sq-AL", "sr": "sr-Cyrl-RS", "ca": "ca-ES", "eu": "eu-ES"}


def word_language(lang: str) -> str:
    """A language code as Word writes it: `de` -> `de-DE`, `en` -> `en-GB`."""
    return _REGIONS.get(lang, f"{lang}-{lang.upper()}")


def _dates(doc, day) -> None:
    """Created and modified: the edition's date (a release's, or the draft's), or none.

    python-docx's template would otherwise say 2013; a date of the day the file was
    written would make two renderings of the same edition differ.
    """
    import datetime as dt

    props = doc.core_properties
    if day is not None:
        moment = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        props.created = props.modified = moment
        return
    from docx.oxml.ns import qn

    for name in ("dcterms:created", "dcterms:modified"):
        for element in props._element.findall(qn(name)):
            props._element.remove(element)


def _language(doc, lang: str) -> None:
    """The document's language as the default of every style (python-docx says en-US)."""
    from docx.oxml.ns import qn

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    from docx.oxml import OxmlElement

    tag = OxmlElement("w:lang")
    tag.set(qn("w:val"), word_language(lang))
    tag.set(qn("w:eastAsia"), word_language(lang))
    tag.set(qn("w:bidi"), word_language(lang))
    rpr.append(tag)
    for style in doc.styles.element.findall(qn("w:style")):  # styles that set en-US
        srpr = style.find(qn("w:rPr"))
        if srpr is not None:
            for old in srpr.findall(qn("w:lang")):
                srpr.remove(old)


WIDTH = 17.4  # cm between the margins


class _Builder:
    """Walks the document tree and writes WordprocessingML.

    Paragraphs and tables are written as XML text and parsed once: python-docx's
    object API looks styles up and re-reads the table grid on every call, which
    takes minutes for a network with thousands of units.
    """

    def __init__(self, document: Document, sink: _Sink) -> None:
        self.document = document
        self.xml = sink
        self.lang: str | None = None  # the language of the passage being written
        # The XML of a paragraph or cell by (id(runs), how it is set): the parser hands
        # out one runs tuple per distinct text, and labels and values repeat thousands
        # of times. Only the tree's own tuples go in (alive while the document is
        # written, so an id names one), and no redline marks (each mark takes a
        # revision id of its own).
        self.written: dict[tuple, str] = {}

    def para(self, runs: Inline, style: str | None, italic: bool) -> str:
        """_p(runs, style=style, italic=italic), written once per tuple and setting."""
        if self.lang:  # the runs take the passage's language: written as they come
            return _p(self._in_lang(runs), style=style, italic=italic)
        key = (id(runs), style, italic)
        done = self.written.get(key)
        if done is None:
            done = _p(runs, style=style, italic=italic)
            if not _marked(runs):
                self.written[key] = done
        return done

    def cell(self, runs: Inline, width: float, *, shade: str | None = None,
             bold: bool = False, keep: bool = False, align: str | None = None) -> str:
        """_tc([runs], ...), written once per tuple and setting (outside a passage in
        another language, whose table() hands over runs made for it)."""
        if self.lang:
            return _tc([runs], width, shade=shade, bold=bold, keep=keep, align=align)
        key = (id(runs), width, shade, bold, keep, align)
        done = self.written.get(key)
        if done is None:
            done = _tc([runs], width, shade=shade, bold=bold, keep=keep, align=align)
            if not _marked(runs):
                self.written[key] = done
        return done

    def blocks(self, blocks, *, italic: bool = False) -> None:
        i = 0
        while i < len(blocks):
            block = blocks[i]
            if isinstance(block, Group) and block.kind == "signature":
                j = i
                while j < len(blocks) and isinstance(blocks[j], Group) \
                        and blocks[j].kind == "signature":
                    j += 1
                self.signatures(blocks[i:j])
                i = j
                continue
            self.block(block, italic=italic)
            i += 1

    def block(self, block, *, italic: bool) -> None:
        lang = getattr(block, "lang", None)
        if lang and lang != (self.lang or self.document.lang):
            # A passage in another language (the second of a bilingual document, a
            # text shown in a language it has): its runs are tagged with it, so that
            # Word and LibreOffice check and hyphenate it by that language.
            outer, self.lang = self.lang, lang
            try:
                self._block(block, italic=italic)
            finally:
                self.lang = outer
            return
        self._block(block, italic=italic)

    def _in_lang(self, runs: Inline) -> Inline:
        """Runs without a language of their own in the passage's language."""
        if not self.lang:
            return runs
        return tuple(r if r.lang else replace(r, lang=self.lang) for r in runs)

    def _block(self, block, *, italic: bool) -> None:
        if isinstance(block, Section):
            self.section(block, italic=italic)
        elif isinstance(block, Paragraph):
            self.xml.append(self.para(block.runs, None, italic))
        elif isinstance(block, ItemList):
            style = "ListNumber" if block.ordered else "ListBullet"
            para = self.para
            self.xml += [para(item.runs, style, italic) for item in block.items]
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Group):
            if block.kind == "bilingual":
                for i, child in enumerate(block.children):
                    self.blocks([child], italic=italic or i > 0)
            elif block.kind == "contents":
                self.contents()
            elif block.kind == "footer":
                self.xml += [_p(b.runs, italic=True, size=8) for b in block.children
                             if isinstance(b, Paragraph)]
            else:
                self.blocks(block.children, italic=italic)
        # a Rule needs no mark in Word: the footer paragraph is set apart by its size

    def section(self, section: Section, *, italic: bool) -> None:
        level = section.level
        style = "Title" if level == 1 else f"Heading{min(level - 1, 5)}"
        page_break = section.anchor in PAGE_BREAK_BEFORE
        self.xml.append(_p(self._in_lang(section.title), style=style,
                           page_break=page_break))
        rest = list(section.children)
        if level == 1:
            while rest and not isinstance(rest[0], Section) and not (
                    isinstance(rest[0], Group) and rest[0].kind == "contents"):
                self.block(rest.pop(0), italic=italic)
            doc, lab = self.document, self.document.labels
            self.xml.append(_p(_text(f"{lab['version']} {doc.version} · {lab['fingerprint']} "
                                     f"{doc.fingerprint}"), size=8.5))
        self.blocks(rest, italic=italic)

    def contents(self) -> None:
        """The contents page: the sections in order, then a page break."""
        title = self.document.labels.get("contents", "Contents")
        self.xml.append(_p(_text(title), size=13, space_before=12))
        self.xml += [_p(s.title, space_after=3) for s in contents(self.document)]
        self.xml.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    def reference(self) -> str:
        doc, lab = self.document, self.document.labels
        parts = [doc.title]
        if doc.file_code:
            parts.append(f"{lab['file_code']} {doc.file_code}")
        parts += [f"{lab['version']} {doc.version}", f"{lab['fingerprint']} {doc.fingerprint}"]
        return " · ".join(parts)

    def table(self, table: Table) -> None:
        cell = self.cell
        if self.lang:
            table = replace(table, header=None if table.header is None else [
                self._in_lang(h) for h in table.header], rows=[
                replace(row, cells=[self._in_lang(c) for c in row.cells])
                for row in table.rows])
        if table.header is None:
            widths = _widths(table, label=True)
            body = []
            for i, row in enumerate(table.rows):
                keep = i < len(table.rows) - 1  # short tables stay with their heading
                cells = [cell(row.cells[0] if row.cells else (), widths[0], shade=SOFT,
                              keep=keep)]
                cells += [cell(c, w, keep=keep) for c, w in zip(row.cells[1:], widths[1:],
                                                                strict=False)]
                body.append(_tr(cells, change=_row_change(row)))
        else:
            widths = _widths(table)
            body = [_tr([cell(h, w, shade=SOFT, bold=True, align=a)
                         for h, w, a in zip(table.header, widths, table.align, strict=False)],
                        header=True)]
            body += [_tr([cell(c, w, align=a)
                          for c, w, a in zip(row.cells, widths, table.align, strict=False)],
                         change=_row_change(row))
                     for row in table.rows]
        self.xml.append(_tbl(widths, body))
        self.xml.append(_p(()))

    def signatures(self, groups: list[Group]) -> None:
        """Signature blocks two side by side with aligned lines, a pair on one page.

        The first row (title, file code, version) is a header row: Word repeats it on
        every page the signatures take.
        """
        half = WIDTH / 2
        head = _tc_raw(_p(_text(self.reference()), italic=True, size=8.5, space_after=6),
                       WIDTH, span=2)
        rows = [_tr([head], header=True)]
        for start in range(0, len(groups), 2):
            forms = [signature_fields(g) for g in groups[start:start + 2]]
            # Two rows a pair: the organisations (kept with the next row), then every
            # other line in one row that never splits, so a pair stays on one page.
            # The lines have the same heights in both cells, so they align.
            tops = [_signature_line(f[0], True) if f else _p(()) for f in forms]
            bodies = ["".join(_signature_line(x, False) for x in f[1:]) or _p(())
                      for f in forms]
            if len(forms) == 1:
                tops.append(_p(()))
                bodies.append(_p(()))
            rows.append(_tr([_tc_raw(t, half) for t in tops]))
            rows.append(_tr([_tc_raw(b, half) for b in bodies]))
        self.xml.append(_tbl((half, half), rows, borders=False))


def _signature_line(field: Field | None, keep: bool) -> str:
    """One line of a signature block: the value on a rule, the label small below it."""
    if field is None:
        return _p((), keep=keep)
    if field.kind == "organisation":
        bold = tuple(replace(r, bold=True) for r in field.value)
        return _p(bold, keep=keep, space_before=10, space_after=2, border="top")
    height = {"signature": 2, "stamp": 4}.get(field.kind, 1)
    value = () if field.blank else field.value
    # In a redline a blank line and its label share the mark of the blank.
    change = _whole_change(field.value) if field.blank else None
    label = tuple(replace(r, change=change) for r in field.label) if change else field.label
    border = "box" if field.kind == "stamp" else "bottom"
    return (_p(value, keep=keep, space_before=6 if field.blank else 4, space_after=0,
               breaks=height if field.blank else 0, border=border)
            + _p(label, keep=keep, size=8, space_after=2))


PAGE_BREAK_BEFORE = frozenset({"section/signatures", "section/annex-units"})


def _widths(table: Table, *, label: bool = False) -> tuple[float, ...]:
    """Column widths in cm: each column fits its longest word; the rest goes by text length.

    A label/value table gives its labels 30 %.
    """
    columns = table.columns
    if label and columns == 2:
        return (5.2, WIDTH - 5.2)
    least, weights = [], []
    for c in range(columns):
        texts = [plain_text(t) for t in ([table.header[c]] if table.header else []) + [
            r.cells[c] for r in table.rows if c < len(r.cells)]]
        word = max((len(w) for t in texts for w in t.split()), default=1)
        least.append(min(word * CHAR_CM + CELL_PADDING_CM, 6.0))
        weights.append(max(min(max((len(t) for t in texts), default=1), 40), 4))
    spare = max(WIDTH - sum(least), 0.0)
    total = sum(weights)
    widths = [w + spare * k / total for w, k in zip(least, weights, strict=True)]
    scale = WIDTH / sum(widths)
    return tuple(round(w * scale, 2) for w in widths)


CHAR_CM = 0.19  # an average character of 9.5-10 pt Liberation Sans, bold headers included
CELL_PADDING_CM = 0.45


# -- helpers --------------------------------------------------------------------------


def _text(text: str) -> Inline:
    return (Run(text),)


def _field(paragraph, name: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, f" {name} "), ("separate", None),
                       (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text.strip() == name:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# The body is written as lxml serialises XML (the package's other parts are lxml's),
# so the bytes do not depend on which of the two wrote them: in text `&`, `<`, `>`
# and carriage returns are escaped, in attributes also `"`, tabs and line breaks;
# an empty element closes itself.
_TEXT = {"\r": "&#13;"}
_ATTRIBUTE = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def _x(text: str) -> str:
    """A value for a double-quoted attribute."""
    return xml_escape(text, _ATTRIBUTE)


def _xt(text: str) -> str:
    """Element text."""
    return xml_escape(text, _TEXT) if "\r" in text else xml_escape(text)


def _twips(cm: float) -> int:
    return round(cm * 567)


def _p(runs: Inline, *, style: str | None = None, italic: bool = False,
       size: float | None = None, page_break: bool = False, keep: bool = False,
       space_before: float | None = None, space_after: float | None = None,
       breaks: int = 0, align: str | None = None, border: str | None = None) -> str:
    """One paragraph of runs; line breaks in runs become Word line breaks."""
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    if keep:
        ppr += "<w:keepNext/>"
    if page_break:
        ppr += "<w:pageBreakBefore/>"
    if border:
        sides = ("top", "left", "bottom", "right") if border == "box" else (border,)
        color = ACCENT if border == "top" else "1D1D1F"
        width = 12 if border == "top" else 4  # eighths of a point
        ppr += "<w:pBdr>" + "".join(
            f'<w:{side} w:val="{"dashed" if border == "box" else "single"}" w:sz="{width}" '
            f'w:space="1" w:color="{color}"/>' for side in sides) + "</w:pBdr>"
    if space_before is not None or space_after is not None:
        attrs = "".join(f' w:{k}="{round(v * 20)}"' for k, v in
                        (("before", space_before), ("after", space_after)) if v is not None)
        ppr += f"<w:spacing{attrs}/>"
    if align in ("right", "center"):
        ppr += f'<w:jc w:val="{align}"/>'
    content = "".join(_r(run, italic=italic, size=size) for run in runs)
    if breaks:
        content += "<w:r>" + "<w:br/>" * breaks + "</w:r>"
    mark = _whole_change(runs)
    if mark:
        # The paragraph mark is inserted or deleted with the text: accepting or
        # rejecting the change leaves no empty paragraph behind.
        ppr += f"<w:rPr><w:{_TAG[mark]} {_revision()}/></w:rPr>"
    if any(r.change in ("move-from", "move-to") for r in runs):
        content = _move_range(runs, content)
    if not (ppr or content):
        return "<w:p/>"
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{content}</w:p>"


def _r(run: Run, *, italic: bool = False, size: float | None = None) -> str:
    """One run: bold, italic, size and language as run properties."""
    # CT_RPr order: b, i, noProof, sz, lang. A name is no word to spell-check.
    rpr = ("<w:b/>" if run.bold else "") + ("<w:i/>" if run.italic or italic else "") + (
        "<w:noProof/>" if run.name else "") + (
        f'<w:sz w:val="{round(size * 2)}"/>' if size else "") + (
        f'<w:lang w:val="{word_language(run.lang)}"/>' if run.lang else "")
    rpr = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    if run.line_break:
        xml = f"<w:r>{rpr}<w:br/></w:r>"
    else:
        text = "w:delText" if run.change in ("del", "move-from") else "w:t"
        xml = (f'<w:r>{rpr}<{text} xml:space="preserve">{_xt(run.text)}</{text}></w:r>'
               if run.text else f'<w:r>{rpr}<{text} xml:space="preserve"/></w:r>')
    if run.change:
        tag = _TAG[run.change]
        return f"<w:{tag} {_revision()}>{xml}</w:{tag}>"
    return xml


def _tc(paragraphs: list[Inline], width: float, *, shade: str | None = None,
        bold: bool = False, keep: bool = False, align: str | None = None) -> str:
    runs = [tuple(replace(r, bold=True) for r in p) if bold else p for p in paragraphs]
    return _tc_raw("".join(_p(p, keep=keep, space_after=0, align=align) for p in runs),
                   width, shade=shade)


def _tc_raw(content: str, width: float, *, shade: str | None = None, span: int = 1) -> str:
    fill = f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>' if shade else ""
    merge = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{_twips(width)}" w:type="dxa"/>{merge}{fill}</w:tcPr>'
            f"{content}</w:tc>")


def _tr(cells: list[str], *, header: bool = False, change: str | None = None) -> str:
    """A row that never splits across pages; a header row repeats on every page.

    `change`: the whole row inserted or deleted in a redline (Word's row revision).
    """
    trpr = '<w:cantSplit w:val="true"/>' + ('<w:tblHeader w:val="true"/>' if header else "")
    if change:
        trpr += f"<w:{'del' if change in ('del', 'move-from') else 'ins'} {_revision()}/>"
    return f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells)}</w:tr>"


# Revision marks of a redline (w:ins, w:del, w:moveFrom, w:moveTo): one id each,
# all with the redline's author and date (Document.revision).
_TAG = {"ins": "ins", "del": "del", "move-from": "moveFrom", "move-to": "moveTo"}
_REVISION: dict = {"next": 0, "author": "mouctl", "date": "1970-01-01T00:00:00Z"}


def _revision() -> str:
    _REVISION["next"] += 1
    return (f'w:id="{_REVISION["next"]}" w:author="{_x(_REVISION["author"])}" '
            f'w:date="{_x(_REVISION["date"])}"')


def _marked(runs: Inline) -> bool:
    """Whether any run carries a redline mark."""
    return any(r.change for r in runs)


def _whole_change(runs: Inline) -> str | None:
    """The one change mark all of a paragraph's text carries, if it has one."""
    kinds = {r.change for r in runs}
    return next(iter(kinds)) if len(kinds) == 1 and runs else None


def _row_change(row) -> str | None:
    """The one change mark all of a row's text carries, if it has one."""
    kinds = {r.change for cell in row.cells for r in cell}
    return kinds.pop() if len(kinds) == 1 else None


def _move_range(runs: Inline, content: str) -> str:
    """Word pairs a move's two halves by name: the moved text names it."""
    import hashlib

    moved = "".join(r.text for r in runs if r.change in ("move-from", "move-to"))
    name = "move" + hashlib.sha1(moved.encode()).hexdigest()[:8]
    kind = "moveFrom" if any(r.change == "move-from" for r in runs) else "moveTo"
    start = _revision()
    ident = start.split('"')[1]
    return (f'<w:{kind}RangeStart {start} w:name="{name}"/>{content}'
            f'<w:{kind}RangeEnd w:id="{ident}"/>')


def _tbl(widths: tuple[float, ...], rows: list[str], *, borders: bool = True) -> str:
    style = '<w:tblStyle w:val="TableGrid"/>' if borders else ""
    grid = "".join(f'<w:gridCol w:w="{_twips(w)}"/>' for w in widths)
    return (f'<w:tbl><w:tblPr>{style}<w:tblW w:w="{_twips(sum(widths))}" w:type="dxa"/>'
            f'<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="40" w:type="dxa"/>'
            f'<w:bottom w:w="40" w:type="dxa"/></w:tblCellMar>'
            f'<w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
            f"{''.join(rows)}</w:tbl>")


class _Sink:
    """Where the builder's XML goes: encoded and written out a megabyte at a time.

    The body of a large network is tens of megabytes of XML; held as text, parsed
    into python-docx's tree and serialised again it took several times that in
    memory (L: 371 MiB). Written straight into the zip entry, it is held once, in
    pieces. The builder writes exactly what lxml would serialise (double-quoted
    attributes, `&amp;`, `&lt;`, `&gt;` escaped), so the bytes are the same.
    """

    def __init__(self, out) -> None:
        self.out, self.buffer, self.size = out, [], 0

    def append(self, fragment: str) -> None:
        self.buffer.append(fragment)
        self.size += len(fragment)
        if self.size > 1 << 20:
            self.flush()

    def __iadd__(self, fragments) -> _Sink:
        for fragment in fragments:
            self.append(fragment)
        return self

    def flush(self) -> None:
        self.out.write("".join(self.buffer).encode("utf-8"))
        self.buffer, self.size = [], 0


def _default_font(doc, name: str) -> None:
    """The font of every script wherever a style names a theme font (the theme's fonts
    are the reader's, and may lack Greek or Cyrillic)."""
    from docx.oxml.ns import qn

    for fonts in doc.styles.element.iter(qn("w:rFonts")):
        if any(key.endswith(("Theme", "theme")) for key in fonts.attrib):
            fonts.attrib.clear()
            for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(attr), name)


def _font(style, name: str) -> None:
    """Set the font of a style, dropping the theme font that would override it."""
    from docx.oxml.ns import qn

    style.font.name = name
    fonts = style.element.rPr.rFonts
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    # Greek and Cyrillic are drawn with the ascii/hAnsi font; eastAsia and cs too, so
    # that no script falls back to a theme font without those glyphs.
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:cs"), name)


def _stable_zip(data: bytes, body) -> bytes:
    """The same zip with fixed timestamps and order, so equal documents are equal bytes,
    and `body(sink)` writing the document's body before its section properties."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            content = source.read(info.filename)
            if info.filename != _BODY_PART:
                target.writestr(fixed, content)
                continue
            at = content.rindex(b"<w:sectPr")
            with target.open(fixed, "w") as entry:
                entry.write(content[:at])
                sink = _Sink(entry)
                body(sink)
                sink.flush()
                entry.write(content[at:])
    return out.getvalue()


_BODY_PART = "word/document.xml"

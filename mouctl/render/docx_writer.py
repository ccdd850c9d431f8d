"""The MoU as a Word document, built with python-docx from the template context.

Partners sign in Word or on paper, so the document uses Word's own structure:
real headings (navigation pane, table of contents), tables whose rows never split
across pages and whose header rows repeat, a signature page of its own, and a
footer with the version, the data fingerprint and "Page X of Y" fields. The fixed
text comes from the template's `i18n/` files, like the Markdown and HTML.
The zip is written with fixed timestamps, so the same data gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape as xml_escape

from mouctl.render.context import LText

FONT = "Liberation Sans"
ACCENT = "1F3864"
SOFT = "EEF2F7"
RULE = "B8C0CC"


def write(prepared) -> bytes:
    """The .docx bytes of the prepared MoU."""
    from docx import Document

    ctx = prepared.context
    doc = Document()
    _setup(doc, ctx)
    builder = _Builder(ctx)
    builder.build()
    _append_body(doc, builder.xml)
    raw = io.BytesIO()
    doc.save(raw)
    return _stable_zip(raw.getvalue())


def _setup(doc, ctx) -> None:
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Cm, Pt, RGBColor

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    normal = doc.styles["Normal"]
    _font(normal, FONT)
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Title", 20), ("Heading 1", 13), ("Heading 2", 11), ("Heading 3", 10.5)):
        style = doc.styles[name]
        _font(style, FONT)
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor.from_string(ACCENT if name != "Heading 3" else "1D1D1F")
        style.paragraph_format.keep_with_next = True
    doc.core_properties.title = _plain(ctx["mou"].title)
    doc.core_properties.author = "mouctl"
    doc.core_properties.last_modified_by = "mouctl"
    doc.core_properties.comments = f"{ctx['version']} · {ctx['fingerprint']}"

    doc.styles["Footer"].font.size = Pt(7.5)
    _font(doc.styles["Footer"], FONT)
    footer = section.footer.paragraphs[0]
    stops = footer.paragraph_format.tab_stops
    for inherited in (Cm(8.255), Cm(16.51)):  # the Footer style's 3.25" and 6.5" stops
        stops.add_tab_stop(inherited, WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(section.page_width - section.left_margin - section.right_margin,
                       WD_TAB_ALIGNMENT.RIGHT)
    t = ctx["t"]
    footer.add_run(f"{_plain(t.version)} {ctx['version']} · {_plain(t.fingerprint)} "
                   f"{ctx['fingerprint']}\t{_plain(t.page)} ")
    _field(footer, "PAGE")
    footer.add_run(f" {_plain(t.page_of)} ")
    _field(footer, "NUMPAGES")


class _Builder:
    """Writes the MoU's sections, in the official order, as WordprocessingML.

    Paragraphs and tables are written as XML text and parsed once: python-docx's
    object API looks styles up and re-reads the table grid on every call, which
    takes minutes for a network with thousands of units.
    """

    def __init__(self, ctx: dict) -> None:
        self.ctx = ctx
        self.mou, self.t, self.tr = ctx["mou"], ctx["t"], ctx["tr"]
        self.xml: list[str] = []

    def build(self) -> None:
        for part in (self.title, self.objectives, self.partners, self.covered,
                     self.qualifications, self.units, self.arrangements, self.validity,
                     self.review, self.signatures, self.additional, self.annexes):
            part()
        self.para(self.tr("rendered_from", version=self.ctx["version"],
                          fingerprint=self.ctx["fingerprint"]), italic=True, size=8)

    # -- building blocks --------------------------------------------------------
    def heading(self, text, level: int, *, page_break: bool = False) -> None:
        style = "Title" if level == 0 else f"Heading{level}"
        self.xml.append(_p(_inline(text), style=style, page_break=page_break))

    def para(self, text, *, italic: bool = False, bold: bool = False,
             size: float | None = None) -> None:
        self.xml.append(_p(_inline(text), italic=italic, bold=bold, size=size))

    def colon(self, label) -> str:
        """A label and its colon, spaced as each rendered language spaces it."""
        return _inline(self.ctx["colon"](label))

    def prose(self, value) -> None:
        """Each language as its own paragraph(s); the second in italics."""
        if value is None:
            return
        versions = value.versions if isinstance(value, LText) else (("", str(value)),)
        for i, (_, text) in enumerate(versions):
            for block in [b.strip() for b in text.split("\n\n") if b.strip()]:
                self.para(block, italic=bool(i))

    def bullets(self, items) -> None:
        for item in items:
            self.xml.append(_p(_inline(item), style="ListBullet"))

    def fields(self, rows: list[tuple[object, object]]) -> None:
        """A two-column label/value table (rows with no value are left out).

        Short tables stay on one page with their heading (keep-with-next).
        """
        rows = [(label, value) for label, value in rows if value not in (None, "", [])]
        widths = (5.2, 12.2)
        body = []
        for i, (label, value) in enumerate(rows):
            keep = i < len(rows) - 1
            body.append(_tr([_tc(_lines(label), widths[0], shade=SOFT, keep=keep),
                             _tc(_lines(value), widths[1], keep=keep)]))
        self.xml.append(_tbl(widths, body))
        self.xml.append(_p(""))

    def grid(self, header: list, rows: list[list], widths: tuple[float, ...]) -> None:
        """A table with a repeated, shaded header row; `widths` in cm (17.4 in all)."""
        body = [_tr([_tc(_lines(h), w, shade=SOFT, bold=True)
                     for h, w in zip(header, widths, strict=True)], header=True)]
        for row in rows:
            body.append(_tr([_tc(_lines(v), w) for v, w in zip(row, widths, strict=True)]))
        self.xml.append(_tbl(widths, body))
        self.xml.append(_p(""))

    # -- sections ---------------------------------------------------------------
    def title(self) -> None:
        mou, t = self.mou, self.t
        self.heading(mou.title, 0)
        if _plain(t.document) not in _plain(mou.title):
            self.para(t.document, size=12)
        self.fields([(t.file_code, mou.file_code), (t.version, self.ctx["version"]),
                     (t.fingerprint, self.ctx["fingerprint"])])
        if len(mou.languages) > 1:
            self.prose(self.tr("languages_note", languages=self.ctx["language_names"],
                               first=self.ctx["first_language"]))
        if self.ctx["translation_note"]:
            self.prose(self.ctx["translation_note"])

    def objectives(self) -> None:
        self.heading(f"1. {_inline(self.t.sections.objectives)}", 1)
        self.prose(self.t.objectives_standard)
        if self.mou.objectives:
            self.para(self.colon(self.t.objectives_other))
            self.bullets(self.mou.objectives)

    def partners(self) -> None:
        t, lab = self.t, self.t.labels
        self.heading(f"2. {_inline(t.sections.partners)}", 1)
        self.para(t.partners_intro)
        for p in self.mou.partners:
            name = _inline(p.name) + (f" ({p.short_name})" if p.short_name else "")
            self.heading(f"2.{p.number} {name}", 2)
            self.fields([
                (lab.country, p.country_name), (lab.address, p.address or p.city),
                (lab.phone, p.phone), (lab.email, p.email), (lab.website, p.website),
                (lab.oid, p.oid), (lab.pic, p.pic), (lab.roles, p.role_text),
                (lab.contact, _person(p.contact, contact=True)),
                (lab.signatory, _person(p.signatory)),
            ])

    def covered(self) -> None:
        t, lab = self.t, self.t.labels
        self.heading(f"3. {_inline(t.sections.covered)}", 1)
        if not self.mou.covered_organisations:
            self.para(t.covered_none)
            return
        self.para(t.covered_intro)
        self.grid([lab.organisation, lab.country, lab.description, t.covered_by], [
            [_inline(c.name) + (f", {c.city}" if c.city else ""), c.country_name,
             c.description, c.covered_by.label if c.covered_by else ""]
            for c in self.mou.covered_organisations], (5.5, 2.6, 5.3, 4.0))

    def qualifications(self) -> None:
        t, lab = self.t, self.t.labels
        self.heading(f"4. {_inline(t.sections.qualifications)}", 1)
        if not self.mou.qualifications:
            self.para(t.qualifications_none)
            return
        self.grid([lab.qualification, lab.country, lab.awarding_institution, lab.eqf_level,
                   lab.nqf_level, lab.ecvet_points], [
            [q.title, q.country_name, q.awarding.label if q.awarding else "", q.eqf_level,
             q.nqf_level, q.ecvet_points] for q in self.mou.qualifications],
            (5.2, 2.4, 3.4, 2.0, 2.0, 2.4))

    def units(self) -> None:
        t, lab = self.t, self.t.labels
        self.heading(f"5. {_inline(t.sections.units)}", 1)
        if not self.mou.units:
            self.para(t.units_none)
            return
        hours = any(u.hours for u in self.mou.units)
        header = ["", lab.unit, lab.qualification, lab.ecvet_points] + (
            [lab.hours] if hours else []) + [lab.hosts]
        self.grid(header, [
            [u.number, u.title, u.qualification.title, u.ecvet_points]
            + ([u.hours] if hours else []) + [", ".join(_inline(h.label) for h in u.hosts)]
            for u in self.mou.units],
            (1.2, 4.8, 4.0, 1.9, 1.5, 4.0) if hours else (1.2, 5.4, 4.4, 2.0, 4.4))
        self.para(t.units_intro)

    def arrangements(self) -> None:
        t, a, d = self.t, self.mou.arrangements, self.mou.mobility_duration
        self.heading(f"6. {_inline(t.sections.arrangements)}", 1)
        shown = False
        for key in ("assessment", "documentation", "validation", "recognition",
                    "quality_assurance"):
            if getattr(a, key):
                self.heading(getattr(t.arrangements, key), 3)
                self.prose(getattr(a, key))
                shown = True
        if d and (d.min_weeks or d.max_weeks):
            self.heading(t.arrangements.mobility_duration, 3)
            if d.min_weeks and d.max_weeks:
                self.prose(self.tr("mobility.range", min=d.min_weeks, max=d.max_weeks))
            elif d.min_weeks:
                self.prose(self.tr("mobility.min", min=d.min_weeks))
            else:
                self.prose(self.tr("mobility.max", max=d.max_weeks))
            shown = True
        if not shown:
            self.prose(t.arrangements.none)

    def validity(self) -> None:
        mou = self.mou
        self.heading(f"7. {_inline(self.t.sections.validity)}", 1)
        if mou.valid_from and mou.valid_until:
            self.prose(self.tr("validity.range", start=mou.valid_from, end=mou.valid_until))
        elif mou.valid_until:
            self.prose(self.tr("validity.until", end=mou.valid_until))
        elif mou.valid_from:
            self.prose(self.tr("validity.open_from", start=mou.valid_from))
        else:
            self.prose(self.t.validity.open)

    def review(self) -> None:
        t, r = self.t, self.mou.review
        self.heading(f"8. {_inline(t.sections.review)}", 1)
        if r is None:
            self.prose(t.review.none)
            return
        if r.reviewers:
            self.para(f"{self.colon(t.review.reviewers)} "
                      f"{', '.join(_inline(p.label) for p in r.reviewers)}.")
        if r.frequency:
            self.para(f"{self.colon(t.review.frequency)} {_inline(r.frequency)}")
        if r.by:
            self.prose(self.tr("review.by", date=r.by))
        self.prose(r.procedure)

    def signatures(self) -> None:
        """One block per signing partner, two per row, on a page of their own."""
        t, lab, mou = self.t, self.t.labels, self.mou
        self.heading(f"9. {_inline(t.sections.signatures)}", 1, page_break=True)
        ref = _inline(mou.title) + (f" · {_inline(t.file_code)} {mou.file_code}"
                                    if mou.file_code else "")
        self.para(f"{ref} · {_inline(t.version)} {self.ctx['version']} · "
                  f"{_inline(t.fingerprint)} {self.ctx['fingerprint']}", italic=True, size=8.5)
        self.para(t.signatures_intro)
        widths = (8.7, 8.7)
        blocks = []
        for i, p in enumerate(mou.partners):
            paras = [_p(_inline(p.name), bold=True, space_before=20 if i >= 2 else None),
                     _p(_inline(p.country_name))]
            if p.signatory:
                paras.append(_p(_person(p.signatory)))
            for label in (_inline(lab.place_date), _inline(lab.signature)):
                paras.append(_p("", space_after=0, breaks=2) + _p("_" * 38, space_after=0))
                paras.append(_p(label, size=8))
            blocks.append(_tc_raw("".join(paras), widths[0]))
        if len(blocks) % 2:
            blocks.append(_tc_raw(_p(""), widths[1]))
        rows = [_tr(blocks[i:i + 2], borders=False) for i in range(0, len(blocks), 2)]
        self.xml.append(_tbl(widths, rows, borders=False))

    def additional(self) -> None:
        self.heading(f"10. {_inline(self.t.sections.additional)}", 1, page_break=True)
        if self.mou.additional_information:
            self.prose(self.mou.additional_information)
        else:
            self.para(self.t.additional_none)

    def annexes(self) -> None:
        t, lab, mou = self.t, self.t.labels, self.mou
        profiles = [q for q in mou.qualifications if q.description or q.register_url]
        self.heading(f"11. {_inline(t.sections.annexes)}", 1)
        if not (mou.units or profiles):
            self.para(t.annexes_none)
            return
        self.para(self.colon(t.annexes_list))
        self.bullets(([t.annex_units] if mou.units else [])
                     + ([t.annex_qualifications] if profiles else []))
        if mou.units:
            self.heading(t.annex_units, 1, page_break=True)
            for u in mou.units:
                self.heading(f"{u.number} {_inline(u.title)}", 2)
                self.fields([
                    (lab.qualification, u.qualification.title),
                    (lab.ecvet_points, u.ecvet_points), (lab.hours, u.hours),
                    (lab.eqf_level, u.eqf_level), (lab.validity, u.validity),
                    (lab.hosts, ", ".join(_inline(h.label) for h in u.hosts)),
                    (lab.knowledge, u.knowledge), (lab.skills, u.skills),
                    (lab.competence, u.competence), (lab.methods, u.methods),
                    (lab.criteria, u.criteria),
                    (lab.assessed_by, ", ".join(_inline(h.label) for h in u.assessed_by)),
                ])
                self.prose(u.description)
        if profiles:
            self.heading(t.annex_qualifications, 1)
            for q in profiles:
                self.heading(q.title, 2)
                self.prose(q.description)
                if q.register_url:
                    self.para(f"{self.colon(lab.register)} {q.register_url}")


# -- helpers --------------------------------------------------------------------------


def _inline(value) -> str:
    """A text for one line: every rendered language, joined with ' / '."""
    if value is None:
        return ""
    if isinstance(value, LText) and len(value.versions) > 1:
        return " / ".join(text for _, text in value.versions)
    return _plain(value)


def _plain(value) -> str:
    return str.__str__(value) if isinstance(value, str) else str(value)


def _person(person, *, contact: bool = False) -> str | None:
    if person is None:
        return None
    parts = [person.name + (f", {person.position}" if person.position else "")]
    if contact:
        parts += [x for x in (person.email, person.phone) if x]
    return "\n".join(parts)


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


def _x(text: str) -> str:
    return xml_escape(text, {'"': "&quot;"})


def _twips(cm: float) -> int:
    return round(cm * 567)


def _p(text: str, *, style: str | None = None, italic: bool = False, bold: bool = False,
       size: float | None = None, page_break: bool = False, keep: bool = False,
       space_before: float | None = None, space_after: float | None = None,
       breaks: int = 0) -> str:
    """One paragraph; line breaks in `text` become Word line breaks."""
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    if keep:
        ppr += "<w:keepNext/>"
    if page_break:
        ppr += "<w:pageBreakBefore/>"
    if space_before is not None or space_after is not None:
        attrs = "".join(f' w:{k}="{round(v * 20)}"' for k, v in
                        (("before", space_before), ("after", space_after)) if v is not None)
        ppr += f"<w:spacing{attrs}/>"
    rpr = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "") + (
        f'<w:sz w:val="{round(size * 2)}"/>' if size else "")
    rpr = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    parts = text.split("\n")
    content = "<w:br/>".join(f'<w:t xml:space="preserve">{_x(part)}</w:t>' for part in parts)
    content += "<w:br/>" * breaks
    run = f"<w:r>{rpr}{content}</w:r>" if text or breaks else ""
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{run}</w:p>"


def _lines(value) -> list[str]:
    """A cell's paragraphs: a list gives one bulleted paragraph per item."""
    if value is None:
        return [""]
    if isinstance(value, list):
        return [f"• {_inline(item)}" for item in value] or [""]
    return [_inline(value) if not isinstance(value, int | float) else str(value)]


def _tc(lines: list[str], width: float, *, shade: str | None = None, bold: bool = False,
        keep: bool = False) -> str:
    return _tc_raw("".join(_p(line, bold=bold, keep=keep, space_after=0) for line in lines),
                   width, shade=shade)


def _tc_raw(content: str, width: float, *, shade: str | None = None) -> str:
    fill = f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>' if shade else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{_twips(width)}" w:type="dxa"/>{fill}</w:tcPr>'
            f"{content}</w:tc>")


def _tr(cells: list[str], *, header: bool = False, borders: bool = True) -> str:
    """A row that never splits across pages; a header row repeats on every page."""
    trpr = '<w:cantSplit w:val="true"/>' + ('<w:tblHeader w:val="true"/>' if header else "")
    return f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells)}</w:tr>"


def _tbl(widths: tuple[float, ...], rows: list[str], *, borders: bool = True) -> str:
    style = '<w:tblStyle w:val="TableGrid"/>' if borders else ""
    grid = "".join(f'<w:gridCol w:w="{_twips(w)}"/>' for w in widths)
    return (f'<w:tbl><w:tblPr>{style}<w:tblW w:w="{_twips(sum(widths))}" w:type="dxa"/>'
            f'<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="40" w:type="dxa"/>'
            f'<w:bottom w:w="40" w:type="dxa"/></w:tblCellMar>'
            f'<w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
            f"{''.join(rows)}</w:tbl>")


def _append_body(doc, fragments: list[str]) -> None:
    """Put the fragments before the section properties, parsing the document once.

    Moving parsed elements into python-docx's tree node by node costs lxml a
    namespace walk each (minutes for thousands of units); text in, one parse, is linear.
    """
    from docx.oxml import parse_xml
    from lxml import etree

    text = etree.tostring(doc.part.element, encoding="unicode")
    at = text.rindex("<w:sectPr")
    doc.part._element = parse_xml(text[:at] + "".join(fragments) + text[at:])


def _font(style, name: str) -> None:
    """Set the font of a style, dropping the theme font that would override it."""
    from docx.oxml.ns import qn

    style.font.name = name
    fonts = style.element.rPr.rFonts
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:cs"), name)


def _stable_zip(data: bytes) -> bytes:
    """The same zip with fixed timestamps and order, so equal documents are equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()

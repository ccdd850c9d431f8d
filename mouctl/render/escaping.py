"""Data -> literal text in each output format; data is never markup.

A partner called `<script>` or `A | B *Ltd*` must print as written, in a Markdown
table as in HTML. Templates write markup; every value from the data passes through
the escaper of the format (Jinja's `finalize`), and helpers that build markup
from data return values marked safe (`Markdown` or markupsafe's `Markup`).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from mouctl.render.context import NAME_CLOSE, NAME_LANG, NAME_OPEN, LText


class Markdown(str):
    """Markdown text that is already safe (built by a helper, not taken from data)."""


# Characters with inline meaning anywhere in CommonMark/GFM (tables: `|`): see
# _INLINE_TABLE below.
# `_` inside a word (snake_case, URLs) cannot open emphasis; escape it elsewhere.
_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# Characters that start a block only at the beginning of a line.
_BLOCK_START = re.compile(r"^(\s*)([-+]|#{1,6}|=+\s*$)(?=\s|$)")
_ORDERED = re.compile(r"^(\s*\d{1,9})([.)])(?=\s|$)")
_ENTITY = re.compile(r"&(?=#?\w+;)")
BLOCK_CHARS = frozenset("-+#=0123456789")  # markup.py reads data so too


_INLINE_TABLE = str.maketrans({ch: "\\" + ch for ch in "\\`*[]<>|~"})


def md_inline(text: str) -> str:
    """Text as literal inline Markdown, where no block can start (inside a line, a cell)."""
    # str.translate and the guards keep this linear and cheap: large networks have
    # hundreds of thousands of values.
    text = text.translate(_INLINE_TABLE)
    if "_" in text:
        text = _UNDERSCORE.sub(r"\\_", text)
    if "&" in text:
        text = _ENTITY.sub(r"\\&", text)
    return text


def md_line(text: str) -> str:
    """One line of data as literal Markdown (safe in paragraphs, lists and table cells)."""
    text = md_inline(text).strip()
    if text[:1] in BLOCK_CHARS:
        text = _BLOCK_START.sub(r"\1\\\2", text)
        text = _ORDERED.sub(r"\1\\\2", text)
    return text


# Anything md() would change: text without it (most values) is its own Markdown.
_PLAIN = re.compile(r"[^\\`*\[\]<>|~_&\n\r]*")


def md(text: str) -> str:
    """Data as literal inline Markdown; line breaks become `<br>` so tables hold."""
    if _PLAIN.fullmatch(text) and not (
            text[:1] in BLOCK_CHARS or text[:1].isspace() or text[-1:].isspace()):
        return text  # one C-level scan instead of five passes (L: 86,000 values)
    if "\n" not in text and "\r" not in text:
        return md_line(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join(md_line(line) for line in lines)


_NAME = re.compile(f"{NAME_OPEN}(.*?)(?:{NAME_LANG}([A-Za-z-]+))?{NAME_CLOSE}", re.S)
_NAME_MARKS = re.compile(f"[{NAME_OPEN}{NAME_CLOSE}]|{NAME_LANG}[A-Za-z-]*")


def _names(text: str, open_tag: str) -> str:
    """Escaped text with its name marks as spans (`open_tag` formatted with the attrs)."""
    if NAME_OPEN not in text:
        return text
    return _NAME.sub(lambda m: open_tag.format(
        f' lang="{m.group(2)}"' if m.group(2) else "") + m.group(1) + "</span>", text)


def md_text(text: str, lang: str | None = None) -> str:
    """Data as Markdown with its names marked; in a `<span lang>` when `lang` is given."""
    out = _names(md(text), '<span class="name"{}>')
    return f'<span lang="{lang}">{out}</span>' if lang else out


def _source(value: LText, lang: str) -> str | None:
    source = value.source(lang)
    return source if source != lang else None


def md_finalize(value: object) -> object:
    """Jinja `finalize` for Markdown: escape every value from the data.

    A text shown in another language than the passage's (the data lacks it in the
    rendered one) is tagged with its own; names are marked as names.
    """
    kind = type(value)  # the exact types first: this runs for every {{ }} (L: 120,000)
    if kind is Markdown:
        return value
    if kind is LText:
        return _ltext_markdown(value)
    if kind is str:
        return Markdown(md_text(value))
    if value is None:
        return ""
    if isinstance(value, Markdown):
        return value
    if isinstance(value, LText):
        return _ltext_markdown(value)
    if isinstance(value, str):
        return Markdown(md_text(value))
    return value


def _ltext_markdown(value: LText) -> Markdown:
    """An LText as Markdown, escaped once and kept on the text (fixed texts such as
    table labels are printed thousands of times)."""
    done = value.__dict__.get("_markdown")
    if done is None:
        (lang, text), *others = value.versions or (("", ""),)
        done = md_text(text, _source(value, lang) if value.sources else None)
        if others:
            done += "".join(
                f' <span class="alt" lang="{value.source(other)}">/ {md_text(alt)}</span>'
                for other, alt in others)
        done = value.__dict__["_markdown"] = Markdown(done)
    return done


def md_prose(value: object) -> Markdown:
    """A text as paragraphs; in two languages, a `bilingual` group of `language` groups.

    The writers lay the group out (side by side in HTML, the second language in
    italics after the first in Markdown and Word).
    """
    if value is None:
        return Markdown("")
    versions = value.versions if isinstance(value, LText) else (("", str(value)),)
    if len(versions) == 1:
        lang, text = versions[0]
        body = "\n\n".join(md_text(p) for p in _paragraphs(text))
        source = _source(value, lang) if isinstance(value, LText) else None
        if source:  # a passage in another language than the document's
            return Markdown(f"<!-- group language lang={source} -->\n\n{body}\n\n"
                            "<!-- end language -->")
        return Markdown(body)
    parts = ["<!-- group bilingual -->"]
    for lang, text in versions:
        parts.append(f"<!-- group language lang={value.source(lang)} -->")
        parts += [md_text(p) for p in _paragraphs(text)]
        parts.append("<!-- end language -->")
    parts.append("<!-- end bilingual -->")
    return Markdown("\n\n".join(parts))


BLANK = "..................................................."
"""A blank to fill in by hand (five dots or more end a blank; see markup.py)."""

_ANCHOR_PART = re.compile(r"[^A-Za-z0-9._-]")


def anchor(*parts: object) -> Markdown:
    """A marker giving the next block (or the row, item or heading it is in) an anchor.

    `anchor("partner", p.id)` -> `<!-- anchor partner/bsh -->`; see markup.py.
    """
    return Markdown(f"<!-- anchor {anchor_path(parts)} -->")


def begin(kind: object, *parts: object) -> Markdown:
    """Opens a group of blocks (`begin("signature", "signature", p.id)`), closed by end()."""
    where = f" anchor={anchor_path(parts)}" if parts else ""
    return Markdown(f"<!-- group {_ANCHOR_PART.sub('_', str(kind))}{where} -->")


def end(kind: object = "") -> Markdown:
    """Closes the group opened last."""
    return Markdown(f"<!-- end {_ANCHOR_PART.sub('_', str(kind))} -->".replace("  ", " "))


def anchor_path(parts: tuple[object, ...]) -> str:
    """The path `anchor(*parts)` writes: `("partner", "bs hafen")` -> `partner/bs_hafen`."""
    out = []
    for part in parts:
        done = _ANCHOR_PARTS.get(part)
        if done is None:
            if len(_ANCHOR_PARTS) > 50_000:  # a bound for long-running processes
                _ANCHOR_PARTS.clear()
            done = _ANCHOR_PARTS[part] = _ANCHOR_PART.sub("_", str(part))
        out.append(done)
    return "/".join(out) or "_"


# Each anchor part as it was made safe: ids and words repeat in every anchor (L: 200,000
# parts in 30,000 anchors).
_ANCHOR_PARTS: dict[object, str] = {}


def html_text(text: str) -> Markup:
    """Data as literal HTML; line breaks kept as `<br>`."""
    if "\n" not in text and "\r" not in text:
        return escape(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return Markup("<br>\n").join(escape(line) for line in lines)


def html_finalize(value: object) -> object:
    """Jinja `finalize` for HTML: other languages follow in a marked span."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if isinstance(value, LText) and len(value.versions) > 1:
        first, *others = value.versions
        out = html_text(first[1])
        for lang, text in others:
            out += Markup(' <span class="alt" lang="{}">/ {}</span>').format(
                lang, html_text(text))
        return out
    if isinstance(value, str):
        return html_text(value)
    return value


def html_prose(value: object) -> Markup:
    """A text as paragraphs; in two languages, two columns side by side."""
    if value is None:
        return Markup("")
    versions = value.versions if isinstance(value, LText) else (("", str(value)),)
    columns = []
    for lang, text in versions:
        paras = Markup("").join(Markup("<p>{}</p>").format(html_text(p))
                                for p in _paragraphs(text))
        attr = Markup(' lang="{}"').format(lang) if lang else Markup("")
        columns.append(Markup("<div{}>{}</div>").format(attr, paras))
    if len(columns) == 1:
        return Markup("").join(
            Markup("<p>{}</p>").format(html_text(p)) for p in _paragraphs(versions[0][1]))
    return Markup('<div class="bilingual">{}</div>').format(Markup("").join(columns))


def _paragraphs(text: str) -> list[str]:
    parts = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return [p.strip() for p in parts if p.strip()]


def plain(value: object) -> str:
    """A text in the first language only, as a plain string (for <title>, CSS)."""
    if value is None:
        return ""
    text = str.__str__(value) if isinstance(value, str) else str(value)
    return _NAME_MARKS.sub("", text) if NAME_OPEN in text else text


_CSS_SAFE = re.compile(r"[\w .,:;()/·+#@-]")


def css_string(value: object) -> Markup:
    """A quoted CSS string, safe inside <style>: other characters as CSS escapes."""
    text = plain(value)
    out = "".join(ch if _CSS_SAFE.fullmatch(ch) else f"\\{ord(ch):x} " for ch in text)
    return Markup(f'"{out}"')


_COMMENT = re.compile(r"<!--.*?(-->|\Z)", re.S)
_HEADING = re.compile(r"^(#{1,6})(?=\s)", re.M)


def annex_markdown(text: str, top: int = 3) -> Markdown:
    """An annex file's own Markdown, printed under the annex's heading.

    Its headings move down so that its highest one sits at level `top` (inside the
    annex, not beside it), and HTML comments are dropped: they could carry the
    template's block markers (anchors, groups) and re-shape the document.
    """
    text = _COMMENT.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    levels = [len(m.group(1)) for m in _HEADING.finditer(text)]
    shift = max(0, top - min(levels)) if levels else 0
    if shift:
        text = _HEADING.sub(lambda m: "#" * min(6, len(m.group(1)) + shift), text)
    return Markdown(text.strip())

"""The Markdown and HTML writers' fast paths give what the general path gives.

The writers write each runs tuple once (memos keyed by the tuple's identity) and
skip escaping for texts without special characters; these tests hold them to the
general path on random document trees and texts.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from mouctl.render import html_writer, md_writer
from mouctl.render.document import (
    Document,
    Group,
    Item,
    ItemList,
    Paragraph,
    Row,
    Rule,
    Run,
    Section,
    Table,
)
from mouctl.render.escaping import md_inline
from tests.strategies import ANY_CHAR

# Texts made mostly of what means something in Markdown or HTML, at line starts too.
_MARKUP_TEXT = st.text(st.sampled_from(list("ab 1.-+*#>=_&<>|~`[]\\'\"\n")) | ANY_CHAR,
                       max_size=12)
_MAYBE = st.none() | st.sampled_from(["x", "y/1", "a&b", 'q"'])


@st.composite
def _runs(draw) -> tuple[Run, ...]:
    runs = []
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.integers(0, 9)) == 0:
            runs.append(Run("", line_break=True))
            continue
        runs.append(Run(draw(_MARKUP_TEXT), bold=draw(st.booleans()),
                        italic=draw(st.booleans()), code=draw(st.integers(0, 5)) == 0,
                        href=draw(st.none() | st.just("https://e.u/?a=1&b=<2>")),
                        lang=draw(st.none() | st.sampled_from(["de", "fi"])),
                        change=draw(st.none() | st.sampled_from(["ins", "del", "move-to"])),
                        name=draw(st.booleans()), alt=draw(st.booleans())))
    # Plain single runs are the writers' commonest case (and their fast path).
    if draw(st.booleans()):
        return (Run(draw(_MARKUP_TEXT)),)
    return tuple(runs)


@st.composite
def _documents(draw) -> Document:
    """A document whose runs tuples repeat (drawn from a small pool), as the parser's do."""
    pool = draw(st.lists(_runs(), min_size=1, max_size=4))
    runs = st.sampled_from(pool)

    def blocks(depth: int) -> list:
        out = []
        for _ in range(draw(st.integers(0, 4))):
            kind = draw(st.sampled_from(
                ["p", "list", "table", "fields", "rule", "group", "bilingual", "section"]
                if depth < 2 else ["p", "list", "table", "fields"]))
            anchor, lang = draw(_MAYBE), draw(st.none() | st.just("de"))
            if kind == "p":
                out.append(Paragraph(draw(runs), anchor, lang))
            elif kind == "list":
                items = [Item(draw(runs), draw(_MAYBE), draw(st.none() | st.just("fi")))
                         for _ in range(draw(st.integers(0, 3)))]
                out.append(ItemList(items, draw(st.booleans()), anchor, lang))
            elif kind in ("table", "fields"):
                width = draw(st.integers(1, 3))
                # A label/value table has rows (the parser makes no empty one).
                rows = [Row([draw(runs) for _ in range(width)], draw(_MAYBE))
                        for _ in range(draw(st.integers(kind == "fields", 3)))]
                header = [draw(runs) for _ in range(width)] if kind == "table" else None
                align = [draw(st.sampled_from([None, "left", "right", "center"]))
                         for _ in range(width)]
                out.append(Table(header, rows, align, anchor, lang))
            elif kind == "rule":
                out.append(Rule())
            elif kind in ("group", "bilingual"):
                name = kind if kind == "bilingual" else draw(
                    st.sampled_from(["language", "footer", "signature"]))
                out.append(Group(name, blocks(depth + 1), anchor, lang))
            else:
                out.append(Section(draw(st.integers(2, 4)), draw(runs), blocks(depth + 1),
                                   draw(st.none() | st.just("section/x") | st.just("unit/u1")),
                                   lang))
        return out

    body = [Group("contents", []), *blocks(0)]
    return Document([Section(1, draw(runs), body)], "en", ["en"], "T", "1.0", "abc123",
                    labels={"version": "Version", "fingerprint": "Data", "page": "Page",
                            "page_of": "of", "file_code": "File", "contents": "Contents"})


def _unshared(node):
    """A copy of a tree in which no runs tuple is shared (every memo misses)."""
    if isinstance(node, tuple):
        return tuple(list(node))  # a new tuple object, same runs
    if isinstance(node, list):
        return [_unshared(n) for n in node]
    if isinstance(node, Document | Paragraph | Item | ItemList | Row | Table | Rule | Group
                  | Section):
        kind = type(node)
        return kind(**{name: _unshared(getattr(node, name)) for name in kind.__slots__})
    return node


@settings(max_examples=150, deadline=None)
@given(_documents())
def test_memos_never_mix_up_texts(document):
    copy = _unshared(document)
    assert md_writer.write(document) == md_writer.write(copy)
    assert html_writer.write(document, "") == html_writer.write(copy, "")


@given(_MARKUP_TEXT | st.text(ANY_CHAR))
def test_escape_fast_paths_equal_the_escapers(text):
    assert md_writer._escape(text) == md_inline(text)
    assert html_writer._escape(text) == str(escape(text))


@given(_MARKUP_TEXT)
def test_a_plain_run_is_written_as_the_general_path_writes_it(text):
    # An empty run after it merges into it (Markdown) or adds nothing (HTML), but takes
    # the general path.
    alone, padded = (Run(text),), (Run(text), Run(""))
    assert md_writer.inline(alone) == md_writer.inline(padded)
    assert html_writer.inline(alone) == html_writer.inline(padded)


def _document(*blocks) -> Document:
    return Document([Section(1, (Run("T"),), list(blocks))], "en", ["en"], "T", "1", "f",
                    labels={"version": "V", "fingerprint": "F", "page": "P", "page_of": "of"})


_HELLO = (Run("hello"),)


@settings(max_examples=60, deadline=None)
@given(_documents())
# A text written in the document's language, then in another (Word tags its runs).
@example(_document(Paragraph(_HELLO), Paragraph(_HELLO, lang="de")))
@example(_document(Table(None, [Row([_HELLO, _HELLO])]),
                   Group("language", [Table(None, [Row([_HELLO, _HELLO])])], lang="de")))
def test_word_memo_never_mixes_up_texts(document):
    from mouctl.render import docx_writer

    assert docx_writer.write(document) == docx_writer.write(_unshared(document))

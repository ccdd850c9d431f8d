"""The inline reader's shortcut (`markup._spans`) reads what escaping writes exactly as
markdown-it does: plain text, backslash escapes, name and language spans, line breaks."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mouctl.render import markup
from mouctl.render.context import LText, as_name
from mouctl.render.escaping import md_finalize, md_text
from tests.strategies import any_text, raw_text
from tests.test_properties import fast

LANGS = st.sampled_from(["en", "de", "fr", "el", "pt-BR"])


def read_by_markdown_it(text: str):
    return markup._InlineParser()._parse(text)


def assert_read_alike(text: str) -> None:
    text = text.strip()
    if not text:
        return
    shortcut = markup._spans(text)
    if shortcut is not None:
        assert shortcut == read_by_markdown_it(text), text


@st.composite
def escaped_texts(draw) -> str:
    """Markdown as the template's escaping writes data: names (in their own language),
    texts in another language, both languages of a bilingual text, line breaks."""
    pieces = []
    for _ in range(draw(st.integers(1, 4))):
        text = draw(st.one_of(raw_text, any_text))
        if draw(st.booleans()):
            text = as_name(text, draw(st.one_of(st.none(), LANGS)))
        pieces.append(text)
    plain = " ".join(pieces)
    kind = draw(st.sampled_from(["text", "lang", "bilingual"]))
    if kind == "text":
        return md_text(plain)
    if kind == "lang":
        return md_text(plain, draw(LANGS))
    other = draw(st.one_of(raw_text, any_text))
    return str(md_finalize(LText([("en", plain), ("de", other)])))


@fast(300)
@given(escaped_texts())
def test_escaped_data_is_read_alike(text):
    assert_read_alike(text)


@fast(300)
@given(st.one_of(raw_text, any_text))
def test_any_text_is_read_alike_or_left_to_markdown_it(text):
    assert_read_alike(text)


def test_the_shapes_escaping_writes_take_the_shortcut():
    for text in ['<span class="name" lang="de">Koch (000)</span> (<span class="name">Cook</span>)',
                 '<span lang="de">Text</span>', 'A <span class="alt" lang="de">/ B</span>',
                 r"a \| b \* c \\ d", "line<br>break", "R&D", "100 % ~ ! #"]:
        assert markup._spans(text) is not None, text
        assert_read_alike(text)


def test_other_markdown_is_left_to_markdown_it():
    for text in ["*a* and *b*", "a_b", "`code`", "[link](https://example.org)", "&amp;",
                 "<b>bold</b>", '<span class="other">x</span>', "a\\q", "line\nbreak"]:
        assert markup._spans(text) is None, text


@fast(300)
@given(escaped_texts(), st.one_of(st.none(), escaped_texts()), st.sampled_from(["", ":"]),
       st.sampled_from(["**", "*"]))
def test_a_bold_or_italic_text_is_read_alike(label, value, colon, mark):
    text = f"{mark}{label}{colon}{mark}" + (f" {value}" if value is not None else "")
    assert_read_alike(text)


def test_bold_labels_and_italic_notes_take_the_shortcut():
    for text in ["**Knowledge**", "**Assessed by:** VCBOL052, VCMAL178", "*Rendered by x.*",
                 '**Qualification:** <span class="name">Koch</span>']:
        assert markup._spans(text) is not None, text
        assert_read_alike(text)
    for text in ["**a:**b", "** a**", "**a **", "**a** *b*", "**a_b**"]:
        assert markup._spans(text) is None, text


# Pieces of inline Markdown, shuffled into texts no escaping writes (a network's own
# template may): the shortcut must read them alike or leave them to markdown-it.
SOUP = st.lists(st.sampled_from([
    *"ab *_\\<>&!~#|`[]:.", '<span class="name">', '</span>', '<br>', '<span lang="de">',
    '<span class="alt" lang="el">', "**", "*", "\\*", "&amp;", " "]), max_size=14).map("".join)


@fast(1000)
@given(SOUP)
def test_markdown_soup_is_read_alike_or_left_to_markdown_it(text):
    assert_read_alike(text)


def test_emphasis_next_to_unicode_spaces_and_punctuation_is_read_alike():
    # CommonMark's flanking rules count Unicode whitespace and punctuation (a review
    # found these four read otherwise by the shortcut).
    for text in ["*\u2003b*", "**\xa0ü& (**", "*x«*a", "**Note»**a", "**«Note»** a"]:
        assert_read_alike(text)

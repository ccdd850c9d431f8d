"""The template's Markdown is tidied the same way however it is done (engine._tidy)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from mouctl.render import engine


def _by_lines(text: str, *, headings: bool) -> str:
    """The rule, line by line: no trailing whitespace, at most one blank line, a
    blank line before a heading (`headings`), one final newline."""
    out: list[str] = []
    for line in (line.rstrip() for line in text.split("\n")):
        if line == "" and out and out[-1] == "":
            continue
        if headings and line.startswith("#") and out and out[-1] != "":
            out.append("")
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"


_PIECES = st.sampled_from(["\n", "\n\n", "\n\n\n", " ", "\t", "\r", "\xa0", "\x1c", "\u2028",
                           "# h", "#", "## x ", "a", "| a | b |", "- item", "’"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join), st.booleans())
def test_tidy_is_the_line_rule(text, headings):
    assert engine._tidy(text, headings=headings) == _by_lines(text, headings=headings)


def test_tidy_examples():
    assert engine._tidy("a  \n\n\n\nb\n# h\n\n\n", headings=True) == "a\n\nb\n\n# h\n"
    assert engine._tidy("\n\n# h\ntext \t\n", headings=False) == "# h\ntext\n"

"""The redline of two rendered documents: blocks first, words inside changed lines."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mouctl.changes import redline

DOC = """# Memorandum

## 1. Objectives

The partners accept each other's criteria.

## 2. Organisations

### 2.1 School A

| | |
| --- | --- |
| Country | Germany |
| Phone | +49 261 1 |
| E-mail | a@example.org |
| Website | https://a.example.org |
| Signatory | Anna Berger |

## 7. Validity

This Memorandum of Understanding is valid until 31 August 2030.
"""


def md(old: str, new: str) -> str:
    return redline.to_markdown(redline.compare(old, new), title="T", old_label="a",
                               new_label="b")


def body(text: str) -> str:
    return text.split("unchanged parts are folded.\n\n", 1)[1]


def test_the_same_document_is_folded_entirely():
    marked = redline.compare(DOC, DOC)
    assert marked.unchanged and (marked.inserted_words, marked.deleted_words) == (0, 0)
    assert body(md(DOC, DOC)) == "*… 8 unchanged paragraphs …*\n"


def test_a_changed_word_is_marked_and_the_way_to_it_kept():
    new = DOC.replace("31 August 2030", "31 August 2031")
    assert body(md(DOC, new)) == (
        "# Memorandum\n\n"  # the headings leading to the change stay
        "*… 5 unchanged paragraphs …*\n\n"
        "## 7. Validity\n\n"
        "This Memorandum of Understanding is valid until 31 August <del>2030</del>"
        "<ins>2031</ins>.\n")


def test_headings_are_kept_in_document_order():
    new = DOC.replace("31 August 2030", "31 August 2031")
    out = body(md(DOC, new))
    assert out.index("# Memorandum") < out.index("## 7. Validity")


def test_a_table_cell_changes_with_its_header_and_context():
    new = DOC.replace("+49 261 1", "+49 261 2")
    out = body(md(DOC, new))
    assert ("| | |\n| --- | --- |\n| Country | Germany |\n"
            "| Phone | +49 261 <del>1</del><ins>2</ins> |\n| E-mail | a@example.org |\n"
            "| … 2 unchanged rows … |\n") in out


def test_a_whole_row_inserted_keeps_the_table_pipes_outside_the_marks():
    new = DOC.replace("| Signatory |", "| PIC | 948216733 |\n| Signatory |")
    assert "| <ins>PIC</ins> | <ins>948216733</ins> |" in md(DOC, new)


def test_an_inserted_section_keeps_its_heading_mark_outside():
    new = DOC.replace("## 7. Validity", "## 6. Arrangements\n\nThe host assesses.\n\n"
                                        "## 7. Validity")
    out = md(DOC, new)
    assert "## <ins>6. Arrangements</ins>" in out
    assert "<ins>The host assesses.</ins>" in out


def test_a_rewritten_line_is_deleted_and_inserted_whole():
    new = DOC.replace("The partners accept each other's criteria.",
                      "Learners spend three weeks abroad in a kitchen.")
    out = md(DOC, new)
    assert "<del>The partners accept each other's criteria.</del>" in out
    assert "<ins>Learners spend three weeks abroad in a kitchen.</ins>" in out


def test_neighbouring_changed_words_read_as_one_change():
    old = "Results are validated by the home school within four weeks.\n"
    new = "Results are recognised by the examination board within four weeks.\n"
    assert "<del>home school</del><ins>examination board</ins>" in md(old, new)


def test_terminal_lines_mark_changes_without_colour_too():
    new = DOC.replace("Anna Berger", "Jan Kowalski")
    lines = redline.to_terminal(redline.compare(DOC, new), old_label="mou-v1.0",
                                new_label="working tree")
    text = ["".join(t for t, _ in line) for line in lines]
    assert text[0] == "Rendered MoU from mou-v1.0 to working tree: 2 words inserted, " \
                      "2 words deleted"
    assert "| Signatory | [-Anna Berger-]{+Jan Kowalski+} |" in text
    styles = {s for line in lines for _, s in line}
    assert {"red strike", "green underline", "dim"} <= styles


def test_html_is_a_standalone_track_changes_document():
    new = DOC.replace("+49 261 1", "+49 261 2")
    html = redline.to_html(redline.compare(DOC, new), title="EuroCook <MoU>",
                           old_label="mou-v1.0", new_label="mou-v1.1")
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Redline: EuroCook &lt;MoU&gt;</title>" in html
    assert "<td>+49 261 <del>1</del><ins>2</ins></td>" in html
    assert '<p class="folded">… 2 unchanged paragraphs …</p>' in html
    assert "<td>… 2 unchanged rows …</td>" in html


def test_a_long_document_with_few_changes_stays_short():
    paragraphs = [f"Paragraph {i} says something about unit {i}." for i in range(5000)]
    old = "\n\n".join(paragraphs)
    changed = list(paragraphs)
    changed[10] = changed[10].replace("something", "anything")
    changed[4000] = changed[4000].replace("unit", "module")
    marked = redline.compare(old, "\n\n".join(changed))
    assert (marked.inserted_words, marked.deleted_words) == (2, 2)
    assert len(marked.pieces) < 20


_PARAGRAPHS = st.lists(st.sampled_from(["Alpha beta.", "Gamma delta.", "| a | b |",
                                        "## Heading", "Epsilon zeta eta."]), max_size=8)


@given(_PARAGRAPHS, _PARAGRAPHS)
def test_unchanged_exactly_when_the_documents_are_equal(a, b):
    old, new = "\n\n".join(a), "\n\n".join(b)
    marked = redline.compare(old, new)
    assert marked.unchanged == (redline._blocks(old) == redline._blocks(new))
    deleted = " ".join(s.text for p in marked.pieces for s in p.spans if s.kind == "delete")
    inserted = " ".join(s.text for p in marked.pieces for s in p.spans if s.kind == "insert")
    assert all(w in old for w in deleted.split())
    assert all(w in new for w in inserted.split())


def _units(n: int, *, points=lambda i: 10) -> str:
    return "\n\n".join(f"#### A.{i} Unit {i}\n\n| | |\n| --- | --- |\n| ECVET points | "
                       f"{points(i)} |\n\n**Skills**\n\n- The learner is able to do task {i}."
                       for i in range(n))


def test_repeated_blocks_in_many_sections_align_by_section():
    old = _units(3000)
    new = _units(3000, points=lambda i: 15 if i in (7, 2500) else 10)
    marked = redline.compare(old, new)
    assert (marked.inserted_words, marked.deleted_words) == (2, 2)
    out = redline.to_markdown(marked, title="T", old_label="a", new_label="b")
    assert out.count("| ECVET points | <del>10</del><ins>15</ins> |") == 2
    assert "#### A.2500 Unit 2500" in out and "#### A.2499" not in out


def test_a_section_inserted_between_sections():
    old = _units(5)
    sections = old.split("\n\n#### ")
    added = "A.9 Unit 9\n\n**Skills**\n\n- The learner is able to weld."
    new = "\n\n#### ".join(sections[:3] + [added] + sections[3:])
    out = body(md(old, new))
    assert "#### <ins>A.9 Unit 9</ins>" in out
    assert "- <ins>The learner is able to weld.</ins>" in out
    assert "<del>" not in out

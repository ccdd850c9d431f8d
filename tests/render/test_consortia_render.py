"""Real consortia rendered: only what was agreed, in every format (issue 12).

The hand-built fixtures in tests/networks each render as Markdown (golden file),
HTML, Word and PDF; the assertions name the clause each case is about.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from mouctl.render import engine, pdf
from mouctl.source import loader
from tests.source.test_checks import TODAY

NETWORKS = Path(__file__).resolve().parents[1] / "networks"
FIXTURES = ["declaratory", "shared-qualification", "unit-catalogue", "outcomes-annex",
            "coordinator-not-signing"]


def _network(name: str):
    return loader.load(NETWORKS / name, today=TODAY).network


def _markdown(name: str, **options) -> str:
    return engine.render(_network(name), "md", version="draft", **options).decode("utf-8")


@pytest.mark.parametrize("name", FIXTURES)
def test_each_fixture_renders_in_every_format(run, tmp_path, golden, name):
    folder = tmp_path / name  # outside git: the version label is the same on every commit
    shutil.copytree(NETWORKS / name, folder)
    for fmt in ("md", "html", "docx", *(("pdf",) if pdf.available() else ())):
        out = tmp_path / f"mou.{fmt}"
        result = run("render", "-N", str(folder), "-o", str(out))
        assert result.code == 0, result.output
        assert out.stat().st_size > 0
    golden(f"render/consortia-{name}.md", (tmp_path / "mou.md").read_text(encoding="utf-8"))


def test_a_declaratory_mou_has_its_own_signing_formula_and_only_its_sections():
    text = _markdown("declaratory")
    assert "declares its understanding of the objectives" in text
    assert "By signing, each organisation agrees" not in text
    assert "mutually accept each other's criteria" not in text
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## 1. Objectives of the Memorandum of Understanding",
                        "## 2. Organisations signing the Memorandum of Understanding",
                        "## 3. Signatures"]
    # nothing agreed, nothing promised
    for clause in ("will agree on these arrangements", "indefinite period", "evaluate the "):
        assert clause not in text


def test_a_draft_says_so_and_leaves_room_for_unknown_signatories():
    text = _markdown("declaratory")
    assert "Draft for discussion, not for signature: 2 item(s) needed before release" in text
    signatures = text.split("## 3. Signatures")[1]
    assert "Position: Schulleiterin" in signatures
    assert "None" not in signatures


def test_equal_minimum_and_maximum_read_as_one_value():
    text = _markdown("shared-qualification")
    assert "Mobility periods last 2 weeks." in text
    assert "between 2 and 2" not in text


def test_a_shared_qualification_prints_each_national_form():
    text = _markdown("shared-qualification")
    for row in ("| Hospitality assistant (Hotel- und Gastgewerbeassistent/in) | Austria |",
                "| Hospitality assistant (hotelová akadémia) | Slovakia |",
                "| Hospitality assistant (Hotelnictví) | Czechia |"):
        assert row in text
    assert "| 5 | 5 |" in text  # EQF and NQF 5 in the Czech Republic
    assert "| Unit A | Front office" in text  # the unit's own code
    assert "- A.1 Check-in and check-out (40 hours)" in text


def test_a_catalogue_prints_groups_status_and_the_national_points():
    text = _markdown("unit-catalogue")
    assert "| Competence points |" in text and "| 15 competence points |" not in text
    assert "a learner completes units worth 90 points" in text
    assert "| 04 | Sales work | Vocational Qualification in Business and Administration |" \
        " 15 | optional (Optional units in business services) |" in text
    assert "full catalogue of compulsory and optional units" in text
    assert "The learning outcomes of this unit are set out in The national qualification " \
        "requirements (ePerusteet). https://eperusteet.opintopolku.fi/" in text


def test_organisations_that_do_not_sign_are_shown_with_their_roles_in_words():
    text = _markdown("coordinator-not-signing")
    assert "take part in the network without signing" in text
    assert "| City of Tampere | Finland | coordinator, competent authority: Organiser of " \
        "vocational education in the Tampere region |" in text
    assert "| Care Mobility Steering Group | Finland | steering group member:" in text
    assert "| City of Tampere |" in text.split("## 4.")[1]  # the awarding body is shown
    assert "Seniorenzentrum Augsburg-Süd" in text.split("## 5.")[1]  # a covered host
    signatures = text.split("## 9.")[1]
    assert "City of Tampere" not in signatures


def test_a_markdown_annex_is_printed_and_a_pdf_annex_listed():
    text = _markdown("outcomes-annex", annexes={
        "annexes/cold-dishes.md": (NETWORKS / "outcomes-annex/annexes/cold-dishes.md")
        .read_bytes()})
    annexes = text.split("## 11. Annexes")[1]
    assert "- Annex A - Unit C1\n" in annexes
    assert "- Annex B - Unit C2 (the PDF file annexes/hot-dishes.pdf, appended" in annexes
    assert "## Annex A - Unit C1\n\n### Unit C1: Preparing cold dishes\n" in annexes
    assert "- The learner is able to describe the main cold sauces." in annexes
    assert "| C2 | Preparing hot dishes |" in text
    assert "| S1 | Serving guests | Cook, Restaurant specialist |" in text


@pytest.mark.skipif(not pdf.available(), reason="WeasyPrint is not installed")
def test_a_pdf_annex_is_appended_to_the_pdf_and_the_metadata_kept():
    from pypdf import PdfReader

    network = _network("outcomes-annex")
    annex = (NETWORKS / "outcomes-annex/annexes/hot-dishes.pdf").read_bytes()
    alone = PdfReader(io.BytesIO(engine.render(network, "pdf", annexes={})))
    joined = PdfReader(io.BytesIO(engine.render(
        network, "pdf", annexes={"annexes/hot-dishes.pdf": annex})))
    assert len(joined.pages) == len(alone.pages) + len(PdfReader(io.BytesIO(annex)).pages)
    assert "Preparing hot dishes" in " ".join(joined.pages[-1].extract_text().split())
    assert joined.metadata[f"/{pdf.FINGERPRINT_KEY}"] == network.fingerprint()


def test_an_open_ended_standard_mou_is_not_evaluated_before_it_expires():
    network = _network("declaratory").model_copy(update={"kind": "standard"})
    text = engine.render(network, "md").decode("utf-8")
    assert "This Memorandum of Understanding is concluded for an indefinite period." in text
    assert "The partners evaluate the partnership together." in text
    assert "expires" not in text
    assert "By signing, each organisation agrees to this Memorandum of Understanding." in text
    assert "## 11. Annexes" in text  # the standard kind keeps the official sections

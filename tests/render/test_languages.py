"""Languages: CLDR dates, numbers and lists, typography, names, translations, checks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mouctl.render import engine as rendering
from mouctl.render import localise, typography
from mouctl.source import loader as source

HERE = Path(__file__).parents[1]
SIX = HERE / "networks" / "six-partners"
TODAY = dt.date(2026, 3, 1)


def load(folder: Path):
    return source.load(folder, today=TODAY).require()


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "1 October 2026"), ("de", "1. Oktober 2026"), ("fr", "1er octobre 2026"),
    ("pl", "1 października 2026"), ("el", "1 Οκτωβρίου 2026"), ("hu", "2026. október 1."),
    ("lt", "2026 m. spalio 1 d."), ("mt", "1 ta’ Ottubru 2026"), ("no", "1. oktober 2026"),
    ("sr", "1. октобар 2026."), ("ga", "1 Deireadh Fómhair 2026"),
])
def test_dates_follow_cldr_with_the_french_first_of_the_month(lang, expected):
    assert localise.date(dt.date(2026, 10, 1), lang) == expected


def test_the_french_ordinal_is_only_for_the_first():
    assert localise.date(dt.date(2026, 10, 2), "fr") == "2 octobre 2026"
    assert localise.date(dt.date(2026, 10, 11), "fr") == "11 octobre 2026"


def test_numbers_and_lists_of_names_per_language():
    assert localise.number(7.5, "de") == "7,5"
    assert localise.number(7.0, "en") == "7"
    assert localise.number(2026, "fr") == "2026"  # no grouping in points and weeks
    assert localise.names(["A", "B", "C"], "en") == "A, B and C"
    assert localise.names(["A", "B"], "pl") == "A i B"
    assert localise.country("EL", "de") == "Griechenland"
    assert localise.country("UK", "fr") == "Royaume-Uni"
    assert localise.language("en", "de") == "Englisch"


def test_a_language_cldr_does_not_know_falls_back_to_plain_forms():
    assert localise.date(dt.date(2026, 10, 1), "qq") == "2026-10-01"
    assert localise.number(7.5, "qq") == "7.5"


def test_french_typography_spaces_and_guillemets():
    nb, nn = typography.NBSP, typography.NNBSP
    assert typography.fix('Note: voir "annexe" ; fin!', "fr") == (
        f"Note{nb}: voir «{nn}annexe{nn}»{nn}; fin{nn}!")
    assert typography.fix("https://x.eu 10:30", "fr") == "https://x.eu 10:30"
    assert typography.fix('das "Netz"', "de") == "das „Netz“"
    assert typography.fix("l'accord", "fr") == "l’accord"
    assert typography.colon("Lieu et date", "fr") == f"Lieu et date{nb}:"
    assert typography.colon("Ort, Datum", "de") == "Ort, Datum:"


def test_german_document_fixes():
    net = load(SIX)
    text = rendering.render_markdown(net, lang="de", version="draft")
    assert "Im Zweifelsfall ist die englische Fassung maßgeblich." in text
    assert "Version Entwurf" in text
    assert "draft" not in text and "commit" not in text.lower()


def test_a_legal_name_in_a_language_the_mou_lacks_is_printed_with_its_translation(tmp_path):
    # An English MoU; the German partner's legal name is German, with an English gloss.
    net = load(SIX)
    partner = net.partners[0].model_copy(update={"name": {
        "de": "Berufsschule am Hafen", "en": "Vocational School at the Harbour"}})
    net = net.model_copy(update={"languages": ["en"], "partners": [partner, *net.partners[1:]]})
    warnings: list[str] = []
    text = rendering.render_markdown(net, warnings=warnings)
    assert "Berufsschule am Hafen (Vocational School at the Harbour)" in text
    assert not [w for w in warnings if "partners[0].name" in w]


def test_a_name_missing_in_a_language_of_the_mou_is_shown_as_written_without_warning():
    net = load(SIX)  # [en, de]
    partner = net.partners[0].model_copy(update={"name": {"en": "Harbour School"}})
    net = net.model_copy(update={"partners": [partner, *net.partners[1:]]})
    warnings: list[str] = []
    text = rendering.render_markdown(net, lang="de", warnings=warnings)
    assert "Harbour School" in text
    assert not [w for w in warnings if "partners[0].name" in w]


def test_bilingual_for_any_pair_puts_the_authoritative_language_first():
    net = load(SIX).model_copy(update={"languages": ["fr", "de"]})
    assert rendering.order_languages(["pl", "it"], ["it", "pl"]) == ["it", "pl"]
    assert rendering.order_languages(["fr", "de"], ["en", "de"]) == ["de", "fr"]
    html = rendering.render(net, "html", lang="de", bilingual="fr").decode()
    assert '<html lang="fr">' in html
    assert '<span class="alt" lang="de">' in html


def test_a_translation_rendering_says_so_in_the_document():
    net = load(SIX)
    notices: list[str] = []
    text = rendering.render_markdown(net, lang="fr", notices=notices)
    assert "Le présent document est une traduction" in text
    assert notices
    assert "traduction" not in rendering.render_markdown(net, lang="de")

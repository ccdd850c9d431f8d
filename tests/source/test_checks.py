"""Domain rules: each mutation of a valid network produces exactly its finding."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from mouctl.model.network import Network
from mouctl.source import checks

TODAY = dt.date(2026, 3, 1)

BASE = {
    "title": {"en": "Cook exchange", "de": "Kochaustausch"},
    "languages": ["en", "de"],
    "coordinator": "a",
    "valid_from": dt.date(2026, 1, 1),
    "valid_until": dt.date(2029, 1, 1),
    "review": {"reviewers": ["a"], "by": dt.date(2027, 6, 1)},
    "partners": [
        {"id": "a", "name": "School A", "country": "DE", "oid": "E10000001", "pic": "900000001",
         "roles": ["coordinator", "competent_institution"], "signatory": {"name": "X"}},
        {"id": "b", "name": "School B", "country": "FI", "oid": "E10000002",
         "roles": ["receiving"], "signatory": {"name": "Y"}},
    ],
    "qualifications": [{
        "id": "q", "title": {"en": "Cook", "de": "Koch"}, "country": "DE",
        "awarding_institution": "a", "eqf_level": 4, "ecvet_points": 30,
        "units": [{
            "id": "u", "title": {"en": "Starters", "de": "Vorspeisen"}, "ecvet_points": 30,
            "learning_outcomes": {"knowledge": [{"en": "k", "de": "K"}],
                                  "skills": [{"en": "s", "de": "F"}],
                                  "competence": [{"en": "c", "de": "K"}]},
            "assessment": {"methods": [{"en": "test", "de": "Prüfung"}]}, "hosts": ["b"],
        }],
    }],
}


def findings(mutate=None, today=TODAY):
    data = copy.deepcopy(BASE)
    if mutate:
        mutate(data)
    return {(f.severity, f.code, f.path) for f in
            checks.run(Network.model_validate(data), today=today)}


def test_base_network_is_clean():
    assert findings() == set()


def _unit(d):
    return d["qualifications"][0]["units"][0]


CASES = [
    ("duplicate id", lambda d: d["partners"][1].update(id="a"),
     ("error", "duplicate-id", ("partners", 1, "id"))),
    ("unknown coordinator", lambda d: d.update(coordinator="zz"),
     ("error", "unknown-reference", ("coordinator",))),
    ("unknown host", lambda d: _unit(d).update(hosts=["zz"]),
     ("error", "unknown-reference", ("qualifications", 0, "units", 0, "hosts", 0))),
    ("unknown reviewer", lambda d: d["review"].update(reviewers=["zz"]),
     ("error", "unknown-reference", ("review", "reviewers", 0))),
    ("awarder not competent", lambda d: d["qualifications"][0].update(awarding_institution="b"),
     ("error", "awarder-not-competent", ("qualifications", 0, "awarding_institution"))),
    ("one country", lambda d: d["partners"][1].update(country="DE"),
     ("warning", "one-country", ("partners",))),
    ("GR is the ISO form", lambda d: d["partners"][1].update(country="GR"),
     ("warning", "country-eu-form", ("partners", 1, "country"))),
    ("EQF 9", lambda d: d["qualifications"][0].update(eqf_level=9),
     ("error", "eqf-range", ("qualifications", 0, "eqf_level"))),
    ("EQF 6 is unusual", lambda d: (d["qualifications"][0].update(eqf_level=6)),
     ("warning", "eqf-high", ("qualifications", 0, "eqf_level"))),
    ("unit above qualification", lambda d: _unit(d).update(eqf_level=5),
     ("error", "unit-eqf-above", ("qualifications", 0, "units", 0, "eqf_level"))),
    ("unit points exceed", lambda d: _unit(d).update(ecvet_points=40),
     ("error", "unit-points-exceed", ("qualifications", 0, "ecvet_points"))),
    ("unit points differ", lambda d: _unit(d).update(ecvet_points=20),
     ("warning", "unit-points-differ", ("qualifications", 0, "ecvet_points"))),
    ("bad OID", lambda d: d["partners"][0].update(oid="E123"),
     ("error", "bad-oid", ("partners", 0, "oid"))),
    ("duplicate OID", lambda d: d["partners"][1].update(oid="E10000001"),
     ("error", "duplicate-oid", ("partners", 1, "oid"))),
    ("bad PIC", lambda d: d["partners"][0].update(pic="12345"),
     ("error", "bad-pic", ("partners", 0, "pic"))),
    ("no signatory", lambda d: d["partners"][1].pop("signatory"),
     ("warning", "no-signatory", ("partners", 1))),
    ("signatory without a name", lambda d: d["partners"][1].update(signatory={"position": "Head"}),
     ("warning", "no-signatory", ("partners", 1, "signatory"))),
    ("no awarding institution", lambda d: d["qualifications"][0].pop("awarding_institution"),
     ("warning", "no-awarding-institution", ("qualifications", 0))),
    ("no country", lambda d: d["qualifications"][0].pop("country"),
     ("error", "no-country", ("qualifications", 0))),
    ("ends before it starts", lambda d: d.update(valid_until=dt.date(2025, 1, 1)),
     ("error", "validity-order", ("valid_until",))),
    ("review after end", lambda d: d["review"].update(by=dt.date(2030, 1, 1)),
     ("error", "review-after-end", ("review", "by"))),
    ("no learning outcomes", lambda d: _unit(d).update(learning_outcomes={}),
     ("warning", "no-learning-outcomes", ("qualifications", 0, "units", 0))),
    ("no competence", lambda d: _unit(d)["learning_outcomes"].update(competence=[]),
     ("warning", "learning-outcomes-incomplete",
      ("qualifications", 0, "units", 0, "learning_outcomes"))),
    ("no assessment", lambda d: _unit(d).update(assessment={}),
     ("warning", "no-assessment", ("qualifications", 0, "units", 0))),
    ("missing translation", lambda d: _unit(d).update(title={"en": "Starters"}),
     ("warning", "missing-translation", ("qualifications", 0, "units", 0, "title"))),
    ("plain text in a two-language MoU", lambda d: _unit(d).update(title="Starters"),
     ("warning", "missing-translation", ("qualifications", 0, "units", 0, "title"))),
    ("min above max", lambda d: d.update(mobility_duration={"min_weeks": 8, "max_weeks": 2}),
     ("error", "mobility-duration", ("mobility_duration", "min_weeks"))),
]


@pytest.mark.parametrize("mutate,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_rule(mutate, expected):
    assert expected in findings(mutate)


def test_validity_expired_and_ending():
    assert ("warning", "validity-expired", ("valid_until",)) in findings(
        today=dt.date(2029, 2, 1))
    assert ("warning", "validity-ending", ("valid_until",)) in findings(
        today=dt.date(2028, 11, 1))
    assert findings(today=dt.date(2028, 9, 1)) == set()


# -- languages ------------------------------------------------------------------------


def _codes(folder, **kwargs):
    from mouctl.source import loader as source

    loaded = source.load(folder, **kwargs)
    return [(d.code, d.path) for d in loaded.diagnostics]


def test_validate_warns_for_a_language_without_catalogue_and_untranslated_prose(tmp_path):
    import datetime as dt
    import shutil

    from tests.conftest import EXAMPLES

    shutil.copytree(EXAMPLES / "bilateral", tmp_path / "net")
    path = tmp_path / "net" / "network.yaml"
    text = path.read_text(encoding="utf-8").replace("languages: [en]", "languages: [en, lb]")
    path.write_text(text, encoding="utf-8")
    found = _codes(tmp_path / "net", today=dt.date(2026, 3, 1))
    assert ("no-catalogue", "languages[1]") in found
    # a plain string in a two-language MoU is untranslated prose...
    assert ("missing-translation", "title") in found
    assert ("missing-translation", "review.procedure") in found
    # ...but names (legal names, national titles of qualifications) are never warned
    assert not [p for c, p in found if p.endswith(".name") or p == "qualifications[0].title"]


def test_a_network_may_bring_its_own_catalogue(tmp_path):
    import datetime as dt
    import shutil

    from tests.conftest import EXAMPLES

    shutil.copytree(EXAMPLES / "bilateral", tmp_path / "net")
    path = tmp_path / "net" / "network.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("languages: [en]",
                                                             "languages: [lb]"),
                    encoding="utf-8")
    assert ("no-catalogue", "languages[0]") in _codes(tmp_path / "net",
                                                      today=dt.date(2026, 3, 1))
    (tmp_path / "net" / "templates" / "i18n").mkdir(parents=True)
    (tmp_path / "net" / "templates" / "i18n" / "lb.yaml").write_text("document: Q\n")
    assert ("no-catalogue", "languages[0]") not in _codes(tmp_path / "net",
                                                          today=dt.date(2026, 3, 1))


def test_a_language_code_must_be_a_real_iso_639_1_code(tmp_path, run):
    """`xx` is two lower-case letters but no language: an error naming it, like `EN`."""
    import shutil

    from tests.conftest import EXAMPLES

    shutil.copytree(EXAMPLES / "bilateral", tmp_path / "net")
    path = tmp_path / "net" / "network.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("languages: [en]",
                                                             "languages: [en, xx, EN]"),
                    encoding="utf-8")
    result = run("validate", "-N", str(tmp_path / "net"))
    assert result.code == 1
    assert "languages[1]: 'xx' is not an ISO 639-1 language code [bad-language]" in result.output
    assert "languages[2]: 'EN' is not a language code [bad-language]" in result.output
    assert "did you mean 'en'? (ISO 639-1 codes, in lower case)" in result.output
    # the same rule for the --lang of a rendering, and nothing written
    out = tmp_path / "out.md"
    result = run("render", "-N", str(EXAMPLES / "bilateral"), "--lang", "xx", "-o", str(out))
    assert result.code == 2
    assert "'xx' is not an ISO 639-1 language code" in result.output
    assert not out.exists()

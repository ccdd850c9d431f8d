"""Hypothesis strategies: valid networks as the plain data a network.yaml holds.

Every network drawn here satisfies the domain's error rules (unique ids, known
references, an awarding partner with the competent_institution role, points that
add up, EQF 1-8, signatories, validity in order), so `mouctl validate` must find
no error in it; texts range over all of Unicode (scripts written right to left,
CJK, emoji, characters that mean something in YAML, Markdown or HTML).
"""

from __future__ import annotations

import datetime as dt
import string

from hypothesis import strategies as st

LANGUAGES = ["en", "de", "fr", "fi", "it", "es", "el", "no", "ar", "zh"]
COUNTRIES = ["DE", "FI", "FR", "IT", "ES", "EL", "AT", "NL", "PL", "NO", "UK", "IE"]
ROLES = ["competent_institution", "sending", "receiving", "intermediary"]

# Any text a partner could type: every character except surrogates (not encodable)
# and the controls no file or document can hold (NUL, and the C0/C1 controls
# other than tab and line breaks, which YAML itself refuses in a file).
_CONTROLS = "".join(chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), *range(127, 160)])
ANY_CHAR = st.characters(blacklist_categories=("Cs",), blacklist_characters=_CONTROLS)
any_text = st.text(ANY_CHAR, min_size=1, max_size=40).filter(lambda t: t.strip())
# Every character network data may hold (tab and every line break included).
raw_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="".join(
    c for c in _CONTROLS if c not in "\x85") + "\ufffe\uffff"), max_size=20)

# Names as people write them: words of letters from many scripts and a little
# punctuation, separated by single spaces (Markdown collapses nothing in them).
_WORD_CHARS = st.sampled_from(
    string.ascii_letters + string.digits + "äöüßéèçñøåłšžőœ"
    + "αβγδεζ" + "абвгдж" + "אבגדה" + "ابتثج" + "中文字学校" + "ひらがな" + "한국어")
_word = st.text(_WORD_CHARS, min_size=1, max_size=10)
_joiner = st.sampled_from([" ", " ", " ", " & ", "-", ", ", ". ", " (", ") ", "'", "/"])


@st.composite
def names(draw) -> str:
    """A readable name: words joined by spaces or simple punctuation."""
    words = draw(st.lists(_word, min_size=1, max_size=5))
    out = words[0]
    for word in words[1:]:
        out += draw(_joiner) + word
    return out.strip() or "x"


ids = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,14}", fullmatch=True)
dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31))


def texts(langs: list[str], text=None):
    """A Text field: one string, or one string per language of the MoU."""
    text = any_text if text is None else text
    return st.one_of(text, st.fixed_dictionaries({lang: text for lang in langs}))


@st.composite
def networks(draw, text=None, max_partners: int = 5, max_units: int = 3) -> dict:
    """The data of a valid network (what network.yaml holds)."""
    text = any_text if text is None else text
    langs = draw(st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=2, unique=True))
    n_partners = draw(st.integers(2, max_partners))
    n_quals = draw(st.integers(0, 2))
    unit_counts = [draw(st.integers(0, max_units)) for _ in range(n_quals)]
    n_covered = draw(st.integers(0, 2))
    all_ids = draw(st.lists(ids, min_size=n_partners + n_quals + sum(unit_counts) + n_covered,
                            max_size=n_partners + n_quals + sum(unit_counts) + n_covered,
                            unique=True))
    take = iter(all_ids)

    partners = []
    for i in range(n_partners):
        country = COUNTRIES[i] if i < 2 else draw(st.sampled_from(COUNTRIES))
        roles = draw(st.lists(st.sampled_from(ROLES), min_size=1, max_size=3, unique=True))
        if i == 0 and "competent_institution" not in roles:
            roles.append("competent_institution")
        partner = {"id": next(take), "name": draw(texts(langs, text)), "country": country,
                   "roles": roles,
                   "signatory": {"name": draw(text), "position": draw(st.none() | text)}}
        if draw(st.booleans()):
            partner["city"] = draw(text)
        if draw(st.booleans()):
            partner["pic"] = f"{900000000 + i:09d}"
            partner["oid"] = f"E{10000000 + i:08d}"
        partners.append(partner)
    pids = [p["id"] for p in partners]
    data: dict = {"title": draw(texts(langs, text)), "languages": langs, "partners": partners}

    if draw(st.booleans()):
        coordinator = draw(st.sampled_from(partners))
        coordinator["roles"].append("coordinator")
        data["coordinator"] = coordinator["id"]
    start = draw(dates)
    data["valid_from"] = start
    if draw(st.booleans()):
        data["valid_until"] = start + dt.timedelta(days=draw(st.integers(1, 3000)))
    if draw(st.booleans()):
        data["objectives"] = draw(st.lists(texts(langs, text), max_size=3))
    if draw(st.booleans()):
        data["additional_information"] = draw(texts(langs, text))
    if draw(st.booleans()):
        lo = draw(st.integers(1, 10))
        data["mobility_duration"] = {"min_weeks": lo, "max_weeks": lo + draw(st.integers(0, 20))}
    if draw(st.booleans()):
        data["arrangements"] = {k: draw(texts(langs, text)) for k in
                                draw(st.lists(st.sampled_from(
                                    ["assessment", "documentation", "validation",
                                     "recognition", "quality_assurance"]), unique=True))}
    if draw(st.booleans()):
        review = {"reviewers": draw(st.lists(st.sampled_from(pids), unique=True)),
                  "frequency": draw(texts(langs, text))}
        if "valid_until" in data:
            review["by"] = data["valid_until"]
        data["review"] = review

    data["covered_organisations"] = [
        {"id": next(take), "name": draw(texts(langs, text)),
         "country": draw(st.sampled_from(COUNTRIES)),
         "covered_by": draw(st.sampled_from(pids))} for _ in range(n_covered)]

    awarders = [p["id"] for p in partners if "competent_institution" in p["roles"]]
    qualifications = []
    for units_wanted in unit_counts:
        eqf = draw(st.integers(1, 5))
        units = []
        for _ in range(units_wanted):
            units.append({
                "id": next(take), "title": draw(texts(langs, text)),
                "ecvet_points": draw(st.integers(0, 60)),
                "eqf_level": draw(st.none() | st.integers(1, eqf)),
                "learning_outcomes": {
                    kind: draw(st.lists(texts(langs, text), min_size=1, max_size=2))
                    for kind in ("knowledge", "skills", "competence")},
                "assessment": {"methods": draw(st.lists(texts(langs, text), min_size=1,
                                                        max_size=2)),
                               "assessed_by": draw(st.lists(st.sampled_from(pids),
                                                            unique=True, max_size=2))},
                "hosts": draw(st.lists(st.sampled_from(pids), unique=True, max_size=3)),
            })
        qualification = {"id": next(take), "title": draw(texts(langs, text)),
                          "country": draw(st.sampled_from(COUNTRIES)),
                          "awarding_institution": draw(st.sampled_from(awarders)),
                          "eqf_level": eqf, "units": units}
        if draw(st.booleans()):
            qualification["ecvet_points"] = sum(u["ecvet_points"] for u in units)
        qualifications.append(qualification)
    data["qualifications"] = qualifications
    return data

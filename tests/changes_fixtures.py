"""A small, valid network as a dict, to derive amended versions from in tests."""

from __future__ import annotations

import copy

from mouctl.model.network import Network

BASE = {
    "title": "EuroMech VET Network",
    "file_code": "MOU-2026-001",
    "languages": ["en"],
    "coordinator": "bbs-koeln",
    "objectives": ["Prepare learners for European workshops."],
    "valid_from": "2026-01-01",
    "valid_until": "2028-08-31",
    "review": {"reviewers": ["bbs-koeln"], "frequency": "once a year"},
    "mobility_duration": {"min_weeks": 2, "max_weeks": 12},
    "arrangements": {
        "assessment": "The host assesses the learner against the unit's criteria.",
        "validation": "The home institution validates the results.",
        "recognition": "The home institution recognises the validated units.",
    },
    "partners": [
        {"id": "bbs-koeln", "name": "Berufskolleg Köln", "country": "DE", "city": "Köln",
         "roles": ["coordinator", "competent_institution", "sending"],
         "contact": {"name": "Maria Keller", "email": "mk@example.org"},
         "signatory": {"name": "Thomas Brandt", "position": "Head of School"}},
        {"id": "omnia", "name": "Omnia Espoo", "country": "FI", "phone": "+358 9 123",
         "roles": ["receiving", "competent_institution"],
         "signatory": {"name": "Liisa Virtanen"}},
        {"id": "uni-bilbao", "name": "Instituto Bilbao", "country": "ES",
         "roles": ["receiving"], "signatory": {"name": "Ane Etxeberria"}},
    ],
    "covered_organisations": [
        {"id": "ford-koeln", "name": "Ford Werke", "country": "DE",
         "covered_by": "bbs-koeln"},
    ],
    "qualifications": [
        {"id": "mech-de", "title": "Mechatronics technician", "country": "DE",
         "awarding_institution": "bbs-koeln", "eqf_level": 4, "nqf_level": "4",
         "units": [
             {"id": "mech-u1", "title": "Pneumatics", "ecvet_points": 10,
              "learning_outcomes": {
                  "knowledge": ["The learner is able to explain pneumatic circuits."],
                  "skills": ["The learner is able to assemble a pneumatic circuit.",
                             "The learner is able to read a circuit diagram."]},
              "assessment": {"methods": ["practical test"], "assessed_by": ["omnia"]},
              "hosts": ["omnia"]},
             {"id": "mech-u3", "title": "Hydraulics", "ecvet_points": 10,
              "learning_outcomes": {"skills": ["The learner is able to test a pump."]},
              "assessment": {"methods": ["observation"], "assessed_by": ["omnia"]},
              "hosts": ["omnia", "uni-bilbao"]},
         ]},
    ],
}


def base() -> dict:
    """A fresh deep copy of BASE to amend."""
    return copy.deepcopy(BASE)


def net(data: dict) -> Network:
    return Network.model_validate(data)


def unit(data: dict, ident: str) -> dict:
    return next(u for q in data["qualifications"] for u in q["units"] if u["id"] == ident)


def partner(data: dict, ident: str) -> dict:
    return next(p for p in data["partners"] if p["id"] == ident)

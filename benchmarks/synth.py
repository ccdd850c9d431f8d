"""Synthetic but valid networks (S, M, L) as plain data, and their YAML text.

Deterministic: the same size gives the same bytes, so timings compare across runs
and machines. The data passes `mouctl validate` without errors or warnings:
unique ids and OIDs/PICs, an English MoU (titles and objectives also carry a German
version, which an English document does not need), units whose
points add up to their qualification's total, awarders that are competent
institutions, hosts and assessors that are partners.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    """How large a network is: partners, qualifications, units in all."""

    name: str
    partners: int
    qualifications: int
    units: int


SIZES = {
    "S": Size("S", 2, 1, 5),
    "M": Size("M", 20, 10, 200),
    "L": Size("L", 200, 50, 2000),
}

COUNTRIES = [("DE", "Germany"), ("FI", "Finland"), ("FR", "France"), ("ES", "Spain"),
             ("IT", "Italy"), ("PL", "Poland"), ("NL", "Netherlands"), ("AT", "Austria"),
             ("CZ", "Czechia"), ("PT", "Portugal"), ("SE", "Sweden"), ("IE", "Ireland")]
CITIES = ["Aachen", "Tampere", "Lyon", "Bilbao", "Bologna", "Gdansk", "Utrecht", "Graz",
          "Brno", "Porto", "Malmo", "Cork", "Bremen", "Oulu", "Nantes", "Valencia",
          "Verona", "Poznan", "Leiden", "Linz", "Olomouc", "Braga", "Uppsala", "Galway"]
TRADES = ["Cook", "Hairdresser", "Mechatronics technician", "Electrician", "Carpenter",
          "Bricklayer", "Welder", "Baker", "Florist", "Plumber", "Painter and decorator",
          "Logistics assistant", "Retail assistant", "Hotel receptionist", "Care assistant",
          "Agricultural technician", "Car mechanic", "Tiler", "Roofer", "Pastry chef"]
TRADES_DE = ["Koch", "Friseur", "Mechatroniker", "Elektroniker", "Tischler", "Maurer",
             "Schweisser", "Baecker", "Florist", "Anlagenmechaniker", "Maler und Lackierer",
             "Fachlagerist", "Verkaeufer", "Hotelfachmann", "Pflegehelfer",
             "Landwirtschaftstechniker", "Kfz-Mechatroniker", "Fliesenleger", "Dachdecker",
             "Konditor"]
TOPICS = ["health and safety at work", "quality control of the finished work",
          "customer communication", "the use of hand and power tools",
          "planning a working day", "waste separation and recycling",
          "reading technical drawings", "stock keeping and ordering",
          "hygiene rules of the trade", "energy-efficient working methods",
          "measuring and testing", "documentation of the work done",
          "teamwork in an international workplace", "maintenance of equipment"]
VERBS_K = ["explain", "describe", "name", "compare", "outline", "identify"]
VERBS_S = ["prepare", "carry out", "check", "plan", "select", "install", "repair"]
VERBS_C = ["organise", "take responsibility for", "adapt", "evaluate", "supervise"]
CONTEXTS = ["under supervision", "following the company's procedures",
            "according to national and European standards", "within the agreed time",
            "for a typical customer order", "in a team of three to five people"]
METHODS = ["observation at the workplace", "practical test", "professional discussion",
           "written test", "portfolio of work samples", "oral presentation"]
FIRST = ["Anna", "Jussi", "Claire", "Iker", "Giulia", "Marta", "Bram", "Lena", "Petr",
         "Ines", "Sven", "Aoife", "Thomas", "Maria", "Luc", "Paula"]
LAST = ["Berger", "Virtanen", "Moreau", "Etxeberria", "Rossi", "Nowak", "de Vries",
        "Huber", "Novak", "Silva", "Lindqvist", "Byrne", "Brandt", "Keller", "Martin"]


def network(size: Size | str, seed: int = 2026) -> dict:
    """The network of `size` as the data `network.yaml` would hold."""
    size = SIZES[size] if isinstance(size, str) else size
    rnd = random.Random(f"{seed}-{size.name}")
    partners = [_partner(rnd, i) for i in range(size.partners)]
    competent = [p["id"] for p in partners if "competent_institution" in p["roles"]]
    per_qual = _spread(size.units, size.qualifications)
    quals = [_qualification(rnd, i, per_qual[i], competent, partners)
             for i in range(size.qualifications)]
    first = partners[0]["id"]
    reviewers = [p["id"] for p in partners[:3]]
    return {
        "title": {"en": f"ECVET network {size.name}: vocational mobility in Europe",
                  "de": f"ECVET-Netzwerk {size.name}: berufliche Mobilitaet in Europa"},
        "file_code": f"MOU-BENCH-{size.name}",
        "languages": ["en"],
        "coordinator": first,
        "objectives": [
            {"en": "Prepare learners for international workplaces through supervised "
                   "placements abroad.",
             "de": "Lernende durch betreute Praktika im Ausland auf internationale "
                   "Arbeitsplaetze vorbereiten."},
        ],
        "valid_from": dt.date(2025, 9, 1),
        "valid_until": dt.date(2030, 8, 31),
        "review": {"reviewers": reviewers, "frequency": "once a year",
                   "by": dt.date(2027, 6, 30)},
        "mobility_duration": {"min_weeks": 2, "max_weeks": 12},
        "arrangements": {
            "assessment": "The host assesses the learner against the unit's criteria.",
            "documentation": "Results go into the personal transcript and Europass Mobility.",
            "validation": "The home institution validates the results recorded by the host.",
            "recognition": "The home institution recognises the validated units.",
            "quality_assurance": "The partners accept each other's quality assurance.",
        },
        "additional_information": "Generated by benchmarks/synth.py for timing mouctl.",
        "partners": partners,
        "covered_organisations": [_covered(rnd, i, partners)
                                  for i in range(max(1, size.partners // 4))],
        "qualifications": quals,
    }


def _spread(total: int, buckets: int) -> list[int]:
    base, extra = divmod(total, buckets)
    return [base + (1 if i < extra else 0) for i in range(buckets)]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _person(rnd: random.Random) -> str:
    return f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"


def _partner(rnd: random.Random, i: int) -> dict:
    code, _ = COUNTRIES[i % len(COUNTRIES)]
    city = CITIES[i % len(CITIES)]
    ident = f"{_slug(city)}-{code.lower()}-{i:03d}"
    roles = ["competent_institution", "sending", "receiving"] if i % 2 == 0 \
        else ["sending", "receiving"]
    if i == 0:
        roles = ["coordinator", *roles]
    return {
        "id": ident,
        "name": f"Vocational College {city} {i:03d}",
        "short_name": f"VC{city[:3].upper()}{i:03d}",
        "country": code,
        "city": city,
        "address": f"Schoolstreet {1 + i % 90}, {10000 + i * 37} {city}",
        "phone": f"+{30 + i % 20} {rnd.randrange(100, 999)} {rnd.randrange(100000, 999999)}",
        "email": f"international@{ident}.example.org",
        "website": f"https://www.{ident}.example.org",
        "oid": f"E{10000000 + i * 7919:08d}",
        # 104729 is prime to 10**8: every index below 10**8 gets its own 9-digit PIC
        "pic": f"{900000000 + i * 104729 % 100_000_000:09d}",
        "roles": roles,
        "contact": {"name": _person(rnd), "position": "International coordinator",
                    "email": f"mobility@{ident}.example.org"},
        "signatory": {"name": _person(rnd), "position": "Head of School"},
    }


def _covered(rnd: random.Random, i: int, partners: list[dict]) -> dict:
    by = partners[i % len(partners)]
    return {
        "id": f"company-{i:03d}",
        "name": f"Training Company {by['city']} {i:03d}",
        "country": by["country"],
        "city": by["city"],
        "covered_by": by["id"],
        "description": {"en": "Host company for work placements.",
                        "de": "Gastbetrieb fuer Praktika."},
    }


def _qualification(rnd, i: int, n_units: int, competent: list[str], partners) -> dict:
    trade = TRADES[i % len(TRADES)]
    ident = f"{_slug(trade)}-{i:03d}"
    awarder = competent[i % len(competent)]
    country = next(p["country"] for p in partners if p["id"] == awarder)
    units = [_unit(rnd, ident, trade, j, partners) for j in range(n_units)]
    return {
        "id": ident,
        "title": {"en": f"{trade} ({i:03d})", "de": f"{TRADES_DE[i % len(TRADES)]} ({i:03d})"},
        "country": country,
        "awarding_institution": awarder,
        "eqf_level": 4,
        "nqf_level": "4",
        "ecvet_points": sum(u["ecvet_points"] for u in units),
        "description": {"en": f"Upper secondary vocational qualification as {trade.lower()}.",
                        "de": "Berufliche Qualifikation der Sekundarstufe II."},
        "register_url": f"https://register.example.eu/{ident}",
        "units": units,
    }


def _outcome(rnd, verbs: list[str], trade: str) -> str:
    return (f"The learner is able to {rnd.choice(verbs)} {rnd.choice(TOPICS)} "
            f"as a {trade.lower()}, {rnd.choice(CONTEXTS)}.")


def _unit(rnd, qual_id: str, trade: str, j: int, partners: list[dict]) -> dict:
    hosts = rnd.sample([p["id"] for p in partners], k=min(2, len(partners)))
    topic = TOPICS[j % len(TOPICS)]
    return {
        "id": f"{qual_id}-u{j:02d}",
        "title": {"en": f"{trade}: {topic} ({j:02d})",
                  "de": f"{trade}: Lerneinheit {j:02d}"},
        "ecvet_points": rnd.choice([5, 10, 15, 20]),
        "hours": rnd.choice([40, 80, 120]),
        "eqf_level": 4,
        "validity": "5 years",
        "description": f"Unit {j:02d} of the {trade.lower()} qualification, "
                       f"centred on {topic}.",
        "learning_outcomes": {
            "knowledge": [_outcome(rnd, VERBS_K, trade) for _ in range(3)],
            "skills": [_outcome(rnd, VERBS_S, trade) for _ in range(3)],
            "competence": [_outcome(rnd, VERBS_C, trade) for _ in range(2)],
        },
        "assessment": {
            "methods": rnd.sample(METHODS, k=2),
            "criteria": [f"The work on {topic} meets the company's quality standard.",
                         "Safety rules are respected at every step."],
            "assessed_by": [hosts[0]],
        },
        "hosts": hosts,
    }


# ---------------------------------------------------------------------------- YAML text
# A small block-style emitter: it writes what a person would (plain scalars where
# safe, flow lists for id lists) and is fast enough to re-emit one entity per
# commit of a 1,000-commit history.

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 .,;()/'+-]*(?<![ ])$")
_RESERVED = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}


def scalar(value) -> str:
    """One YAML scalar: plain when that reads back as the same string, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | dt.date):
        return str(value)
    if value is None:
        return "null"
    if _PLAIN.match(value) and value.lower() not in _RESERVED:
        return value
    return json.dumps(value, ensure_ascii=False)  # JSON strings are YAML double-quoted


def _is_id_list(value: list) -> bool:
    return bool(value) and all(isinstance(v, str) and " " not in v and _PLAIN.match(v)
                               for v in value) and len(value) <= 8


def emit(data, indent: int = 0) -> list[str]:
    """Lines of YAML for a mapping, at `indent` spaces."""
    pad = " " * indent
    lines: list[str] = []
    for key, value in data.items():
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            lines += emit(value, indent + 2)
        elif isinstance(value, list):
            if _is_id_list(value):
                lines.append(f"{pad}{key}: [{', '.join(value)}]")
            elif not value:
                lines.append(f"{pad}{key}: []")
            else:
                lines.append(f"{pad}{key}:")
                lines += emit_list(value, indent + 2)
        else:
            lines.append(f"{pad}{key}: {scalar(value)}")
    return lines


def emit_list(items: list, indent: int) -> list[str]:
    """Lines of YAML for a block sequence at `indent` spaces."""
    pad = " " * indent
    lines: list[str] = []
    for item in items:
        if isinstance(item, dict):
            inner = emit(item, indent + 2)
            lines.append(f"{pad}- {inner[0].lstrip()}")
            lines += inner[1:]
        else:
            lines.append(f"{pad}- {scalar(item)}")
    return lines


def document(data: dict) -> str:
    """A whole YAML file for a mapping."""
    return "\n".join(emit(data)) + "\n"

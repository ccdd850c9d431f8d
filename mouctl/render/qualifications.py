"""Qualifications, units and annexes as the document shows them (pure).

A qualification several countries share is shown per national form; a unit with its
own code, the qualifications it belongs to, its group, parts and the assessment it
inherits; points under their national name ("180 competence points"); annex files
listed once each, Markdown annexes with their text.
"""

from __future__ import annotations

from mouctl.render.context import Languages, LText, Record, join_texts, number, texts


def unit_record(network, q, u, upath: str, index: int, qual: Record,
                by_qualification: dict[str, Record], refs, annexes: Annexes,
                L: Languages) -> Record:
    """A unit as the document shows it: its own code, the qualifications that share it,
    its group, parts, annex and the assessment it inherits from the MoU."""
    lo, asm = u.learning_outcomes, network.unit_assessment(u)
    groups = {g.id: g for g in qual.unit_groups}
    group = groups.get(u.group) if u.group else None
    compulsory = group.compulsory if group is not None else u.compulsory
    annex = u.learning_outcomes_annex or q.learning_outcomes_annex
    quals = [qual, *(by_qualification[i] for i in u.also_part_of
                     if i in by_qualification and i != q.id)]
    return Record(
        _kind="unit", id=u.id, code=u.code, number=u.code or f"A.{index + 1}",
        qualification=qual, qualifications=quals,
        qualification_titles=_titles(qual, quals, L),
        title=L.data(u.title, f"{upath}.title"), ecvet_points=number(u.ecvet_points),
        points=_points(u.ecvet_points, qual.points_name, L),
        hours=number(u.hours), eqf_level=u.eqf_level,
        validity=L.data(u.validity, f"{upath}.validity"),
        description=L.data(u.description, f"{upath}.description"),
        knowledge=texts(L, lo.knowledge, f"{upath}.learning_outcomes.knowledge"),
        skills=texts(L, lo.skills, f"{upath}.learning_outcomes.skills"),
        competence=texts(L, lo.competence, f"{upath}.learning_outcomes.competence"),
        outcomes_annex=annexes.get(annex, f"{upath}.learning_outcomes_annex"),
        methods=texts(L, asm.methods, f"{upath}.assessment.methods"),
        criteria=texts(L, asm.criteria, f"{upath}.assessment.criteria"),
        assessed_by=refs(asm.assessed_by), hosts=refs(u.hosts),
        group=group, compulsory=compulsory,
        status=None if compulsory is None else L.fixed(
            "units.compulsory" if compulsory else "units.optional"),
        parts=[Record(_kind="unit part", code=part.code,
                      title=L.data(part.title, f"{upath}.parts[{pi}].title"),
                      ecvet_points=number(part.ecvet_points), hours=number(part.hours))
               for pi, part in enumerate(u.parts)],
    )


def _titles(qual: Record, quals: list[Record], L: Languages) -> LText:
    """The titles of a unit's qualifications, joined: one text for all the units that
    share them, so that it is escaped once (L: 2,000 units of 200 qualifications)."""
    joined = qual.__dict__.setdefault("_joined_titles", {})
    key = tuple(id(x) for x in quals)
    if key not in joined:
        joined[key] = join_texts([x.title for x in quals], L)
    return joined[key]


def qualification_record(q, qi: int, L: Languages, by_id: dict, annexes: Annexes) -> Record:
    qpath = f"qualifications[{qi}]"
    title = L.name(q.title)  # a national title: a name
    points_name = L.data(q.points_name, f"{qpath}.points_name")
    variants = []
    for vi, v in enumerate(q.variants):
        vpath = f"{qpath}.variants[{vi}]"
        name = L.data(v.points_name, f"{vpath}.points_name") or points_name
        points = v.ecvet_points if v.ecvet_points is not None else q.ecvet_points
        variants.append(Record(
            _kind="qualification variant", country=v.country,
            country_name=L.country(v.country),
            title=L.name(v.title),
            awarding=by_id.get(v.awarding_institution or q.awarding_institution),
            eqf_level=v.eqf_level or q.eqf_level, nqf_level=v.nqf_level or q.nqf_level,
            ecvet_points=number(points), points=_points(points, name, L),
            register_url=v.register_url or q.register_url,
        ))
    return Record(
        _kind="qualification", id=q.id, number=qi + 1, title=title, country=q.country,
        country_name=L.country(q.country) if q.country else None,
        awarding=by_id.get(q.awarding_institution) if q.awarding_institution else None,
        eqf_level=q.eqf_level, nqf_level=q.nqf_level, ecvet_points=number(q.ecvet_points),
        points_name=points_name, points=_points(q.ecvet_points, points_name, L),
        description=L.data(q.description, f"{qpath}.description"),
        register_url=q.register_url, variants=variants, units=[],
        units_listed=q.units_listed.value if q.units_listed else None,
        unit_groups=[Record(_kind="unit group", id=g.id,
                            title=L.data(g.title, f"{qpath}.unit_groups[{gi}].title"),
                            compulsory=g.compulsory, choose_units=g.choose_units,
                            choose_points=number(g.choose_points))
                     for gi, g in enumerate(q.unit_groups)],
        outcomes_annex=annexes.get(q.learning_outcomes_annex,
                                   f"{qpath}.learning_outcomes_annex"),
    )


class Annexes:
    """The annexes the data refers to, each listed once in order of first use."""

    def __init__(self, L: Languages, contents: dict[str, bytes] | None) -> None:
        self.L = L
        self.contents = contents  # None: the caller read no files; annexes are listed only
        self.listed: list[Record] = []
        self._seen: dict[tuple, Record] = {}

    def get(self, annex, path: str) -> Record | None:
        if annex is None:
            return None
        key = (annex.file, annex.url)
        if key in self._seen:
            return self._seen[key]
        title = self.L.data(annex.title, f"{path}.title")
        kind = "url" if annex.url else ("pdf" if annex.file.lower().endswith(".pdf") else "md")
        text = None
        if kind == "md" and self.contents is not None:
            raw = self.contents.get(annex.file)
            if raw is None:
                self.L.warn(f"{path}.file: '{annex.file}' could not be read; the annex is "
                            "listed but not printed")
            else:
                text = raw.decode("utf-8", errors="replace")
        record = Record(_kind="annex", number=len(self.listed) + 1, kind=kind,
                        file=annex.file, url=annex.url,
                        title=title or LText([(lang, annex.file or annex.url)
                                              for lang in self.L.langs]),
                        text=text)
        self._seen[key] = record
        if kind != "url":
            self.listed.append(record)
        return record


def _points(value, name: LText | None, L: Languages) -> LText | None:
    """`180 competence points`, or the bare number when the points have no own name."""
    if value is None:
        return None
    if name is None:
        return LText([(lang, number(value)) for lang in L.langs])
    return LText([(lang, f"{number(value)} {dict(name.versions).get(lang, str(name))}")
                  for lang in L.langs])


def points_label(qualifications: list[Record], names: set[str], L: Languages):
    if not any(q.points_name for q in qualifications):
        return None  # the template's own label (ECVET points)
    if len(names) == 1:
        name = next(q.points_name for q in qualifications if q.points_name)
        return LText([(lang, _capital(text)) for lang, text in name.versions])
    return L.fixed("labels.points")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]

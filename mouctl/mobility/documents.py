"""A mobility's learning agreement and transcript, on the MoU's document model.

The templates (`learning-agreement.md.j2`, `transcript.md.j2` next to `mou.md.j2`)
are filled with the MoU context of the version the mobility rests on (`render.engine
.prepare`: its partners, units and arrangements in the rendered languages) plus the
mobility itself, read into the same document tree as the MoU, and written by the
same writers, so the formats, fixed texts and languages are the MoU's.
"""

from __future__ import annotations

from pathlib import Path

from mouctl.errors import MouError
from mouctl.mobility.framework import Mou
from mouctl.mobility.model import Mobility
from mouctl.render.context import LText, Record, number

LEARNING_AGREEMENT = "learning-agreement.md.j2"
TRANSCRIPT = "transcript.md.j2"


def render(kind: str, m: Mobility, mou: Mou, fmt: str, *, lang: str | None = None,
           bilingual: str | None = None, template: Path | None = None,
           warnings: list[str] | None = None) -> bytes:
    """The learning agreement (`kind` LEARNING_AGREEMENT) or the transcript in `fmt`."""
    from mouctl.render import engine

    if kind == TRANSCRIPT and m.assessment is None:
        raise MouError("the mobility has no assessment recorded, so there is no transcript "
                       "yet", "the host records it under `assessment:` in the mobility file")
    prepared = engine.prepare(mou.network, lang=lang, version=mou.label, template=template,
                              bilingual=bilingual)
    context = dict(prepared.context)
    context["m"] = _mobility(m, context["mou"], prepared.languages)
    context["draft"] = not mou.released
    title = "learning_agreement.title" if kind == LEARNING_AGREEMENT else "transcript.title"
    tree = engine.named_document(prepared, kind, context, title_key=title)
    data = engine.write(tree, fmt, prepared.templates)
    if warnings is not None:
        warnings.extend(prepared.warnings)
    return data


def _mobility(m: Mobility, mou: Record, languages) -> Record:
    """The mobility as the templates see it: references resolved to the MoU's records."""
    partners = {p.id: p for p in mou.partners}
    units = {u.id: u for u in mou.units}
    names = [(code, languages.language_name(m.language, code)) for code in languages.langs]
    assessment = None
    if m.assessment is not None:
        a = m.assessment
        results = [Record(_kind="result", unit=units[r.unit], achieved=r.achieved,
                          points=number(r.points),
                          result=languages.data(r.result, f"assessment.units[{i}].result"))
                   for i, r in enumerate(a.units) if r.unit in units]
        total = sum(r.points or 0 for r in a.units if r.achieved)
        assessment = Record(_kind="assessment", date=a.date, assessor=_person(a.assessor),
                            results=results, total=number(total) if total else None,
                            note=languages.data(a.note, "assessment.note"))
    return Record(
        _kind="mobility", learner=Record(_kind="learner", name=m.learner.name,
                                         email=m.learner.email),
        sending=partners[m.sending], receiving=partners[m.receiving],
        start=m.start, end=m.end, weeks=m.weeks(), days=m.days(),
        language=LText(names),
        units=[units[u] for u in dict.fromkeys(m.units)],
        tasks=[t for i, v in enumerate(m.tasks)
               if (t := languages.data(v, f"tasks[{i}]")) is not None],
        credits=number(m.credits), mentor=_person(m.mentor),
        agreed_on=m.steps.learning_agreement_signed, completed_on=m.steps.completed,
        recognised_on=m.steps.recognition_decided, assessment=assessment,
    )


def _person(person) -> Record | None:
    if person is None:
        return None
    return Record(_kind="person", name=person.name, position=person.position,
                  email=person.email, phone=person.phone)


"""The template context: the network as the document shows it, in its languages.

Templates never see the pydantic model. They see plain records whose texts are
already resolved to the languages being rendered (`LText`), whose references are
resolved to the partners they name, and whose numbers are ready to print. Every
text that had to fall back to another language is recorded as a warning.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from mouctl.model import countries
from mouctl.model.network import Network, Text
from mouctl.render import localise, typography
from mouctl.render.catalogue import LAST_RESORT, Catalogue, merge
from mouctl.source import checks

# A name inside a text: NAME_OPEN name [NAME_LANG lang] NAME_CLOSE, in characters of
# Unicode's private use area (a stray one in the data only marks text as a name). The
# escapers turn them into a name span (never hyphenated, tagged with the name's own
# language); plain() removes them.
NAME_OPEN, NAME_CLOSE, NAME_LANG = "\ue000", "\ue001", "\ue002"


def as_name(text: str, lang: str | None = None) -> str:
    """`text` marked as a name (in `lang`, when that is not the passage's language)."""
    return f"{NAME_OPEN}{text}{NAME_LANG + lang if lang else ''}{NAME_CLOSE}"


# Shared by the texts in their own languages; read-only, so that no template can tag
# every such text with a language by writing into it.
_NO_SOURCES: Mapping[str, str] = MappingProxyType({})


class LText(str):
    """A text in the rendered languages: the value is the first; `versions` has all.

    Escaping and `prose()` show the other languages too (bilingual rendering);
    a version equal to the first is dropped, so plain names are not repeated.
    `sources` says, for a version that is really in another language (a text the
    data lacks in a rendered language, shown in one it has), which one: writers
    tag that passage with its own language.
    """

    versions: tuple[tuple[str, str], ...]
    sources: Mapping[str, str]

    def __new__(cls, versions: Iterable[tuple[str, str]],
                sources: dict[str, str] | None = None) -> LText:
        versions = tuple(versions)
        if len(versions) == 1:  # most texts: one rendered language (L: 35,000 texts)
            unique: tuple[tuple[str, str], ...] = versions if versions[0].__class__ is tuple \
                else (tuple(versions[0]),)
        else:
            kept: list[tuple[str, str]] = []
            for lang, value in versions:
                if not any(value == seen for _, seen in kept):
                    kept.append((lang, value))
            unique = tuple(kept)
        obj = super().__new__(cls, unique[0][1] if unique else "")
        obj.versions = unique
        other = {lang: src for lang, src in sources.items() if src != lang} if sources else None
        obj.sources = other or _NO_SOURCES
        return obj

    def source(self, lang: str) -> str:
        """The language the version rendered for `lang` is really written in."""
        return self.sources.get(lang, lang)


class Record:
    """A read-only bag of attributes for templates (attribute typos stay undefined)."""

    def __init__(self, **fields: object) -> None:
        self.__dict__.update(fields)

    def __repr__(self) -> str:  # shown in template error messages
        return f"<{self.__dict__.get('_kind', 'record')}>"


class Languages:
    """Picks texts for the rendered languages and records every fallback."""

    def __init__(self, langs: list[str], first: str, catalogue: Catalogue,
                 mou_langs: list[str] | None = None) -> None:
        self.langs = langs
        self.first = first
        self.catalogue = catalogue
        # The languages the partners agreed on; a rendered language outside them is a
        # translation, whose data texts come from the MoU's languages by design.
        self.mou_langs = list(mou_langs) if mou_langs else [first]
        self.warnings: list[str] = []
        self._warned: set[str] = set()
        self.fixed_langs = {lang: self._fixed_lang(lang) for lang in langs}

    def translations(self) -> list[str]:
        """The rendered languages that are not languages of the MoU."""
        return [lang for lang in self.langs if lang not in self.mou_langs]

    def warn(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            self.warnings.append(message)

    # -- data ------------------------------------------------------------------
    def data(self, value: Text | None, path: str) -> LText | None:
        """A data text in every rendered language (None stays None)."""
        if value is None:
            return None
        if isinstance(value, str):
            # A single text is in the MoU's first language (a translation shows it so).
            first = self.langs[0]
            return LText([(first, value)],
                         sources={first: self.first} if first != self.first else None)
        out = []
        sources = {}
        for lang in self.langs:
            if lang in value:
                out.append((lang, value[lang]))
                continue
            used = self._available(value)
            if lang in self.mou_langs:
                self.warn(f"{path}: no '{lang}' text; showing the '{used}' text instead")
            out.append((lang, value[used]))
            sources[lang] = used
        return LText(out, sources=sources)

    def _available(self, value: dict) -> str:
        for lang in (self.first, *self.mou_langs):
            if lang in value:
                return lang
        return next(iter(value))

    def name(self, value: Text | None) -> LText | None:
        """A name (legal name, national title): never translated, never dropped.

        A version in a language the MoU does not have is the name in its own
        language (a German legal name in an English MoU): it is printed as the
        name, with the version in the rendered language beside it in brackets.
        A name missing in a rendered language is shown as written, without a warning.
        """
        if value is None:
            return None
        if isinstance(value, str):
            return LText([(self.langs[0], as_name(value))])
        own = [(lang, v) for lang, v in value.items() if lang not in self.mou_langs]
        out = []
        for lang in self.langs:
            local = value.get(lang) or value[self._available(value)]
            legal = [as_name(v, code) for code, v in own if v != local]
            local = as_name(local)
            out.append((lang, f"{' / '.join(legal)} ({local})" if legal else local))
        return LText(out)

    # -- fixed text ------------------------------------------------------------
    def _fixed_lang(self, lang: str) -> str:
        if lang in self.catalogue.texts:
            return lang
        for other in (self.first, LAST_RESORT):
            if other in self.catalogue.texts:
                self.warn(f"the template has no fixed text in '{lang}' (add i18n/{lang}.yaml "
                          f"to the template); showing the '{other}' text instead")
                return other
        raise LookupError(lang)  # the default template always has English

    def fixed_in(self, lang: str, key: str) -> object:
        """The fixed text `key` in one language, falling back with a warning."""
        source = self.fixed_langs[lang]
        value = self.catalogue.lookup(source, key)
        if value is not None:
            return typography.fix(value, source) if isinstance(value, str) else value
        for other in (self.first, LAST_RESORT):
            value = self.catalogue.lookup(other, key)
            if value is not None:
                where = self.catalogue.sources.get(source, f"i18n/{source}.yaml")
                self.warn(f"the template text '{key}' has no '{source}' translation in "
                          f"{where}; showing the '{other}' text instead")
                return typography.fix(value, other) if isinstance(value, str) else value
        return None

    def fixed(self, key: str) -> LText | None:
        """A fixed text in every rendered language."""
        values = [(lang, self.fixed_in(lang, key)) for lang in self.langs]
        if any(not isinstance(v, str) for _, v in values):
            return None
        return LText(values)

    def format(self, key: str, **values: object) -> LText:
        """A fixed text with `{placeholders}` filled in each language (dates localised)."""
        out = []
        for lang in self.langs:
            pattern = self.fixed_in(lang, key)
            if not isinstance(pattern, str):
                raise KeyError(key)
            local = {k: self._localise(v, lang) for k, v in values.items()}
            try:
                out.append((lang, typography.filled(fill(pattern, local))))
            except (KeyError, IndexError, ValueError) as exc:
                # A placeholder mistyped in a template's i18n/xx.yaml: the user's to fix.
                from mouctl.errors import TemplateError

                raise TemplateError(
                    f"i18n/{lang}.yaml: the text '{key}' has an unknown or broken "
                    f"placeholder ({exc})",
                    "use only the {placeholders} of the same text in the default "
                    "templates/default/i18n/en.yaml") from None
        return LText(out)

    def _localise(self, value: object, lang: str) -> str:
        if isinstance(value, dt.date):
            return self.date_in(value, lang)
        if isinstance(value, LText):
            return dict(value.versions).get(lang, str(value))
        if isinstance(value, int | float) and not isinstance(value, bool):
            return localise.number(value, lang)
        return str(value)

    def date_in(self, day: dt.date, lang: str) -> str:
        return localise.date(day, lang)

    def date(self, day: dt.date | None) -> LText | None:
        """A date as the rendered languages write it (31 August 2028, 31. August 2028)."""
        if day is None:
            return None
        return LText([(lang, self.date_in(day, lang)) for lang in self.langs])

    def country(self, code: str) -> LText:
        """A country's name in every rendered language (a template's own list first)."""
        out = []
        for lang in self.langs:
            names = self.catalogue.lookup(self.fixed_langs[lang], "countries") or {}
            name = names.get(code) if isinstance(names, dict) else None
            name = name or localise.country(code, self.fixed_langs[lang])
            out.append((lang, name or countries.NAMES.get(code, code)))
        return LText(out)

    def language_name(self, code: str, in_lang: str) -> str:
        """The name of language `code` in `in_lang` (a template's own list first)."""
        names = self.catalogue.lookup(self.fixed_langs.get(in_lang, in_lang), "languages")
        if isinstance(names, dict) and names.get(code):
            return names[code]
        return localise.language(code, in_lang) or code

    def number(self, value: float | int | None) -> LText | None:
        """Points and weeks in every rendered language (7,5 in German)."""
        if value is None:
            return None
        return LText([(lang, localise.number(value, lang)) for lang in self.langs])

    def names(self, items: list, lang: str | None = None) -> LText:
        """A list of names joined per language ("A, B and C"; "A, B und C")."""
        langs = [lang] if lang else self.langs
        return LText([(code, localise.names([dict(getattr(i, "versions", ())).get(code, str(i))
                                             for i in items], code))
                      for code in langs])

    def colon(self, value: object) -> LText:
        """A label followed by a colon, spaced as its language spaces it.

        In two languages ("File code / Aktenzeichen:") the colon follows the last one.
        """
        versions = getattr(value, "versions", None) or ((self.langs[0], str(value)),)
        *head, (lang, text) = versions
        return LText([*head, (lang, typography.colon(text, lang))])

    def labels(self) -> Record:
        """Every fixed text as nested records: `t.labels.country`, `t.sections.units`."""
        shape: dict = {}
        for lang in (LAST_RESORT, self.first, *self.fixed_langs.values()):
            shape = merge(shape, self.catalogue.texts.get(lang, {}))
        return self._tree(shape, "")

    def _tree(self, shape: dict, prefix: str) -> Record:
        fields: dict[str, object] = {}
        lazy: dict[str, str] = {}
        for key, value in shape.items():
            if not isinstance(key, str) or not key.isidentifier():
                continue
            full = f"{prefix}{key}"
            if isinstance(value, dict) and key not in ("countries", "languages"):
                fields[key] = self._tree(value, full + ".")
            elif isinstance(value, str):
                lazy[key] = full
        return _LazyRecord(self, lazy, fields)


class _LazyRecord(Record):
    """Fixed texts resolved on first use, so that unused keys never warn."""

    def __init__(self, languages: Languages, lazy: dict[str, str], fields: dict) -> None:
        super().__init__(**fields)
        self.__dict__["_languages"] = languages
        self.__dict__["_lazy"] = lazy

    def __getattr__(self, name: str) -> object:  # only for names not resolved yet
        key = self.__dict__["_lazy"].get(name)
        if key is None:
            raise AttributeError(name)
        value = self.__dict__["_languages"].fixed(key)
        self.__dict__[name] = value
        return value


MAX_FILL_WIDTH = 100  # the widest `{name:>N}` a catalogue text may ask for
_SIMPLE_SPEC = re.compile(r"^(?:.?[<>^])?([0-9]{0,3})$")


def fill(pattern: str, values: dict[str, object]) -> str:
    """`pattern` with its `{name}` placeholders filled from `values`.

    Catalogue texts come from a template's `i18n/*.yaml`, which anyone in the network
    may commit; `str.format` would let `{day.__class__.__mro__}` reach Python's
    internals and `{day:>1500000000}` build 1.5 GB. Only plain names and a simple
    alignment with a width up to MAX_FILL_WIDTH are accepted; anything else is a
    ValueError naming the placeholder.
    """
    out = []
    for literal, name, spec, conversion in string.Formatter().parse(pattern):
        out.append(literal)
        if name is None:
            continue
        if not name.isidentifier():
            raise ValueError(f"'{{{name}}}' is not a plain placeholder name")
        if conversion:
            raise ValueError(f"'{{{name}!{conversion}}}': conversions are not allowed")
        match = _SIMPLE_SPEC.match(spec or "")
        if match is None or (match.group(1) and int(match.group(1)) > MAX_FILL_WIDTH):
            raise ValueError(f"'{{{name}:{spec}}}': only an alignment and a width up to "
                             f"{MAX_FILL_WIDTH} are allowed")
        if name not in values:
            raise KeyError(name)
        out.append(format(str(values[name]), spec or ""))
    return "".join(out)


def number(value: float | int | None) -> str | None:
    """Points and weeks without a useless `.0` (language-neutral; see Languages.number)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)



def build(network: Network, languages: Languages,
          annexes: dict[str, bytes] | None = None) -> Record:
    """The `mou` record templates render: every section's data, references resolved.

    `annexes` holds the contents of the network's annex files by name (Markdown
    annexes are printed in the document; PDF annexes are listed and appended).
    """
    from mouctl.render.qualifications import (
        Annexes,
        points_label,
        qualification_record,
        unit_record,
    )

    L = languages
    partners = [_partner(p, i, L) for i, p in enumerate(network.partners)]
    organisations = [_organisation(o, i, L) for i, o in enumerate(network.organisations)]
    by_id = {p.id: p for p in [*partners, *organisations]}
    covered = []
    for ci, c in enumerate(network.covered_organisations):
        cpath = f"covered_organisations[{ci}]"
        name = L.name(c.name)
        roles = _roles(c.roles, L)
        covered.append(Record(
            _kind="covered organisation", id=c.id, number=ci + 1, name=name, label=name,
            country=c.country, country_name=L.country(c.country), city=c.city,
            address=c.address, website=c.website,
            covered_by=by_id.get(c.covered_by) if c.covered_by else None,
            description=L.data(c.description, f"{cpath}.description"),
            roles=[r.value for r in c.roles], role_names=roles, role_text=join_texts(roles, L),
        ))
    by_id.update({c.id: c for c in covered if c.id not in by_id})

    def refs(ids: list[str]) -> list[Record]:
        return [by_id[i] for i in ids if i in by_id]

    annex_records = Annexes(L, annexes)
    qualifications = []
    by_qualification: dict[str, Record] = {}
    for qi, q in enumerate(network.qualifications):
        qual = qualification_record(q, qi, L, by_id, annex_records)
        qualifications.append(qual)
        by_qualification[q.id] = qual
    units = []
    for qi, q in enumerate(network.qualifications):
        qual = by_qualification[q.id]
        for ui, u in enumerate(q.units):
            unit = unit_record(network, q, u, f"qualifications[{qi}].units[{ui}]", len(units),
                               qual, by_qualification, refs, annex_records, L)
            qual.units.append(unit)
            units.append(unit)

    review = None
    if network.review is not None:
        r = network.review
        review = Record(
            _kind="review", reviewers=refs(r.reviewers),
            frequency=L.data(r.frequency, "review.frequency"), by=r.by,
            procedure=L.data(r.procedure, "review.procedure"),
        )
    md = network.mobility_duration
    a = network.arrangements
    arrangements = Record(_kind="arrangements", **{
        name: L.data(getattr(a, name), f"arrangements.{name}")
        for name in ("assessment", "documentation", "validation", "recognition",
                     "quality_assurance")
    })
    points_names = {str(q.points_name) for q in qualifications if q.ecvet_points or q.units}
    return Record(
        _kind="mou",
        title=L.data(network.title, "title"), file_code=network.file_code,
        kind=str(network.kind), declaratory=network.kind == "declaratory",
        languages=list(network.languages),
        coordinator=by_id.get(network.coordinator) if network.coordinator else None,
        objectives=texts(L, network.objectives, "objectives"),
        valid_from=network.valid_from, valid_until=network.valid_until,
        review=review,
        mobility_duration=Record(_kind="mobility duration", min_weeks=L.number(md.min_weeks),
                                 max_weeks=L.number(md.max_weeks)) if md else None,
        arrangements=arrangements,
        additional_information=L.data(network.additional_information,
                                      "additional_information"),
        partners=partners, organisations=organisations, covered_organisations=covered,
        qualifications=qualifications, units=units,
        # One column header when every qualification counts the same points.
        points_label=points_label(qualifications, points_names, L),
        # Mixed names under a plain "Points" header: each cell names its points.
        points_in_cells=len(points_names) > 1 and any(q.points_name for q in qualifications),
        annex_files=annex_records.listed,
        # A draft that lacks what a release needs says so on its first page.
        draft_gaps=len(checks.release_gaps(network)),
        **_lifecycle(network, L),
    )


def _lifecycle(network: Network, L: Languages) -> dict:
    """The MoU's life as the document states it: the project (section 0), validity
    tied to the project's end, adhesion and withdrawal, the MoU it replaces."""
    project = network.project
    w = network.withdrawal
    r = network.replaces
    return dict(
        project=Record(
            _kind="project", programme=project.programme, code=project.code,
            title=L.data(project.title, "project.title"), website=project.website,
            start=project.start, end=project.end) if project else None,
        # "until the end of the project, at the latest DATE": DATE is the cap the
        # partners wrote (valid_until), else the project's planned end.
        until_project_end=bool(network.valid_until_project_end and project and project.end),
        latest_end=network.valid_until or (project.end if project else None),
        open_to_adhesion=network.open_to_adhesion,
        withdrawal=Record(_kind="withdrawal", notice_days=w.notice_days,
                          procedure=L.data(w.procedure, "withdrawal.procedure"))
        if w is not None else None,
        replaces=Record(_kind="replaced MoU", title=L.data(r.title, "replaces.title"),
                        # `mou-v1.1` / `mou2-v1.0` -> 1.1 / 1.0 (the model checks the tag's form);
                        # a document names versions, not git tags.
                        version=r.release.partition("-v")[2] or r.release if r.release else None,
                        date=r.date)
        if r is not None else None,
    )


def texts(L: Languages, values: list[Text], path: str) -> list[LText]:
    return [t for i, v in enumerate(values) if (t := L.data(v, f"{path}[{i}]")) is not None]


def _roles(roles, L: Languages) -> list[LText]:
    return [L.fixed(f"roles.{r.value}") or LText([(L.langs[0], r.value)]) for r in roles]


def join_texts(items: list[LText], L: Languages) -> LText:
    """Texts joined with commas in each rendered language."""
    return LText([(lang, ", ".join(dict(r.versions).get(lang, str(r)) for r in items))
                  for lang in L.langs])


def _partner(p, index: int, L: Languages) -> Record:
    path = f"partners[{index}]"
    name = L.name(p.name)  # a legal name: never translated, never warned
    roles = _roles(p.roles, L)
    return Record(
        _kind="partner", id=p.id, number=index + 1, name=name,
        short_name=p.short_name, label=p.short_name or name,
        country=p.country, country_name=L.country(p.country), city=p.city,
        address=p.address, phone=p.phone, email=p.email, website=p.website,
        oid=p.oid, pic=p.pic, roles=[r.value for r in p.roles], role_names=roles,
        role_text=join_texts(roles, L), role=L.data(p.role, f"{path}.role"),
        contact=_person(p.contact), signatory=_person(p.signatory), signs=True,
    )


def _organisation(o, index: int, L: Languages) -> Record:
    path = f"organisations[{index}]"
    name = L.name(o.name)
    roles = _roles(o.roles, L)
    return Record(
        _kind="organisation", id=o.id, number=index + 1, name=name, label=name,
        country=o.country, country_name=L.country(o.country), city=o.city,
        address=o.address, website=o.website, roles=[r.value for r in o.roles],
        role_names=roles, role_text=join_texts(roles, L), role=L.data(o.role, f"{path}.role"),
        contact=_person(o.contact), signs=False,
    )


def _person(person) -> Record | None:
    if person is None:
        return None
    return Record(_kind="person", name=as_name(person.name) if person.name else person.name,
                  position=person.position,
                  email=person.email, phone=person.phone)


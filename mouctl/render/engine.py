"""Render the MoU: network -> template context -> document tree -> Markdown, HTML, Word, PDF.

The Jinja template (`mou.md.j2`) writes the document once, as Markdown with
anchors; `markup.parse` reads it into the document tree (`document.py`) and one
writer per format walks that tree. Templates run in Jinja's sandbox with strict
undefined variables, data is escaped by `finalize` (see `escaping.py`), and
template mistakes become TemplateErrors that name the template file and line.
Rendering is pure and byte-deterministic: the same data, template, language and
version label give the same bytes.
"""

from __future__ import annotations

import os
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from mouctl import collector, files
from mouctl.errors import MouError, TemplateError, UsageError
from mouctl.model.languages import is_language, suggestion
from mouctl.model.network import Network
from mouctl.render import catalogue as labels
from mouctl.render import localise
from mouctl.render.context import Languages, LText, build, number
from mouctl.render.document import Document
from mouctl.render.edition import Edition, from_label

FORMATS = ("md", "html", "docx", "pdf")
MAIN_TEMPLATE = "mou.md.j2"
STYLE_SHEET = "style.css"
DEFAULT_TEMPLATE = "default"
# Before the document tree, HTML and PDF had a template of their own.
_RETIRED = "mou.html.j2"
_LANG = re.compile(r"^[a-z]{2}$")


def templates_root() -> Path:
    """The folder holding the bundled templates (`default/`).

    In a wheel the top-level `templates/` folder is installed as `mouctl/templates`;
    in a source checkout or editable install it sits next to the package.
    """
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "templates", package.parent / "templates"):
        if (candidate / DEFAULT_TEMPLATE / MAIN_TEMPLATE).is_file():
            return candidate
    raise TemplateError("the default template is missing from this mouctl installation",
                        "reinstall mouctl: python3 -m pip install --force-reinstall mouctl")


@dataclass
class TemplateSet:
    """Where templates are looked up: the user's folder first, then the default."""

    folders: list[Path]
    main_file: str | None = None  # a single template file given with --template FILE
    user: Path | None = None

    def main(self) -> str:
        return self.main_file or MAIN_TEMPLATE

    def style(self) -> str:
        """The default style sheet, then the user's `style.css` (its rules win)."""
        sheets = [(templates_root() / DEFAULT_TEMPLATE / STYLE_SHEET).read_text("utf-8")]
        if self.user is not None and self.main_file is None:
            own = self.user / STYLE_SHEET
            if os.path.lexists(own):
                try:
                    sheets.append(files.read_text(own, self.user, what="template folder"))
                except files.FileProblem as exc:
                    raise TemplateError(exc.message, exc.hint) from None
        return "\n".join(sheets)


def template_set(template: Path | str | None) -> TemplateSet:
    """The template folders for `--template PATH` (a folder or one template file)."""
    from mouctl.trace import note

    default = templates_root() / DEFAULT_TEMPLATE
    if template is None:
        note("template: the default (%s)", default)
        return TemplateSet([default])
    note("template: %s, then the default", template)
    path = Path(template)
    try:
        if path.is_dir():
            files.check_folder(path, what="template folder")
            if (path / _RETIRED).is_file():
                raise _retired(path / _RETIRED)
            return TemplateSet([path, default], user=path)
        if os.path.lexists(path):
            problem = files.inspect(path, path.parent)
            if problem is not None:  # a folder or pipe named as the template file
                raise files.FileProblem(path, *problem)
            if path.name.endswith((".html.j2", ".html")):
                raise _retired(path)
            return TemplateSet([path.parent, default], main_file=path.name, user=path)
    except files.FileProblem as exc:
        raise TemplateError(exc.message, exc.hint) from None
    raise TemplateError(f"template '{template}' not found",
                        "give a template folder (with mou.md.j2, style.css, i18n/) "
                        "or one template file")


def _retired(path: Path) -> TemplateError:
    """The migration message for an HTML template, which no format reads any more."""
    return TemplateError(
        f"{_show(str(path))}: HTML templates are no longer used; every format (Markdown, "
        "HTML, PDF, Word) is now written from the one Markdown template mou.md.j2",
        "move wording changes into mou.md.j2 (its blocks have the same names: {% extends "
        "\"default/mou.md.j2\" %} and override a block), CSS rules into style.css next to "
        "it, and delete the HTML template; see docs/rendering.md")


@dataclass
class Prepared:
    """Everything a format writer needs: the context and the warnings so far."""

    context: dict
    languages: Languages
    templates: TemplateSet
    warnings: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # said to the user, not warnings


def prepare(network: Network, *, lang: str | None = None, version: str = "draft",
            template: Path | str | None = None, bilingual: str | None = None,
            fingerprint: str | None = None, edition: Edition | None = None,
            annexes: dict[str, bytes] | None = None) -> Prepared:
    """Resolve languages, fixed texts and data into the template context.

    `fingerprint` is the network's, when the caller has computed it already;
    `edition` says which release (and date) the document is, or that it is a draft.
    `annexes`: the contents of the network's annex files by name; Markdown annexes
    are printed in the document, PDF annexes appended to a PDF. Without it, annexes
    are listed only.
    """
    first = network.languages[0]
    for code in (lang, bilingual):
        if code is not None and not is_language(code):
            meant = suggestion(code)
            raise UsageError(
                f"'{code}' is not {'an ISO 639-1' if _LANG.match(code) else 'a'} language code",
                f"did you mean '{meant}'?" if meant else
                "use a two-letter ISO 639-1 code such as en, de or fr")
    langs = order_languages([lang or first, bilingual], list(network.languages))
    templates = template_set(template)
    # The rendered languages, the MoU's first and the last resort: all a rendering reads.
    catalogue = labels.load(templates.folders, {*langs, first, labels.LAST_RESORT})
    languages = Languages(langs, first, catalogue, list(network.languages))
    with collector.paused():  # hundreds of thousands of records and texts (see there)
        mou = build(network, languages, annexes)
    translated = languages.translations()
    context = {
        "mou": mou,
        "t": languages.labels(),
        "lang": langs[0],
        "langs": langs,
        "bilingual": len(langs) > 1,
        "version": _version_label(languages, version),
        "edition": edition or from_label(version),
        "version_line": _version_line(languages, edition or from_label(version)),
        "fingerprint": fingerprint or network.fingerprint(),
        "tr": languages.format,
        "date": languages.date,
        "number": number,
        "names": languages.names,
        "colon": languages.colon,
        "language_names": LText([
            (code, localise.names([languages.language_name(x, code)
                                   for x in network.languages], code))
            for code in langs]),
        "first_language": LText([(code, _first_language(languages, code, first))
                                 for code in langs]),
        "translation_note": None,
        "annex_pdfs": [(f.file, (annexes or {}).get(f.file)) for f in mou.annex_files
                       if f.kind == "pdf"],
    }
    notices = []
    if translated:
        note = languages.format("translation_note", languages=context["language_names"],
                                first=context["first_language"])
        # Said in the translated languages only: the authoritative text is no translation.
        context["translation_note"] = LText([v for v in note.versions if v[0] in translated])
        names = ", ".join(network.languages)
        notices.append(f"the MoU is drawn up in {names}; this rendering in "
                       f"{', '.join(translated)} is a translation, and the document says so")
    return Prepared(context, languages, templates, languages.warnings, notices)


def _version_line(languages: Languages, edition: Edition) -> LText:
    """`Version 1.0 of 12 March 2026` or `Draft of 30 November 2026`, in each language."""
    if edition.release:
        if edition.date:
            return languages.format("edition.release", version=edition.version,
                                    date=edition.date)
        return languages.format("edition.release_undated", version=edition.version)
    if edition.date:
        return languages.format("edition.draft", date=edition.date)
    return languages.format("edition.draft_undated")



_VERSION_LABELS = [  # the labels history.describe_version gives, in the catalogue's words
    (re.compile(r"^draft$"), "version_labels.draft"),
    (re.compile(r"^draft \(not in git\)$"), "version_labels.not_in_git"),
    (re.compile(r"^draft \(no commits yet\)$"), "version_labels.no_commits"),
    (re.compile(r"^draft \(uncommitted changes on (?P<commit>[0-9a-f]+)\)$"),
     "version_labels.uncommitted"),
    (re.compile(r"^commit (?P<commit>[0-9a-f]+)$"), "version_labels.commit"),
]


def _version_label(languages: Languages, version: str) -> LText | str:
    """The footer's version label in the document's languages (a release tag stays)."""
    for pattern, key in _VERSION_LABELS:
        match = pattern.match(version)
        if match:
            return languages.format(key, **match.groupdict())
    return version


def order_languages(wanted: list[str | None], mou_langs: list[str]) -> list[str]:
    """The rendered languages, the authoritative one first (the MoU's order wins)."""
    langs: list[str] = []
    for code in wanted:
        if code and code not in langs:
            langs.append(code)
    rank = {code: i for i, code in enumerate(mou_langs)}
    return sorted(langs, key=lambda code: rank.get(code, len(rank)))


def _first_language(languages: Languages, in_lang: str, code: str) -> str:
    """The authoritative language as the sentence needs it ("englische" in German)."""
    forms = languages.catalogue.lookup(languages.fixed_langs[in_lang], "language_forms")
    if isinstance(forms, dict) and isinstance(forms.get(code), str):
        return forms[code]
    return languages.language_name(code, languages.fixed_langs[in_lang])


def document(network: Network, *, lang: str | None = None, version: str = "draft",
             template: Path | str | None = None, bilingual: str | None = None,
             warnings: list[str] | None = None, notices: list[str] | None = None,
             edition: Edition | None = None,
             annexes: dict[str, bytes] | None = None,
             fingerprint: str | None = None) -> Document:
    """The MoU as a document tree (what every writer walks); `fingerprint`: the
    network's data fingerprint, when the caller has computed it already."""
    prepared = prepare(network, lang=lang, version=version, template=template,
                       bilingual=bilingual, edition=edition, annexes=annexes,
                       fingerprint=fingerprint)
    tree = build_document(prepared)
    if warnings is not None:
        warnings.extend(prepared.warnings)
    if notices is not None:
        notices.extend(prepared.notices)
    return tree


def build_document(prepared: Prepared) -> Document:
    """Run the template and read its Markdown into the document tree."""
    from mouctl.render import markup
    from mouctl.render.escaping import plain

    ctx = prepared.context
    with collector.paused():
        blocks = markup.parse_lines(*_render_lines(prepared))
    t = ctx["t"]
    labels = {key: plain(getattr(t, key)) for key in ("version", "fingerprint", "page",
                                                       "page_of", "file_code")}
    edition = ctx["edition"]
    labels["draft_mark"] = plain(t.edition.mark) if edition.draft else ""
    labels["version_line"] = plain(ctx["version_line"])
    labels["contents"] = plain(t.contents)
    return Document(blocks, lang=ctx["lang"], langs=list(ctx["langs"]),
                    title=plain(ctx["mou"].title), version=plain(ctx["version"]),
                    fingerprint=ctx["fingerprint"], file_code=ctx["mou"].file_code,
                    labels=labels, draft=edition.draft, date=edition.date)


def render_markdown(network: Network, *, lang: str | None = None, version: str = "draft",
                    template: Path | str | None = None, bilingual: str | None = None,
                    warnings: list[str] | None = None,
                    notices: list[str] | None = None,
                    fingerprint: str | None = None) -> str:
    """The MoU as Markdown text (deterministic; warnings appended to `warnings`);
    `fingerprint`: the network's data fingerprint, when the caller has it."""
    from mouctl.render import md_writer

    return md_writer.write(document(network, lang=lang, version=version, template=template,
                                    bilingual=bilingual, warnings=warnings,
                                    notices=notices, fingerprint=fingerprint))


class Handed:
    """A network handed over to `render`, which lets it go once the template context is
    built: its memory then serves the document (L: the model is 60 of 150 MiB at the
    peak of a Word rendering). The caller keeps no other reference to it."""

    def __init__(self, network: Network) -> None:
        self.network: Network | None = network


def render(network: Network | Handed, fmt: str, *, lang: str | None = None, version: str = "draft",
           template: Path | str | None = None, bilingual: str | None = None,
           warnings: list[str] | None = None, fingerprint: str | None = None,
           notices: list[str] | None = None, edition: Edition | None = None,
           annexes: dict[str, bytes] | None = None) -> bytes:
    """The MoU in `fmt` (md, html, docx or pdf) as the bytes of the file (`network`
    may be `Handed` over: see there)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'", f"choose one of {', '.join(FORMATS)}")
    if isinstance(network, Handed):
        holder, network = network, network.network
        holder.network = None
    # The whole rendering runs without the cyclic collector: the context, the tree and
    # the writers' output are acyclic, and collections scanning the loaded network's
    # objects over and over cost more than the work (L: prepare 0.27 -> 0.11 s). The
    # context and the tree are dropped before it runs again, so that its first
    # collection does not walk them (L: 0.1 s), the context already before writing.
    with collector.paused():
        prepared = prepare(network, lang=lang, version=version, template=template,
                           bilingual=bilingual, fingerprint=fingerprint, edition=edition,
                           annexes=annexes)
        del network  # the context has what the document needs (a Handed network goes)
        tree = build_document(prepared)
        templates, annex_pdfs = prepared.templates, prepared.context["annex_pdfs"]
        said, notes = prepared.warnings, prepared.notices
        _release(prepared.context)
        del prepared  # the writers need the tree only (Word: 15 MB less at the peak)
        data = write(tree, fmt, templates)
        del tree
    if fmt == "pdf" and annexes is not None and annex_pdfs:
        from mouctl.render import pdf

        data = pdf.append(data, annex_pdfs, said)
    if warnings is not None:
        warnings.extend(said)
    if notices is not None:
        notices.extend(notes)
    return data


def _release(context: dict) -> None:
    """Break the context's reference cycles (a qualification lists its units, each
    unit names its qualification), so that reference counting frees it at once
    instead of the cyclic collector walking all of it (L: 300,000 objects, 0.15 s)."""
    for qualification in context["mou"].qualifications:
        qualification.units = []


def named_document(prepared: Prepared, name: str, context: dict, *,
                   title_key: str) -> Document:
    """Run the template `name` (a document beside the MoU: learning agreement,
    declaration of adhesion ...) with `context` and read it into the document tree;
    `title_key` is the fixed text that titles it."""
    from mouctl.render import markup
    from mouctl.render.escaping import plain

    env = environment(prepared.templates)
    try:
        template = env.get_template(name)
        # As for the MoU: only a template of the network's or the user's own is bounded.
        lines = _run(template, context, bounded=prepared.templates.user is not None)
    except Exception as exc:  # noqa: BLE001 - every template failure becomes a TemplateError
        raise _template_error(exc, env, name) from None
    blocks = markup.parse_lines(lines, env.prebuilt)
    t = context["t"]
    labels = {key: plain(getattr(t, key)) for key in ("version", "fingerprint", "page",
                                                       "page_of", "file_code")}
    edition = context["edition"]
    labels["draft_mark"] = plain(t.edition.mark) if edition.draft else ""
    title = prepared.languages.fixed(title_key)
    return Document(blocks, lang=context["lang"], langs=list(context["langs"]),
                    title=plain(title) if title is not None else name,
                    version=context["version"], fingerprint=context["fingerprint"],
                    file_code=context["mou"].file_code, labels=labels,
                    draft=edition.draft, date=edition.date)


def write(tree: Document, fmt: str, templates: TemplateSet | None = None) -> bytes:
    """A document tree as the bytes of a file in `fmt`."""
    if fmt == "md":
        from mouctl.render import md_writer

        return md_writer.write(tree).encode("utf-8")
    if fmt == "docx":
        from mouctl.render import docx_writer

        return docx_writer.write(tree)
    from mouctl.render import html_writer

    html = html_writer.write(tree, (templates or template_set(None)).style())
    if fmt == "html":
        return html.encode("utf-8")
    from mouctl.render import pdf

    return pdf.from_html(html, pdf.metadata({"version": tree.version,
                                             "fingerprint": tree.fingerprint,
                                             "langs": tree.langs}))


# -- the Jinja environment -------------------------------------------------------------


def environment(templates: TemplateSet):
    """The Jinja environment of a template set (Markdown with anchors): sandboxed
    whenever a template of the network's or the user's own takes part."""
    from jinja2 import ChoiceLoader, Environment, StrictUndefined

    from mouctl.render import escaping, markup, unit_annex
    from mouctl.render.sandbox import ContainedLoader, Sandbox

    root = templates_root()
    loader = ChoiceLoader([ContainedLoader(str(f)) for f in templates.folders]
                          + [ContainedLoader(str(root))])  # "default/mou.md.j2" for extends
    # The default templates ship with mouctl and are as trusted as its code: the
    # sandbox's checks on every attribute and call cost a third of the template's run
    # (L: 0.65 -> 0.43 s) and protect against nothing there. Data is escaped the same
    # way in both (`finalize`).
    kind = Sandbox if templates.user is not None else Environment
    env = kind(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=False,
        finalize=escaping.md_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    if kind is Environment:  # shipped templates only: compiled once, kept between runs
        from mouctl.render.compiled import bytecode_cache

        env.bytecode_cache = bytecode_cache(env)
    env.globals["prose"] = escaping.md_prose
    env.globals["annex_text"] = escaping.annex_markdown
    env.globals["anchor"] = escaping.anchor
    env.globals["begin"] = escaping.begin
    env.globals["end"] = escaping.end
    env.globals["blank"] = escaping.Markdown(escaping.BLANK)
    env.globals["unit_description"] = unit_annex.unit_description
    # The blocks helpers build during this environment's one rendering (markup.Prebuilt).
    env.prebuilt = markup.Prebuilt()
    env.filters["plain"] = escaping.plain
    env.filters["css_string"] = escaping.css_string
    return env


def _render_lines(prepared: Prepared):
    """Run the template with the prepared context: its Markdown with markers (see
    markup.py) as lines, which the Markdown reader takes as they are, and the blocks
    its helpers built (`markup.Prebuilt`)."""
    env = environment(prepared.templates)
    name = prepared.templates.main()
    try:
        template = env.get_template(name)
        # Only a template of the network's or the user's own needs its output bounded.
        lines = _run(template, prepared.context, bounded=prepared.templates.user is not None)
    except Exception as exc:  # noqa: BLE001 - every template failure becomes a TemplateError
        raise _template_error(exc, env, name) from None
    return lines, env.prebuilt


def _run(template, context: dict, *, bounded: bool) -> list[str]:
    """`template.render(context)`, tidied (`_tidy`), as lines. `bounded`: the output is
    counted chunk by chunk as it is written, so that a template that writes without end is
    stopped at MAX_OUTPUT characters, not when memory runs out (a template of the
    network's or the user's own).

    Jinja's render context ends up in reference cycles that hold the whole template
    context (every record of the MoU): emptied here, reference counting frees it at
    once instead of the cyclic collector walking it (L: 300,000 objects, 0.15 s).
    """
    from jinja2.sandbox import SecurityError

    from mouctl.render.sandbox import MAX_OUTPUT

    ctx = template.new_context(context)  # a copy: emptying it leaves `context` whole
    try:
        if not bounded:
            try:
                text = template.environment.concat(template.root_render_func(ctx))
            except Exception:  # noqa: BLE001 - as Template.render: template lines in the traceback
                return template.environment.handle_exception()
        else:
            chunks, size = [], 0
            for chunk in _chunks(template, ctx):
                size += len(chunk)
                if size > MAX_OUTPUT:
                    raise SecurityError(
                        f"the template wrote more than {MAX_OUTPUT:,} characters")
                chunks.append(chunk)
            text = "".join(chunks)
            del chunks
    finally:
        ctx.vars.clear()
        ctx.parent.clear()
    lines = text.split("\n")
    del text
    return _tidy_lines(lines, headings=True)


def _chunks(template, ctx):
    """The template's output chunk by chunk (as Template.generate, with our context)."""
    try:
        yield from template.root_render_func(ctx)
    except Exception:  # noqa: BLE001 - as Template.generate: template lines in the traceback
        yield template.environment.handle_exception()


def _tidy(text: str, *, headings: bool = False) -> str:
    """No trailing spaces, at most one blank line, one final newline.

    In Markdown a heading also gets a blank line before it, so that a custom block
    that does not end with one still starts the next section cleanly.
    """
    return "\n".join(_tidy_lines(text.split("\n"), headings=headings))


def _tidy_lines(lines: list[str], *, headings: bool = False) -> list[str]:
    """`_tidy` of a text split into lines, as lines (the last one empty: the final
    newline). The caller drops the text itself first and the parser reads the lines:
    L's template writes 6 MB (12 MB in memory), and the text, its lines and the tidied
    text alive at once made the peak of a rendering."""
    out: list[str] = []
    append = out.append
    for line in lines:
        line = line.rstrip()
        if not line:
            if out and not out[-1]:
                continue
        elif headings and line[0] == "#" and out and out[-1]:
            append("")
        append(line)
    lines.clear()
    start, end = 0, len(out)
    while start < end and not out[start]:
        start += 1
    while end > start and not out[end - 1]:
        end -= 1
    del out[end:]
    del out[:start]
    out.append("")
    if len(out) == 1:
        out.append("")  # nothing but the final newline
    return out


# -- template errors in the user's words --------------------------------------------------

_NO_ATTRIBUTE = re.compile(r"has no attribute '([^']+)'")
_UNDEFINED = re.compile(r"^'([^']+)' is undefined$")


def _template_error(exc: Exception, env, name: str) -> TemplateError:
    from jinja2 import TemplateNotFound, TemplateRuntimeError, TemplateSyntaxError, UndefinedError
    from jinja2.sandbox import SecurityError

    if isinstance(exc, MouError):  # a template file refused by the reader
        return TemplateError(exc.message, exc.hint)
    if isinstance(exc, TemplateNotFound):
        return TemplateError(f"template '{exc.name}' not found",
                             "check the name in {% extends %} / {% include %}; the default "
                             "template is reached as 'default/mou.md.j2'")
    if isinstance(exc, TemplateSyntaxError):
        where = _show(exc.filename or exc.name or name)
        return TemplateError(f"{where}:{exc.lineno}: {exc.message}",
                             "fix the template syntax (see docs/rendering.md)")
    filename, line = _location(exc)
    where = f"{_show(filename)}:{line}" if filename else _show(name)
    if isinstance(exc, UndefinedError):
        message = _undefined_message(str(exc.message), filename, line)
        return TemplateError(f"{where}: {message}",
                             "check the spelling; docs/rendering.md lists every field "
                             "templates can use")
    if isinstance(exc, SecurityError):
        return TemplateError(f"{where}: not allowed in a template: {exc}",
                             "templates run in a sandbox: use the fields of the MoU only")
    if type(exc) is TemplateRuntimeError:  # a helper's refusal, in its own words
        return TemplateError(f"{where}: {exc}", "fix the template expression on this line")
    return TemplateError(f"{where}: {type(exc).__name__}: {exc}",
                         "fix the template expression on this line")


def _location(exc: Exception) -> tuple[str | None, int | None]:
    """The innermost template file and line of a failure during rendering."""
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".j2", ".jinja", ".html", ".md")) or "template" in (
            frame.name or ""
        ):
            if os.path.isfile(frame.filename):
                found = (frame.filename, frame.lineno)
    return found


def _undefined_message(message: str, filename: str | None, line: int | None) -> str:
    """`'partner.nmae' is undefined` rather than Jinja's `'Record object' has no ...`."""
    if _UNDEFINED.match(message) or not filename or not line:
        return message
    match = _NO_ATTRIBUTE.search(message)
    if not match:
        return message
    try:
        source = files.read_text(Path(filename), Path(filename).parent)
    except files.FileProblem:
        return message
    expression = _find_expression(source, line, match.group(1))
    return f"'{expression}' is undefined" if expression else message


def _find_expression(source: str, line: int, attribute: str) -> str | None:
    from jinja2 import Environment, nodes

    try:
        tree = Environment().parse(source)
    except Exception:  # noqa: BLE001 - the template compiled before; be defensive anyway
        return None
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        if node.lineno != line:
            continue
        key = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        if key == attribute:
            text = _dotted(node)
            if text:
                return text
    return None


def _dotted(node) -> str | None:
    from jinja2 import nodes

    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        inner = _dotted(node.node)
        return f"{inner}.{node.attr}" if inner else None
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        inner = _dotted(node.node)
        return f"{inner}[{node.arg.value!r}]" if inner else None
    return None


def _show(filename: str) -> str:
    """A template path as the user knows it: relative to the current folder if inside."""
    try:
        relative = os.path.relpath(filename)
    except ValueError:
        return filename
    return filename if relative.startswith("..") else relative


__all__ = ["FORMATS", "Handed", "Prepared", "TemplateSet", "build_document", "document",
           "environment", "prepare", "render", "render_markdown",
           "template_set", "templates_root", "write"]

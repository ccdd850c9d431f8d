"""Render the MoU: network -> template context -> Markdown, HTML, Word or PDF.

One Jinja environment factory for every text format: templates run in Jinja's
sandbox with strict undefined variables, data is escaped for the format by
`finalize` (see `escaping.py`), and template mistakes become TemplateErrors that
name the template file and line. Rendering is pure and byte-deterministic: the
same data, template, language and version label give the same bytes.
"""

from __future__ import annotations

import os
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from mouctl.errors import TemplateError, UsageError
from mouctl.model.network import Network
from mouctl.render import catalogue as labels
from mouctl.render import localise
from mouctl.render.context import Languages, LText, build, number

FORMATS = ("md", "html", "docx", "pdf")
TEXT_TEMPLATES = {"md": "mou.md.j2", "html": "mou.html.j2"}
DEFAULT_TEMPLATE = "default"
_LANG = re.compile(r"^[a-z]{2}$")


def templates_root() -> Path:
    """The folder holding the bundled templates (`default/`).

    In a wheel the top-level `templates/` folder is installed as `mouctl/templates`;
    in a source checkout or editable install it sits next to the package.
    """
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "templates", package.parent / "templates"):
        if (candidate / DEFAULT_TEMPLATE / TEXT_TEMPLATES["md"]).is_file():
            return candidate
    raise TemplateError("the default template is missing from this mouctl installation",
                        "reinstall mouctl: python3 -m pip install --force-reinstall mouctl")


@dataclass
class TemplateSet:
    """Where templates are looked up: the user's folder first, then the default."""

    folders: list[Path]
    main_file: str | None = None  # a single template file given with --template FILE
    user: Path | None = None

    def main(self, fmt: str) -> str:
        return self.main_file or TEXT_TEMPLATES[fmt]


def template_set(template: Path | str | None) -> TemplateSet:
    """The template folders for `--template PATH` (a folder or one template file)."""
    default = templates_root() / DEFAULT_TEMPLATE
    if template is None:
        return TemplateSet([default])
    path = Path(template)
    if path.is_dir():
        return TemplateSet([path, default], user=path)
    if path.is_file():
        return TemplateSet([path.parent, default], main_file=path.name, user=path)
    raise TemplateError(f"template '{template}' not found",
                        "give a template folder (with mou.md.j2 / mou.html.j2 / i18n/) "
                        "or one template file")


@dataclass
class Prepared:
    """Everything a format writer needs: the context and the warnings so far."""

    context: dict
    languages: Languages
    templates: TemplateSet
    warnings: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # said to the user, not warnings


def prepare(network: Network, *, lang: str | None = None, version: str = "draft",
            template: Path | str | None = None, bilingual: str | None = None) -> Prepared:
    """Resolve languages, fixed texts and data into the template context."""
    first = network.languages[0]
    for code in (lang, bilingual):
        if code is not None and not _LANG.match(code):
            raise UsageError(f"'{code}' is not a language code",
                             "use a two-letter ISO 639-1 code such as en, de or fr")
    langs = order_languages([lang or first, bilingual], list(network.languages))
    templates = template_set(template)
    catalogue = labels.load(templates.folders)
    languages = Languages(langs, first, catalogue, list(network.languages))
    mou = build(network, languages)
    translated = languages.translations()
    context = {
        "mou": mou,
        "t": languages.labels(),
        "lang": langs[0],
        "langs": langs,
        "bilingual": len(langs) > 1,
        "version": _version_label(languages, version),
        "fingerprint": network.fingerprint(),
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


_VERSION_LABELS = [  # the labels describe_version() gives, in the catalogue's words
    (re.compile(r"^draft$"), "version_labels.draft"),
    (re.compile(r"^draft \(not in git\)$"), "version_labels.not_in_git"),
    (re.compile(r"^draft \(no commits yet\)$"), "version_labels.no_commits"),
    (re.compile(r"^draft \(uncommitted changes on (?P<commit>[0-9a-f]+)\)$"),
     "version_labels.uncommitted"),
    (re.compile(r"^commit (?P<commit>[0-9a-f]+)$"), "version_labels.commit"),
]


def _version_label(languages: Languages, version: str) -> str:
    """The version label in the document's languages (a release tag stays as it is)."""
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


def render_markdown(network: Network, *, lang: str | None = None, version: str = "draft",
                    template: Path | str | None = None, bilingual: str | None = None,
                    warnings: list[str] | None = None,
                    notices: list[str] | None = None) -> str:
    """The MoU as Markdown text (deterministic; warnings appended to `warnings`)."""
    prepared = prepare(network, lang=lang, version=version, template=template,
                       bilingual=bilingual)
    text = render_text(prepared, "md")
    if warnings is not None:
        warnings.extend(prepared.warnings)
    if notices is not None:
        notices.extend(prepared.notices)
    return text


def render(network: Network, fmt: str, *, lang: str | None = None, version: str = "draft",
           template: Path | str | None = None, bilingual: str | None = None,
           warnings: list[str] | None = None,
           notices: list[str] | None = None) -> bytes:
    """The MoU in `fmt` (md, html, docx or pdf) as the bytes of the file."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'", f"choose one of {', '.join(FORMATS)}")
    prepared = prepare(network, lang=lang, version=version, template=template,
                       bilingual=bilingual)
    if fmt == "md":
        data = render_text(prepared, "md").encode("utf-8")
    elif fmt == "html":
        data = render_text(prepared, "html").encode("utf-8")
    elif fmt == "docx":
        from mouctl.render import docx_writer

        data = docx_writer.write(prepared)
    else:
        from mouctl.render import pdf

        data = pdf.from_html(render_text(prepared, "html"), pdf.metadata(prepared.context))
    if warnings is not None:
        warnings.extend(prepared.warnings)
    if notices is not None:
        notices.extend(prepared.notices)
    return data


# -- the Jinja environment -------------------------------------------------------------


def environment(fmt: str, templates: TemplateSet):
    """The sandboxed Jinja environment for `fmt` (md or html) and a template set."""
    from jinja2 import ChoiceLoader, StrictUndefined

    from mouctl.render import escaping
    from mouctl.render.sandbox import ContainedLoader, Sandbox

    root = templates_root()
    loader = ChoiceLoader([ContainedLoader(str(f)) for f in templates.folders]
                          + [ContainedLoader(str(root))])  # "default/mou.md.j2" for extends
    env = Sandbox(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=fmt == "html",
        finalize=escaping.html_finalize if fmt == "html" else escaping.md_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["prose"] = escaping.html_prose if fmt == "html" else escaping.md_prose
    env.filters["plain"] = escaping.plain
    env.filters["css_string"] = escaping.css_string
    return env


def render_text(prepared: Prepared, fmt: str) -> str:
    """Render the md or html template with the prepared context."""
    env = environment(fmt, prepared.templates)
    name = prepared.templates.main(fmt)
    try:
        template = env.get_template(name)
        text = template.render(prepared.context)
    except Exception as exc:  # noqa: BLE001 - every template failure becomes a TemplateError
        raise _template_error(exc, env, name) from None
    return _tidy(text, headings=fmt == "md")


def _tidy(text: str, *, headings: bool = False) -> str:
    """No trailing spaces, at most one blank line, one final newline.

    In Markdown a heading also gets a blank line before it, so that a custom block
    that does not end with one still starts the next section cleanly.
    """
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line == "" and out and out[-1] == "":
            continue
        if headings and line.startswith("#") and out and out[-1] != "":
            out.append("")
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"


# -- template errors in the user's words --------------------------------------------------

_NO_ATTRIBUTE = re.compile(r"has no attribute '([^']+)'")
_UNDEFINED = re.compile(r"^'([^']+)' is undefined$")


def _template_error(exc: Exception, env, name: str) -> TemplateError:
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.sandbox import SecurityError

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
    expression = _find_expression(Path(filename).read_text(encoding="utf-8"), line,
                                  match.group(1))
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


__all__ = ["FORMATS", "Prepared", "TemplateSet", "environment", "prepare", "render",
           "render_markdown", "render_text", "template_set", "templates_root"]

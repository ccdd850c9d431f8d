"""The fixed text of a template in each language (`i18n/xx.yaml` of a template folder).

A partner adds a language by dropping `i18n/fi.yaml` next to the others: no code
changes. A key missing in the requested language falls back to the MoU's first
language, then to English, and each fallback is reported as a warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mouctl import files
from mouctl.errors import TemplateError
from mouctl.source import yamldoc

I18N = "i18n"
LAST_RESORT = "en"


@dataclass
class Catalogue:
    """Fixed texts per language, merged over the template folders in search order."""

    texts: dict[str, dict] = field(default_factory=dict)  # lang -> nested mapping
    sources: dict[str, str] = field(default_factory=dict)  # lang -> file shown in warnings

    def languages(self) -> list[str]:
        return sorted(self.texts)

    def lookup(self, lang: str, key: str) -> object | None:
        """The value of dotted `key` in `lang`, or None when that language lacks it."""
        node: object = self.texts.get(lang)
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node


def load(folders: Iterable[Path], langs: Iterable[str] | None = None) -> Catalogue:
    """Read `i18n/*.yaml` of every folder; earlier folders override later ones per key.

    With `langs`, only those languages' files are read: a rendering needs two or three
    of the 29 catalogues, and parsing all of them costs more than a small network.
    """
    wanted = set(langs) if langs is not None else None
    catalogue = Catalogue()
    for folder in reversed(list(folders)):  # the default first, the user's over it
        i18n = folder / I18N
        if not i18n.exists() and not i18n.is_symlink():
            continue
        for path in _translation_files(folder, i18n):
            lang = path.stem
            if wanted is not None and lang not in wanted:
                continue
            data = _read(path, folder)
            catalogue.texts[lang] = merge(catalogue.texts.get(lang, {}), data)
            catalogue.sources[lang] = str(path)
    return catalogue


def available_languages(network_templates: Path | None = None) -> set[str]:
    """The languages with a catalogue: the default template's and a network's own.

    Only file names are read (no YAML): `validate` stays fast.
    """
    from mouctl.render.engine import DEFAULT_TEMPLATE, templates_root

    folders = [templates_root() / DEFAULT_TEMPLATE]
    if network_templates is not None and network_templates.is_dir():
        folders.append(network_templates)
    return {p.stem for f in folders if (f / I18N).is_dir() for p in (f / I18N).glob("*.yaml")}


def _translation_files(folder: Path, i18n: Path) -> list[Path]:
    """The `*.yaml` files of `i18n/`; a file named in other letter case is an error,
    not silently left out (a partner's `fi.YAML` would vanish from the MoU)."""
    try:
        files.check_folder(folder, what="template folder")
        files.check_folder(i18n, what="i18n folder")
        if not i18n.is_dir():
            raise TemplateError(f"{i18n}: this is not a folder, so no translation was read",
                                "make i18n/ a folder of LANGUAGE.yaml files")
        entries = sorted(i18n.iterdir())
    except files.FileProblem as exc:
        raise TemplateError(exc.message, exc.hint) from None
    except OSError as exc:
        raise TemplateError(f"cannot list {i18n}: {exc.strerror}",
                            "check the folder's permissions") from None
    for path in entries:
        if path.suffix.lower() in (".yaml", ".yml") and path.suffix != ".yaml":
            raise TemplateError(f"{path}: a translation file must end in '.yaml', so this "
                                "one was not read", f"rename it to {path.stem}.yaml")
    return [path for path in entries if path.suffix == ".yaml"]


def _read(path: Path, folder: Path) -> dict:
    try:
        raw = files.read_bytes(path, folder, limit=yamldoc.MAX_BYTES,
                               what="template folder")
    except files.FileProblem as exc:
        raise TemplateError(exc.message, exc.hint or "check the translation file") from None
    doc = yamldoc.read(str(path), raw)
    if doc.problems:
        line, _, finding = doc.problems[0]
        where = f"{path}:{line}" if line else str(path)
        raise TemplateError(f"{where}: {finding.message}",
                            finding.hint or "fix the translation file")
    if not isinstance(doc.data, dict):
        raise TemplateError(f"{path}: a translation file holds `key: text` lines",
                            "start from a copy of templates/default/i18n/en.yaml")
    return doc.data


def merge(base: dict, over: dict) -> dict:
    """`over` laid over `base`, key by key at every depth."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out

"""`mouctl init`: a new network folder that validates at once."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from mouctl.errors import MouError
from mouctl.files import write_atomic

DEFAULT_NAME = "Example VET Mobility Network"
DEFAULT_COORDINATOR = "Berufsschule am Hafen"

# The example partner abroad, chosen so that the MoU spans two countries.
_ABROAD = {
    "default": ("FI", "Tampere", "Tampereen ammattiopisto", "Liisa Virtanen", "Jukka Mäkinen"),
    "FI": ("DE", "Hamburg", "Berufsschule Hamburg-Mitte", "Jonas Weber", "Sabine Krüger"),
}
_CITIES = {"DE": "Bremen", "FR": "Lyon", "FI": "Oulu", "ES": "Bilbao", "IT": "Bologna",
           "AT": "Graz", "NL": "Utrecht", "PL": "Poznań", "EL": "Thessaloniki"}


CI_CHOICES = ("github", "gitlab", "none")
CI_FILES = {"github": ".github/workflows/mou.yml", "gitlab": ".gitlab-ci.yml"}


@dataclass
class Created:
    folder: Path
    files: list[str] = field(default_factory=list)
    commit: str | None = None
    ci_file: str | None = None  # the CI configuration written, if any
    install: object = None  # install.InstallSpec that the CI file uses


def slug(text: str) -> str:
    """An id from a name: `Berufsschule am Hafen` -> `berufsschule-am-hafen`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return out[:40].strip("-") or "coordinator"


# Characters a name may not hold: line breaks and other controls (a name is one line
# of network.yaml and of its comments), bidi overrides, zero-width spaces.
_NOT_IN_NAMES = re.compile("[\x00-\x1f\x7f-\x9f\u200b\u2028\u2029\u202a-\u202e"
                           "\u2066-\u2069\ufeff]")


def _one_line(option: str, value: str) -> None:
    """Refuse a name that is empty or holds a line break or an invisible character."""
    from mouctl.errors import UsageError

    if not value.strip():
        raise UsageError(f"{option} is empty; nothing was created",
                         f'name it: {option} "EuroCook VET Network"')
    found = _NOT_IN_NAMES.search(value)
    if found:
        char = found.group()
        what = "a line break" if char in "\r\n\u2028\u2029" else \
            f"the invisible character U+{ord(char):04X}"
        one_line = " ".join(_NOT_IN_NAMES.sub(" ", value).split())
        raise UsageError(f"{option} holds {what}; a name is one line of visible text, "
                         "so nothing was created",
                         f'write it on one line: {option} "{one_line}"')


def create(folder: Path, *, name: str, coordinator: str, country: str, today: dt.date,
           use_git: bool, ci: str = "github") -> Created:
    """Write the scaffold into `folder` (new or empty) and commit it; all or nothing."""
    from mouctl.model import countries

    for option, value in (("--name", name), ("--coordinator", coordinator)):
        _one_line(option, value)
    if ci not in CI_CHOICES:
        raise MouError(f"'{ci}' is not a CI service mouctl writes a configuration for",
                       "use --ci github, --ci gitlab or --ci none")
    if country not in countries.ACCEPTED:
        raise MouError(f"'{country}' is not a two-letter country code",
                       "use --country with a code such as DE, FR, FI, EL")
    _refuse_if_not_empty(folder)
    if use_git:
        from mouctl.history.repo import require_git

        require_git()
    files = _files(name=name, coordinator=coordinator, country=country, today=today, ci=ci)
    created_folder = not folder.exists()
    # Stage everything next to the target, then move it in: a failure half-way
    # leaves no partial network behind.
    parent = folder.resolve().parent
    if not parent.is_dir():
        raise MouError(f"the folder '{parent}' does not exist", "create it first")
    try:
        staging = Path(tempfile.mkdtemp(prefix=".mouctl-init-", dir=parent))
        # mkdtemp makes the folder private (0700); the network folder it becomes is
        # shared like any other (partners, CI, a web server), so give it the umask's mode.
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)
    except OSError as exc:
        raise MouError(f"cannot create files in '{parent}': {exc.strerror}",
                       "check that the folder is writable, or choose another place") from None
    moved = False
    try:
        for rel, content in files.items():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            write_atomic(staging / rel, content)
        if created_folder:
            staging.rename(folder)
        else:
            for top in _top_level(files):
                (staging / top).rename(folder / top)
        moved = True
    except OSError as exc:
        raise MouError(f"cannot create the network in '{folder}': {exc.strerror}",
                       "check that the folder is writable; nothing was changed") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    from mouctl._version import __version__
    from mouctl.scaffold import install

    result = Created(folder, sorted(files), ci_file=CI_FILES.get(ci),
                     install=install.current(__version__))
    if use_git and moved:
        from mouctl.history.repo import init_with_commit

        try:
            result.commit = init_with_commit(folder, f"Start the MoU of {name}")
        except MouError:
            _undo(folder, files, created_folder)
            raise
    return result


def _refuse_if_not_empty(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise MouError(f"'{folder}' exists and is not a folder", "choose another name")
    if not folder.exists():
        return
    present = sorted(p.name for p in folder.iterdir() if p.name != ".git")
    if "network.yaml" in present:
        raise MouError(f"'{folder}' already has a network.yaml; nothing was changed",
                       "edit it, or run `mouctl init NEW-FOLDER` to start another network")
    if present:
        shown = ", ".join(present[:5]) + (" ..." if len(present) > 5 else "")
        raise MouError(f"'{folder}' is not empty ({shown}); nothing was changed",
                       "run `mouctl init NEW-FOLDER` to create the network in a new folder")


def _undo(folder: Path, files: dict, created_folder: bool) -> None:
    if created_folder:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for top in _top_level(files):
        path = folder / top
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def ci_file(ci: str) -> str:
    """The CI configuration for `ci` (github or gitlab), installing this mouctl."""
    from mouctl._version import __version__
    from mouctl.scaffold import install

    # Plain substitution, not Jinja: the files are full of GitHub's own `${{ ... }}`.
    template = {"github": "github-workflow.yml", "gitlab": "gitlab-ci.yml"}[ci]
    text = (resources.files("mouctl.scaffold") / "files" / template).read_text("utf-8")
    spec = install.current(__version__).spec
    return (text.replace("@MOUCTL_PACKAGE@", spec.replace('"', '\\"'))
            .replace("@MOUCTL_VCS@", install.vcs_example(__version__).removeprefix("mouctl @ "))
            .replace("@MOUCTL_VERSION@", __version__))


def _top_level(files: dict) -> set[str]:
    """The entries directly in the network folder (`.github`, not its workflow file)."""
    return {rel.split("/", 1)[0] for rel in files}


def _files(*, name: str, coordinator: str, country: str, today: dt.date,
           ci: str = "github") -> dict[str, str]:
    import jinja2

    from mouctl.model import schema

    abroad_country, city, partner, contact, signatory = _ABROAD.get(country, _ABROAD["default"])
    coordinator_id = slug(coordinator)
    valid_until = dt.date(today.year + 3, 8, 31)
    values = {
        "name": json.dumps(name, ensure_ascii=False),
        "name_plain": name,
        "coordinator": json.dumps(coordinator, ensure_ascii=False),
        "coordinator_id": coordinator_id,
        "country": country,
        "city": _CITIES.get(country, "Capital city"),
        "partner_id": slug(partner) if slug(partner) != coordinator_id else "partner-abroad",
        "partner_name": partner,
        "partner_country": abroad_country,
        "partner_city": city,
        "partner_contact": contact,
        "partner_signatory": signatory,
        "year": today.year,
        "valid_from": today.isoformat(),
        "valid_until": valid_until.isoformat(),
        "review_by": dt.date(today.year + 2, 6, 30).isoformat(),
    }
    env = jinja2.Environment(keep_trailing_newline=True, autoescape=False)
    base = resources.files("mouctl.scaffold") / "files"
    out = {}
    for template, target in (("network.yaml.j2", "network.yaml"), ("README.md.j2", "README.md")):
        out[target] = env.from_string(base.joinpath(template).read_text("utf-8")).render(values)
    out[".gitignore"] = base.joinpath("gitignore").read_text("utf-8")
    if ci in CI_FILES:
        out[CI_FILES[ci]] = ci_file(ci)
    # One schema per kind of file: network.yaml, partners/*.yaml, qualifications/*.yaml.
    for kind in schema.KINDS:
        out[schema.file_name(kind)] = schema.text(kind)
    return out

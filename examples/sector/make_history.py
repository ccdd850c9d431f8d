"""Build the sector example's git history: four releases and the partners' signatures.

    python examples/sector/make_history.py DEST

DEST must not exist yet. The script replays how HospiNet Europe grew, with
mouctl's own commands (`mouctl release`, `mouctl sign`) and plain git commits for
the coordinator's edits, under a fixed identity and fixed dates: the same
commits, tags and hashes on every machine and every run. Its last commit holds
exactly the files bundled in examples/sector.

The story (each step a dated commit, most of them a release):

- 1.0  2025-02: the founding MoU, 22 members, three qualifications; all sign.
- ---  2025-05: administrative fixes (a contact person, a website); no release.
- 1.1  2025-10: four new members join; all 26 sign.
- 1.2  2025-12: the validity is extended to 2031; all sign.
- 2.0  2026-02: the cook units follow the revised occupational standard and a
       front office qualification joins with two new members; three partners
       have not signed yet, so `mouctl status` has outstanding signatures to show.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DATA = ("network.yaml", "partners", "qualifications")

COORDINATOR = ("Verena Hofer", "v.hofer@hlt-innsbruck.at")
# Git reads these instead of the user's configuration: no signing hooks, no
# templates, no surprises from ~/.gitconfig, so that hashes are reproducible.
CLEAN_GIT = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
             "GIT_TEMPLATE_DIR": "", "TZ": "UTC"}


@dataclass(frozen=True)
class Step:
    """One amendment: what the coordinator changes, and the release it becomes."""

    date: str
    message: str
    added: tuple[str, ...] = ()
    edits: tuple[tuple[str, str, str], ...] = ()  # (file, text before, text after)
    release: str | None = None
    # Partners who have not signed (yet); everyone else signs, one after another.
    unsigned: tuple[str, ...] = ()


_REGIONAL_OLD = """  - id: cook-at-regional
    title: Preparing regional dishes of the host country
    ecvet_points: 40
    hours: 320
"""
_REGIONAL_NEW = _REGIONAL_OLD.replace("40\n", "45\n").replace("320", "360")
_A_LA_CARTE_OLD = """  - id: cook-at-a-la-carte
    title: Cooking à la carte under service conditions
    ecvet_points: 50
    hours: 400
"""
_A_LA_CARTE_NEW = _A_LA_CARTE_OLD.replace("50\n", "45\n").replace("400", "360")
_PLANT_K = ("        - The learner is able to describe the typical products, dishes and "
            "eating habits of the host region.\n")
_PLANT_K_NEW = _PLANT_K + ("        - The learner is able to explain how a traditional dish "
                           "can be offered in a vegetarian or vegan version.\n")
_PLANT_S = ("        - The learner is able to prepare at least six regional dishes of the "
            "host country to the house recipe.\n")
_PLANT_S_NEW = _PLANT_S + ("        - The learner is able to adapt a traditional recipe to a "
                           "plant-based version with comparable taste and texture.\n")
_PLANT_C = ("        - The dishes match the house recipe in taste, texture and "
            "presentation.\n")
_PLANT_C_NEW = _PLANT_C + ("        - The plant-based version is balanced and correctly "
                           "labelled for allergens.\n")

STEPS = (
    Step("2025-02-03", "Founding MoU of HospiNet Europe: 22 members, three qualifications",
         release="1.0"),
    Step("2025-05-12", "New international contact at EH Peñacastillo; CFA Gironde's new web site",
         edits=(
             ("partners/ies-penacastillo.yaml",
              "  name: Pablo Cobo Fernández\n  position: Coordinator of international projects\n"
              "  email: pcobo@ehpenacastillo.es",
              "  name: Laura Ibáñez Cuesta\n  position: Coordinator of international projects\n"
              "  email: libanez@ehpenacastillo.es"),
             ("partners/cfa-gironde.yaml",
              "website: https://www.cfa-hotellerie-gironde.fr",
              "website: https://www.cfa-hotellerie33.fr"),
         )),
    Step("2025-10-20", "Admit four members from Lithuania, Estonia, Hungary and Croatia",
         added=("partners/ktsm-klaipeda.yaml", "partners/prk-parnu.yaml",
                "partners/dvtt-budapest.yaml", "partners/hts-dubrovnik.yaml"),
         release="1.1"),
    Step("2025-12-15", "Extend the MoU to 31 August 2031, the end of the programme period",
         edits=(("network.yaml", "valid_until: 2028-08-31", "valid_until: 2031-08-31"),),
         release="1.2"),
    Step("2026-02-16", "Cook units follow the 2026 occupational standard; add the "
         "front office qualification with ROC Gastvrijheid Zeeland and Stagebureau Horeca",
         added=("partners/roc-zeeland.yaml", "partners/sbh-rotterdam.yaml",
                "qualifications/front-office-nl.yaml"),
         edits=(
             ("qualifications/cook-at.yaml", _REGIONAL_OLD, _REGIONAL_NEW),
             ("qualifications/cook-at.yaml", _A_LA_CARTE_OLD, _A_LA_CARTE_NEW),
             ("qualifications/cook-at.yaml", _PLANT_K, _PLANT_K_NEW),
             ("qualifications/cook-at.yaml", _PLANT_S, _PLANT_S_NEW),
             ("qualifications/cook-at.yaml", _PLANT_C, _PLANT_C_NEW),
             ("network.yaml", "Offer learners in cookery and restaurant training placements",
              "Offer learners in cookery, restaurant and front office training placements"),
         ),
         release="2.0", unsigned=("etb-killybegs", "iek-rhodes", "sbh-rotterdam")),
)

REASONS = {
    "1.0": "Founding MoU adopted at the kick-off meeting in Innsbruck on 31 January 2025.",
    "1.1": "The general assembly of 17 October 2025 admitted KTSM Klaipėda, Pärnu "
           "Rannikukool, DVTT Budapest and HTŠ Lapad Dubrovnik.",
    "1.2": "Validity extended to the end of the programme period, as agreed by e-mail "
           "vote on 12 December 2025.",
    "2.0": "The Austrian cook apprenticeship was revised in 2026 (plant-based cooking, "
           "points rebalanced); the Dutch front office qualification joins the MoU.",
}


def main(argv: list[str]) -> int:
    # This repository's mouctl, even when another one is installed.
    sys.path.insert(0, str(REPO))
    if len(argv) != 1 or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    dest = Path(argv[0])
    if dest.exists():
        print(f"error: '{dest}' already exists; choose a new folder", file=sys.stderr)
        return 1
    build(dest)
    print(f"built the history of HospiNet Europe in {dest}")
    return 0


def build(dest: Path) -> None:
    """Create the repository at `dest` and replay every step."""
    final = _bundled_files()
    files = _initial_state(final)
    dest.mkdir(parents=True)
    _git(dest, STEPS[0].date, "init", "--quiet", "--initial-branch=main")
    for number, step in enumerate(STEPS):
        if number:
            files = _apply(files, step)
        _write(dest, files)
        _git(dest, step.date, "add", "--all")
        _git(dest, step.date, "commit", "--quiet", "-m", step.message)
        if step.release:
            _mouctl(dest, step.date, "release", step.release, "--reason",
                    REASONS[step.release])
            _sign_all(dest, step)
    if files != final:  # the replay must end at exactly the bundled data
        raise SystemExit("internal error: the history does not end at the bundled files")


def _bundled_files() -> dict[str, str]:
    out = {}
    for name in DATA:
        path = HERE / name
        paths = [path] if path.is_file() else sorted(path.glob("*.yaml"))
        for p in paths:
            out[p.relative_to(HERE).as_posix()] = p.read_text(encoding="utf-8")
    return out


def _initial_state(final: dict[str, str]) -> dict[str, str]:
    """The founding data: the bundled files with every later step undone."""
    files = dict(final)
    for step in reversed(STEPS[1:]):
        for name in step.added:
            del files[name]
        for name, before, after in reversed(step.edits):
            files[name] = _replace_once(files[name], after, before, name)
    return files


def _apply(files: dict[str, str], step: Step) -> dict[str, str]:
    out = dict(files)
    final = _bundled_files()
    for name in step.added:
        out[name] = final[name]
    for name, before, after in step.edits:
        out[name] = _replace_once(out[name], before, after, name)
    return out


def _replace_once(text: str, old: str, new: str, name: str) -> str:
    if text.count(old) != 1:
        raise SystemExit(f"internal error: {name} does not contain the text to change once: "
                         f"{old[:60]!r}")
    return text.replace(old, new)


def _write(dest: Path, files: dict[str, str]) -> None:
    for name in DATA[1:]:
        shutil.rmtree(dest / name, ignore_errors=True)
    for name, text in files.items():
        path = dest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _sign_all(dest: Path, step: Step) -> None:
    """Every partner of the release signs, one or two a day, in the order of the files."""
    from mouctl.source import loader as source

    network = source.load_or_raise(dest, today=dt.date.fromisoformat(step.date))
    start = dt.date.fromisoformat(step.date)
    signers = [p for p in network.partners if p.id not in step.unsigned]
    for i, partner in enumerate(signers):
        day = (start + dt.timedelta(days=2 + i // 2)).isoformat()
        _mouctl(dest, day, "sign", partner.id, "--release", step.release,
                "--signatory", partner.signatory.name, "--date", day,
                "--place", partner.city or partner.country)


def _env(date: str) -> dict[str, str]:
    stamp = f"{date}T09:00:00+00:00"
    name, email = COORDINATOR
    return {**os.environ, **CLEAN_GIT, "MOUCTL_TODAY": date, "NO_COLOR": "1",
            "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email,
            "GIT_COMMITTER_DATE": stamp}


def _git(dest: Path, date: str, *args: str) -> None:
    subprocess.run(["git", *args], cwd=dest, env=_env(date), check=True)


def _mouctl(dest: Path, date: str, *args: str) -> None:
    """Run a mouctl command on `dest` as the coordinator would on that day.

    In this process rather than as `python -m mouctl`: a hundred signatures would
    otherwise spend most of their time starting Python. The command, its checks and
    its git commits are exactly those of the command line.
    """
    from mouctl.cli import main as mouctl_main

    saved = dict(os.environ)
    os.environ.update(_env(date))
    try:
        code = mouctl_main(["--quiet", *args, "-N", str(dest)])
    finally:
        os.environ.clear()
        os.environ.update(saved)
    if code != 0:
        raise SystemExit(f"`mouctl {' '.join(args)}` failed on {date} (exit {code})")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Write the synthetic networks to disk: single-file, split-file, and a git history.

    python -m benchmarks.generate --out /tmp/mouctl-bench --sizes S,M,L

With S it also writes `names/N/network.yaml`: the S network whose first partner's
name is N = 10,000, 30,000 or 100,000 characters long (PDF time must grow linearly
with the length of a text). For each size it writes `SIZE/single/network.yaml`,
`SIZE/split/` (network.yaml + partners/*.yaml + qualifications/*.yaml, one entity
per file named by its id) and
`SIZE/history/`: a git repository in the split layout with 1,000 commits, each
changing a few fields, and an annotated release tag `mou-vN.0` on every 100th.
The history is written with one `git fast-import` stream, so it takes seconds.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks import synth

# Bump when the generated data changes, so that cached folders are rebuilt.
VERSION = "4"
COMMITS = 1000
RELEASE_EVERY = 100
AUTHORS = [("Maria Keller", "maria.keller@example.org"),
           ("Jussi Virtanen", "jussi.virtanen@example.fi"),
           ("Claire Moreau", "claire.moreau@example.fr")]
START = int(dt.datetime(2023, 1, 9, 9, 0, tzinfo=dt.UTC).timestamp())
SPLIT_KINDS = ("partners", "qualifications")


def split_files(data: dict) -> dict[str, str]:
    """{relative file name: YAML text} of the split layout of `data`."""
    head = {k: v for k, v in data.items() if k not in SPLIT_KINDS}
    files = {"network.yaml": synth.document(head)}
    for kind in SPLIT_KINDS:
        for item in data[kind]:
            files[f"{kind}/{item['id']}.yaml"] = synth.document(item)
    return files


def file_text(data: dict, name: str) -> str | None:
    """The text of one file of the split layout, or None if that entity is gone."""
    if name == "network.yaml":
        return synth.document({k: v for k, v in data.items() if k not in SPLIT_KINDS})
    kind, _, filename = name.partition("/")
    ident = filename.removesuffix(".yaml")
    item = next((x for x in data[kind] if x["id"] == ident), None)
    return None if item is None else synth.document(item)


def write_folder(folder: Path, files: dict[str, str]) -> None:
    """Replace `folder` with exactly these files."""
    if folder.exists():
        shutil.rmtree(folder)
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


LONG_NAMES = (10_000, 30_000, 100_000)  # characters: PDF time must grow linearly with them


def long_name_network(length: int) -> dict:
    """The S network whose first partner's name is `length` characters of words."""
    data = copy.deepcopy(synth.network("S"))
    words = "Vocational College of Hospitality and Tourism Studies " * (length // 54 + 1)
    data["partners"][0]["name"] = words[:length].rstrip() + "x" * (
        length - len(words[:length].rstrip()))
    return data


def long_names(out: Path) -> dict[int, Path]:
    """Write `names/N/network.yaml` for each length in LONG_NAMES; skip if current."""
    folders = {}
    for length in LONG_NAMES:
        folder = out / "names" / str(length)
        stamp = folder / ".generated"
        if not (stamp.exists() and stamp.read_text() == VERSION):
            write_folder(folder, {"network.yaml": synth.document(long_name_network(length))})
            stamp.write_text(VERSION)
        folders[length] = folder
    return folders


def generate(out: Path, size: str, *, commits: int = COMMITS, history: bool = True) -> Path:
    """Write the layouts (and the history) of one size below `out/size`; skip if current."""
    base = out / size
    stamp = base / ".generated"
    want = f"{VERSION} commits={commits if history else 0}\n"
    if stamp.exists() and stamp.read_text() == want:
        return base
    data = synth.network(size)
    write_folder(base / "single", {"network.yaml": synth.document(data)})
    write_folder(base / "split", split_files(data))
    if history:
        build_history(base / "history", data, commits)
    stamp.write_text(want)
    return base


# ----------------------------------------------------------------------------- history

def build_history(repo: Path, data: dict, commits: int) -> None:
    """A git repository of `commits` commits over the split layout of `data`."""
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True, env=env)
    proc = subprocess.Popen(["git", "fast-import", "--quiet", "--done"], cwd=repo,
                            stdin=subprocess.PIPE, env=env)
    assert proc.stdin is not None
    for chunk in _stream(copy.deepcopy(data), commits):
        proc.stdin.write(chunk)
    proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit(f"git fast-import failed in {repo}")
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=repo, check=True, env=env)


def _data(text: str) -> bytes:
    raw = text.encode("utf-8")
    return b"data %d\n%s\n" % (len(raw), raw)


def _stream(data: dict, commits: int) -> Iterator[bytes]:
    """The fast-import commands: commits with the changed files, release tags."""
    rnd = random.Random(f"history-{len(data['partners'])}")
    files = split_files(data)
    changed: dict[str, str | None] = dict(files)
    message = "Create the network"
    for k in range(1, commits + 1):
        name, email = AUTHORS[k % len(AUTHORS)]
        when = START + k * 6 * 3600
        who = f"{name} <{email}> {when} +0100"
        yield b"commit refs/heads/main\nmark :%d\n" % k
        yield f"author {who}\ncommitter {who}\n".encode()
        yield _data(message)
        if k > 1:
            yield b"from :%d\n" % (k - 1)
        for path, text in sorted(changed.items()):
            if text is None:
                yield f"D {path}\n".encode()
            else:
                yield f"M 100644 inline {path}\n".encode() + _data(text)
        yield b"\n"
        if k % RELEASE_EVERY == 0:
            version = k // RELEASE_EVERY
            yield f"tag mou-v{version}.0\nfrom :{k}\ntagger {who}\n".encode()
            yield _data(f"Release {version}.0 of the MoU\n\nRecorded by benchmarks/generate.py.")
        if k < commits:
            message, changed = _amend(data, rnd, k)
    yield b"done\n"


def _amend(data: dict, rnd: random.Random, k: int) -> tuple[str, dict[str, str | None]]:
    """Change a few fields of `data` in place; the commit message and files touched."""
    touched: dict[str, str | None] = {}
    notes = []
    if k % 400 == 300:  # a partner joins ...
        new = synth._partner(rnd, 900 + k)
        data["partners"].append(new)
        notes.append(f"partner {new['id']} joins")
        touched[f"partners/{new['id']}.yaml"] = None
    elif k % 400 == 100 and k > 100 and len(data["partners"]) > 2:  # ... and leaves later
        gone = data["partners"].pop()
        notes.append(f"partner {gone['id']} leaves")
        touched[f"partners/{gone['id']}.yaml"] = None
    for _ in range(rnd.randint(1, 3)):
        note = _change_one(data, rnd, touched)
        if note not in notes:
            notes.append(note)
    message = "; ".join(notes)
    return message[:1].upper() + message[1:], {name: file_text(data, name) for name in touched}


def _change_one(data: dict, rnd: random.Random, touched: dict) -> str:
    kind = rnd.choice(["contact", "address", "points", "hours", "outcome", "terms"])
    if kind in ("contact", "address"):
        p = rnd.choice(data["partners"])
        touched[f"partners/{p['id']}.yaml"] = None
        if kind == "contact":
            p["contact"]["name"] = _other(rnd, lambda: synth._person(rnd), p["contact"]["name"])
            p["phone"] = f"+{rnd.randrange(30, 50)} {rnd.randrange(100, 999)} " \
                         f"{rnd.randrange(100000, 999999)}"
            return f"new contact at {p['id']}"
        p["address"] = f"Campus road {rnd.randrange(1, 200)}, {p['city']}"
        return f"{p['id']} moved"
    if kind == "terms":
        terms = data["arrangements"]
        terms["assessment"] = _other(rnd, lambda: (
            "The host assesses the learner against the unit's criteria "
            f"within {rnd.randrange(2, 15)} days."), terms["assessment"])
        touched["network.yaml"] = None
        return "assessment deadline changed"
    q = rnd.choice(data["qualifications"])
    u = rnd.choice(q["units"])
    touched[f"qualifications/{q['id']}.yaml"] = None
    if kind == "points":
        u["ecvet_points"] = _other(rnd, lambda: rnd.choice([5, 10, 15, 20, 25]),
                                   u["ecvet_points"])
        q["ecvet_points"] = sum(x["ecvet_points"] for x in q["units"])
        return f"unit {u['id']} points {u['ecvet_points']}"
    if kind == "hours":
        u["hours"] = _other(rnd, lambda: rnd.choice([40, 60, 80, 120, 160]), u["hours"])
        return f"unit {u['id']} hours {u['hours']}"
    outcomes = u["learning_outcomes"]["skills"]
    i = rnd.randrange(len(outcomes))
    outcomes[i] = _other(rnd, lambda: synth._outcome(rnd, synth.VERBS_S, "worker"), outcomes[i])
    return f"unit {u['id']} skills reworded"


def _other(rnd: random.Random, draw, current):
    """A new random value different from `current`, so every commit changes something."""
    while True:
        value = draw()
        if value != current:
            return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/mouctl-bench"))
    parser.add_argument("--sizes", default="S,M,L")
    parser.add_argument("--commits", type=int, default=COMMITS)
    args = parser.parse_args(argv)
    for size in args.sizes.split(","):
        started = time.perf_counter()
        base = generate(args.out, size, commits=args.commits)
        mb = (base / "single" / "network.yaml").stat().st_size / 1e6
        print(f"{size}: {base} ({mb:.2f} MB single file) in "
              f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    if "S" in args.sizes.split(","):
        for length, folder in long_names(args.out).items():
            print(f"S, a {length:,}-character name: {folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time `mouctl log` over a long history: cold (no cache) and warm.

Builds a repository with N commits of the scaffold network through
`git fast-import` (seconds, not minutes), each commit changing one unit's points,
a contact or a learning outcome, then runs `mouctl log` as a user would.

    python benchmarks/bench_log.py --commits 1000 --runs 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mouctl import scaffold  # noqa: E402


def build(repo: Path, commits: int) -> None:
    base = scaffold._files(name="Bench Network", coordinator="Berufsschule am Hafen",
                           country="DE", today=dt.date(2026, 1, 15))["network.yaml"]
    subprocess.run(["git", "init", "-q", "--initial-branch=main", str(repo)], check=True)
    stream = []
    start = 1_760_000_000
    for i in range(commits):
        text = base.replace("ecvet_points: 20", f"ecvet_points: {20 + i % 7}")
        if i % 3 == 1:
            text = text.replace("name: Maria Keller", f"name: Maria Keller {i}")
        if i % 5 == 2:
            text = text.replace("cold starters to a recipe.", f"cold starters ({i}).")
        data = text.encode()
        message = f"Version {i}".encode()
        stream.append(b"commit refs/heads/main\n")
        stamp = f"{start + i * 3600} +0000".encode()
        stream.append(b"author Bench <bench@example.org> " + stamp + b"\n")
        stream.append(b"committer Bench <bench@example.org> " + stamp + b"\n")
        stream.append(b"data %d\n%s\n" % (len(message), message))
        stream.append(b"M 100644 inline network.yaml\ndata %d\n%s\n" % (len(data), data))
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=b"".join(stream),
                   check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=repo, check=True)


def timed(repo: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mouctl", "log"], cwd=repo, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        build(repo, args.commits)
        cache = repo / ".git" / "mouctl-cache"
        cold, warm = [], []
        for _ in range(args.runs):
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(timed(repo))
            warm.append(timed(repo))
        print(f"mouctl log over {args.commits} commits, median of {args.runs}: "
              f"cold {statistics.median(cold):.2f} s, warm {statistics.median(warm):.2f} s")


if __name__ == "__main__":
    main()

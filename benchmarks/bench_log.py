"""Time `mouctl log` over a long history: cold (no cache) and warm.

Builds a repository with N commits of the scaffold network through
`git fast-import` (seconds, not minutes), each commit changing one unit's points,
a contact or a learning outcome, then runs `mouctl log` as a user would.

    python benchmarks/bench_log.py --commits 1000 --runs 3
    python benchmarks/bench_log.py --network examples/consortium/network.yaml

Wall time is what a user waits; CPU time (user + system, mouctl and its git
processes) is printed too, as it stays meaningful on a busy machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import resource
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


def build(repo: Path, commits: int, network: Path | None = None) -> None:
    """N commits; each changes a unit's points, every 3rd a contact, every 5th an outcome."""
    base = network.read_text(encoding="utf-8") if network else scaffold._files(
        name="Bench Network", coordinator="Berufsschule am Hafen", country="DE",
        today=dt.date(2026, 1, 15))["network.yaml"]
    points = re.search(r"ecvet_points: (\d+)", base)
    email = re.search(r"email: (\S+)", base)
    outcome = re.search(r"The learner is able to [^\n]*", base)
    subprocess.run(["git", "init", "-q", "--initial-branch=main", str(repo)], check=True)
    stream = []
    start = 1_760_000_000
    for i in range(commits):
        text = base.replace(points.group(0), f"ecvet_points: {int(points.group(1)) + i % 7}",
                            1)
        if i % 3 == 1:
            text = text.replace(email.group(0), f"email: c{i}.{email.group(1)}", 1)
        if i % 5 == 2:
            text = text.replace(outcome.group(0), f"{outcome.group(0)} ({i})", 1)
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


def timed(repo: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one `mouctl log`, CPU including its git processes."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mouctl", "log"], cwd=repo, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--network", type=Path, help="a one-file network.yaml to use "
                        "(default: the `mouctl init` example)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        build(repo, args.commits, args.network)
        cache = repo / ".git" / "mouctl-cache"
        cold, warm = [], []
        for _ in range(args.runs):
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(timed(repo))
            warm.append(timed(repo))
        what = args.network or "the init example"
        def show(runs):
            return (f"{statistics.median(w for w, _ in runs):.2f} s wall, "
                    f"{statistics.median(c for _, c in runs):.2f} s CPU")

        print(f"mouctl log over {args.commits} commits of {what}, median of {args.runs}: "
              f"cold {show(cold)}; warm {show(warm)}")


if __name__ == "__main__":
    main()

"""Time mouctl's commands as whole processes, beside floors measured in the same run.

    python -m benchmarks.run                      # S, M and L; 5 runs after 1 warm-up
    python -m benchmarks.run --sizes S --runs 1 --warmup 0     # the CI smoke run
    python -m benchmarks.run --only 'validate|help' --json results.json

Each command is run as `python -m mouctl ...` (the code of this checkout) with its
output sent to /dev/null or a temporary file; the table shows the median wall time,
the floor it is compared with (the least any implementation has to do: start
Python, read the YAML with libyaml, run git), the ratio to that floor, the peak
memory of the process (and the processes it waited for), the target, and for L
the ratio to M. Commands not on this checkout yet are listed as skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
MOUCTL = [PY, "-m", "mouctl"]
MEMORY_LIMIT_MB = 400
GROWTH_LIMIT = 12  # L may take at most this many times M
OLD, NEW = "mou-v9.0", "mou-v10.0"  # the two releases `diff` compares
HISTORY_LENGTHS = (100, 300, 1000)  # commits, for the table of `log` against history length


@dataclass
class Case:
    """One timed command: what to run, what floor it is held against, its target."""

    name: str
    size: str
    argv: list[str]
    floor: str
    target: float | None = None  # seconds, for L (or any size for start-up commands)
    repo_copy: str | None = None  # "run": fresh copy of the history per run; "case": once
    needs: str | None = None  # a mouctl command (and option) that must exist
    ratio: float | None = None  # target as a multiple of the floor (+ `extra` seconds)
    extra: float = 0.0
    setup: str | None = None  # "change": commit a change to the copy before each run
    memory_mb: float | None = None  # a peak-memory target of its own, for L


@dataclass
class Result:
    """The measurements of one case (or one floor)."""

    name: str
    size: str
    median: float | None = None
    low: float | None = None
    cpu: float | None = None  # median user+system seconds: steadier than wall on a busy box
    peak_mb: float | None = None
    floor: str | None = None
    floor_s: float | None = None
    target: float | None = None
    note: str = ""
    runs: list[float] = field(default_factory=list)
    memory_mb: float | None = None

    @property
    def ratio(self) -> float | None:
        if self.median is None or not self.floor_s:
            return None
        return self.median / self.floor_s


class TooSlow(RuntimeError):
    """A run took longer than the time limit and was stopped."""


def measure(argv: list[str], env: dict, *, cwd: Path | None = None,
            limit: float | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak MiB of one run of `argv`."""
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: a chatty child never blocks
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=cwd)
        timer = threading.Timer(limit, proc.kill) if limit else None
        if timer:
            timer.start()
        # os.wait4 gives this child's own resource usage (including the children it
        # waited for, e.g. git), so other processes do not mix into its peak.
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        if timer:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if limit and elapsed >= limit:
            raise TooSlow(f"stopped after {limit:.0f} s")
        if proc.returncode != 0:
            err.seek(0)
            text = err.read().decode("utf-8", "replace").strip()[-500:]
            raise RuntimeError(f"{' '.join(argv[-4:])} exited {proc.returncode}: {text}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def series(argv: list[str], env: dict, runs: int, warmup: int,
           before: Callable[[], list[str]] | None = None, limit: float | None = None
           ) -> tuple[list[float], list[float], float]:
    """Wall and CPU times of `runs` runs after `warmup` untimed ones; the peak memory."""
    times, cpus, peak = [], [], 0.0
    for i in range(warmup + runs):
        args = before() if before else argv
        elapsed, cpu, mb = measure(args, env, limit=limit)
        peak = max(peak, mb)
        if i >= warmup:
            times.append(elapsed)
            cpus.append(cpu)
    return times, cpus, peak


def environment(data: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOUCTL_", "GIT_"))}
    env.update({"PYTHONPATH": str(ROOT), "MOUCTL_TODAY": "2026-03-01", "NO_COLOR": "1",
                "GIT_CONFIG_NOSYSTEM": "1", "COLUMNS": "120"})
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # start-up is measured with cached bytecode
    return env


def floors(data: Path, sizes: list[str]) -> dict[str, list[str]]:
    """The floor commands, by key."""
    load = ("import sys, yaml\n"
            "for name in sys.argv[1:]:\n"
            "    with open(name, 'rb') as f: yaml.load(f, Loader=yaml.CSafeLoader)")
    out = {"python -c pass": [PY, "-c", "pass"]}
    for size in sizes:
        base = data / size
        split = base / "split"
        split_files = [str(split / "network.yaml")] + sorted(
            str(p) for kind in ("partners", "qualifications")
            for p in (split / kind).glob("*.yaml"))
        out[f"yaml C load {size}"] = [PY, "-c", load, str(base / "single" / "network.yaml")]
        out[f"yaml C load {size} split"] = [PY, "-c", load, *split_files]
        repo = str(base / "history")
        out[f"git log {size}"] = ["git", "-C", repo, "log", "--format=%H %an %ad %D %s"]
        out[f"git diff {size}"] = ["git", "-C", repo, "diff", OLD, NEW]
    return out


def cases(data: Path, sizes: list[str], tmp: Path) -> list[Case]:
    """Every command of the table, in order."""
    out = [Case("--help", "-", ["--help"], "python -c pass", 0.1),
           Case("--version", "-", ["--version"], "python -c pass", 0.1)]
    # Issue 18: Markdown and HTML within 1.6x one libyaml load of L, Word within 3x
    # and under 150 MiB at its peak.
    render_targets = {"md": (1.6, None), "html": (1.6, None), "docx": (3.0, 150)}
    for size in sizes:
        single, split = data / size / "single", data / size / "split"
        big = size == "L"
        out.append(Case("validate", size, ["validate", "-N", str(single)],
                        f"yaml C load {size}", 0.8 if big else None))
        out.append(Case("validate split", size, ["validate", "-N", str(split)],
                        f"yaml C load {size} split", 0.8 if big else None))
        for fmt, (ratio, memory) in render_targets.items():
            out.append(Case(f"render {fmt}", size,
                            ["render", "-N", str(single), "--format", fmt,
                             "-o", str(tmp / f"out-{size}.{fmt}")],
                            f"yaml C load {size}", needs="render",
                            ratio=ratio if big else None,
                            memory_mb=memory if big else None))
    if "S" in sizes:  # PDF time must grow linearly with the length of one text
        from benchmarks.generate import LONG_NAMES

        for length in LONG_NAMES:
            out.append(Case(f"render pdf, {length:,}-char name", "S",
                            ["render", "-N", str(data / "names" / str(length)), "--format",
                             "pdf", "-o", str(tmp / f"name-{length}.pdf")],
                            "yaml C load S", needs="render"))
    for size in sizes:
        big = size == "L"
        load = f"yaml C load {size}"
        # Two releases, read once each: cold within 2.2x one load of L; warm < 0.3 s.
        out.append(Case("diff cold", size, ["diff", OLD, NEW], load, repo_copy="run",
                        needs="diff", ratio=2.2 if big else None))
        out.append(Case("diff warm", size, ["diff", OLD, NEW], f"git diff {size}",
                        0.3 if big else None, repo_copy="case", needs="diff"))
        out.append(Case("diff --rendered", size, ["diff", "--rendered", OLD, NEW],
                        f"git diff {size}", 3.0 if big else None, repo_copy="run",
                        needs="diff --rendered"))
        out.append(Case("log cold", size, ["log"], load, 3.0 if size == "M" else None,
                        repo_copy="run", needs="log", ratio=15 if big else None))
        out.append(Case("log warm", size, ["log"], f"git log {size}", repo_copy="case",
                        needs="log", ratio=2 if big else None, extra=0.3 if big else 0.0))
        out.append(Case("status", size, ["status"], load, repo_copy="run", needs="status",
                        ratio=2.2 if big else None))
        out.append(Case("release", size, ["release", "11.0", "-m", "Benchmark release"],
                        load, repo_copy="run", needs="release", ratio=2.2 if big else None,
                        setup="change"))
    return out


def log_cases(data: Path, sizes: list[str]) -> list[tuple[int, Case]]:
    """`log` cold over histories of 100, 300 and 1,000 commits of each size."""
    return [(n, Case(f"log cold, {n} commits", size, ["log"], f"yaml C load {size}",
                     repo_copy="run", needs="log"))
            for n in HISTORY_LENGTHS for size in sizes]


def commit_change(repo: Path) -> None:
    """Commit a change to the network's terms, so that a new release can be made."""
    path = repo / "network.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "file_code: MOU-BENCH-", "file_code: MOU-BENCH-X-", 1), encoding="utf-8")
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=Bench", "-c",
                    "user.email=bench@example.org", "commit", "-qam", "Change the file code"],
                   check=True)


def available(env: dict) -> set[str]:
    """Which commands (and the options the table needs) this checkout has."""
    found = set()
    for command in ("validate", "render", "diff", "log", "status", "release"):
        proc = subprocess.run([*MOUCTL, command, "--help"], capture_output=True, text=True,
                              env=env)
        if proc.returncode == 0:
            found.add(command)
            if command == "diff" and "--rendered" in proc.stdout:
                found.add("diff --rendered")
    return found


def run_case(case: Case, data: Path, tmp: Path, env: dict, runs: int, warmup: int,
             limit: float | None = None) -> Result:
    result = Result(case.name, case.size, floor=case.floor, target=case.target,
                    memory_mb=case.memory_mb)
    argv = [*MOUCTL, *case.argv]
    before = None
    if case.repo_copy:
        pristine = data / case.size / "history"
        work = tmp / f"repo-{case.size}"

        def fresh() -> Path:
            if work.exists():
                shutil.rmtree(work)
            shutil.copytree(pristine, work, symlinks=True)
            if case.setup == "change":
                commit_change(work)
            return work

        if case.repo_copy == "run":
            def before() -> list[str]:
                return [*MOUCTL, *case.argv[:1], "-N", str(fresh()), *case.argv[1:]]
        else:
            argv = [*MOUCTL, *case.argv[:1], "-N", str(fresh()), *case.argv[1:]]
    try:
        # A warm case is warm: one untimed run fills the cache, whatever --warmup says.
        warm = max(warmup, 1) if case.repo_copy == "case" else warmup
        times, cpus, peak = series(argv, env, runs, warm, before, limit)
    except TooSlow as exc:
        result.note = f"too slow: {exc}"
        if case.target is not None:
            result.note = f"MISSED: {exc}, target {case.target:g} s"
        return result
    except RuntimeError as exc:
        result.note = f"failed: {exc}"
        return result
    result.runs = times
    result.median = statistics.median(times)
    result.low = min(times)
    result.cpu = statistics.median(cpus)
    result.peak_mb = peak
    return result


def _against_floor(result: Result, case: Case, floors: dict[str, Result]) -> None:
    """The floor beside the result, and a target given as a multiple of it."""
    result.floor_s = floors[case.floor].median
    if case.ratio is not None and result.floor_s:
        result.target = case.ratio * result.floor_s + case.extra


def machine() -> dict:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    git = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "git": git, "os": platform.platform(), "mouctl commit": commit,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def verdict(r: Result, by_key: dict) -> str:
    if r.median is None:
        return r.note
    problems = []
    if r.target is not None and r.median >= r.target:
        problems.append(f"MISSED by {r.median - r.target:.2f} s")
    memory_limit = r.memory_mb or MEMORY_LIMIT_MB
    if r.size == "L" and r.peak_mb and r.peak_mb >= memory_limit:
        problems.append(f"memory {r.peak_mb:.0f} MiB >= {memory_limit:g}")
    m = by_key.get((r.name, "M"))
    if r.size == "L" and m and m.median and r.median / m.median > GROWTH_LIMIT:
        problems.append(f"L/M {r.median / m.median:.1f}x > {GROWTH_LIMIT}")
    if problems:
        return "; ".join(problems)
    return "met" if r.target is not None or r.size == "L" else ""


def table(results: list[Result], floor_results: dict[str, Result], info: dict) -> str:
    by_key = {(r.name, r.size): r for r in results}
    lines = [
        "machine: " + ", ".join(f"{k} {v}" for k, v in info.items()),
        "",
        "| command | size | median s | cpu s | floor | floor s | x floor | peak MiB | target s "
        "| L/M | verdict |",
        "| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, f in floor_results.items():
        lines.append(f"| *floor* {name} | | {_s(f.median)} | {_s(f.cpu)} | | | "
                     f"| {_mb(f.peak_mb)} | | | |")
    for r in results:
        m = by_key.get((r.name, "M"))
        growth = (f"{r.median / m.median:.1f}" if r.size == "L" and m and m.median
                  and r.median else "")
        ratio = f"{r.ratio:.1f}" if r.ratio is not None else ""
        lines.append(
            f"| {r.name} | {r.size} | {_s(r.median)} | {_s(r.cpu)} | {r.floor} "
            f"| {_s(r.floor_s)} | {ratio} "
            f"| {_mb(r.peak_mb)} | {_s(r.target)} | {growth} | {verdict(r, by_key)} |")
    return "\n".join(lines)


def _s(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _mb(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/tmp/mouctl-bench"),
                        help="where the generated networks are kept (built when missing)")
    parser.add_argument("--sizes", default="S,M,L")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs before them")
    parser.add_argument("--only", help="regular expression: run only matching commands")
    parser.add_argument("--limit", type=float, default=120,
                        help="stop a command after this many seconds (and skip its other runs)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    parser.add_argument("--log-table", action="store_true",
                        help="also time `log` cold over 100, 300 and 1,000 commits")
    args = parser.parse_args(argv)
    sizes = [s for s in args.sizes.split(",") if s]
    # Generated in a child process: a forked child inherits (and reports) the
    # parent's peak memory, so the runner itself must stay small.
    subprocess.run([PY, "-m", "benchmarks.generate", "--out", str(args.data),
                    "--sizes", ",".join(sizes)], check=True, cwd=ROOT)
    if args.log_table:
        for n in HISTORY_LENGTHS[:-1]:
            subprocess.run([PY, "-m", "benchmarks.generate", "--out",
                            str(args.data / f"commits-{n}"), "--sizes", ",".join(sizes),
                            "--commits", str(n)], check=True, cwd=ROOT)
    env = environment(args.data)
    have = available(env)
    with tempfile.TemporaryDirectory(prefix="mouctl-bench-") as tmpdir:
        tmp = Path(tmpdir)
        todo = [c for c in cases(args.data, sizes, tmp)
                if not args.only or re.search(args.only, c.name)]
        floor_cmds = floors(args.data, sizes)
        wanted = {c.floor for c in todo}
        floor_results: dict[str, Result] = {}
        for key, cmd in floor_cmds.items():
            if key not in wanted:
                continue
            times, cpus, peak = series(cmd, env, args.runs, args.warmup)
            floor_results[key] = Result(key, "", statistics.median(times), min(times),
                                        statistics.median(cpus), peak, runs=times)
        results = []
        for case in todo:
            if case.needs and case.needs not in have:
                results.append(Result(case.name, case.size, floor=case.floor,
                                      target=case.target,
                                      note=f"skipped: `mouctl {case.needs}` is not on this "
                                      "checkout yet"))
                continue
            result = run_case(case, args.data, tmp, env, args.runs, args.warmup, args.limit)
            _against_floor(result, case, floor_results)
            results.append(result)
            print(f"  {case.name} {case.size}: {_s(result.median) or result.note}",
                  file=sys.stderr)
        lengths = []
        if args.log_table and "log" in have:
            for n, case in log_cases(args.data, sizes):
                data = args.data if n == 1000 else args.data / f"commits-{n}"
                result = run_case(case, data, tmp, env, args.runs, args.warmup, args.limit)
                _against_floor(result, case, floor_results)
                lengths.append(result)
                print(f"  {case.name} {case.size}: {_s(result.median) or result.note}",
                      file=sys.stderr)
    info = machine()
    print(table(results, floor_results, info))
    if lengths:
        print()
        print(table(lengths, {}, {}).split("\n", 2)[2])
    if args.json:
        args.json.write_text(json.dumps(
            {"machine": info, "floors": [asdict(f) for f in floor_results.values()],
             "results": [asdict(r) for r in results]}, indent=2))
    # A command that fails is a row saying so, not a crash of the harness: the
    # others' half-landed commands must not hide the rest of the table.
    return 0


if __name__ == "__main__":
    sys.exit(main())

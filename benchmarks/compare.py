"""Before/after timing of one command: a git revision against the working tree.

    python -m benchmarks.compare HEAD -- validate -N /tmp/mouctl-bench/L/single

Exports the `mouctl` package of REVISION into a temporary folder and runs the
command alternately with that code and with this checkout's (`python -m mouctl`),
so both see the same machine load; prints the minimum and median wall and CPU
seconds of each. The minimum is the better estimate on a busy machine.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from benchmarks.run import ROOT, environment, measure


def export(revision: str, into: Path) -> None:
    """The files of `revision` (package and templates) below `into`."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision],
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("revision", help="the 'before' revision, e.g. HEAD or main")
    parser.add_argument("command", nargs="*", help="mouctl's arguments, after --")
    parser.add_argument("--after", help="the 'after' revision (default: the working tree)")
    parser.add_argument("--runs", type=int, default=10)
    argv = sys.argv[1:] if argv is None else argv
    split = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_args(argv[:split])
    command = args.command + argv[split + 1:]
    with tempfile.TemporaryDirectory(prefix="mouctl-before-") as tmp, \
            tempfile.TemporaryDirectory(prefix="mouctl-after-") as tmp_after:
        export(args.revision, Path(tmp))
        after = ROOT
        if args.after:
            after = Path(tmp_after)
            export(args.after, after)
        sides = {f"before ({args.revision})": Path(tmp),
                 f"after ({args.after or 'working tree'})": after}
        samples: dict[str, list[tuple[float, float, float]]] = {k: [] for k in sides}
        for i in range(args.runs + 1):
            for label, root in sides.items():
                env = environment(Path(tmp))
                env["PYTHONPATH"] = str(root)
                sample = measure([sys.executable, "-m", "mouctl", *command], env, cwd=root)
                # the working directory comes first on sys.path with -m: each side's code
                if i:  # the first round warms the caches
                    samples[label].append(sample)
    print(f"mouctl {' '.join(command)}  ({args.runs} alternating runs each)")
    for label, values in samples.items():
        wall = [v[0] for v in values]
        cpu = [v[1] for v in values]
        print(f"  {label:<28} wall min {min(wall):.3f} s median {statistics.median(wall):.3f} s"
              f" | cpu min {min(cpu):.3f} s median {statistics.median(cpu):.3f} s"
              f" | peak {max(v[2] for v in values):.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

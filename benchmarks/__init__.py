"""Benchmark harness: synthetic networks at three sizes, a git history, a runner.

`python -m benchmarks.generate` writes the networks; `python -m benchmarks.run`
times the commands against the floors. See docs/benchmarks.md.
"""

"""The benchmark harness still works: generator output validates, the runner runs (S only).

No timings are asserted: CI machines are too noisy for that. docs/benchmarks.md
has the measured table.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from benchmarks import generate, synth
from mouctl.source import loader as source

ROOT = Path(__file__).resolve().parent.parent


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


def test_yaml_text_reads_back_as_the_data():
    data = synth.network("M")
    assert yaml.load(synth.document(data), Loader=yaml.CSafeLoader) == data


def test_sizes_are_as_specified():
    for name, (partners, quals, units) in {"S": (2, 1, 5), "M": (20, 10, 200),
                                           "L": (200, 50, 2000)}.items():
        data = synth.network(name)
        assert len(data["partners"]) == partners
        assert len(data["qualifications"]) == quals
        assert sum(len(q["units"]) for q in data["qualifications"]) == units
        if name == "L":
            assert all(sum(len(v) for v in u["learning_outcomes"].values()) == 8
                       for q in data["qualifications"] for u in q["units"])


def test_generated_layouts_and_history_are_valid_networks(tmp_path):
    base = generate.generate(tmp_path, "S")
    today = dt.date(2026, 3, 1)
    for layout in ("single", "split", "history"):
        loaded = source.load(base / layout, today=today)
        assert loaded.diagnostics == [], layout
        assert loaded.network is not None
    split = sorted(p.name for p in (base / "split" / "partners").iterdir())
    assert split == sorted(f"{p['id']}.yaml" for p in synth.network("S")["partners"])
    repo = base / "history"
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "1000"
    tags = git(repo, "tag", "-l").split()
    assert sorted(tags) == sorted(f"mou-v{n}.0" for n in range(1, 11))
    assert git(repo, "cat-file", "-t", "mou-v1.0").strip() == "tag"  # annotated
    assert git(repo, "status", "--porcelain") == ""
    # every release is valid too: the amendments change fields, they do not break them
    for tag in tags:
        files = {name: git(repo, "show", f"{tag}:{name}").encode()
                 for name in git(repo, "ls-tree", "-r", "--name-only", tag).split()}
        assert source.load_documents(files, today=today).diagnostics == [], tag


@pytest.mark.slow  # CI still runs it; `-m 'not slow'` skips it while you work
def test_runner_smoke_on_s(tmp_path):
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--data", str(tmp_path / "data"),
         "--sizes", "S", "--runs", "1", "--warmup", "0", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "| validate | S |" in proc.stdout
    assert "*floor* python -c pass" in proc.stdout
    assert "nproc" in proc.stdout
    results = json.loads(out.read_text())
    validate = next(r for r in results["results"] if r["name"] == "validate")
    assert validate["median"] > 0 and validate["peak_mb"] > 0
    assert {f["name"] for f in results["floors"]} >= {"python -c pass", "yaml C load S"}
    for r in results["results"]:  # each row is measured, skipped or says why it failed
        assert r["median"] or r["note"].startswith(("skipped", "failed", "too slow")), r

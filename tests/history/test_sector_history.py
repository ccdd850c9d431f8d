"""examples/sector/make_history.py: a reproducible history of releases and signatures."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import subprocess
import sys

import pytest

from mouctl.source import loader as source
from tests.conftest import EXAMPLES, ROOT, git


def _script():
    spec = importlib.util.spec_from_file_location(
        "make_history", EXAMPLES / "sector" / "make_history.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module


def _states():
    """The data of every step, as the script replays it (no git needed)."""
    mh = _script()
    files = mh._initial_state(mh._bundled_files())
    out = [(mh.STEPS[0], files)]
    for step in mh.STEPS[1:]:
        files = mh._apply(files, step)
        out.append((step, files))
    return out


def test_every_state_of_the_history_is_valid_without_warnings():
    for step, files in _states():
        loaded = source.load_documents({k: v.encode() for k, v in files.items()},
                                       today=dt.date.fromisoformat(step.date))
        assert loaded.diagnostics == [], (step.date, loaded.diagnostics)


def test_the_history_grows_the_network_and_ends_at_the_bundled_data():
    mh = _script()
    states = _states()
    sizes = [sum(name.startswith("partners/") for name in files) for _, files in states]
    assert sizes == [22, 22, 26, 26, 28]
    assert states[-1][1] == mh._bundled_files()
    assert [s.release for s in mh.STEPS if s.release] == ["1.0", "1.1", "1.2", "2.0"]


def test_sector_example_is_large_and_split_into_files():
    n = source.load_or_raise(EXAMPLES / "sector")
    assert len(n.partners) >= 25
    assert len({p.country for p in n.partners}) >= 10
    assert (EXAMPLES / "sector" / "partners").is_dir()
    assert len(list((EXAMPLES / "sector" / "qualifications").glob("*.yaml"))) == 4


def test_script_refuses_an_existing_folder(tmp_path):
    proc = subprocess.run([sys.executable, str(EXAMPLES / "sector" / "make_history.py"),
                           str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "already exists" in proc.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """The repository the script builds (once for the module: about 100 commits)."""
    dest = tmp_path_factory.mktemp("sector") / "hospinet"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, str(EXAMPLES / "sector" / "make_history.py"),
                           str(dest)], capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return dest


def test_history_has_the_four_releases_with_fixed_dates(history):
    tags = git(history, "for-each-ref", "refs/tags",
               "--format=%(refname:short) %(taggername) %(taggerdate:short)").split("\n")
    assert tags[:4] == ["mou-v1.0 Verena Hofer 2025-02-03", "mou-v1.1 Verena Hofer 2025-10-20",
                        "mou-v1.2 Verena Hofer 2025-12-15", "mou-v2.0 Verena Hofer 2026-02-16"]


def test_history_is_made_only_of_fixed_identities_and_dates(history):
    # Hashes are reproducible when nothing else varies: no machine identity, no clock.
    people = set(git(history, "log", "--format=%an <%ae> %cn <%ce>").splitlines())
    assert people == {"Verena Hofer <v.hofer@hlt-innsbruck.at> "
                      "Verena Hofer <v.hofer@hlt-innsbruck.at>"}
    times = set(git(history, "log", "--format=%ad %cd", "--date=format:%H:%M").splitlines())
    assert times == {"09:00 09:00"}
    signatures = git(history, "log", "--format=%s", "--grep=signature").splitlines()
    assert len(signatures) == 22 + 26 + 26 + 25


def test_history_ends_at_the_bundled_data_with_three_signatures_outstanding(history, run):
    mh = _script()
    for name, text in mh._bundled_files().items():
        assert (history / name).read_text(encoding="utf-8") == text, name
    result = run("status", "--format", "json", "-N", str(history))
    status = json.loads(result.stdout)
    assert status["release"]["version"] == "2.0"
    unsigned = sorted(p["id"] for p in status["partners"] if not p.get("signed"))
    assert unsigned == ["etb-killybegs", "iek-rhodes", "sbh-rotterdam"]
    check = run("status", "--check", "-N", str(history))
    assert check.code == 1

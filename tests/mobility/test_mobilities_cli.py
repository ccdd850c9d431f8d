"""`mouctl mobilities` on the consortium example: the listing, JSON and exit codes."""

from __future__ import annotations

import json
import shutil

from tests.conftest import EXAMPLES


def test_listing_of_the_example(run, golden):
    result = run("mobilities", "-N", str(EXAMPLES / "consortium"))
    assert result.code == 0, result.output
    golden("mobility/example-listing.txt",
           result.stdout.replace(str(EXAMPLES / "consortium") + "/", ""))
    states = [line.split()[1] for line in result.stdout.splitlines()[1:4]]
    assert states == ["recognised", "planned", "completed"]


def test_json_and_strict(run):
    result = run("mobilities", "-N", str(EXAMPLES / "consortium"), "--format", "json")
    listed = json.loads(result.stdout)["mobilities"]
    assert {m["id"]: m["state"] for m in listed} == {
        "2025-regensburg-dubois": "recognised", "2026-graz-virtanen": "planned",
        "2026-oulu-berger": "completed"}
    assert all(m["mou"] == "draft" and m["valid"] for m in listed)
    # The example is not released: every mobility rests on a draft, a warning.
    assert run("mobilities", "-N", str(EXAMPLES / "consortium"), "--strict").code == 1


def test_errors_exit_1_and_no_folder_is_not_an_error(run, tmp_path):
    folder = tmp_path / "net"
    shutil.copytree(EXAMPLES / "consortium", folder)
    shutil.rmtree(folder / "mobilities")
    result = run("mobilities", "-N", str(folder))
    assert result.code == 0 and "no mobilities in" in result.stderr
    (folder / "mobilities").mkdir()
    (folder / "mobilities" / "x.yaml").write_text("learner: {name: A}\n", encoding="utf-8")
    result = run("mobilities", "-N", str(folder))
    assert result.code == 1
    assert "x.yaml:1:1: error: sending: required field 'sending' is missing" in result.stdout
    assert result.stdout.splitlines()[1].split() == ["x", "invalid"]

"""`make bench` runs every part to its end even when one fails, writes reports/bench.json, lists
what failed and only then exits non-zero."""
from __future__ import annotations

import json
import sys

from builders import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import run as bench_run  # noqa: E402


def test_a_failing_part_does_not_stop_the_others_and_the_report_is_written(monkeypatch, tmp_path, capsys):
    ran = []

    def part(name, fail=False):
        def go():
            ran.append(name)
            if fail:
                raise ConnectionResetError("7 connection resets")
            return {"value": len(name)}
        return go

    monkeypatch.setattr(bench_run, "HERE", tmp_path / "bench")
    monkeypatch.setattr(bench_run, "parts", lambda: [("first", part("first")),
                                                     ("broken", part("broken", fail=True)),
                                                     ("last", part("last"))])
    assert bench_run.main() == 1
    assert ran == ["first", "broken", "last"]
    report = json.loads((tmp_path / "reports" / "bench.json").read_text())
    assert {k: {f: v for f, v in r.items() if f != "seconds"} for k, r in report.items() if k != "failed"} == \
           {"first": {"value": 5}, "broken": {"failed": "ConnectionResetError: 7 connection resets"},
            "last": {"value": 4}}
    assert report["failed"] == ["broken: ConnectionResetError: 7 connection resets"]
    assert capsys.readouterr().out.splitlines()[-2:] == \
           ["1 of 3 bench parts failed:", "  broken: ConnectionResetError: 7 connection resets"]

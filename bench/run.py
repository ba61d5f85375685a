"""`make bench`: every benchmark, each printed as a ratio against a baseline measured in the same
run. Wall-clock numbers are reported, never asserted. Every part runs to its end even when an
earlier one fails; the failures are listed at the end, reports/bench.json is always written, and
only then does the run exit non-zero."""
from __future__ import annotations

import importlib
import json
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _extraction() -> dict:
    import extraction

    r = extraction.measure()
    print(extraction.report(r), flush=True)
    return r


def _validation() -> dict:
    import load

    r = load.measure_validation()
    print(load.report_validation(r), flush=True)
    return r


def _store() -> dict:
    import load

    r = load.measure_store()
    print(load.report_store(r), flush=True)
    return r


def _module(name: str):
    """A benchmark module with main() -> exit code (it prints its own lines)."""
    def run() -> dict:
        code = importlib.import_module(name).main()
        if code:
            raise RuntimeError(f"{name} exited {code}")
        return {"exit": 0}
    return run


def parts() -> list[tuple[str, object]]:
    found = [("extraction", _extraction), ("validation", _validation), ("store", _store)]
    for name in ("sparql_load", "neo4j_sync", "fuseki_load"):  # issue-specific, when present
        if (HERE / f"{name}.py").exists():
            found.append((name, _module(name)))
    return found


def main() -> int:
    results: dict = {}
    failed: list[str] = []
    started = time.perf_counter()
    for name, run in parts():
        t0 = time.perf_counter()
        try:
            results[name] = run()
        except Exception as e:  # noqa: BLE001 — one part failing must not stop the others
            traceback.print_exc()
            line = " ".join(f"{type(e).__name__}: {e}".split())[:200]
            results[name] = {"failed": line}
            failed.append(f"{name}: {line}")
            print(f"bench part {name} FAILED: {line}", flush=True)
        results[name]["seconds"] = round(time.perf_counter() - t0, 1)
    results["failed"] = failed
    out = HERE.parent / "reports" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    print(f"bench done in {time.perf_counter() - started:.0f} s; numbers in {out}")
    if failed:
        print(f"{len(failed)} of {len(results) - 1} bench parts failed:")
        for line in failed:
            print(f"  {line}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

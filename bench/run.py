"""`make bench`: every benchmark, each printed as a ratio against a baseline measured in the same
run. Wall-clock numbers are reported, never asserted. Optional parts run when present."""
from __future__ import annotations

import importlib
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main() -> int:
    results = {}
    started = time.perf_counter()
    import extraction
    import load

    r = extraction.measure()
    results["extraction"] = r
    print(extraction.report(r), flush=True)
    r = load.measure_validation()
    results["validation"] = r
    print(load.report_validation(r), flush=True)
    r = load.measure_store()
    results["store"] = r
    print(load.report_store(r), flush=True)
    for name in ("sparql_load", "neo4j_sync"):        # issue-specific benchmarks, when present
        if (HERE / f"{name}.py").exists():
            module = importlib.import_module(name)
            code = module.main()
            if code:
                return code
    out = HERE.parent / "reports" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    print(f"bench done in {time.perf_counter() - started:.0f} s; numbers in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

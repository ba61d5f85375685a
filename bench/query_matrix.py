"""Every saved question × each optional parameter on one store, in-process, each run in a child
that a time limit kills (bench/query_timer.py): `python bench/query_matrix.py STORE [TIMEOUT_S]
[NAME ...]` prints one line per (question, variant) with the median of the timed runs (after one
warm-up) and the row count. Variants: the required parameters only (bench/scale.py), then each
optional one of the question's header alone: as_of, since, min_confidence, outlet."""
from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from measure import run_measured  # noqa: E402
from scale import saved_queries  # noqa: E402

VARIANTS = {"as_of": "2025-01-01", "since": "2025-01-01", "min_confidence": "0.8", "outlet": "Reuters"}
REPEATS = 3


def main(store: str, timeout: float, names: list[str]) -> None:
    from stancegraph.queries.catalogue import get_query

    for name, required in saved_queries():
        if names and name not in names:
            continue
        declared = {p.name for p in get_query(name).params}
        variants = [("-", required)] + [(f"{k}={v}", {**required, k: v})
                                        for k, v in VARIANTS.items() if k in declared]
        for label, params in variants:
            run = run_measured([sys.executable, str(HERE / "query_timer.py"), store, name,
                                json.dumps(params), str(REPEATS + 1)], timeout)
            if run.returncode is None:
                shown = f"> {timeout:.0f} s"
            elif not run.ok:
                shown = "error: " + (run.stderr.strip().splitlines() or ["?"])[-1][:80]
            else:
                r = json.loads(run.stdout)
                timed = r["times"][1:] or r["times"]
                shown = f"{statistics.median(timed) * 1000:9.1f} ms  rows {r['rows']}"
            print(f"{name:18} {label:22} {shown}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 60.0, sys.argv[3:])

"""One saved query timed in-process on one store (run as a child, so a time limit can kill it):
`python bench/query_timer.py STORE NAME PARAMS_JSON REPEATS` prints {"times": [...], "rows": n}:
the first run warms caches; slow queries stop repeating once the timed runs pass BUDGET_S."""
from __future__ import annotations

import json
import sys
import time

BUDGET_S = 10.0


def main(store_dir: str, name: str, params: str, repeats: int) -> None:
    from stancegraph.loaders.store.oxigraph import OxigraphStore
    from stancegraph.queries.catalogue import answer, get_query

    store = OxigraphStore(store_dir)
    query = get_query(name)
    values = json.loads(params)
    times, rows = [], 0
    while len(times) < repeats and (len(times) < 2 or sum(times[1:]) < BUDGET_S):
        t0 = time.perf_counter()
        _, result = answer(store, query, values)
        times.append(time.perf_counter() - t0)
        rows = len(result)
    print(json.dumps({"times": times, "rows": rows}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))

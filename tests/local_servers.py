"""What the Neo4j and Fuseki test fixtures share: the local server scripts of docker/ as modules,
whether they can start here, a server in a temporary home stopped afterwards, and the rule that a
missing server skips locally but fails under CI=true."""

from __future__ import annotations

import atexit
import importlib.util
import os
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, NoReturn

import pytest

REPO = Path(__file__).resolve().parent.parent


def on_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable(reason: str, error: type[Exception]) -> NoReturn:
    """No server: a failure under CI, a visible skip elsewhere."""
    if on_ci():
        raise error(reason)
    print(f"\n{reason}", file=sys.stderr)
    pytest.skip(reason)


def load_script(path: Path) -> ModuleType:
    """A docker/*/NAME.py script as the module NAME (its folder name is no package name)."""
    name = path.stem
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def local_problem(ctl: ModuleType) -> str | None:
    """None when the script's server can be started here: a suitable java, and jars or Maven."""
    try:
        ctl.find_java()
    except ctl.jvmserver.LocalServerError as e:
        return f"local server: {e}"
    if not any(ctl.LIB.glob("*.jar")) and shutil.which("mvn") is None:
        return f"local server: no jars in {ctl.LIB.relative_to(REPO)} and no Maven to fetch them"
    return None


@contextmanager
def local_server(ctl: ModuleType, prefix: str, grace: float,
                 **start: Any) -> Iterator[tuple[Any, float]]:
    """The script's server started in a temporary home with a random password, dying with this
    process, stopped and removed afterwards (at exit too); yields it and its start-up seconds."""
    home = Path(tempfile.mkdtemp(prefix=prefix))

    def cleanup() -> None:
        ctl.stop(home, grace=grace)
        shutil.rmtree(home, ignore_errors=True)

    atexit.register(cleanup)  # also when the session ends without running finalizers
    try:
        began = time.monotonic()
        server = ctl.start(home, password=secrets.token_urlsafe(18), die_with_parent=True, **start)
        yield server, time.monotonic() - began
    finally:
        cleanup()
        atexit.unregister(cleanup)


def summary_line(terminalreporter, what: str, ours, endpoint, address: str) -> None:
    """One line for the CI log: how many of `what`'s tests (`ours(report)`) ran, passed, failed
    and were skipped, and which server they had."""
    counts = {"passed": 0, "failed": 0, "skipped": 0, "error": 0}
    seen = set()
    for outcome in counts:
        for report in terminalreporter.stats.get(outcome, []):
            if ours(report) and report.nodeid not in seen:
                seen.add(report.nodeid)
                counts[outcome] += 1
    if not seen:
        return
    where = "no server"
    if endpoint is not None:
        took = f", up in {endpoint.started_in:.1f} s" if endpoint.started_in else ""
        where = f"{endpoint.how} server {address}{took}"
    ran = counts["passed"] + counts["failed"] + counts["error"]
    terminalreporter.write_sep("-", f"{what} tests")
    terminalreporter.write_line(
        f"{what} tests: {ran} ran, {counts['passed']} passed, {counts['failed']} failed,"
        f" {counts['error']} errors, {counts['skipped']} skipped ({where})")

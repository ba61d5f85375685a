"""What the fuzz tests share: writing cases to disk (special files included), a per-input
watchdog, and the checks every run makes (no traceback, no hang, no good article lost, one named
line per bad input)."""
from __future__ import annotations

import os
import signal
import stat
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fuzz_inputs import Case

SEED = int(os.environ.get("STANCEGRAPH_FUZZ_SEED", "20250901"))
SCALE = int(os.environ.get("STANCEGRAPH_FUZZ_SCALE", "1"))     # `make fuzz` runs more
PER_INPUT_SECONDS = 20          # a hang, not a speed measure: normal inputs take milliseconds


class Hang(Exception):
    pass


@contextmanager
def watchdog(seconds: float, what: str):
    """Raises Hang in the main thread if the block runs longer than `seconds` (even when it is
    blocked in a system call, such as opening a FIFO)."""
    def ring(signum, frame):
        raise Hang(f"{what}: still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def warm_up() -> None:
    """Load what loads once per process (dateparser's locale data takes seconds on its first
    free-text date), so the per-input watchdog measures inputs, not start-up."""
    from stancegraph.loaders.errors import InputError
    from stancegraph.loaders.read.dates import parse_date

    for text in ("4 September 2025", "1e10", "2025-09-01T25:61:00"):
        try:
            parse_date(text, "warm-up", None)
        except InputError:
            pass


def can_make_unreadable() -> bool:
    """Root reads a file of mode 000; unreadable cases need an ordinary user."""
    return os.geteuid() != 0


def write_case(case: Case, folder: Path) -> Path:
    """The case on disk under `folder`; returns the path to hand to a reader."""
    path = folder / case.name
    if case.kind == "file":
        path.write_bytes(case.data)
    elif case.kind == "fifo":
        os.mkfifo(path)
    elif case.kind == "unreadable":
        path.write_bytes(case.data)
        path.chmod(0)
    elif case.kind == "unreadable-folder":
        path.mkdir()
        (path / "inside.jsonl").write_bytes(case.data)
        path.chmod(0)
    elif case.kind == "symlink-loop":
        os.symlink(path.name, path)
    elif case.kind == "dangling-link":
        os.symlink(folder / "nowhere" / "gone.jsonl", path)
    else:
        raise ValueError(case.kind)
    return path


def make_readable(folder: Path) -> None:
    """Undo the unreadable cases, so that the test's folder can be removed."""
    for entry in sorted(folder.iterdir()) if folder.exists() else ():
        if entry.is_symlink():
            continue
        mode = entry.stat().st_mode
        if stat.S_ISDIR(mode):
            entry.chmod(0o755)
        elif stat.S_ISREG(mode):
            entry.chmod(0o644)


@dataclass
class Verdict:
    """Every way a run failed, by case; empty lists mean the run held."""

    tracebacks: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)           # good titles not read/stored
    unnamed: list[str] = field(default_factory=list)        # lines that name no input
    miscounted: list[str] = field(default_factory=list)     # bad inputs with the wrong lines
    silent: list[str] = field(default_factory=list)         # no article and no line

    def failures(self) -> dict[str, list[str]]:
        return {k: v[:10] for k, v in vars(self).items() if v}


def check_lines(cases: list[Case], paths: dict[str, str], lines: list[str],
                read_titles: dict[str, list[str]], verdict: Verdict) -> None:
    """One named line per bad input: each line names an input; each bad case has exactly its
    number of lines (and the phrase it must say), a good case none; no case is silent."""
    by_case: dict[str, list[str]] = {c.name: [] for c in cases}
    for line in lines:
        owner = _owner(line, paths)
        if owner is None:
            verdict.unnamed.append(line[:200])
        else:
            by_case[owner].append(line)
    for case in cases:
        got = by_case[case.name]
        if case.errors is not None and len(got) != case.errors:
            verdict.miscounted.append(f"{case.name}: expected {case.errors} lines, got {got[:3]}")
        elif case.must_say and got and not all(case.must_say in line for line in got):
            verdict.miscounted.append(f"{case.name}: expected '{case.must_say}' in {got[:3]}")
        if not got and not read_titles.get(case.name):
            verdict.silent.append(case.name)


def _owner(line: str, paths: dict[str, str]) -> str | None:
    """The case a line names (the longest path it starts with, followed by ':')."""
    best = None
    for name, path in paths.items():
        if line.startswith(path + ":") or line.startswith(path + "/"):
            if best is None or len(path) > len(paths[best]):
                best = name
    return best

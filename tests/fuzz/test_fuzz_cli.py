"""The fuzz suite through the real command, as a user runs it: a folder of generated bad inputs
mixed with good articles, special files (FIFO, unreadable file and folder — without the
capabilities that bypass file modes when the tests run as root — symlink loop, dangling link) and devices, loaded in one batch by
the installed `stancegraph` in a subprocess. Exit 1, no traceback, the summary printed, every
good article stored, one named line per bad input. Then the bounds at their defaults."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

import fuzz_inputs
from builders import ROOT
from harness import (PER_INPUT_SECONDS, SCALE, SEED, Verdict, check_lines, make_readable,
                     write_case)

EXE = ROOT / ".venv" / "bin" / "stancegraph"
DAC_OVERRIDE = "-dac_override,-dac_read_search"


def as_user() -> list[str]:
    """Run the command without root's power to read any file when we are root (root reads files
    of mode 000): the capabilities that bypass file modes are dropped, the user stays root, so
    the checkout and its virtualenv need not be readable by anyone else."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.fail("running as root: the unreadable-file cases need setpriv (util-linux) to run "
                    "the command without the capabilities that bypass file modes")
    return ["setpriv", f"--bounding-set={DAC_OVERRIDE}", f"--inh-caps={DAC_OVERRIDE}"]


@pytest.fixture
def world_folder():
    """A folder of its own for the batch and the store (removed even with unreadable parts)."""
    folder = Path(tempfile.mkdtemp(prefix="stancegraph-fuzz-"))
    yield folder
    make_readable(folder / "batch")
    shutil.rmtree(folder, ignore_errors=True)


def run_load(args: list[str], folder: Path, extra_env: dict | None = None, timeout: float = 600):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(folder), "STANCEGRAPH_DEBUG": "1",
           "LANG": "C.UTF-8", **(extra_env or {})}
    return subprocess.run([*as_user(), str(EXE), "load", *args, "--store", str(folder / "store")],
                          capture_output=True, text=True, timeout=timeout, env=env)


def stored_titles(store: Path) -> set[str]:
    from stancegraph.loaders.store import close_store, open_store

    try:
        return {title for _, title in open_store(store).article_graphs()}
    finally:
        close_store(store)


def test_a_fuzzed_batch_through_the_command(world_folder):
    cases = fuzz_inputs.cases(SEED + 1, bad=36 * SCALE, good=8 * SCALE)
    batch = world_folder / "batch"
    batch.mkdir()
    paths = {c.name: str(write_case(c, batch)) for c in cases}
    for path in batch.iterdir():
        if not path.is_symlink() and path.is_file() and os.stat(path).st_mode & 0o777:
            path.chmod(0o644)
    # a FIFO and devices named on the command line, besides the folder
    os.mkfifo(world_folder / "named.fifo")
    direct = {"named.fifo": str(world_folder / "named.fifo"), "zero": "/dev/zero", "null": "/dev/null"}
    expected = cases + [fuzz_inputs.Case(name, errors=1) for name in direct]
    done = run_load([str(batch), *direct.values(), "--max-errors", "100000"], world_folder,
                    fuzz_inputs.LIMITS_ENV, timeout=PER_INPUT_SECONDS * len(expected))

    verdict = Verdict()
    if "Traceback" in done.stderr:
        verdict.tracebacks.append(done.stderr[-3000:])
    out = done.stdout.splitlines()
    assert done.returncode == 1, done.stderr[-3000:]
    assert len(out) == 1 and out[0].startswith("loaded "), done.stdout[-2000:]
    lines = done.stderr.splitlines()
    assert [line for line in lines if not line.startswith(("error: ", "rejected: "))] == []
    errors = [line[len("error: "):] for line in lines if line.startswith("error: ")]
    stored = stored_titles(world_folder / "store")
    titles = {c.name: [t for t in c.good if t in stored] for c in cases}
    check_lines(expected, {**paths, **direct}, errors, titles, verdict)
    verdict.lost = [t for c in cases for t in c.good if t not in stored]
    assert verdict.failures() == {}
    assert sum(c.bad for c in cases) >= 30 and sum(len(c.good) for c in cases) >= 10


def test_bounds_at_their_defaults(world_folder):
    """A 21 MB feed, a 6 MB JSONL line and a 300,000-character text, beside good lines."""
    good = {"title": "Spain rules out troops", "outlet": "Test Wire", "published": "2025-09-01",
            "body": "Spain has ruled out sending troops to Ukraine, the defence minister said."}
    (world_folder / "big.rss").write_bytes(b"<rss>" + b" " * 21_000_000 + b"</rss>")
    lines = [json.dumps({**good, "title": "Too long a line", "body": "x " * 3_000_000}),
             json.dumps({**good, "title": "Too long a text", "body": "Italy said no. " * 20_000}),
             json.dumps(good)]
    (world_folder / "mixed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name in ("big.rss", "mixed.jsonl"):
        (world_folder / name).chmod(0o644)
    done = run_load([str(world_folder / "big.rss"), str(world_folder / "mixed.jsonl")],
                    world_folder, timeout=300)
    assert (done.returncode, done.stderr.splitlines()) == (1, [
        f"error: {world_folder}/big.rss: the file is larger than 20 MB (limit: "
        "STANCEGRAPH_MAX_FILE_BYTES / --max-file-size; JSONL files are read line by line and "
        "have no size limit)",
        f"error: {world_folder}/mixed.jsonl:line 1: the line is longer than 5,000,000 bytes "
        "(limit: STANCEGRAPH_MAX_LINE_BYTES / --max-line)",
        f"error: {world_folder}/mixed.jsonl:line 2: the text is 299,999 characters long, more "
        "than 200,000 (limit: STANCEGRAPH_MAX_BODY_CHARS / --max-body)"])
    assert stored_titles(world_folder / "store") == {"Spain rules out troops"}


def test_a_hundred_thousand_bad_lines_print_fifty_and_a_count(world_folder):
    (world_folder / "bad.jsonl").write_text('{"title": 7}\n' * 100_000, encoding="utf-8")
    (world_folder / "bad.jsonl").chmod(0o644)
    done = run_load([str(world_folder / "bad.jsonl")], world_folder, timeout=300)
    lines = done.stderr.splitlines()
    assert done.returncode == 1
    assert lines[:2] == [f"error: {world_folder}/bad.jsonl:line {n}: field 'title' must be a "
                         "string, got 7" for n in (1, 2)]
    assert len(lines) == 51
    assert lines[-1] == "… and 99,950 more (see them with --max-errors 100000)"
    assert done.stdout == ("loaded 0 articles (0 added, 0 replaced, 0 unchanged), 0 claims; "
                           "100000 input errors, 0 articles rejected by SHACL\n")

"""A real `stancegraph serve` for tests (127.0.0.1, a free port, stopped by the fixture) and what
the kernel says about its process tree: pids, listening ports, CPU time."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

EXE = Path(sys.executable).parent / "stancegraph"
TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(store: Path, *args: str):
    """Start `stancegraph serve` on `store`, wait for serve.json, stop it (SIGTERM) at the end
    and check that no process of its tree outlives it."""
    port = free_port()
    log = store.parent / f"serve-{port}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(EXE), "serve", "--store", str(store), "--port", str(port), *args],
                                stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180           # generous: CI machines may be busy
    while not (store / "serve.json").exists():
        assert proc.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    tree = set()
    try:
        yield {"url": f"http://127.0.0.1:{port}", "port": port, "store": store, "proc": proc,
               "token": (store / "serve.token").read_text().strip(), "log": log}
    finally:
        tree = stop_server(proc)
    deadline = time.monotonic() + 5
    while any(alive(p) for p in tree) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [p for p in tree if alive(p)], "a worker outlived the server"
    assert not (store / "serve.json").exists() and not (store / "serve.token").exists()
    assert "Traceback" not in log.read_text(errors="replace"), log.read_text(errors="replace")[-3000:]


def stop_server(proc: subprocess.Popen) -> set[int]:
    """SIGTERM the server and wait for it (20 s, then it is killed and that is a failure);
    returns the pids its tree had, to check that none outlives it."""
    tree = process_tree(proc.pid)
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise AssertionError("the server did not stop on SIGTERM")
    return tree


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def process_tree(root: int) -> set[int]:
    """The root and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))):
            parents[int(entry.name)] = int(fields[1])
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return tree


def cpu_seconds(pids) -> float:
    """User + system CPU of these processes (the exited ones count 0)."""
    total = 0
    for pid in pids:
        fields = _stat(pid)
        if fields:
            total += int(fields[11]) + int(fields[12])
    return total / TICKS


def listening_ports(pids) -> set[int]:
    """TCP ports on which any of these processes holds a listening socket."""
    inodes = set()
    for pid in pids:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                try:
                    target = os.readlink(fd)
                except OSError:
                    continue
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except OSError:
            continue
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:          # 0A = LISTEN
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


@contextmanager
def running_front(url: str, env: dict[str, str], folder: Path, *args: str):
    """Start `stancegraph serve --store URL` in front of a SPARQL server (credentials in `env`),
    wait until it answers, stop it at the end; no process of its tree may outlive it."""
    port = free_port()
    log = folder / f"serve-front-{port}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(EXE), "serve", "--store", url, "--port", str(port), *args],
                                stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **env})
    deadline = time.monotonic() + 120
    while "SPARQL endpoint on" not in log.read_text(errors="replace"):
        assert proc.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield {"url": f"http://127.0.0.1:{port}", "port": port, "proc": proc, "log": log}
    finally:
        tree = stop_server(proc)
    assert not [p for p in tree if alive(p)], "a process outlived the server"
    assert "Traceback" not in log.read_text(errors="replace"), log.read_text(errors="replace")[-3000:]


def listening_pid(port: int) -> int | None:
    """The process holding a listening TCP socket on `port` (None if none of ours can be seen)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                try:
                    target = os.readlink(fd)
                except OSError:
                    continue
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    return int(entry.name)
        except OSError:
            continue
    return None

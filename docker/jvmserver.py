"""What the local Java servers (neo4j-local/neo4jctl.py, fuseki-local/fusekictl.py) share.

Both assemble a server from Maven Central jars into lib/, find a suitable java, run it in its
own process group bound to 127.0.0.1, recognise it again from its pid file, stop it, and keep the
`export` lines of `up` in HOME/env (mode 0600). Standard library only; each ctl script puts this
folder on sys.path and keeps its own names (errors, ports, readiness checks, configuration).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shlex
import shutil
import signal
import socket
import subprocess
import time
from collections import deque
from pathlib import Path
from typing import Callable


class LocalServerError(RuntimeError):
    """The local server could not be assembled, started or stopped."""


def ensure_lib(lib: Path, pom: Path, run_dir: Path, what: str,
               error: type[LocalServerError]) -> Path:
    """Copy the server's jars into lib/ with Maven unless they match the pom already."""
    stamp = lib / ".pom.sha256"
    want = hashlib.sha256(pom.read_bytes()).hexdigest()
    run_dir.mkdir(parents=True, exist_ok=True)
    with open(run_dir / ".lib.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two test sessions must not fill lib/ at once
        if stamp.is_file() and stamp.read_text().strip() == want and any(lib.glob("*.jar")):
            return lib
        mvn = shutil.which("mvn")
        if mvn is None:
            raise error(f"Maven (mvn) is needed once to fetch the {what} jars; install it")
        fresh = run_dir / "lib.new"  # run/ is git-ignored
        shutil.rmtree(fresh, ignore_errors=True)
        cmd = [mvn, "-q", "-B", "-f", str(pom), "dependency:copy-dependencies",
               "-DincludeScope=runtime", f"-DoutputDirectory={fresh}"]
        done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if done.returncode != 0:
            raise error(f"{shlex.join(cmd)} failed:\n{done.stdout}{done.stderr}")
        (fresh / ".pom.sha256").write_text(want + "\n")
        shutil.rmtree(lib, ignore_errors=True)  # old versions (and a CDS archive) must go
        shutil.move(fresh, lib)
    return lib


def find_java(env_var: str, accepts: Callable[[int], bool], wanted: str,
              error: type[LocalServerError]) -> str:
    """The first java whose release `accepts`: $env_var, $JAVA_HOME, PATH, /usr/lib/jvm/*."""
    home = os.environ.get("JAVA_HOME")
    candidates = [os.environ.get(env_var), home and os.path.join(home, "bin", "java"),
                  shutil.which("java"), *sorted(map(str, Path("/usr/lib/jvm").glob("*/bin/java")))]
    tried: list[str] = []
    for java in candidates:
        if java and java not in tried and os.access(java, os.X_OK):
            tried.append(java)
            if (release := java_release(java)) is not None and accepts(release):
                return java
    raise error(f"no Java {wanted} found (tried {', '.join(tried) or 'nothing'}); set {env_var}"
                " or JAVA_HOME")


def java_release(java: str) -> int | None:
    """The feature release of a java (17, 21 …) from its `java.specification.version`."""
    out = subprocess.run([java, "-XshowSettings:properties", "-version"],
                         capture_output=True, text=True).stderr
    for line in out.splitlines():
        key, _, value = line.strip().partition(" = ")
        if key == "java.specification.version" and value.isdigit():
            return int(value)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def die_with_parent() -> None:
    """In the child before exec: the kernel sends it SIGTERM when this process dies."""
    import ctypes
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def launch(cmd: list[str], home: Path, log: Path, pid_file: Path,
           children: dict[int, subprocess.Popen], die_with_parent_too: bool) -> subprocess.Popen:
    """Start the server as the leader of its own session (its group is the server), output to
    `log`, its pid in `pid_file` and in `children` (to reap it)."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=home, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True,
                                preexec_fn=die_with_parent if die_with_parent_too else None)
    children[proc.pid] = proc
    pid_file.write_text(f"{proc.pid}\n")
    return proc


def wait_ready(proc: subprocess.Popen, ready: Callable[[], bool], what: str, log: Path,
               timeout: float, error: type[LocalServerError], poll: float = 0.05) -> None:
    """Until `ready()`, or the process exits (error with the log's tail), or `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise error(f"{what} exited with status {proc.returncode} while starting;"
                        f" last lines of {log}:\n{tail(log)}")
        if ready():
            return
        time.sleep(poll)
    raise error(f"{what} did not answer within {timeout:.0f} s; last lines of {log}:\n{tail(log)}")


def tail(path: Path, lines: int = 40) -> str:
    try:
        with open(path, errors="replace") as f:
            return "".join(deque(f, maxlen=lines))
    except FileNotFoundError:
        return "(no log)"


def cmdline(pid: int) -> list[bytes]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (FileNotFoundError, ProcessLookupError):
        return []


def running_pid(pid_file: Path, marker_arg: str, children: dict[int, subprocess.Popen]) -> int | None:
    """The pid in `pid_file` if that process is alive and really is the server (its command
    line holds `marker_arg`), else None."""
    try:
        pid = int(pid_file.read_text())
    except (FileNotFoundError, ValueError):
        return None
    if pid in children and children[pid].poll() is not None:
        return None
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return None
    if state in ("Z", "X") or marker_arg.encode() not in cmdline(pid):
        return None  # exited, or the pid was reused by another program
    return pid


def stop_group(pid: int, alive: Callable[[], bool], grace: float,
               children: dict[int, subprocess.Popen]) -> bool:
    """SIGTERM the process group `pid` leads, SIGKILL after `grace` s; wait until `alive()` is
    false (the caller checks it is). True when it had to be killed."""
    killed = False
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10)):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            break
        killed = sig == signal.SIGKILL
        deadline = time.monotonic() + wait
        while alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        if not alive():
            break
    if pid in children:
        children.pop(pid).wait(timeout=5)
    return killed


def read_env_file(home: Path) -> dict[str, str]:
    """The `export KEY=value` lines `up` wrote to HOME/env."""
    env, values = Path(home) / "env", {}
    for line in env.read_text().splitlines() if env.is_file() else ():
        key, _, value = line.removeprefix("export ").partition("=")
        values[key] = shlex.split(value)[0] if value else ""
    return values


def write_env_file(home: Path, values: dict[str, str]) -> None:
    """HOME/env, mode 0600 even if it existed with another mode."""
    fd = os.open(home / "env", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w") as f:
        for key, value in values.items():
            f.write(f"export {key}={shlex.quote(value)}\n")


def print_exports(home: Path) -> None:
    """The export lines of HOME/env; a password is read from the file, never printed."""
    for key, value in read_env_file(home).items():
        print(f'export {key}="$(. {shlex.quote(str(home / "env"))} && printf %s "${key}")"'
              if key.endswith("PASSWORD") else f"export {key}={shlex.quote(value)}")


def port_to_reuse(wanted: int | None, previous_url: str | None) -> int | None:
    """The port asked for, else the one of last time's URL if it is free, else None (any)."""
    if wanted or not previous_url:
        return wanted
    port = int(previous_url.rsplit(":", 1)[1].split("/", 1)[0])
    with socket.socket() as s:
        return port if s.connect_ex(("127.0.0.1", port)) != 0 else None

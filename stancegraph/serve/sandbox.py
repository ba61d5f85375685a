"""Linux seccomp filter for query workers: no IPv4/IPv6 socket can be created (the worker talks
to the front over pipes), so no SERVICE call or other request leaves a worker, whatever the
query. Installed first thing in the worker, before any thread exists; a no-op elsewhere."""
from __future__ import annotations

import ctypes
import errno
import platform
import struct

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
RET_ALLOW = 0x7FFF0000
RET_ERRNO = 0x00050000
# (audit arch, socket, io_uring_setup) per machine
ARCHES = {"x86_64": (0xC000003E, 41, 425), "aarch64": (0xC00000B7, 198, 425)}
AF_INET, AF_INET6 = 2, 10


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def _program(arch: int, nr_socket: int, nr_io_uring: int) -> bytes:
    ld_w_abs, jeq_k, ret_k = 0x20, 0x15, 0x06
    return b"".join([
        _insn(ld_w_abs, 0, 0, 4),                       # A = seccomp_data.arch
        _insn(jeq_k, 1, 0, arch),                       # our arch? go on : refuse (other ABI)
        _insn(ret_k, 0, 0, RET_ERRNO | errno.EACCES),
        _insn(ld_w_abs, 0, 0, 0),                       # A = syscall number
        _insn(jeq_k, 0, 1, nr_io_uring),                # io_uring could open sockets: refuse
        _insn(ret_k, 0, 0, RET_ERRNO | errno.ENOSYS),
        _insn(jeq_k, 0, 3, nr_socket),                  # not socket(): allow
        _insn(ld_w_abs, 0, 0, 16),                      # A = args[0] (domain)
        _insn(jeq_k, 2, 0, AF_INET),
        _insn(jeq_k, 1, 0, AF_INET6),
        _insn(ret_k, 0, 0, RET_ALLOW),
        _insn(ret_k, 0, 0, RET_ERRNO | errno.EACCES),
    ])


def forbid_network() -> bool:
    """Install the filter on this process (and the threads it starts later); False where the
    platform has no seccomp or refuses it."""
    spec = ARCHES.get(platform.machine())
    if spec is None or platform.system() != "Linux":
        return False
    code = _program(*spec)
    filters = ctypes.create_string_buffer(code, len(code))

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    program = Program(len(code) // 8, ctypes.cast(filters, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0) == 0

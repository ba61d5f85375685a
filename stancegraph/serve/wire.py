"""Frames between the HTTP front and its worker processes, over the workers' stdin/stdout.

A frame is two big-endian lengths, a JSON header and raw bytes: the header says what to do (or
how it went), the bytes carry the payload (a query result, an RDF body) untouched."""
from __future__ import annotations

import json
import struct
from typing import BinaryIO

_LENGTHS = struct.Struct(">II")


def encode(header: dict, body: bytes = b"") -> bytes:
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    return _LENGTHS.pack(len(head), len(body)) + head + body


def read_frame(stream: BinaryIO) -> tuple[dict, bytes] | None:
    """The next frame from a blocking stream; None at end of stream."""
    lengths = stream.read(_LENGTHS.size)
    if len(lengths) < _LENGTHS.size:
        return None
    head_len, body_len = _LENGTHS.unpack(lengths)
    return json.loads(stream.read(head_len)), stream.read(body_len)


def write_frame(stream: BinaryIO, header: dict, body: bytes = b"") -> None:
    stream.write(encode(header, body))
    stream.flush()

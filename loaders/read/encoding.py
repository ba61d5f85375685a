"""Bytes to text: a byte-order mark first, then the charset a server sent, then the encoding the
document declares (`<?xml … encoding="ISO-8859-1"?>`, `<meta charset=…>`), else UTF-8.
Empty, binary and undecodable input is one InputError naming the line and byte offset."""
from __future__ import annotations

import codecs
import re

from stancegraph.loaders.errors import InputError, shown

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_XML_DECLARED = re.compile(rb"\A\s*<\?xml[^>]*?\sencoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']")
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]{1,40})",
                           re.IGNORECASE)
_XML_DECLARATION = re.compile(r"\A(\s*<\?xml[^>]*?)\s+encoding\s*=\s*[\"'][^\"']*[\"']")
# Browsers read these labels as windows-1252 (WHATWG Encoding); so do we, latin-1 if that fails.
_AS_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii",
                    "iso-ir-100", "cp819", "ibm819", "windows-1252", "cp1252", "x-cp1252"}
# Python codecs that are no document's encoding (and could smuggle in lone surrogates).
_NOT_DOCUMENT_ENCODINGS = {"unicode-escape", "raw-unicode-escape", "idna", "punycode",
                           "undefined", "utf-7"}


def declared_encoding(data: bytes) -> str | None:
    """The encoding a document names for itself: XML declaration or HTML meta charset."""
    head = data[:4096]
    found = _XML_DECLARED.match(head) or _META_CHARSET.search(head)
    return found.group(1).decode("ascii").lower() if found else None


def decode(data: bytes, source: str, charset: str | None = None) -> str:
    """Text of a whole document (see the module docstring); an XML declaration's encoding is
    dropped from the text, which is Unicode now and would otherwise be decoded twice."""
    if not data.strip():
        raise InputError(source, "the file is empty")
    codec = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if codec is None:
        if b"\x00" in data[:8192]:
            raise InputError(source, "this is a binary file, not text")
        codec = (charset or declared_encoding(data) or "utf-8").lower().replace("_", "-")
        if codec in ("utf-8", "utf8"):
            codec = "utf-8-sig"
    text = _decode(data, source, codec)
    if not text.strip():
        raise InputError(source, "the file is empty")
    return _XML_DECLARATION.sub(r"\1", text, count=1) if text.lstrip().startswith("<?xml") \
        else text


def decode_line(data: bytes, source: str, position: str) -> str:
    """One line of a UTF-8 file read line by line (JSONL)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(source, f"not UTF-8 text (byte 0x{data[e.start]:02x} at column "
                                 f"{e.start + 1}); re-save the file as UTF-8", position) from None


def _decode(data: bytes, source: str, codec: str) -> str:
    try:
        info = codecs.lookup(codec)
    except LookupError:
        info = None
    if info is None or not info._is_text_encoding or info.name in _NOT_DOCUMENT_ENCODINGS:
        raise InputError(source, f"unknown text encoding {shown(codec)}")
    if codec in _AS_WINDOWS_1252:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")               # every byte is a latin-1 character
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        name = "UTF-8" if codec == "utf-8-sig" else codec.upper()
        hint = "; re-save the file as UTF-8" if name == "UTF-8" else " (as the file declares)"
        raise InputError(source, f"not {name} text (byte 0x{data[e.start]:02x} at offset "
                                 f"{e.start}){hint}", f"line {line}") from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def check_unicode(value: str | None, field: str, source: str, position: str | None) -> None:
    """A text field holding a lone surrogate (a JSON "\\ud800", an XML "&#xD800;") is invalid
    Unicode that no store can write: the item is refused, naming the field and the place."""
    found = _SURROGATE.search(value) if value else None
    if found:
        raise InputError(source, f"field '{field}': invalid Unicode (lone surrogate "
                                 f"U+{ord(found.group()):04X} at character {found.start() + 1})",
                         position)

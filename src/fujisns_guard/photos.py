"""Attached photos (G-RULE-5): read JPEG/PNG metadata, strip it losslessly, find faces (optional).

Pure functions on bytes: the command line reads the files. A small parser of our own rather than
a library: it reads only the few tags that matter (GPS position, camera serials, owner and artist
names) from Exif, XMP and IPTC, never decodes pixels, bounds every offset and count, and the same
walk over the file's segments (JPEG) or chunks (PNG) writes the stripped copy, so the image data
is copied byte for byte (docs/photos.md says why not Pillow: it re-encodes on save).

Faces (肖像権) need the optional extra `fujisns-guard[faces]` (OpenCV's Haar cascade, shipped in
the wheel, offline). Without it the report carries an `info` finding saying so.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import struct
import sys
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .model import Finding, construct

MAX_BYTES = 50 * 1024 * 1024  # a larger attachment is refused before it is read
MAX_PIXELS = 178_956_970  # what Pillow refuses as a decompression bomb (2 × 89,478,485)
MAX_TEXT = 1024 * 1024  # a compressed PNG text chunk is inflated to at most this much
CLAUSE = "G-RULE-5"
STRIP_HINT = "guard strip {name} -o 出力ファイル でメタデータを消した写しを添付する"


class ImageError(Exception):
    """The file is not a usable JPEG/PNG: a one-line reason (the caller adds the file name)."""


@dataclass(frozen=True, slots=True)
class PhotoRule:
    id: str
    severity: str
    message: str
    reason: str


RULES: dict[str, PhotoRule] = {
    r.id: r
    for r in (
        PhotoRule(
            "personal_info.photo_gps",
            "error",
            "添付画像 {name} に撮影位置（GPS の緯度・経度）が記録されています。",
            "写真の位置情報から撮影場所（自宅・学校・避難先など）が分かり、写っている人や撮影者の"
            "居場所を知られるおそれがあります。位置情報を消してから投稿してください。",
        ),
        PhotoRule(
            "personal_info.photo_serial",
            "warning",
            "添付画像 {name} にカメラ・レンズの製造番号（{fields}）が記録されています。",
            "製造番号から撮影者や、同じカメラで撮られた他の写真をたどられるおそれがあります。",
        ),
        PhotoRule(
            "personal_info.photo_owner",
            "warning",
            "添付画像 {name} に撮影者・所有者の氏名（{fields}）が記録されています。",
            "職員や撮影者の氏名が画像の中に残ったまま公開されます。公開してよい名前か確認してください。",
        ),
        PhotoRule(
            "personal_info.photo_faces",
            "warning",
            "添付画像 {name} に人の顔が {count} 件写っているようです。",
            "写っている人の肖像権に配慮し、本人（子どもなら保護者）の同意を確認してください。"
            "一般の方が特定できる写真は特に注意が必要です。",
        ),
        PhotoRule(
            "personal_info.photo_faces_unavailable",
            "info",
            "添付画像 {name} の顔検出は利用できません（pip install 'fujisns-guard[faces]'）。",
            "写っている人の肖像権は目視で確認してください。",
        ),
        PhotoRule(
            "personal_info.photo_unchecked",
            "warning",
            "添付画像 {name} を確認できませんでした（{why}）。",
            "確認できなかった写真の位置情報や写っている人は、目視で確認してください。",
        ),
    )
}


@dataclass(frozen=True, slots=True)
class PhotoMeta:
    """What an image says about itself. Values of names and serials are kept out of every output."""

    format: str  # "JPEG" or "PNG"
    width: int
    height: int
    gps: bool = False  # a latitude and a longitude are recorded
    serials: tuple[str, ...] = ()  # where: "Exif BodySerialNumber", "XMP aux:SerialNumber" …
    owners: tuple[str, ...] = ()  # where: "Exif Artist", "IPTC By-line" …
    metadata: tuple[str, ...] = ()  # every metadata block found (what `strip` removes)
    damaged: tuple[str, ...] = ()  # metadata that could not be read in full
    orientation: int = 1  # Exif Orientation (1 = as stored): strip keeps it so the photo shows upright


# --- TIFF (Exif) -----------------------------------------------------------------------------

_TYPE_SIZE = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8}
_IFD0_OWNER = {0x013B: "Artist", 0x9C9D: "XPAuthor"}
_IFD0_SERIAL = {0xC62F: "CameraSerialNumber"}
_EXIF_OWNER = {0xA430: "CameraOwnerName"}
_EXIF_SERIAL = {0xA431: "BodySerialNumber", 0xA435: "LensSerialNumber"}
_MAX_ENTRIES = 4096


@dataclass(slots=True)
class _Found:
    gps: bool = False
    serials: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    metadata: list[str] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)
    orientation: int = 1

    def add(self, where: list[str], label: str) -> None:
        if label not in where:
            where.append(label)


def _ifd(tiff: bytes, bo: str, offset: int) -> dict[int, bytes]:
    """Tag → raw value bytes of one IFD; out-of-range values are dropped (ValueError if the IFD is)."""
    if offset < 8 or offset + 2 > len(tiff):
        raise ValueError("IFD offset out of range")
    (count,) = struct.unpack_from(bo + "H", tiff, offset)
    if count > _MAX_ENTRIES or offset + 2 + 12 * count > len(tiff):
        raise ValueError("IFD runs past the end")
    out: dict[int, bytes] = {}
    for i in range(count):
        tag, typ, n = struct.unpack_from(bo + "HHI", tiff, offset + 2 + 12 * i)
        size = _TYPE_SIZE.get(typ, 0) * n
        at = offset + 2 + 12 * i + 8
        if size > 4:
            (at,) = struct.unpack_from(bo + "I", tiff, at)
        if size == 0 or at + size > len(tiff):
            continue
        out[tag] = tiff[at : at + size]
    return out


def _text(raw: bytes, tag: int) -> str:
    if tag == 0x9C9D:  # XPAuthor: UCS-2 little endian in a BYTE array
        return raw.decode("utf-16-le", "replace").strip("\0 ")
    return raw.split(b"\0", 1)[0].decode("utf-8", "replace").strip()


def _pointer(raw: bytes | None, bo: str) -> int | None:
    if raw is None or len(raw) < 4:
        return None
    return int(struct.unpack(bo + "I", raw[:4])[0])


def _rationals_nonzero(raw: bytes, bo: str) -> bool:
    values = struct.unpack(bo + "I" * (len(raw) // 4), raw[: len(raw) // 4 * 4])
    return any(values[i] for i in range(0, len(values), 2))


def _read_tiff(tiff: bytes, where: str, found: _Found) -> None:
    """Exif: GPS position, serial numbers, owner and artist names."""
    found.add(found.metadata, where)
    try:
        bo = {b"II": "<", b"MM": ">"}[tiff[:2]]
        magic, first = struct.unpack_from(bo + "HI", tiff, 2)
        if magic != 42:
            raise ValueError("not TIFF")
        ifd0 = _ifd(tiff, bo, first)
    except (KeyError, ValueError, struct.error):
        found.add(found.damaged, where)
        return
    for tags, bucket, known in ((_IFD0_OWNER, found.owners, ifd0), (_IFD0_SERIAL, found.serials, ifd0)):
        for tag, name in tags.items():
            if tag in known and _text(known[tag], tag):
                found.add(bucket, f"{where} {name}")
    if len(ifd0.get(0x0112, b"")) == 2:
        value = int(struct.unpack(bo + "H", ifd0[0x0112])[0])
        found.orientation = value if 1 <= value <= 8 else 1
    for pointer_tag, what in ((0x8769, "exif"), (0x8825, "gps")):
        offset = _pointer(ifd0.get(pointer_tag), bo)
        if offset is None:
            continue
        try:
            sub = _ifd(tiff, bo, offset)
        except (ValueError, struct.error):
            found.add(found.damaged, f"{where} {what.upper()} IFD")
            continue
        if what == "gps":
            lat, lon = sub.get(2), sub.get(4)
            if lat is not None and lon is not None and (_rationals_nonzero(lat, bo) or _rationals_nonzero(lon, bo)):
                found.gps = True
            continue
        for tags, bucket in ((_EXIF_OWNER, found.owners), (_EXIF_SERIAL, found.serials)):
            for tag, name in tags.items():
                if tag in sub and _text(sub[tag], tag):
                    found.add(bucket, f"{where} {name}")


# --- XMP and IPTC ----------------------------------------------------------------------------

_XMP_GPS = re.compile(rb"exif:GPS(?:Latitude|Longitude)\s*(?:=\s*[\"'][^\"']*\d|>\s*[^<\s]*\d)")
_XMP_SERIAL = re.compile(
    rb"(aux:SerialNumber|exifEX:BodySerialNumber|aux:LensSerialNumber|exifEX:LensSerialNumber)\s*(?:=\s*[\"'][^\"']+|>[^<]+)"
)
_XMP_OWNER = re.compile(
    rb"(exifEX:CameraOwnerName|aux:OwnerName|tiff:Artist)\s*(?:=\s*[\"'][^\"']+|>[^<]+)|(dc:creator)>\s*<rdf:(?:Seq|Bag)>\s*<rdf:li[^>]*>[^<]+"
)


def _read_xmp(xmp: bytes, where: str, found: _Found) -> None:
    found.add(found.metadata, where)
    if _XMP_GPS.search(xmp):
        found.gps = True
    for m in _XMP_SERIAL.finditer(xmp):
        found.add(found.serials, f"{where} {m.group(1).decode()}")
    for m in _XMP_OWNER.finditer(xmp):
        found.add(found.owners, f"{where} {(m.group(1) or m.group(2)).decode()}")


def _read_photoshop(data: bytes, where: str, found: _Found) -> None:
    """APP13 "Photoshop 3.0": 8BIM resources; resource 0x0404 holds IPTC datasets (2:80 By-line)."""
    found.add(found.metadata, where)
    pos = 0
    while pos + 12 <= len(data) and data[pos : pos + 4] == b"8BIM":
        rid = int.from_bytes(data[pos + 4 : pos + 6], "big")
        name_len = data[pos + 6]
        pos += 6 + (name_len + 2) // 2 * 2  # Pascal name padded to even
        if pos + 4 > len(data):
            break
        size = int.from_bytes(data[pos : pos + 4], "big")
        body = data[pos + 4 : pos + 4 + size]
        pos += 4 + size + (size & 1)
        if rid == 0x0404:
            _read_iptc(body, found)
    # anything else (thumbnails, paths) is removed by strip and says nothing personal here


def _read_iptc(data: bytes, found: _Found) -> None:
    pos = 0
    while pos + 5 <= len(data) and data[pos] == 0x1C:
        record, dataset, size = data[pos + 1], data[pos + 2], int.from_bytes(data[pos + 3 : pos + 5], "big")
        if size & 0x8000:  # extended length: not used for text fields
            break
        value = data[pos + 5 : pos + 5 + size]
        if record == 2 and dataset in (80, 122) and value.strip():
            found.add(found.owners, "IPTC " + ("By-line" if dataset == 80 else "Writer-Editor"))
        pos += 5 + size


# --- JPEG ------------------------------------------------------------------------------------

_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
# Kept by strip: JFIF/JFXX (APP0), ICC colour profile (APP2), Adobe colour transform (APP14).
# Without the last two the same pixel data would show different colours.
_KEEP_APP = frozenset({0xE0, 0xE2, 0xEE})


@dataclass(frozen=True, slots=True)
class _Piece:
    marker: int  # 0 for entropy-coded data between markers
    start: int
    end: int


def _jpeg_pieces(data: bytes) -> Iterator[_Piece]:
    """Every segment, standalone marker and run of scan data from SOI to EOI; ImageError if cut."""
    n = len(data)
    pos = 2
    yield _Piece(0xD8, 0, 2)
    while True:
        if pos >= n:
            raise ImageError("JPEG が途中で切れています（EOI がありません）")
        if data[pos] != 0xFF:
            raise ImageError(f"JPEG が壊れています（{pos} バイト目にマーカーがありません）")
        while pos + 1 < n and data[pos + 1] == 0xFF:  # fill bytes
            pos += 1
        if pos + 1 >= n:
            raise ImageError("JPEG が途中で切れています（EOI がありません）")
        marker = data[pos + 1]
        if marker == 0xD9:
            yield _Piece(marker, pos, pos + 2)
            return
        if 0xD0 <= marker <= 0xD7 or marker in (0x01, 0xD8):
            yield _Piece(marker, pos, pos + 2)
            pos += 2
            continue
        if pos + 4 > n:
            raise ImageError("JPEG が途中で切れています")
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        end = pos + 2 + length
        if length < 2:
            raise ImageError(f"JPEG が壊れています（{pos} バイト目の区画の長さ）")
        if end > n:
            raise ImageError("JPEG が途中で切れています")
        yield _Piece(marker, pos, end)
        pos = end
        if marker == 0xDA:  # entropy-coded data runs to the next marker that is not RSTn or a stuffed 0
            i = pos
            while True:
                j = data.find(b"\xff", i)
                if j < 0 or j + 1 >= n:
                    raise ImageError("JPEG が途中で切れています（画像データの途中で終わっています）")
                nxt = data[j + 1]
                if nxt == 0x00 or 0xD0 <= nxt <= 0xD7:
                    i = j + 2
                elif nxt == 0xFF:
                    i = j + 1
                else:
                    break
            if j > pos:
                yield _Piece(0, pos, j)
            pos = j


def _jpeg(data: bytes) -> tuple[PhotoMeta, list[_Piece]]:
    found = _Found()
    width = height = 0
    scans = 0
    pieces = list(_jpeg_pieces(data))
    for p in pieces:
        payload = data[p.start + 4 : p.end]
        if p.marker in _SOF and len(payload) >= 5:
            height, width = int.from_bytes(payload[1:3], "big"), int.from_bytes(payload[3:5], "big")
        elif p.marker == 0xDA:
            scans += 1
        elif p.marker == 0xE1 and payload.startswith(b"Exif\0") and payload[6:] in _ORIENTATION_ONLY:
            found.orientation = int.from_bytes(payload[6 + 18 : 6 + 20], "big")  # what strip keeps: not metadata
        elif p.marker == 0xE1 and payload.startswith(b"Exif\0"):
            _read_tiff(payload[6:], "Exif", found)
        elif p.marker == 0xE1 and payload.startswith((b"http://ns.adobe.com/xap/1.0/", b"http://ns.adobe.com/xmp/")):
            _read_xmp(payload, "XMP", found)
        elif p.marker == 0xED and payload.startswith(b"Photoshop 3.0\0"):
            _read_photoshop(payload[14:], "IPTC/Photoshop", found)
        elif p.marker == 0xFE:
            found.add(found.metadata, "JPEG コメント")
        elif 0xE1 <= p.marker <= 0xEF and p.marker not in _KEEP_APP:
            found.add(found.metadata, f"APP{p.marker - 0xE0}")
    if not scans or not width or not height:
        raise ImageError("JPEG が壊れています（画像の寸法または画像データがありません）")
    return _meta("JPEG", width, height, found), pieces


def _orientation_tiff(value: int) -> bytes:
    """A TIFF block with one tag, Orientation: all strip writes back of the Exif."""
    return b"MM\0\x2a" + struct.pack(">IH", 8, 1) + struct.pack(">HHIHH", 0x0112, 3, 1, value, 0) + b"\0\0\0\0"


_ORIENTATION_ONLY = frozenset(_orientation_tiff(v) for v in range(1, 9))


def _strip_jpeg(data: bytes, pieces: list[_Piece], orientation: int) -> bytes:
    keep = [
        data[p.start : p.end]
        for p in pieces
        if not (p.marker == 0xFE or (0xE1 <= p.marker <= 0xEF and p.marker not in _KEEP_APP))
    ]
    if orientation != 1:  # phones store portraits sideways and rely on this tag: keep it alone
        payload = b"Exif\0\0" + _orientation_tiff(orientation)
        at = 2 if len(keep) > 1 and keep[1].startswith(b"\xff\xe0") else 1  # after SOI and JFIF
        keep.insert(at, b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload)
    return b"".join(keep)  # anything after EOI is dropped too


# --- PNG -------------------------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_DROP = frozenset({b"eXIf", b"tEXt", b"iTXt", b"zTXt", b"tIME"})
_PNG_OWNER_KEYS = {b"Author", b"Artist", b"Creator", b"Owner"}


def _png_chunks(data: bytes) -> Iterator[tuple[bytes, int, int]]:
    """(type, start, end) of every chunk through IEND; CRCs checked; ImageError if cut or corrupt."""
    pos, n = 8, len(data)
    while True:
        if pos + 12 > n:
            raise ImageError("PNG が途中で切れています（IEND がありません）")
        length = int.from_bytes(data[pos : pos + 4], "big")
        ctype = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if length > 0x7FFFFFFF or end > n:
            raise ImageError("PNG が途中で切れています")
        if zlib.crc32(data[pos + 4 : end - 4]) != int.from_bytes(data[end - 4 : end], "big"):
            name = ctype.decode("ascii") if ctype.isalpha() else ctype.hex()  # never a raw line break
            raise ImageError(f"PNG が壊れています（{name} 区画の CRC が合いません）")
        yield ctype, pos, end
        if ctype == b"IEND":
            return
        pos = end


def _inflate(raw: bytes) -> bytes:
    d = zlib.decompressobj()
    try:
        return d.decompress(raw, MAX_TEXT)  # a zip bomb stops at MAX_TEXT
    except zlib.error:
        return b""


def _png_text(ctype: bytes, body: bytes) -> tuple[bytes, bytes]:
    key, _, rest = body.partition(b"\0")
    if ctype == b"zTXt":
        return key, _inflate(rest[1:])
    if ctype == b"iTXt":
        compressed = rest[:1] == b"\x01"
        rest = rest[2:]
        _lang, _, rest = rest.partition(b"\0")
        _translated, _, text = rest.partition(b"\0")
        return key, _inflate(text) if compressed else text
    return key, rest


def _png(data: bytes) -> tuple[PhotoMeta, list[tuple[bytes, int, int]]]:
    found = _Found()
    chunks = list(_png_chunks(data))
    if not chunks or chunks[0][0] != b"IHDR" or chunks[0][2] - chunks[0][1] < 20:
        raise ImageError("PNG が壊れています（IHDR がありません）")
    start = chunks[0][1]
    width, height = struct.unpack(">II", data[start + 8 : start + 16])
    if not any(c[0] == b"IDAT" for c in chunks):
        raise ImageError("PNG が壊れています（画像データがありません）")
    for ctype, s, e in chunks:
        body = data[s + 8 : e - 4]
        if ctype == b"eXIf":
            _read_tiff(body, "PNG eXIf", found)
        elif ctype in (b"tEXt", b"zTXt", b"iTXt"):
            key, text = _png_text(ctype, body)
            where = f"PNG {ctype.decode()} {key.decode('latin-1')}"
            found.add(found.metadata, where)
            if key == b"XML:com.adobe.xmp":
                _read_xmp(text, "XMP", found)
            elif key in (b"Raw profile type exif", b"Raw profile type APP1"):
                _read_raw_profile(text, where, found)
            elif key in _PNG_OWNER_KEYS and text.strip():
                found.add(found.owners, where)
        elif ctype == b"tIME":
            found.add(found.metadata, "PNG tIME")
    return _meta("PNG", width, height, found), chunks


def _read_raw_profile(text: bytes, where: str, found: _Found) -> None:
    """ImageMagick writes Exif into PNG text as hex: "\\nexif\\n  1234\\n4578696600004d4d…"."""
    lines = text.strip().split(b"\n", 2)
    try:
        raw = bytes.fromhex(lines[2].decode("ascii")) if len(lines) == 3 else b""
    except ValueError:
        found.add(found.damaged, where)
        return
    _read_tiff(raw[6:] if raw.startswith(b"Exif\0") else raw, where, found)


def _strip_png(data: bytes, chunks: list[tuple[bytes, int, int]]) -> bytes:
    return PNG_SIGNATURE + b"".join(data[s:e] for ctype, s, e in chunks if ctype not in _PNG_DROP)


# --- the entry points ------------------------------------------------------------------------


def _meta(fmt: str, width: int, height: int, f: _Found) -> PhotoMeta:
    return PhotoMeta(
        fmt, width, height, f.gps, tuple(f.serials), tuple(f.owners), tuple(f.metadata), tuple(f.damaged), f.orientation
    )


def _kind(data: bytes) -> str:
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(PNG_SIGNATURE):
        return "PNG"
    if not data:
        raise ImageError("空のファイルです")
    other = {b"GIF8": "GIF", b"RIFF": "WebP", b"BM": "BMP", b"II*\0": "TIFF", b"MM\0*": "TIFF"}
    for magic, name in other.items():
        if data.startswith(magic):
            raise ImageError(f"{name} 画像には対応していません（JPEG か PNG にしてください）")
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypavif"):
        raise ImageError("HEIC/AVIF 画像には対応していません（JPEG か PNG にしてください）")
    raise ImageError("画像ではありません（JPEG か PNG を添付してください）")


def _parse(data: bytes) -> tuple[PhotoMeta, Any]:
    if len(data) > MAX_BYTES:
        raise ImageError(f"大きすぎます（{MAX_BYTES // 1024 // 1024} MB まで）")
    meta, parts = _jpeg(data) if _kind(data) == "JPEG" else _png(data)
    if meta.width * meta.height > MAX_PIXELS:
        raise ImageError(f"画素数が多すぎます（{meta.width}×{meta.height}、{MAX_PIXELS:,} 画素まで）")
    return meta, parts


def read_metadata(data: bytes) -> PhotoMeta:
    """The image's format, size and personal metadata; ImageError for anything unusable."""
    return _parse(data)[0]


def strip_metadata(data: bytes) -> bytes:
    """A copy without Exif/XMP/IPTC/comments (JPEG) or eXIf/text/time chunks (PNG); the image
    data, quantisation and Huffman tables, ICC profile and Adobe colour marker are copied byte for
    byte, so the pixels are exactly the same (no re-encoding)."""
    meta, parts = _parse(data)
    return _strip_jpeg(data, parts, meta.orientation) if meta.format == "JPEG" else _strip_png(data, parts)


# --- faces (optional) ------------------------------------------------------------------------

_UNSET: Any = object()
_detector: Any = _UNSET


def _face_detector() -> Any:
    """OpenCV's frontal-face Haar cascade (shipped inside opencv-python), or None without it.

    OpenCV 5 moved the cascades out of the main package, hence `opencv-python-headless<5` in the
    `faces` extra; a build without them counts as "not available", never as "no faces"."""
    global _detector
    if _detector is _UNSET:
        _detector = None
        try:
            cv2 = importlib.import_module("cv2")
            cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
            if not cascade.empty():
                _detector = (cv2, importlib.import_module("numpy"), cascade)
        except (ImportError, AttributeError):
            pass
    return _detector


_stderr_lock = threading.Lock()


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Send file descriptor 2 to /dev/null meanwhile: the user sees our one-line messages, not
    the C library's warnings about a damaged image."""
    with _stderr_lock:
        try:
            sys.stderr.flush()
            saved = os.dup(2)
        except (OSError, ValueError):  # no real stderr (embedded): nothing to protect
            yield
            return
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 2)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def face_detection_available() -> bool:
    return _face_detector() is not None


def count_faces(data: bytes, longest_side: int = 0) -> int | None:
    """Frontal faces found, or None when no detector is installed (the `faces` extra).

    Call only on data `read_metadata` accepted (the pixel count is bounded). Large photos are
    decoded at 1/2, 1/4 or 1/8 scale (cheap for JPEG) and scaled to at most 1,280 pixels a side.
    """
    found = _face_detector()
    if found is None:
        return None
    cv2, np, cascade = found
    flag = cv2.IMREAD_GRAYSCALE
    for factor, reduced in (
        (8, "IMREAD_REDUCED_GRAYSCALE_8"),
        (4, "IMREAD_REDUCED_GRAYSCALE_4"),
        (2, "IMREAD_REDUCED_GRAYSCALE_2"),
    ):
        if longest_side >= 1280 * factor:
            flag = getattr(cv2, reduced)
            break
    with _quiet_stderr():  # libjpeg prints "Corrupt JPEG data: …" on fd 2 itself
        image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), flag)
    if image is None:
        raise ImageError("画像を復号できません")
    h, w = image.shape[:2]
    scale = 1280 / max(h, w)
    if scale < 1:
        image = cv2.resize(image, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA)
    faces = cascade.detectMultiScale(cv2.equalizeHist(image), scaleFactor=1.1, minNeighbors=5, minSize=(24, 24))
    return len(faces)


# --- findings --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a photo's findings point in the draft: the front-matter line that names it, or the
    start of the draft for `--attach`."""

    start: int = 0
    end: int = 0
    line: int = 1
    column: int = 1


def finding(rule_id: str, name: str, anchor: Anchor, explanation: str, **fmt: object) -> Finding:
    rule = RULES[rule_id]
    return construct(
        Finding,
        rule_id=rule.id,
        category="personal_info",
        severity=rule.severity,
        start=anchor.start,
        end=anchor.end,
        line=anchor.line,
        column=anchor.column,
        excerpt="",  # an empty span: nothing of the text is the problem, and --redact keeps the name
        message=rule.message.format(name=name, **fmt),
        reason=rule.reason,
        suggestions=[STRIP_HINT.format(name=name)] if rule.id in _STRIPPABLE else [],
        clause=CLAUSE,
        explanation=f"添付画像: {name}; {explanation}",
        suppressed=False,
        suppression_reason=None,
    )


_STRIPPABLE = frozenset({"personal_info.photo_gps", "personal_info.photo_serial", "personal_info.photo_owner"})


def photo_findings(meta: PhotoMeta, name: str, anchor: Anchor, faces: int | None) -> list[Finding]:
    """The findings for one attached image (`faces` None: no detector installed). The values of
    names, serials and positions never appear: only which fields hold them."""
    out: list[Finding] = []
    if meta.gps:
        out.append(finding("personal_info.photo_gps", name, anchor, "Exif/XMP の GPS 緯度・経度"))
    if meta.serials:
        fields = "、".join(meta.serials)
        out.append(finding("personal_info.photo_serial", name, anchor, fields, fields=fields))
    if meta.owners:
        fields = "、".join(meta.owners)
        out.append(finding("personal_info.photo_owner", name, anchor, fields, fields=fields))
    if meta.damaged:
        why = "メタデータの一部が壊れています: " + "、".join(meta.damaged)
        out.append(finding("personal_info.photo_unchecked", name, anchor, why, why=why))
    if faces is None:
        out.append(finding("personal_info.photo_faces_unavailable", name, anchor, "OpenCV が入っていません"))
    elif faces:
        out.append(finding("personal_info.photo_faces", name, anchor, "OpenCV Haar cascade（正面の顔）", count=faces))
    return out


def check_image(data: bytes, name: str, anchor: Anchor | None = None, *, faces: bool = True) -> list[Finding]:
    """Findings for one image's bytes; ImageError (one line, no file name) if it is unusable."""
    meta = read_metadata(data)
    count = count_faces(data, max(meta.width, meta.height)) if faces else 0
    return photo_findings(meta, name, anchor or Anchor(), count)

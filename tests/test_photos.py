"""Attached photos (G-RULE-5): metadata findings, `guard strip`, broken and hostile images.

The images are made here with Pillow (test extra); reading and stripping use our own parser."""

from __future__ import annotations

import io
import json
import struct
import sys
import zlib
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFilter, PngImagePlugin
from PIL.ExifTags import IFD

from fujisns_guard import photos
from fujisns_guard.cli import main
from fujisns_guard.photos import ImageError, read_metadata, strip_metadata

CLEAN = "11月の市民講座のお知らせです。\n会場は市民交流センターです。\n"


def picture() -> Image.Image:
    im = Image.new("RGB", (64, 48), (200, 120, 40))
    for x in range(64):
        im.putpixel((x, (x * 7) % 48), (x * 4, 255 - x, 9))
    return im


def exif(gps: bool = True, serial: bool = False, owner: bool = False) -> Image.Exif:
    ex = Image.Exif()
    ex[0x010F] = "Canon"
    if owner:
        ex[0x013B] = "Fuji Taro"
    if gps:
        g = ex.get_ifd(IFD.GPSInfo)
        g[1], g[2], g[3], g[4] = "N", (35.0, 9.0, 41.5), "E", (138.0, 40.0, 3.2)
    if serial:
        ex.get_ifd(IFD.Exif)[0xA431] = "SN-0012345"
    return ex


def jpeg(ex: Image.Exif | None = None, *, progressive: bool = False, comment: bytes | None = None) -> bytes:
    out = io.BytesIO()
    extra: dict[str, object] = {"quality": 90, "progressive": progressive}
    if ex is not None:
        extra["exif"] = ex
    if comment is not None:
        extra["comment"] = comment
    picture().save(out, "JPEG", **extra)
    return out.getvalue()


def png(ex: Image.Exif | None = None, texts: dict[str, str] | None = None) -> bytes:
    info = PngImagePlugin.PngInfo()
    for k, v in (texts or {}).items():
        info.add_itxt(k, v, zip=True) if k == "Comment" else info.add_text(k, v)
    out = io.BytesIO()
    picture().save(out, "PNG", pnginfo=info, **({"exif": ex} if ex is not None else {}))
    return out.getvalue()


def pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as im:
        return im.convert("RGB").tobytes()


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


# --- reading -----------------------------------------------------------------------------------


def test_gps_serial_and_owner_are_read_from_exif() -> None:
    meta = read_metadata(jpeg(exif(gps=True, serial=True, owner=True)))
    assert (meta.format, meta.width, meta.height) == ("JPEG", 64, 48)
    assert meta.gps
    assert meta.serials == ("Exif BodySerialNumber",)
    assert meta.owners == ("Exif Artist",)


def test_a_plain_photo_has_nothing_personal() -> None:
    meta = read_metadata(jpeg(exif(gps=False)))
    assert not meta.gps and not meta.serials and not meta.owners and meta.metadata == ("Exif",)


def test_png_exif_text_and_xmp() -> None:
    xmp = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description exif:GPSLatitude="35,9.6N" '
        'exif:GPSLongitude="138,40.1E" aux:SerialNumber="998877"><dc:creator><rdf:Seq><rdf:li>Fuji Hanako</rdf:li>'
        "</rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    meta = read_metadata(png(None, {"Author": "Fuji Taro", "XML:com.adobe.xmp": xmp, "Comment": "x"}))
    assert meta.gps
    assert "XMP aux:SerialNumber" in meta.serials
    assert {"PNG tEXt Author", "XMP dc:creator"} <= set(meta.owners)
    assert read_metadata(png(exif(gps=True))).gps  # the eXIf chunk


def test_gps_of_zero_is_no_position() -> None:
    ex = Image.Exif()
    g = ex.get_ifd(IFD.GPSInfo)
    g[2], g[4] = (0.0, 0.0, 0.0), (0.0, 0.0, 0.0)
    assert not read_metadata(jpeg(ex)).gps


def test_iptc_byline_in_photoshop_segment() -> None:
    iptc = b"\x1c\x02\x50" + struct.pack(">H", 9) + b"Fuji Taro"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\0\0" + struct.pack(">I", len(iptc)) + iptc + b"\0"
    payload = b"Photoshop 3.0\0" + resource
    data = jpeg()
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    hostile = data[:2] + segment + data[2:]
    assert read_metadata(hostile).owners == ("IPTC By-line",)
    assert read_metadata(strip_metadata(hostile)).owners == ()


# --- stripping ---------------------------------------------------------------------------------


@pytest.mark.parametrize("progressive", [False, True])
def test_strip_jpeg_removes_metadata_and_keeps_pixels(progressive: bool) -> None:
    data = jpeg(exif(gps=True, serial=True, owner=True), progressive=progressive, comment=b"staff only")
    clean = strip_metadata(data)
    meta = read_metadata(clean)
    assert not meta.gps and not meta.serials and not meta.owners and meta.metadata == ()
    assert b"Exif" not in clean and b"staff only" not in clean and b"SN-0012345" not in clean
    assert pixels(clean) == pixels(data)
    with Image.open(io.BytesIO(clean)) as im:
        assert dict(im.getexif()) == {}
    assert strip_metadata(clean) == clean  # idempotent


def test_strip_keeps_only_the_orientation_so_portraits_stay_upright() -> None:
    ex = exif(gps=True, serial=True)
    ex[0x0112] = 6  # rotate 90° clockwise to display
    clean = strip_metadata(jpeg(ex))
    meta = read_metadata(clean)
    assert meta.orientation == 6 and not meta.gps and not meta.serials and meta.metadata == ()
    with Image.open(io.BytesIO(clean)) as im:
        assert dict(im.getexif()) == {0x0112: 6}
    assert pixels(clean) == pixels(jpeg(ex))
    assert strip_metadata(clean) == clean


def test_strip_png_removes_chunks_and_keeps_pixels() -> None:
    data = png(exif(gps=True), {"Author": "Fuji Taro", "Comment": "x"})
    clean = strip_metadata(data)
    assert read_metadata(clean).metadata == ()
    assert b"eXIf" not in clean and b"tEXt" not in clean and b"iTXt" not in clean
    assert pixels(clean) == pixels(data)


def test_strip_keeps_the_icc_profile() -> None:
    out = io.BytesIO()
    picture().save(out, "JPEG", icc_profile=b"\0" * 128 + b"acsp" + b"\0" * 200, exif=exif())
    clean = strip_metadata(out.getvalue())
    with Image.open(io.BytesIO(clean)) as im:
        assert im.info.get("icc_profile", b"")[128:132] == b"acsp"
    assert not read_metadata(clean).gps


def test_guard_strip_command_reads_back_clean(tmp_path: Path) -> None:
    src, dst = tmp_path / "gps.jpg", tmp_path / "out.jpg"
    src.write_bytes(jpeg(exif(gps=True)))
    code, out, err = run("strip", str(src), "-o", str(dst))
    assert code == 0 and err == ""
    assert "Exif" in out and "撮影位置" in out
    assert not read_metadata(dst.read_bytes()).gps
    assert read_metadata(src.read_bytes()).gps  # the original is left alone
    assert pixels(dst.read_bytes()) == pixels(src.read_bytes())


def test_guard_strip_several_into_a_folder_and_a_bad_one(tmp_path: Path) -> None:
    a, b, bad = tmp_path / "a.jpg", tmp_path / "b.png", tmp_path / "bad.jpg"
    a.write_bytes(jpeg(exif()))
    b.write_bytes(png(exif()))
    bad.write_bytes(b"not an image at all")
    outdir = tmp_path / "out"
    outdir.mkdir()
    code, _, err = run("strip", str(a), str(bad), str(b), "-o", str(outdir))
    assert code == 2
    assert err.count("\n") == 1 and "bad.jpg" in err and "画像ではありません" in err
    assert not read_metadata((outdir / "a.jpg").read_bytes()).gps
    assert not read_metadata((outdir / "b.png").read_bytes()).gps
    assert not (outdir / "bad.jpg").exists()
    code, _, err = run("strip", str(a), str(b), "-o", str(tmp_path / "missing"))
    assert code == 2 and "フォルダ" in err


# --- broken, hostile and huge images ------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (jpeg()[:300], "途中で切れています"),
        (jpeg()[:-2], "途中で切れています"),
        (png()[:-12], "途中で切れています"),
        (b"", "空のファイル"),
        (b"hello, this is text", "画像ではありません"),
        (b"GIF89a" + b"\0" * 20, "GIF"),
        (b"\0\0\0\x18ftypheic" + b"\0" * 20, "HEIC"),
    ],
    ids=["jpeg-cut", "jpeg-no-eoi", "png-cut", "empty", "text", "gif", "heic"],
)
def test_unusable_images_are_one_line_errors(data: bytes, expected: str) -> None:
    with pytest.raises(ImageError, match=expected) as info:
        read_metadata(data)
    assert "\n" not in str(info.value)


def test_png_with_a_bad_crc_is_an_error() -> None:
    data = bytearray(png())
    data[20] ^= 0xFF  # inside IHDR
    with pytest.raises(ImageError, match="CRC"):
        read_metadata(bytes(data))


def _png_declaring(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return photos.PNG_SIGNATURE + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0")) + chunk(b"IEND", b"")


def test_pixel_bomb_is_refused_without_decoding() -> None:
    with pytest.raises(ImageError, match="画素数が多すぎます"):
        read_metadata(_png_declaring(100_000, 100_000))
    assert read_metadata(_png_declaring(1000, 1000)).width == 1000


def test_zip_bomb_in_a_text_chunk_stops_at_the_limit() -> None:
    bomb = zlib.compress(b"A" * (50 * 1024 * 1024), 9)
    body = b"Comment\0\0" + bomb  # zTXt: keyword, NUL, method, data
    chunk = struct.pack(">I", len(body)) + b"zTXt" + body + struct.pack(">I", zlib.crc32(b"zTXt" + body))
    data = png()
    data = data[:33] + chunk + data[33:]
    assert read_metadata(data).metadata == ("PNG zTXt Comment",)


def test_damaged_exif_is_a_warning_not_a_crash() -> None:
    data = jpeg(exif(gps=True))
    at = data.index(b"Exif\0\0") + 6
    broken = data[:at] + b"XX" + data[at + 2 :]  # neither II nor MM
    meta = read_metadata(broken)
    assert meta.damaged == ("Exif",)
    found = photos.photo_findings(meta, "x.jpg", photos.Anchor(), faces=0)
    assert [f.rule_id for f in found] == ["personal_info.photo_unchecked"]


@given(st.integers(min_value=0, max_value=2000), st.binary(min_size=1, max_size=8))
@example(at=12, junk=b"\n")  # a line break inside a PNG chunk type once reached the one-line message
def test_corrupted_bytes_never_crash(at: int, junk: bytes) -> None:
    for data in (jpeg(exif(gps=True, serial=True)), png(exif(gps=True), {"Author": "x"})):
        at %= len(data)
        mutated = data[:at] + junk + data[at + len(junk) :]
        try:
            meta = read_metadata(mutated)
            clean = strip_metadata(mutated)
        except ImageError as exc:
            assert "\n" not in str(exc)
            continue
        assert meta.width > 0
        assert not read_metadata(clean).gps


def test_huge_file_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("fujisns_guard.batch.MAX_IMAGE_BYTES", 1000)
    big = tmp_path / "big.jpg"
    big.write_bytes(jpeg() + b"\0" * 2000)
    draft = tmp_path / "d.txt"
    draft.write_text(CLEAN, encoding="utf-8")
    code, _, err = run("check", str(draft), "--attach", str(big))
    assert code == 2 and "大きすぎます" in err and err.count("\n") == 1


# --- guard check --attach / front matter -------------------------------------------------------


def test_check_flags_a_gps_photo_attached_on_the_command_line(tmp_path: Path) -> None:
    photo = tmp_path / "gps.jpg"
    photo.write_bytes(jpeg(exif(gps=True, serial=True, owner=True)))
    draft = tmp_path / "d.txt"
    draft.write_text(CLEAN, encoding="utf-8")
    code, out, err = run("check", str(draft), "--attach", str(photo), "--format", "json")
    assert code == 1, err
    [report] = json.loads(out)
    by_rule = {f["rule_id"]: f for f in report["findings"]}
    gps = by_rule["personal_info.photo_gps"]
    assert gps["severity"] == "error" and gps["clause"] == "G-RULE-5" and "gps.jpg" in gps["message"]
    assert str(photo) in gps["explanation"]
    assert by_rule["personal_info.photo_serial"]["severity"] == "warning"
    assert by_rule["personal_info.photo_owner"]["severity"] == "warning"
    assert "Fuji Taro" not in out and "SN-0012345" not in out
    assert "35" not in gps["message"].replace(str(photo), "")  # the latitude; the path may hold 35 (pytest-354)
    assert report["decision"]["route"] == "revise"


def test_front_matter_attachments_are_relative_to_the_draft(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "p.jpg").write_bytes(jpeg(exif(gps=True)))
    draft = tmp_path / "post.txt"
    draft.write_text('---\nattachments = ["img/p.jpg"]\n---\n' + CLEAN, encoding="utf-8")
    monkeypatch.chdir("/")
    code, out, _ = run("check", str(draft))
    assert code == 1
    assert f"{draft}:2:17: error personal_info.photo_gps 添付画像 img/p.jpg" in out
    # stripped, the same draft passes the photo checks
    (tmp_path / "img" / "p.jpg").write_bytes(strip_metadata(jpeg(exif(gps=True))))
    code, out, _ = run("check", str(draft))
    assert "photo_gps" not in out and code == 0


def test_a_broken_attachment_is_an_error_and_blocks_autonomous(tmp_path: Path) -> None:
    photo = tmp_path / "cut.jpg"
    photo.write_bytes(jpeg()[:200])
    draft, other = tmp_path / "d.txt", tmp_path / "e.txt"
    draft.write_text(CLEAN, encoding="utf-8")
    other.write_text(CLEAN, encoding="utf-8")
    code, out, err = run("check", str(draft), str(other), "--attach", str(photo), "--attach", str(tmp_path / "nope.png"))
    assert code == 2
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 4 and all(line.startswith("guard: ") for line in lines)
    assert any("cut.jpg: JPEG が途中で切れています" in line for line in lines)
    assert any("nope.png: ファイルがありません" in line for line in lines)
    assert out.count("personal_info.photo_unchecked") >= 4  # both drafts, both photos
    assert "判定 autonomous" not in out


def test_faces_are_a_warning_when_a_detector_finds_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(photos, "count_faces", lambda data, longest=0: 2)
    found = photos.check_image(jpeg(), "group.jpg")
    [face] = found
    assert face.rule_id == "personal_info.photo_faces" and face.severity == "warning"
    assert "2 件" in face.message and "肖像権" in face.reason


def test_without_a_detector_the_report_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(photos, "_detector", None)
    assert not photos.face_detection_available()
    [note] = photos.check_image(jpeg(), "p.jpg")
    assert note.rule_id == "personal_info.photo_faces_unavailable" and note.severity == "info"
    assert "fujisns-guard[faces]" in note.message


def test_the_real_detector_runs_offline_on_a_photo_without_faces() -> None:
    pytest.importorskip("cv2")
    assert photos.face_detection_available()
    assert photos.count_faces(jpeg(), 64) == 0
    assert photos.count_faces(png(), 5000) == 0  # the reduced decode path


def drawn_face(size: int = 200) -> bytes:
    """A schematic face (oval, brows, eyes, nose, mouth, blurred) that the Haar cascade finds."""
    im = Image.new("L", (size * 2, size * 2), 90)
    draw = ImageDraw.Draw(im)

    def oval(cx: float, cy: float, rx: float, ry: float, fill: int) -> None:
        draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=fill)

    s = size
    oval(s, s, 0.42 * s, 0.55 * s, 170)
    for dx in (-1, 1):
        cx, cy = s + dx * 0.17 * s, s - 0.12 * s
        oval(cx, cy - 0.09 * s, 0.10 * s, 0.025 * s, 40)
        oval(cx, cy, 0.08 * s, 0.04 * s, 40)
    oval(s, 1.12 * s, 0.05 * s, 0.03 * s, 120)
    oval(s, 1.30 * s, 0.14 * s, 0.035 * s, 70)
    out = io.BytesIO()
    im.filter(ImageFilter.GaussianBlur(s / 60)).convert("RGB").save(out, "JPEG", quality=92)
    return out.getvalue()


def test_the_real_detector_finds_a_drawn_face_and_the_draft_needs_the_chief(tmp_path: Path) -> None:
    pytest.importorskip("cv2")
    photo = tmp_path / "face.jpg"
    photo.write_bytes(drawn_face())
    draft = tmp_path / "d.txt"
    draft.write_text(CLEAN, encoding="utf-8")
    code, out, _ = run("check", str(draft), "--attach", str(photo), "--format", "json")
    [report] = json.loads(out)
    [face] = [f for f in report["findings"] if f["rule_id"] == "personal_info.photo_faces"]
    assert face["severity"] == "warning" and "1 件" in face["message"]
    assert report["decision"]["route"] == "section_chief" and code == 0


def test_every_photo_rule_has_a_clause_message_and_reason() -> None:
    for rule_id, rule in photos.RULES.items():
        assert rule_id.startswith("personal_info.photo_")
        assert rule.severity in ("error", "warning", "info")
        assert rule.message.startswith("添付画像 {name}") and rule.reason


def test_photo_checks_and_strip_open_no_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("the package tried to use the network")

    for name in ("connect", "connect_ex"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(photos, "_detector", photos._UNSET)  # load the face detector (if installed) under the guard
    photo = tmp_path / "p.jpg"
    photo.write_bytes(jpeg(exif(gps=True)))
    draft = tmp_path / "d.txt"
    draft.write_text(CLEAN, encoding="utf-8")
    assert run("check", str(draft), "--attach", str(photo))[0] == 1
    assert run("strip", str(photo), "-o", str(tmp_path / "o.jpg"))[0] == 0


def test_guard_explain_knows_the_photo_rules() -> None:
    code, out, _ = run("explain", "personal_info.photo_gps")
    assert code == 0 and "G-RULE-5" in out and "error" in out and "撮影位置" in out


def test_more_owner_and_serial_fields() -> None:
    ex = exif(gps=False)
    ex[0x9C9D] = "富士 太郎".encode("utf-16-le") + b"\0\0"  # Windows XPAuthor
    ex[0xC62F] = "DNG-77"  # CameraSerialNumber
    ex.get_ifd(IFD.Exif)[0xA435] = "LENS-5"
    meta = read_metadata(jpeg(ex))
    assert meta.owners == ("Exif XPAuthor",)
    assert set(meta.serials) == {"Exif CameraSerialNumber", "Exif LensSerialNumber"}


def test_imagemagick_raw_exif_profile_in_png_text() -> None:
    tiff = jpeg(exif(gps=True)).split(b"Exif\0\0", 1)[1]
    hexed = tiff.hex()
    text = f"\nexif\n{len(tiff) + 6:8d}\n" + ("457869660000" + hexed)
    meta = read_metadata(png(None, {"Raw profile type exif": text}))
    assert meta.gps
    broken = read_metadata(png(None, {"Raw profile type exif": "\nexif\n 12\nnot hex"}))
    assert broken.damaged == ("PNG tEXt Raw profile type exif",) and not broken.gps


def test_other_app_segments_are_metadata_and_other_formats_are_named() -> None:
    data = jpeg()
    app12 = b"\xff\xec" + struct.pack(">H", 8) + b"Ducky\0"
    meta = read_metadata(data[:2] + app12 + data[2:])
    assert meta.metadata == ("APP12",)
    assert b"Ducky" not in strip_metadata(data[:2] + app12 + data[2:])
    for magic, name in ((b"BM", "BMP"), (b"II*\0", "TIFF"), (b"RIFF", "WebP")):
        with pytest.raises(ImageError, match=name):
            read_metadata(magic + b"\0" * 30)


def test_strip_refuses_two_inputs_with_the_same_name(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for d in ("a", "b"):
        (tmp_path / d / "p.jpg").write_bytes(jpeg(exif()))
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = run("strip", str(tmp_path / "a" / "p.jpg"), str(tmp_path / "b" / "p.jpg"), "-o", str(out))
    assert code == 2 and "同じ名前" in err and list(out.iterdir()) == []


def test_strip_write_failure_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "p.jpg"
    src.write_bytes(jpeg(exif()))
    out = tmp_path / "out"
    out.mkdir()

    def full(*_a: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("fujisns_guard.cli_strip.os.replace", full)
    code, _, err = run("strip", str(src), "-o", str(out / "p.jpg"))
    assert code == 2 and err.count("\n") == 1 and "No space left on device" in err
    assert list(out.iterdir()) == []  # the temporary file is gone too


def test_photo_findings_in_sarif_validate_against_the_schema(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    (tmp_path / "gps.jpg").write_bytes(jpeg(exif(gps=True)))
    draft = tmp_path / "d.txt"
    draft.write_text('---\nattachments = ["gps.jpg"]\n---\n' + CLEAN, encoding="utf-8")
    code, out, _ = run("check", str(draft), "--format", "sarif")
    log = json.loads(out)
    jsonschema.validate(log, schema)
    [gps] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "personal_info.photo_gps"]
    assert gps["level"] == "error" and gps["locations"][0]["physicalLocation"]["region"]["startLine"] == 2
    assert code == 1


def test_a_damaged_scan_prints_nothing_but_our_own_lines(capfd: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("cv2")
    data = drawn_face(60)
    cut = data[: len(data) * 2 // 3] + b"\xff\xd9"  # image data cut short, the end marker kept
    assert read_metadata(cut).format == "JPEG"  # the container is whole
    assert photos.count_faces(cut, 120) is not None
    assert capfd.readouterr().err == ""  # libjpeg's "Corrupt JPEG data: …" went to /dev/null
    print("still here", file=sys.stderr)
    assert capfd.readouterr().err == "still here\n"  # and stderr is back

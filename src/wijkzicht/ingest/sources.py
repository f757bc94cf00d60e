"""Turn paths (files, folders, zip archives) into a lazy, deterministic stream of items.

An *item* is one received unit: a plain file or one zip member. Folders are walked recursively
in sorted order (hidden entries skipped); zip members are read in name order, in memory only —
nothing is ever extracted to disk. Hostile archives are refused member by member: path
traversal, nesting deeper than one level, encrypted members, and zip bombs (limits on member
count, total and per-member uncompressed size and compression ratio, checked on the declared
sizes *and* on the bytes actually read).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, fields
from operator import attrgetter
from pathlib import Path
from typing import BinaryIO

from wijkzicht.ijw.errors import IjwError

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_CHUNK = 1024 * 1024
_RATIO_FLOOR = 1024 * 1024  # the ratio limit applies to members larger than this
MAX_NESTING = 1  # a zip inside a zip is read; one level deeper is refused


@dataclass(frozen=True)
class Limits:
    max_item_bytes: int
    zip_max_total_bytes: int
    zip_max_member_bytes: int
    zip_max_ratio: int
    zip_max_members: int

    @classmethod
    def from_settings(cls, settings) -> Limits:
        return cls(
            settings.max_item_bytes,
            settings.zip_max_total_bytes,
            settings.zip_max_member_bytes,
            settings.zip_max_ratio,
            settings.zip_max_members,
        )


@dataclass
class Item:
    """One received unit. ``data`` is None when it was refused without being read."""

    source: str
    member: str | None
    data: bytes | None
    key: str  # sha256 hex of the bytes (or of a description of an unread, refused member)
    size: int
    refusal: IjwError | None = None
    container: bool = False  # the item is a whole zip refused as a unit

    def __reduce__(self):
        # Sent to a worker process: a plain tuple of the fields pickles in ~60 % and loads in
        # ~55 % of the time of the instance dict.
        return (Item, _ITEM_VALUES(self))


_ITEM_VALUES = attrgetter(*(f.name for f in fields(Item)))  # a tuple, in field order


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _marker_key(*parts: object) -> str:
    return sha256("\0".join(["unread", *map(str, parts)]).encode("utf-8"))


def iter_items(paths: list[str | Path], limits: Limits) -> Iterator[Item]:
    """Every item below ``paths``, in a deterministic order."""
    for path in paths:
        p = Path(path)
        if p.is_dir():
            yield from _walk(p, limits)
        else:
            yield from _file(p, limits)


def _walk(folder: Path, limits: Limits) -> Iterator[Item]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield _unreadable(folder, exc)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path), limits)
        elif entry.is_file():
            yield from _file(entry.path, limits)  # a str: no Path per file


def _unreadable(path: Path | str, exc: OSError) -> Item:
    return Item(
        str(path),
        None,
        None,
        _marker_key("unreadable", path),
        0,
        IjwError(
            "READ",
            str(path),
            f"the file cannot be read: {exc.strerror}",
            f"het bestand kan niet worden gelezen: {exc.strerror}",
        ),
    )


def _file(path: Path | str, limits: Limits) -> Iterator[Item]:
    source = str(path)
    try:
        # One open: the whole file when it is within the item limit, else its first bytes.
        fd = os.open(source, os.O_RDONLY)
        try:
            size = os.fstat(fd).st_size
            data = _read_fd(fd, size) if size <= limits.max_item_bytes else None
            head = data[:4] if data is not None else os.read(fd, 4)
        finally:
            os.close(fd)
        if head in ZIP_MAGIC:
            yield from _zip_file(Path(source), size, limits)
            return
        if data is None:
            yield Item(
                source,
                None,
                None,
                _hash_file(Path(source)),
                size,
                _too_big(source, size, limits.max_item_bytes),
            )
            return
    except OSError as exc:
        yield _unreadable(path, exc)
        return
    yield Item(source, None, data, sha256(data), len(data))


def _read_fd(fd: int, size: int) -> bytes:
    """Everything up to end of file (``size`` is the expected length; the file may change)."""
    parts: list[bytes] = []
    got = 0
    while chunk := os.read(fd, size + 1 - got if got <= size else _CHUNK):
        parts.append(chunk)
        got += len(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _hash_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(_CHUNK):
            h.update(block)
    return h.hexdigest()


def _too_big(where: str, size: int, limit: int) -> IjwError:
    return IjwError(
        "SIZE",
        where,
        f"the item is {size:,} bytes, more than the limit of {limit:,} (WIJKZICHT_MAX_ITEM_BYTES)",
        f"het item is {size:,} bytes, meer dan de grens van {limit:,}",
    )


def _zip_file(path: Path, size: int, limits: Limits) -> Iterator[Item]:
    source = str(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        data = path.read_bytes() if size <= limits.max_item_bytes else None
        key = sha256(data) if data is not None else _hash_file(path)
        yield Item(source, None, data, key, size, _corrupt_zip(source, exc), container=True)
        return
    with zf:

        def whole() -> tuple[bytes | None, str]:
            if size <= limits.max_item_bytes:
                data = path.read_bytes()
                return data, sha256(data)
            return None, _hash_file(path)

        yield from _zip_members(zf, source, "", 0, limits, whole)


def _corrupt_zip(where: str, exc: BaseException) -> IjwError:
    return IjwError(
        "ZIP-CORRUPT",
        where,
        f"the zip archive cannot be read: {exc}",
        f"het zip-archief kan niet worden gelezen: {exc}",
    )


_DRIVE = re.compile(r"^[A-Za-z]:")


def unsafe_name(name: str) -> bool:
    """True for a member name that would escape a target folder (absolute or with ``..``)."""
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return True
    parts = re.split(r"[\\/]", name)
    return ".." in parts


def _zip_members(
    zf: zipfile.ZipFile,
    source: str,
    prefix: str,
    depth: int,
    limits: Limits,
    whole,
) -> Iterator[Item]:
    infos = sorted((i for i in zf.infolist() if not i.is_dir()), key=lambda i: i.filename)
    where = f"{source}{'!/' + prefix.rstrip('!/') if prefix else ''}"

    def refuse_whole(rule: str, en: str, nl: str) -> Item:
        """The archive refused as one item (its bytes kept), for a limit on all its members."""
        data, key = whole()
        size = len(data) if data is not None else 0
        member = prefix.removesuffix("!/") or None
        return Item(source, member, data, key, size, IjwError(rule, where, en, nl), container=True)

    if len(infos) > limits.zip_max_members:
        yield refuse_whole(
            "ZIP-COUNT",
            f"the zip archive has {len(infos):,} members, more than the limit of "
            f"{limits.zip_max_members:,} (WIJKZICHT_ZIP_MAX_MEMBERS)",
            f"het zip-archief heeft {len(infos):,} bestanden, meer dan de grens van "
            f"{limits.zip_max_members:,}",
        )
        return
    declared_total = sum(i.file_size for i in infos)
    if declared_total > limits.zip_max_total_bytes:
        yield refuse_whole(
            "ZIP-TOTAL",
            f"the zip archive declares {declared_total:,} uncompressed bytes, more than the "
            f"limit of {limits.zip_max_total_bytes:,} (WIJKZICHT_ZIP_MAX_TOTAL_BYTES)",
            f"het zip-archief meldt {declared_total:,} bytes uitgepakt, meer dan de grens van "
            f"{limits.zip_max_total_bytes:,}",
        )
        return
    budget = [limits.zip_max_total_bytes]
    for info in infos:
        yield from _member(zf, info, source, prefix, depth, limits, budget)


def _member(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    source: str,
    prefix: str,
    depth: int,
    limits: Limits,
    budget: list[int],
) -> Iterator[Item]:
    name = prefix + info.filename
    marker = _marker_key("zip-member", info.filename, info.CRC, info.compress_size, info.file_size)

    def refuse(rule: str, en: str, nl: str, data: bytes | None = None) -> Item:
        key = sha256(data) if data is not None else marker
        size = len(data) if data is not None else info.file_size
        return Item(source, name, data, key, size, IjwError(rule, name, en, nl, info.filename))

    if info.flag_bits & 0x1:
        yield refuse(
            "ZIP-ENCRYPTED",
            f"zip member {info.filename} is encrypted",
            f"zip-bestand {info.filename} is versleuteld",
        )
        return
    if info.file_size > limits.zip_max_member_bytes:
        yield refuse(
            "ZIP-SIZE",
            f"zip member {info.filename} declares {info.file_size:,} uncompressed bytes, more "
            f"than the limit of {limits.zip_max_member_bytes:,} (WIJKZICHT_ZIP_MAX_MEMBER_BYTES)",
            f"zip-bestand {info.filename} meldt {info.file_size:,} bytes uitgepakt, meer dan de "
            f"grens van {limits.zip_max_member_bytes:,}",
        )
        return
    ratio_en, ratio_nl = _ratio_problem(info.filename, info.file_size, info.compress_size, limits)
    if ratio_en:
        yield refuse("ZIP-RATIO", ratio_en, ratio_nl)
        return
    # Read, counting the real bytes: declared sizes may lie.
    cap = min(limits.zip_max_member_bytes, budget[0])
    try:
        data = _read_capped(zf, info, cap)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
        yield refuse(
            "ZIP-CORRUPT",
            f"zip member {info.filename} cannot be read: {exc}",
            f"zip-bestand {info.filename} kan niet worden gelezen: {exc}",
        )
        return
    if data is None:
        if cap < limits.zip_max_member_bytes:
            yield refuse(
                "ZIP-TOTAL",
                f"zip member {info.filename} unpacks past the archive's limit of "
                f"{limits.zip_max_total_bytes:,} bytes in total (WIJKZICHT_ZIP_MAX_TOTAL_BYTES)",
                f"zip-bestand {info.filename} overschrijdt bij uitpakken de grens van "
                f"{limits.zip_max_total_bytes:,} bytes voor het hele archief",
            )
        else:
            yield refuse(
                "ZIP-SIZE",
                f"zip member {info.filename} unpacks to more than {cap:,} bytes although it "
                f"declares {info.file_size:,} (WIJKZICHT_ZIP_MAX_MEMBER_BYTES)",
                f"zip-bestand {info.filename} pakt uit tot meer dan {cap:,} bytes, terwijl het "
                f"{info.file_size:,} meldt",
            )
        budget[0] = 0
        return
    budget[0] -= len(data)
    ratio_en, ratio_nl = _ratio_problem(info.filename, len(data), info.compress_size, limits)
    if ratio_en:
        yield refuse("ZIP-RATIO", ratio_en, ratio_nl)
        return
    if unsafe_name(info.filename):
        yield refuse(
            "ZIP-PATH",
            f"zip member name {info.filename} points outside the archive (absolute or '..')",
            f"zip-bestandsnaam {info.filename} wijst buiten het archief (absoluut of '..')",
            data,
        )
        return
    if data[:4] in ZIP_MAGIC:
        if depth >= MAX_NESTING:
            yield refuse(
                "ZIP-NEST",
                f"zip member {info.filename} is a zip inside a nested zip; only one level of "
                "nesting is read",
                f"zip-bestand {info.filename} is een zip in een geneste zip; slechts één niveau "
                "nesting wordt gelezen",
                data,
            )
            return
        try:
            inner = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, EOFError) as exc:
            yield refuse(
                "ZIP-CORRUPT",
                f"nested zip {info.filename} cannot be read: {exc}",
                f"geneste zip {info.filename} kan niet worden gelezen: {exc}",
                data,
            )
            return
        with inner:
            yield from _zip_members(
                inner, source, name + "!/", depth + 1, limits, lambda: (data, sha256(data))
            )
        return
    yield Item(source, name, data, sha256(data), len(data))


def _ratio_problem(
    filename: str, size: int, compressed: int, limits: Limits
) -> tuple[str | None, str | None]:
    if size <= _RATIO_FLOOR:
        return None, None
    ratio = size / max(compressed, 1)
    if ratio <= limits.zip_max_ratio:
        return None, None
    return (
        f"zip member {filename} expands {ratio:,.0f} times ({compressed:,} → {size:,} bytes), "
        f"more than the limit of {limits.zip_max_ratio} (WIJKZICHT_ZIP_MAX_RATIO): a zip bomb",
        f"zip-bestand {filename} wordt {ratio:,.0f} keer groter ({compressed:,} → {size:,} "
        f"bytes), meer dan de grens van {limits.zip_max_ratio}: een zip-bom",
    )


def _read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes | None:
    """The member's bytes, or None as soon as more than ``cap`` bytes come out."""
    out = bytearray()
    with zf.open(info) as fh:
        stream: BinaryIO = fh  # type: ignore[assignment]
        while block := stream.read(_CHUNK):
            out += block
            if len(out) > cap:
                return None
    return bytes(out)


def display_name(source: str, member: str | None) -> str:
    """``source`` or ``source!/member`` for messages."""
    return f"{source}!/{member}" if member else source

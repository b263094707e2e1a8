"""Reading what the user gave: a JSON file, a CSV table, a folder or zip of them, or an upload.

Nothing here trusts the input: sizes are capped (a zip cannot unpack into more than a set
amount), text must be UTF-8, JSON must be JSON (no NaN, no key twice in one object, not nested
past a sane depth), and every refusal says which file and where.
"""

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_FILES = 200

ERROR_TOO_BIG = "is larger than {limit} MB"
ERROR_TOO_MANY_FILES = "holds more than {limit} files"
ERROR_NOT_ZIP = "is not a readable zip file"
ERROR_NOT_FOUND = "was not found"
ERROR_UTF16 = "is UTF-16 text: save it as UTF-8 and try again"
ERROR_UTF32 = "is UTF-32 text: save it as UTF-8 and try again"
ERROR_NUL_BYTES = "holds NUL bytes, as UTF-16 or UTF-32 text does: save it as UTF-8 and try again"
ERROR_NOT_UTF8 = "is not UTF-8 text (byte 0x{byte:02x} at position {position}, line {line}): save it as UTF-8 and try again"
ERROR_NOT_JSON = "is not valid JSON: {message} (line {line}, column {column})"
ERROR_TOO_DEEP = "is nested too deeply to be an ORUK record"
ERROR_NAN = "uses {value}, which is not a number JSON allows"
ERROR_DUPLICATE_KEY = "has an object with the key {key!r} twice, so which value counts is unclear"
ERROR_EMPTY = "is empty"
ERROR_NOTHING = "holds no .json or .csv files"


class SourceError(Exception):
    def __init__(self, file: str, message: str, where: str = ""):
        self.file, self.message, self.where = file, message, where
        super().__init__(f"{file}: {message}")


@dataclass
class SourceFile:
    name: str  # as shown to the user, e.g. "feed.zip/services.csv"
    data: bytes

    @property
    def suffix(self) -> str:
        name = self.name.rsplit("/", 1)[-1].lower()
        return name.rsplit(".", 1)[-1] if "." in name else ""


def _mb(limit: int) -> int:
    return limit // (1024 * 1024)


def read_path(path: Path) -> list[SourceFile]:
    """A file, a zip, or a folder (its .json, .csv and .zip files, in name order)."""
    path = Path(path)
    if path.is_dir():
        files = [p for p in sorted(path.iterdir()) if p.is_file() and not p.name.startswith(".")]
        if len(files) > MAX_FILES:
            raise SourceError(path.name, ERROR_TOO_MANY_FILES.format(limit=MAX_FILES))
        sources: list[SourceFile] = []
        for item in files:
            sources += read_path(item)
        return sources
    if not path.is_file():
        raise SourceError(str(path), ERROR_NOT_FOUND)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise SourceError(path.name, ERROR_TOO_BIG.format(limit=_mb(MAX_FILE_BYTES)))
    return read_upload(path.name, path.read_bytes())


def read_upload(name: str, data: bytes) -> list[SourceFile]:
    if len(data) > MAX_FILE_BYTES:
        raise SourceError(name, ERROR_TOO_BIG.format(limit=_mb(MAX_FILE_BYTES)))
    source = SourceFile(name, data)
    if source.suffix == "zip" or data[:4] == b"PK\x03\x04":
        return _unzip(source)
    return [source]


def _unzip(source: SourceFile) -> list[SourceFile]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(source.data))
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir()
            and not info.filename.startswith("__MACOSX/")
            and not info.filename.rsplit("/", 1)[-1].startswith(".")
        ]
    except (zipfile.BadZipFile, ValueError, OSError):
        raise SourceError(source.name, ERROR_NOT_ZIP) from None
    if len(members) > MAX_FILES:
        raise SourceError(source.name, ERROR_TOO_MANY_FILES.format(limit=MAX_FILES))
    files, total = [], 0
    for info in sorted(members, key=lambda i: i.filename):
        # Read no more than the cap, whatever the header claims: a zip bomb stops here.
        name = f"{source.name}/{info.filename}"
        try:
            with archive.open(info) as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError):
            raise SourceError(name, ERROR_NOT_ZIP) from None
        if len(data) > MAX_FILE_BYTES:
            raise SourceError(name, ERROR_TOO_BIG.format(limit=_mb(MAX_FILE_BYTES)))
        total += len(data)
        if total > MAX_TOTAL_BYTES:
            raise SourceError(source.name, ERROR_TOO_BIG.format(limit=_mb(MAX_TOTAL_BYTES)))
        files.append(SourceFile(name, data))
    if not any(f.suffix in ("json", "csv") for f in files):
        raise SourceError(source.name, ERROR_NOTHING)
    return files


def decode_text(source: SourceFile) -> str:
    data = source.data
    if data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        raise SourceError(source.name, ERROR_UTF32)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise SourceError(source.name, ERROR_UTF16)
    if b"\x00" in data:
        raise SourceError(source.name, ERROR_NUL_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(
            source.name,
            ERROR_NOT_UTF8.format(byte=data[error.start], position=error.start, line=line),
        ) from None
    if not text.strip():
        raise SourceError(source.name, ERROR_EMPTY)
    return text


def _no_constants(value: str):
    raise ValueError(ERROR_NAN.format(value=value))


def _pairs(pairs: list[tuple[str, object]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(ERROR_DUPLICATE_KEY.format(key=key[:40]))
        result[key] = value
    return result


def parse_json(source: SourceFile):
    text = decode_text(source)
    try:
        document = json.loads(text, parse_constant=_no_constants, object_pairs_hook=_pairs)
    except json.JSONDecodeError as error:
        raise SourceError(
            source.name,
            ERROR_NOT_JSON.format(message=error.msg, line=error.lineno, column=error.colno),
        ) from None
    except RecursionError:
        raise SourceError(source.name, ERROR_TOO_DEEP) from None
    except ValueError as error:
        raise SourceError(source.name, str(error)) from None
    if _depth(document) > MAX_DEPTH:
        raise SourceError(source.name, ERROR_TOO_DEEP)
    return document


MAX_DEPTH = 64  # the deepest ORUK record (a page of services down to an address's term) is ~15


def _depth(document) -> int:
    deepest, stack = 0, [(document, 1)]
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            break
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
    return deepest

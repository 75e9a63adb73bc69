"""Reading CSV (UTF-8, with or without BOM) and JSON Lines files record by record."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from data.errors import DataError


class FileUnusable(DataError):
    """The file as a whole cannot be imported (encoding, format, missing columns)."""


def file_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix in (".csv", ".txt"):
        return "csv"
    raise FileUnusable(f"{path.name}: unknown format (use .csv or .jsonl)")


def check_file(path: Path, required: tuple[str, ...]) -> tuple[int, str]:
    """Decode the whole file once (strict UTF-8) and check its columns, before any write.

    Returns the number of records and the file's SHA-256.
    """
    if not path.is_file():
        raise FileUnusable(f"{path}: no such file")
    digest = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        text_lines = 0
        with path.open(encoding="utf-8-sig", errors="strict", newline="") as f:
            for _ in f:
                text_lines += 1
    except UnicodeDecodeError as e:
        raise FileUnusable(f"{path.name}: not UTF-8 text ({e.reason} at byte {e.start})") from e
    if file_format(path) == "csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f), None)
        if not header:
            raise FileUnusable(f"{path.name}: empty file, no header row")
        columns = {h.strip() for h in header}
        missing = [c for c in required if c not in columns]
        if missing:
            raise FileUnusable(f"{path.name}: missing core column(s): {', '.join(missing)}")
        return max(text_lines - 1, 0), digest.hexdigest()
    return text_lines, digest.hexdigest()


def read_records(
    path: Path, required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """Yield ``(line, record)``; a record that cannot be read at all is yielded as a reason."""
    if file_format(path) == "csv":
        yield from _read_csv(path)
    else:
        yield from _read_jsonl(path, required)


def _read_csv(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = [h.strip() for h in next(reader)]
        start = reader.line_num + 1
        for row in reader:
            line = start
            start = reader.line_num + 1
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) > len(header):
                yield line, f"{len(row)} fields but the header has {len(header)}"
                continue
            yield line, dict(zip(header, row, strict=False))


def _read_jsonl(
    path: Path, required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, Any] | str]]:
    with path.open(encoding="utf-8-sig") as f:
        for line, text in enumerate(f, start=1):
            if not text.strip():
                continue
            try:
                obj = json.loads(text, parse_float=Decimal)
            except json.JSONDecodeError as e:
                yield line, f"not valid JSON ({e.msg})"
                continue
            if not isinstance(obj, dict):
                yield line, "not a JSON object"
                continue
            missing = [c for c in required if c not in obj]
            if missing:
                yield line, f"missing field(s): {', '.join(missing)}"
                continue
            yield line, obj

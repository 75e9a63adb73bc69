"""Reading CSV (UTF-8, with or without BOM) and JSON Lines files record by record."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from data.errors import DataError
from data.portfolio.fields import excerpt

_BREAK = re.compile("[\r\n]")


class FileUnusable(DataError):
    """The file as a whole cannot be imported (encoding, format, missing columns)."""


def file_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix in (".csv", ".txt"):
        return "csv"
    raise FileUnusable(f"{path.name}: unknown format (use .csv or .jsonl)")


def _header(path: Path, required: tuple[str, ...]) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            lines = reader.line_num
    except csv.Error as e:
        raise FileUnusable(f"{path.name}: the header row is not readable CSV ({e})") from e
    if not header:
        raise FileUnusable(f"{path.name}: empty file, no header row")
    if lines > 1 or any(_BREAK.search(h) for h in header):
        raise FileUnusable(f"{path.name}: the header row holds a quote or line break")
    columns = [h.strip() for h in header]
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:
        shown = ", ".join(excerpt(c) for c in repeated[:5])
        raise FileUnusable(f"{path.name}: column(s) named twice in the header: {shown}")
    missing = [c for c in required if c not in columns]
    if missing:
        raise FileUnusable(f"{path.name}: missing core column(s): {', '.join(missing)}")
    return columns


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
        _header(path, required)
        return max(text_lines - 1, 0), digest.hexdigest()
    return text_lines, digest.hexdigest()


def read_records(
    path: Path, required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """Yield ``(line, record)``; a record that cannot be read at all is yielded as a reason
    (one per physical line when several lines were joined into one record)."""
    if file_format(path) == "csv":
        yield from _read_csv(path, required)
    else:
        yield from _read_jsonl(path, required)


def _region(first: int, last: int, reason: str) -> Iterator[tuple[int, str]]:
    """Every physical line of a refused region; the reason names the region, no data."""
    yield first, reason
    for line in range(first + 1, last + 1):
        yield line, f"part of lines {first}–{last}, refused with line {first}"


def _joined(header: list[str], row: list[str], first: int, last: int) -> str:
    column = next(
        (
            header[i] if i < len(header) else f"#{i + 1}"
            for i, c in enumerate(row)
            if _BREAK.search(c)
        ),
        "?",
    )
    if last > first:
        return (
            f"a quote opened in column {excerpt(column)} runs over lines {first}–{last} and "
            f"joins them into one record (no field may hold a line break): fix the stray quote"
        )
    return f"column {excerpt(column)} holds a line break"


def _read_csv(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, Any] | str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = [h.strip() for h in next(reader)]
        start = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as e:  # e.g. a field past the csv module's size limit
                yield from _region(start, reader.line_num, f"not readable CSV ({e})")
                start = reader.line_num + 1
                continue
            line, last = start, reader.line_num
            start = last + 1
            if last > line or any(_BREAK.search(c) for c in row):
                yield from _region(line, last, _joined(header, row, line, last))
            elif not row or all(not c.strip() for c in row):
                continue
            elif len(row) > len(header) or set(header[len(row) :]) & set(required):
                # fewer fields are accepted when only optional columns are left out at the end
                yield line, f"{len(row)} fields but the header has {len(header)}"
            else:
                yield line, dict(zip(header, row, strict=False))


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError(f"field {excerpt(key)} appears twice")
        obj[key] = value
    return obj


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _read_jsonl(
    path: Path, required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, Any] | str]]:
    with path.open(encoding="utf-8-sig") as f:
        for line, text in enumerate(f, start=1):
            if not text.strip():
                continue
            try:
                obj = json.loads(
                    text,
                    parse_float=Decimal,
                    parse_int=Decimal,
                    parse_constant=_no_constant,
                    object_pairs_hook=_no_repeats,
                )
            except json.JSONDecodeError as e:
                yield line, f"not valid JSON ({e.msg} at column {e.colno})"
                continue
            except (ValueError, RecursionError) as e:
                yield line, f"not valid JSON ({excerpt(str(e), 80)})"
                continue
            if not isinstance(obj, dict):
                yield line, "not a JSON object"
                continue
            missing = [c for c in required if c not in obj]
            if missing:
                yield line, f"missing field(s): {', '.join(missing)}"
                continue
            yield line, obj

"""``FILE.rejects.csv``: line, reason, then the row's original core fields.

The file holds personal data and is opened in a spreadsheet by people, so it is written to a
fresh temporary file (0600, O_EXCL|O_NOFOLLOW: a pre-placed link is never followed) renamed
over the final name at the end (the rename replaces a link, it does not write through it);
a cell that a spreadsheet would run as a formula (starting with = + - @, tab, CR or LF) gets a
leading apostrophe, and no cell is longer than ``MAX_CELL_CHARS``.
"""

from __future__ import annotations

import csv
import os
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

MAX_CELL_CHARS = 1000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> str:
    """A cell as a spreadsheet will show it, never as a formula it would run."""
    text = "" if value is None else str(value)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")  # lone surrogates
    if len(text) > MAX_CELL_CHARS:
        text = text[:MAX_CELL_CHARS] + "…"
    return "'" + text if text.startswith(_FORMULA_START) else text


def open_private(path: Path) -> TextIO:
    """A new file only this user can read; fails rather than follow or reuse anything."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, 0o600)
    return os.fdopen(fd, "w", encoding="utf-8", newline="")


class RejectsFile:
    """Writes the rejects lazily; ``close`` publishes the file (or removes an old one)."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self.path = path
        self.columns = tuple(columns)
        self._tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
        self._file: TextIO | None = None
        self._writer: Any = None

    def add(self, line: int, reason: str, raw: dict[str, Any] | None) -> None:
        if self._writer is None:
            self._file = open_private(self._tmp)
            self._writer = csv.writer(self._file)
            self._writer.writerow(["line", "reason", *self.columns])
        values = [] if raw is None else [safe_cell(raw.get(c)) for c in self.columns]
        self._writer.writerow([line, safe_cell(reason), *values])

    def close(self) -> bool:
        """True when rejects were written (now at ``path``)."""
        if self._file is not None:
            self._file.close()
            os.replace(self._tmp, self.path)
            return True
        self.path.unlink(missing_ok=True)
        return False

"""The dialogue scripts calls speak: the latest version saved through the admin API
(``script_versions``, ``PUT /scripts/{name}/{language}``), else the bundled file.

``SavedScripts`` is the worker's script loader (``dialer.wiring.SessionMaker.scripts``). It
reads the database at most once per ``ttl`` seconds per script (blocking: call it off the
event loop). A saved text that no longer parses, or a database that does not answer, falls back
to the bundled script with a warning: a call is never left without words.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from core.clock import Clock
from core.dialogue import Lang
from core.logging import get_logger
from data.db import Database
from data.models.admin import ScriptVersion
from nlu.errors import ScriptError
from nlu.policy.script import Script, load_script, parse_script

log = get_logger(__name__)


def latest_saved(db: Database, name: str, lang: str) -> tuple[int, str] | None:
    """(version, text) of the newest saved version of ``name`` in ``lang``, if any."""
    with db.transaction() as s:
        row = s.execute(
            select(ScriptVersion.version, ScriptVersion.source)
            .where(ScriptVersion.name == name, ScriptVersion.language == lang)
            .order_by(ScriptVersion.version.desc())
            .limit(1)
        ).first()
    return (int(row[0]), str(row[1])) if row else None


@dataclass
class SavedScripts:
    db: Database
    clock: Clock
    ttl: float = 30.0
    _cache: dict[tuple[str, str], tuple[float, Script]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, lang: Lang, name: str) -> Script:
        now = self.clock.monotonic()
        with self._lock:
            hit = self._cache.get((lang, name))
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        script = self._read(lang, name)
        with self._lock:
            self._cache[(lang, name)] = (now, script)
        return script

    def _read(self, lang: Lang, name: str) -> Script:
        bundled = load_script(lang, name)  # ScriptError: no such script (the caller falls back)
        try:
            saved = latest_saved(self.db, name, lang)
        except SQLAlchemyError as e:
            log.warning("data.saved_script_unreadable", script=name, language=lang, error=str(e))
            return bundled
        if saved is None:
            return bundled
        version, source = saved
        try:
            script = parse_script(source, f"{name}/{lang} v{version}")
        except ScriptError as e:
            log.warning("data.saved_script_invalid", script=name, language=lang, error=str(e))
            return bundled
        if script.lang != lang or set(bundled.prompts) - set(script.prompts):
            log.warning("data.saved_script_incomplete", script=name, language=lang)
            return bundled
        return script

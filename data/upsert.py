"""Dialect-aware ``INSERT … ON CONFLICT`` for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import ColumnElement, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Session


def table_of(model: type[DeclarativeBase]) -> Table:
    return cast(Table, model.__table__)


def insert_for(session: Session, table: Table) -> Any:
    """The dialect's ``insert`` construct (both offer ``on_conflict_do_*`` and ``excluded``)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def upsert(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    keys: Sequence[str],
    update: Sequence[str] = (),
    where_changed: str | None = None,
    merge_or: Sequence[str] = (),
) -> None:
    """Insert ``rows``; on a key conflict update ``update`` columns (or do nothing).

    ``where_changed`` names a digest column: the update only happens when it differs, so an
    unchanged row is not touched. ``merge_or`` columns are OR-ed (a flag once set stays set).
    """
    if not rows:
        return
    stmt = insert_for(session, table)
    if not update and not merge_or:
        session.execute(stmt.on_conflict_do_nothing(index_elements=list(keys)), list(rows))
        return
    excluded = stmt.excluded
    values: dict[str, Any] = {c: excluded[c] for c in update}
    for c in merge_or:
        values[c] = table.c[c] | excluded[c]
    cond: ColumnElement[bool] | None = None
    if where_changed:
        cond = table.c[where_changed] != excluded[where_changed]
    session.execute(
        stmt.on_conflict_do_update(index_elements=list(keys), set_=values, where=cond), list(rows)
    )

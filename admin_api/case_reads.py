"""The two hot reads of the API, case search and case detail, as Core queries.

They return rows, not ORM objects (no identity map, no unit of work), with statements built
once (per filter shape for the search) so SQLAlchemy's compiled cache is hit without
rebuilding and re-keying the statement on every request. The detail fetches the case, loan,
debtor and phones in one round trip. Only the debtor fields the response carries are
decrypted. Guarantees are those of ``case_service``: agents see only their own cases (404
otherwise), masking per role, and the audit record returned with the personal data.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import (
    BindParameter,
    Connection,
    Row,
    Select,
    Table,
    and_,
    bindparam,
    func,
    select,
    true,
)
from sqlalchemy.orm import Session

from admin_api import schemas
from admin_api.case_service import CaseFilter, must_mask, scope_filter
from admin_api.errors import NotFound, RefusedRead
from admin_api.masking import mask_email, mask_name, mask_phone, mask_text
from admin_api.roles import Principal, Role
from core.clock import Clock
from core.money import Money
from data import audit
from data.crypto import Keyring
from data.models import Case, Debtor, DebtorPhone, Loan

_C = cast(Table, Case.__table__)
_L = cast(Table, Loan.__table__)
_D = cast(Table, Debtor.__table__)
_P = cast(Table, DebtorPhone.__table__)
_SUMMARY = (
    _C.c.id,
    _C.c.loan_id,
    _C.c.debtor_id,
    _C.c.status,
    _C.c.risk_tier,
    _C.c.score,
    _L.c.product,
    _L.c.currency,
    _L.c.outstanding_minor,
    _L.c.days_past_due,
    _C.c.assigned_agent_id,
    _C.c.next_action_at,
    _D.c.language,
    _D.c.jurisdiction,
)
_JOINED = _C.join(_L, _L.c.id == _C.c.loan_id).join(_D, _D.c.id == _C.c.debtor_id)
_FLAGS = ("cease", "dispute", "attorney", "deceased", "bankruptcy")
_DEBTOR = (
    _D.c.name_enc,
    _D.c.email_enc,
    _D.c.address_enc,
    _D.c.national_id_enc,
    _D.c.birth_date_enc,
    _D.c.timezone,
    *(_D.c[f] for f in _FLAGS),
)
_PHONE = (
    _P.c.id.label("phone_id"),
    _P.c.phone_enc,
    _P.c.kind.label("phone_kind"),
    _P.c.status.label("phone_status"),
    _P.c.do_not_call,
)
_DETAIL = (
    select(*_SUMMARY, *_DEBTOR, *_PHONE)
    .select_from(_JOINED.outerjoin(_P, _P.c.debtor_id == _D.c.id))
    .where(_C.c.id == bindparam("case_id"))
    .order_by(_P.c.position, _P.c.id)
)
# filter name → (column, operator); the loan and debtor columns need their join in the count
_FILTERS: dict[str, tuple[Any, str]] = {
    "status": (_C.c.status, "=="),
    "risk_tier": (_C.c.risk_tier, "=="),
    "product": (_L.c.product, "=="),
    "language": (_D.c.language, "=="),
    "jurisdiction": (_D.c.jurisdiction, "=="),
    "agent_id": (_C.c.assigned_agent_id, "=="),
    "dpd_min": (_L.c.days_past_due, ">="),
    "dpd_max": (_L.c.days_past_due, "<="),
}
_SearchStmts = tuple[Select[int], Select[Any]]
_search_cache: dict[tuple[str, ...], _SearchStmts] = {}


def refresh_planner_stats(conn: Connection) -> None:
    """SQLite: gather the planner's statistics for the three tables a search reads. Without
    them (or with sampled ones, ``analysis_limit``, which guessed ~10 values for ``status``)
    it answers a page of a search whose filter matches most cases (``status=open``) through
    the status index and sorts every match instead of walking the primary key for 20 rows
    (~5 ms instead of ~0.2 ms at 10,000 cases). A full ANALYZE of them takes milliseconds at
    10,000 cases. PostgreSQL's autovacuum keeps its own statistics."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA analysis_limit=0")
        for table in ("cases", "loans", "debtors"):
            conn.exec_driver_sql(f"ANALYZE {table}")


def _summary(r: Row[Any]) -> schemas.CaseSummary:
    return schemas.CaseSummary(
        id=r.id,
        loan_id=r.loan_id,
        debtor_id=r.debtor_id,
        status=r.status,
        risk_tier=r.risk_tier,
        score=r.score,
        product=r.product,
        currency=r.currency,
        outstanding=Money.from_minor(r.outstanding_minor, r.currency).amount,
        days_past_due=r.days_past_due,
        assigned_agent_id=r.assigned_agent_id,
        next_action_at=r.next_action_at,
        language=r.language,
        jurisdiction=r.jurisdiction,
    )


def _search_statements(names: tuple[str, ...]) -> _SearchStmts:
    """COUNT and page statements for one filter shape (which filters are present), cached."""
    stmts = _search_cache.get(names)
    if stmts is None:
        where = []
        for name in names:
            column, op = _FILTERS[name]
            value: BindParameter[Any] = bindparam(name)
            if op == "==":
                where.append(column == value)
            else:
                where.append(column >= value if op == ">=" else column <= value)
        cond = and_(true(), *where)
        tables = {_FILTERS[n][0].table for n in names}
        # every case has exactly one loan and one debtor (non-null foreign keys to primary
        # keys): the count joins only the tables a filter names, the others cannot change it
        source: Any = _C
        if _L in tables:
            source = source.join(_L, _L.c.id == _C.c.loan_id)
        if _D in tables:
            source = source.join(_D, _D.c.id == _C.c.debtor_id)
        count = select(func.count()).select_from(source).where(cond)
        page = (
            select(*_SUMMARY)
            .select_from(_JOINED)
            .where(cond)
            .order_by(_C.c.id)
            .limit(bindparam("limit"))
            .offset(bindparam("offset"))
        )
        stmts = _search_cache[names] = (count, page)
    return stmts


def search(
    s: Session, principal: Principal, f: CaseFilter, limit: int, offset: int
) -> schemas.CasePage:
    f = scope_filter(principal, f)
    params: dict[str, Any] = {n: getattr(f, n) for n in _FILTERS if getattr(f, n) is not None}
    count, page = _search_statements(tuple(sorted(params)))
    conn: Connection = s.connection()
    total = conn.execute(count, params).scalar_one()
    rows = conn.execute(page, {**params, "limit": limit, "offset": offset}).all()
    items = [_summary(r) for r in rows]
    return schemas.CasePage(total=total, limit=limit, offset=offset, items=items)


def _debtor(keyring: Keyring, rows: list[Row[Any]], masked: bool) -> schemas.DebtorOut:
    def opt(blob: bytes | None, aad: str, masker: Any) -> str | None:
        value = keyring.decrypt_opt(blob, aad)
        return None if value is None else (masker(value) if masked else value)

    d = rows[0]
    name = keyring.decrypt(d.name_enc, "debtors.name")
    return schemas.DebtorOut(
        name=mask_name(name) if masked else name,
        email=opt(d.email_enc, "debtors.email", mask_email),
        address=opt(d.address_enc, "debtors.address", mask_text),
        national_id=opt(d.national_id_enc, "debtors.national_id", mask_text),
        birth_date=opt(d.birth_date_enc, "debtors.birth_date", mask_text),
        phones=[
            schemas.PhoneOut(
                id=p.phone_id,
                number=opt(p.phone_enc, "debtor_phones.phone", mask_phone) or "",
                kind=p.phone_kind,
                status=p.phone_status,
                do_not_call=p.do_not_call,
            )
            for p in rows
            if p.phone_id is not None
        ],
        flags=[f for f in _FLAGS if getattr(d, f)],
        timezone=d.timezone,
    )


def detail(
    s: Session, keyring: Keyring, clock: Clock, principal: Principal, case_id: str, reveal: bool
) -> tuple[schemas.CaseDetail, audit.Record]:
    """The case with the debtor's personal data (one query), and the audit record that must
    be committed before it is sent."""
    masked = must_mask(principal, reveal)
    rows = list(s.connection().execute(_DETAIL, {"case_id": case_id}).all())
    if not rows:
        raise NotFound(f"no case {case_id!r}")
    if principal.role is Role.AGENT and (
        principal.agent_id is None or rows[0].assigned_agent_id != principal.agent_id
    ):
        # the same answer as a missing case: an agent learns nothing about other cases
        raise RefusedRead(f"no case {case_id!r}", subject_type="case", subject_id=case_id)
    out = schemas.CaseDetail(
        case=_summary(rows[0]), debtor=_debtor(keyring, rows, masked), masked=masked
    )
    record = audit.Record(
        at=clock.now(),
        actor=principal.actor,
        action="case.read_pii",
        subject_type="case",
        subject_id=case_id,
        details={"masked": masked, "role": principal.role.value, "debtor_id": rows[0].debtor_id},
    )
    return out, record

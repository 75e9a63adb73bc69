"""``collectbot serve`` (admin API + IVR + dialer in one process) and ``collectbot worker``
(IVR + dialer only, joining the same Redis and database). Wiring only.

Both stop cleanly on SIGTERM/SIGINT: the dialer takes no new contact, calls in progress end,
the API finishes its requests. ``--no-telephony`` runs ``serve`` without Asterisk.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
from typing import Annotated

import typer
import uvicorn

from admin_api.app import create_app
from admin_api.main import build_services
from admin_api.settings import ApiSettings
from cli.api_commands import server_options
from cli.context import AppContext
from cli.worker_health import worker_readiness
from core.logging import configure_logging, get_logger
from dialer.health import TelephonyHealth
from dialer.settings import DialerSettings
from dialer.wiring import Telephony, load_speech
from telemetry.health import EmbeddedServer as EmbeddedServer  # re-exported (the demo)
from telemetry.health import bound_socket, health_app, health_server
from telemetry.metrics import Metrics

log = get_logger(__name__)


def _on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)


async def _telephony(
    ctx: AppContext,
    stop: asyncio.Event,
    *,
    retry_s: float = 0.0,
    health: TelephonyHealth | None = None,
) -> None:
    """IVR + dialer until ``stop``. With ``retry_s`` a failure (Asterisk or Redis down) is
    logged and retried after that pause, so the API beside it stays up; without, it raises.
    ``health`` follows the models and the running ``Telephony`` (readiness: ARI connected now)."""
    health = health or TelephonyHealth()
    speech = await load_speech()
    health.models_loaded = True
    while not stop.is_set():
        telephony = Telephony(ctx.db, ctx.keyring, ctx.clock, speech, recordings=ctx.recordings)
        health.current = telephony
        try:
            await telephony.run(stop)
        except Exception as e:
            if not retry_s:
                raise
            log.error("serve.telephony_failed", error=repr(e), retry_s=retry_s)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), retry_s)
        finally:
            health.current = None


async def run_serve(
    ctx: AppContext, host: str, port: int, stop: asyncio.Event, *, telephony: bool = True
) -> None:
    """The API under uvicorn and (``telephony``) the IVR + dialer, until ``stop`` is set."""
    settings = ApiSettings()
    if telephony and not settings.live_redis_url:  # the IVR publishes screen-pops to Redis:
        redis_url = DialerSettings().redis_url  # the API's agent consoles must read them there
        settings = settings.model_copy(update={"live_redis_url": redis_url})
    metrics = Metrics()
    configure_logging(log_pii=ctx.settings.log_pii, observers=[metrics.observe])
    services = build_services(
        settings, ctx.db, ctx.keyring, ctx.clock, metrics=metrics,
        recordings=ctx.recordings, data=ctx.settings,
    )  # fmt: skip
    health = TelephonyHealth()
    if telephony:
        services.ready_checks["telephony"] = health.check
    config = uvicorn.Config(
        create_app(services),
        host=host,
        port=port,
        **server_options(settings),
    )
    server = EmbeddedServer(config)
    async with asyncio.TaskGroup() as tg:
        api = tg.create_task(server.serve(), name="api")
        if telephony:
            tg.create_task(_telephony(ctx, stop, retry_s=10.0, health=health), name="telephony")
        log.info("serve.started", host=host, port=port, telephony=telephony)
        done = tg.create_task(stop.wait())
        await asyncio.wait({api, done}, return_when=asyncio.FIRST_COMPLETED)
        stop.set()  # the API ended (e.g. the port was taken): stop the rest too
        server.should_exit = True
    log.info("serve.stopped")


def serve(
    host: Annotated[str | None, typer.Option(help="bind address (API_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="port (API_PORT)")] = None,
    telephony: Annotated[
        bool, typer.Option(help="also run the IVR and the dialer (needs Asterisk and Redis)")
    ] = True,
) -> None:
    """Run the admin API, the IVR and the dialer in one process (single machine)."""
    settings, ctx = ApiSettings(), AppContext.build()
    settings.check_bind(host or settings.host)

    async def main() -> None:
        stop = asyncio.Event()
        _on_signals(stop)
        await run_serve(
            ctx, host or settings.host, port or settings.port, stop, telephony=telephony
        )

    asyncio.run(main())


def worker(
    metrics_port: Annotated[
        int,
        typer.Option(
            envvar="COLLECTBOT_METRICS_PORT",
            min=0,
            max=65535,
            help="serve this worker's /metrics, /health/live and /health/ready on"
            " 127.0.0.1:PORT (0: off)",
        ),
    ] = 0,
    metrics_host: Annotated[
        str, typer.Option(envvar="COLLECTBOT_METRICS_HOST", help="bind address of /metrics")
    ] = "127.0.0.1",
) -> None:
    """Run an extra IVR + dialer worker that joins the same Redis and database (scale-out)."""
    ctx = AppContext.build()
    metrics = Metrics()
    configure_logging(log_pii=ctx.settings.log_pii, observers=[metrics.observe])
    sock = bound_socket(metrics_host, metrics_port) if metrics_port else None

    async def main() -> None:
        stop = asyncio.Event()
        _on_signals(stop)
        await run_worker(ctx, stop, metrics, sock)

    asyncio.run(main())


async def run_worker(
    ctx: AppContext, stop: asyncio.Event, metrics: Metrics, sock: socket.socket | None
) -> None:
    """IVR + dialer until ``stop``; with ``sock``, its metrics and health on that port."""
    health = TelephonyHealth()
    if sock is None:
        await _telephony(ctx, stop, health=health)
        return
    async with worker_readiness(ctx.db.url, health) as readiness, asyncio.TaskGroup() as tg:
        server = health_server(health_app(readiness, metrics))
        tg.create_task(server.serve(sockets=[sock]), name="health")
        try:
            await _telephony(ctx, stop, health=health)
        finally:
            server.should_exit = True


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("worker")(worker)

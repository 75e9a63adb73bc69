"""``collectbot serve`` (admin API + IVR + dialer in one process) and ``collectbot worker``
(IVR + dialer only, joining the same Redis and database). Wiring only.

Both stop cleanly on SIGTERM/SIGINT: the dialer takes no new contact, calls in progress end,
the API finishes its requests. ``--no-telephony`` runs ``serve`` without Asterisk.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable, Callable, Iterator
from typing import Annotated

import typer
import uvicorn

from admin_api.app import create_app
from admin_api.main import build_services
from admin_api.settings import ApiSettings
from cli.api_commands import server_options
from cli.context import AppContext
from core.logging import configure_logging, get_logger
from dialer.settings import DialerSettings
from dialer.wiring import Telephony, load_speech
from telemetry.metrics import Metrics

log = get_logger(__name__)


class EmbeddedServer(uvicorn.Server):
    """uvicorn in our event loop; the process's signals are ours, not uvicorn's."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)


async def _telephony(
    ctx: AppContext,
    stop: asyncio.Event,
    *,
    retry_s: float = 0.0,
    ready: asyncio.Event | None = None,
) -> None:
    """IVR + dialer until ``stop``. With ``retry_s`` a failure (Asterisk or Redis down) is
    logged and retried after that pause, so the API beside it stays up; without, it raises.
    ``ready`` is set while the models are loaded and ARI is connected (readiness)."""
    ready = ready or asyncio.Event()
    speech = await load_speech()
    while not stop.is_set():
        try:
            await Telephony(
                ctx.db, ctx.keyring, ctx.clock, speech, ready=ready, recordings=ctx.recordings
            ).run(stop)
        except Exception as e:
            ready.clear()
            if not retry_s:
                raise
            log.error("serve.telephony_failed", error=repr(e), retry_s=retry_s)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), retry_s)


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
    telephony_ready = asyncio.Event()
    if telephony:
        services.ready_checks["telephony"] = _is_set(telephony_ready, "models or ARI not ready")
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
            tg.create_task(
                _telephony(ctx, stop, retry_s=10.0, ready=telephony_ready), name="telephony"
            )
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


def _is_set(event: asyncio.Event, reason: str) -> Callable[[], Awaitable[None]]:
    async def check() -> None:
        if not event.is_set():
            raise RuntimeError(reason)

    return check


def worker(
    metrics_port: Annotated[
        int,
        typer.Option(
            envvar="COLLECTBOT_METRICS_PORT",
            min=0,
            max=65535,
            help="serve this worker's Prometheus /metrics on 127.0.0.1:PORT (0: off)",
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
    if metrics_port:
        metrics.serve(metrics_host, metrics_port)

    async def main() -> None:
        stop = asyncio.Event()
        _on_signals(stop)
        await _telephony(ctx, stop)

    asyncio.run(main())


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("worker")(worker)

"""The end of ``collectbot demo``: the web console's address and a supervisor login, then the
admin API (with the console) served until Ctrl-C when run in a terminal."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence

from rich.console import Console

from admin_api.settings import ApiSettings
from cli.context import AppContext
from cli.demo_campaign import SUPERVISOR, ensure_supervisor
from cli.serve_commands import _on_signals, run_serve


def console_url(settings: ApiSettings) -> str:
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host  # noqa: S104
    scheme = "https" if settings.tls_cert else "http"
    return f"{scheme}://{host}:{settings.port}/"


def console_part(console: Console, *, serve: bool, after: Sequence[str] = ()) -> None:
    """Print the console's URL, a fresh supervisor login and where else to look (``after``);
    serve it when ``serve`` and in a terminal (a pipe or CI gets the login and returns)."""
    ctx, settings = AppContext.build(), ApiSettings()
    password = ensure_supervisor(ctx, settings)
    console.rule("10. where to look next")
    console.print(f"the web console: {console_url(settings)}")
    console.print(f"supervisor login: {SUPERVISOR} / {password}")
    for line in after:
        console.print(line)
    if not serve or not sys.stdin.isatty():
        console.print(
            "(not serving: --no-serve or not a terminal; `collectbot serve-api` serves it)"
        )
        return
    console.print("serving the admin API and the console; Ctrl-C stops")

    async def main() -> None:
        stop = asyncio.Event()
        _on_signals(stop)
        await run_serve(ctx, settings.host, settings.port, stop, telephony=False)

    asyncio.run(main())

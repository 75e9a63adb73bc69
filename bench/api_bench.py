"""Admin-API benchmark: case-lookup requests/s and latency percentiles at 2 uvicorn workers.

    .venv/bin/python bench/api_bench.py [--cases 2000] [--seconds 10] [--concurrency 32]
                                        [--pg] [--workers 2]

Seeds a demo portfolio into a fresh SQLite file (or, with --pg, a fresh PostgreSQL database on
the project's service port), starts ``uvicorn admin_api.main:app_from_environment`` with the
given workers on loopback, logs in, and drives it with an asyncio load generator (httpx) that
is bounded in time and in requests. Three request kinds are measured one after the other:

* ``detail-agent``   GET /cases/{id} as the assigned agent: decrypts the debtor's personal
                     data and appends one audit record (a write) per request;
* ``detail-masked``  GET /cases/{id} as a supervisor (masked, still audited);
* ``search``         GET /cases?status=open&limit=20 (no personal data, read only);
* ``health``         GET /health: the ceiling of this server + load generator pair.

The load generator shares the machine's cores with the server; figures are end-to-end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select, text, update

from admin_api.security import Passwords
from cli.data_commands import write_demo_data
from core.clock import SystemClock
from data.crypto import new_key_spec
from data.db import Database, migrate
from data.models import Agent, Case, User
from data.portfolio.importer import import_portfolio

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:55432/postgres"
PASSWORD = "bench-password-123"  # noqa: S105 - a throwaway bench user


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(url: str, home: Path, cases: int, key: str) -> list[str]:
    from data.crypto import Keyring

    migrate(url)
    db = Database.connect(url)
    path = home / "portfolio.csv"
    write_demo_data(cases, 11, path, date(2026, 11, 29))
    clock = SystemClock()
    import_portfolio(db, Keyring.from_spec(key), path, clock)
    hashed = Passwords().hash(PASSWORD)
    with db.transaction() as s:
        for role in ("supervisor", "agent"):
            s.add(
                User(
                    id=f"usr_{role}",
                    username=role,
                    password_hash=hashed,
                    role=role,
                    active=True,
                    created_at=clock.now(),
                )
            )
        s.flush()
        s.add(
            Agent(
                id="agt_bench",
                user_id="usr_agent",
                display_name="Bench",
                endpoint="x",
                languages=[],
                products=[],
                tiers=[],
                capacity=10**6,
                status="available",
                created_at=clock.now(),
            )
        )
        s.flush()
        s.execute(update(Case).values(assigned_agent_id="agt_bench"))
        ids = list(s.scalars(select(Case.id)))
    db.dispose()
    return ids


async def token(client: httpx.AsyncClient, user: str) -> str:
    r = await client.post("/auth/token", data={"username": user, "password": PASSWORD})
    r.raise_for_status()
    return str(r.json()["access_token"])


async def drive(
    base: str, paths: list[str], tok: str, seconds: float, concurrency: int, limit: int
) -> tuple[int, int, list[float], float]:
    latencies: list[float] = []
    errors = 0
    sent = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"Authorization": f"Bearer {tok}"}
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30, headers=headers) as c:

        async def worker() -> None:
            nonlocal errors, sent
            while time.perf_counter() < deadline and sent < limit:
                sent += 1
                path = random.choice(paths)
                t0 = time.perf_counter()
                r = await c.get(path)
                latencies.append(time.perf_counter() - t0)
                if r.status_code != 200:
                    errors += 1

        start = time.perf_counter()
        async with asyncio.TaskGroup() as tg:
            for _ in range(concurrency):
                tg.create_task(worker())
        elapsed = time.perf_counter() - start
    return len(latencies), errors, latencies, elapsed


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000)[int(q * 10) - 1] * 1000 if len(values) > 1 else 0


async def run(base: str, ids: list[str], args: argparse.Namespace) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as c:
        agent, supervisor = await token(c, "agent"), await token(c, "supervisor")
    kinds = {
        "health": (["/health"], agent),
        "detail-agent": ([f"/cases/{i}" for i in ids], agent),
        "detail-masked": ([f"/cases/{i}" for i in ids], supervisor),
        "search": (["/cases?status=open&limit=20"], supervisor),
    }
    print(f"{'kind':<14} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for name, (paths, tok) in kinds.items():
        await drive(base, paths, tok, 1.0, args.concurrency, 10**9)  # warm-up
        n, err, lat, elapsed = await drive(
            base, paths, tok, args.seconds, args.concurrency, args.max_requests
        )
        print(
            f"{name:<14} {n:>8} {err:>6} {n / elapsed:>8.0f} {pct(lat, 50):>8.1f} "
            f"{pct(lat, 99):>8.1f}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pg", action="store_true", help="PostgreSQL on 127.0.0.1:55432")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="collectbot-api-bench-"))
    pg_name = f"bench_api_{os.getpid()}"
    if args.pg:
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {pg_name}"))
        url = PG_ADMIN.rsplit("/", 1)[0] + f"/{pg_name}"
    else:
        url = f"sqlite:///{home / 'bench.sqlite3'}"
    key = new_key_spec()
    t0 = time.perf_counter()
    ids = seed(url, home, args.cases, key)
    print(f"seeded {len(ids)} cases into {url.split(':')[0]} in {time.perf_counter() - t0:.1f} s")
    port = free_port()
    env = {
        **os.environ,
        "COLLECTBOT_HOME": str(home),
        "COLLECTBOT_DATABASE_URL": url,
        "COLLECTBOT_DATA_KEY": key,
        "API_LOGIN_BURST": "1000",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "admin_api.main:app_from_environment",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        print(
            f"uvicorn: {args.workers} workers, concurrency {args.concurrency}, "
            f"{args.seconds:.0f} s per kind, {os.cpu_count()} cores shared with the load"
        )
        asyncio.run(run(base, ids, args))
    finally:
        server.terminate()
        server.wait(timeout=30)
        if args.pg:
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)"))


if __name__ == "__main__":
    main()

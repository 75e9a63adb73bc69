"""Admin-API benchmark: case lookups and searches per second, p50/p99, at 2 uvicorn workers.

    .venv/bin/python bench/api_bench.py [--db sqlite|pg|both] [--cases 10000] [--seconds 10]
        [--connections 16] [--workers 2] [--state DIR] [--kinds detail-supervisor,search,...]
        [--python-generator] [--env API_THREADPOOL=8 ...]

Seeds a realistic demo portfolio (default 10,000 cases; all assigned to the bench agent) into
a SQLite file or a PostgreSQL database on the project's service port (``--state DIR`` keeps
and reuses it between runs), starts ``uvicorn admin_api.main:app_from_environment`` with the
given workers on loopback, logs in as a supervisor and as an agent, and drives each kind with
``wrk`` (C, one thread, ``bench/wrk/paths.lua`` sends the bearer token and picks a random path
per request). Without wrk on the PATH (or with ``--python-generator``) an httpx/asyncio
generator is used instead; it costs far more CPU on the same cores.

Kinds (each after a 2 s warm-up):

* ``health``             GET /health: the ceiling of this server + generator pair;
* ``detail-supervisor``  GET /cases/{id} as a supervisor: masked personal data, one audit
                         record written per request;
* ``detail-agent``       GET /cases/{id} as the assigned agent: the debtor's personal data
                         decrypted, one audit record per request;
* ``search``             GET /cases?status=open&limit=20 as a supervisor (no personal data);
* ``search-agent``       the same as the agent (scoped to their own cases).

After the run the audit chain is verified and the number of ``case.read_pii`` records is
compared with the successful detail responses (every read audited, none lost).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select, text, update

from admin_api.security import Passwords
from cli.data_commands import write_demo_data
from core.clock import SystemClock
from data import audit
from data.crypto import Keyring, new_key_spec
from data.db import Database, migrate
from data.models import Agent, AuditEntry, Case, User
from data.portfolio.importer import import_portfolio

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:55432/postgres"
PASSWORD = "bench-password-123"  # noqa: S105 - a throwaway bench user
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk" / "paths.lua"
KINDS = ("health", "detail-supervisor", "detail-agent", "search", "search-agent")


@dataclass(frozen=True, slots=True)
class Result:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(url: str, home: Path, cases: int, key: str) -> None:
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
    db.dispose()


def prepare(kind: str, cases: int, state: Path) -> tuple[str, str]:
    """The database URL and data key, seeded once per ``state`` directory."""
    marker = state / f"{kind}-{cases}.json"
    if marker.exists():
        saved = json.loads(marker.read_text())
        return str(saved["url"]), str(saved["key"])
    if kind == "pg":
        name = f"bench_api_{cases}_{os.getpid()}"
        with create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    else:
        url = f"sqlite:///{state / f'bench-{cases}.sqlite3'}"
    key = new_key_spec()
    t0 = time.perf_counter()
    seed(url, state, cases, key)
    print(f"seeded {cases} cases into {kind} in {time.perf_counter() - t0:.1f} s", flush=True)
    marker.write_text(json.dumps({"url": url, "key": key}))
    return url, key


def drop(url: str) -> None:
    if url.startswith("postgresql"):
        name = url.rsplit("/", 1)[1]
        with create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


def run_wrk(base: str, paths: Path, tok: str, seconds: float, connections: int) -> Result:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s"]
    cmd += ["-s", str(WRK_SCRIPT), base, "--", tok, str(paths)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    n, dur, non2xx, sock, p50, _p90, p99, _mx = (int(float(v)) for v in line.split()[1:])
    return Result(n, dur / 1e6, non2xx + sock, p50 / 1000, p99 / 1000)


async def run_python(
    base: str, paths: list[str], tok: str, seconds: float, concurrency: int
) -> Result:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"Authorization": f"Bearer {tok}"}
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30, headers=headers) as c:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                t0 = time.perf_counter()
                r = await c.get(random.choice(paths))
                latencies.append(time.perf_counter() - t0)
                errors += r.status_code != 200

        start = time.perf_counter()
        async with asyncio.TaskGroup() as tg:
            for _ in range(concurrency):
                tg.create_task(worker())
        elapsed = time.perf_counter() - start
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return Result(len(latencies), elapsed, errors, q[49] * 1000, q[98] * 1000)


def session_cpu(sid: int) -> float:
    """CPU seconds used so far by the processes of session ``sid`` (the server and its
    workers; Linux /proc)."""
    total, hz = 0.0, os.sysconf("SC_CLK_TCK")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid:
            total += (int(fields[11]) + int(fields[12])) / hz
    return total


def login(base: str, user: str) -> str:
    r = httpx.post(f"{base}/auth/token", data={"username": user, "password": PASSWORD})
    r.raise_for_status()
    return str(r.json()["access_token"])


def start_server(
    url: str, key: str, home: Path, workers: int, extra_env: list[str]
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "COLLECTBOT_HOME": str(home),
        "COLLECTBOT_DATABASE_URL": url,
        "COLLECTBOT_DATA_KEY": key,
        "API_LOGIN_BURST": "1000",
        "API_FOLLOWUP_INTERVAL": "0",
        **dict(kv.split("=", 1) for kv in extra_env),
    }
    cmd = [sys.executable, "-m", "uvicorn", "admin_api.main:app_from_environment", "--factory"]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    cmd += ["--log-level", "warning", "--no-access-log"]
    server = subprocess.Popen(cmd, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return server, base
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the API did not start")


def scenario_paths(home: Path, ids: list[str]) -> dict[str, Path]:
    files = {"health": ["/health"], "detail": [f"/cases/{i}" for i in ids]}
    files["search"] = ["/cases?status=open&limit=20"]
    out: dict[str, Path] = {}
    for name, lines in files.items():
        out[name] = home / f"paths-{name}.txt"
        out[name].write_text("\n".join(lines) + "\n")
    return out


def bench_database(kind: str, args: argparse.Namespace, state: Path) -> None:
    url, key = prepare(kind, args.cases, state)
    db = Database.connect(url)
    with db.transaction() as s:
        ids = list(s.scalars(select(Case.id)))
        before = s.scalar(select(func.count()).where(AuditEntry.action == "case.read_pii")) or 0
    files = scenario_paths(state, ids)
    server, base = start_server(url, key, state, args.workers, args.env)
    use_wrk = shutil.which("wrk") is not None and not args.python_generator
    detail_ok = 0
    try:
        toks = {"supervisor": login(base, "supervisor"), "agent": login(base, "agent")}
        plan = {
            "health": ("health", "agent"),
            "detail-supervisor": ("detail", "supervisor"),
            "detail-agent": ("detail", "agent"),
            "search": ("search", "supervisor"),
            "search-agent": ("search", "agent"),
        }
        print(
            f"\n{kind}: {len(ids)} cases, uvicorn {args.workers} workers, "
            f"{'wrk' if use_wrk else 'python'} {args.connections} connections, "
            f"{args.seconds:.0f} s per kind, {os.cpu_count()} cores shared with the generator"
        )
        print(
            f"{'kind':<18} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>7} "
            f"{'p99 ms':>7} {'api cpu ms/req':>15}"
        )
        for name in args.kinds.split(","):
            paths, who = plan[name]
            for seconds in (2.0, args.seconds):  # warm-up, then the measured run
                cpu = session_cpu(server.pid)
                if use_wrk:
                    r = run_wrk(base, files[paths], toks[who], seconds, args.connections)
                else:
                    lines = files[paths].read_text().split()
                    r = asyncio.run(run_python(base, lines, toks[who], seconds, args.connections))
                if paths == "detail":
                    detail_ok += r.requests - r.errors
            cpu_ms = (session_cpu(server.pid) - cpu) * 1000 / max(r.requests, 1)
            print(
                f"{name:<18} {r.requests:>8} {r.errors:>6} {r.requests / r.seconds:>8.0f} "
                f"{r.p50_ms:>7.1f} {r.p99_ms:>7.1f} {cpu_ms:>15.2f}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    with db.transaction() as s:
        after = s.scalar(select(func.count()).where(AuditEntry.action == "case.read_pii")) or 0
        report = audit.verify(s)
    db.dispose()
    # wrk stops with requests in flight (at most one per connection and run) that the server
    # still answers and audits: records may exceed the counted responses by that much
    print(
        f"audit: {after - before} case.read_pii records for {detail_ok} successful detail "
        f"responses counted by the generator; chain "
        f"{'verifies' if report.ok else 'BROKEN: ' + str(report.problems[:3])}"
        f" ({report.entries} entries)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "pg", "both"), default="both")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--state", type=Path, help="keep the seeded databases here and reuse")
    parser.add_argument("--python-generator", action="store_true", help="httpx instead of wrk")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the API")
    args = parser.parse_args()
    state = args.state or Path(tempfile.mkdtemp(prefix="collectbot-api-bench-"))
    state.mkdir(parents=True, exist_ok=True)
    try:
        for kind in ("sqlite", "pg") if args.db == "both" else (args.db,):
            bench_database(kind, args, state)
    finally:
        if args.state is None:
            for marker in state.glob("*.json"):
                drop(str(json.loads(marker.read_text())["url"]))
            shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Soak: a campaign at N simultaneous calls for a long time, watching for leaks.

    nice -n 10 .venv/bin/python bench/soak.py --minutes 30 --lines 10

A real ``collectbot worker`` (the bot: dialer + IVR with Whisper, Piper, the NLU and policy,
recordings sealed into the vault) works one campaign over a large portfolio of US debtors at
local noon, through a PRIVATE sandbox Asterisk (its own folder and ports: the shared sandbox
and its lock are left alone), the shared Redis and a fresh database on the shared PostgreSQL
(dropped at the end). The far end is the sandbox's ``answer-hold`` line: it answers and stays
silent, so each call is the bot's greeting, its re-prompts and its no-input close (media,
TTS, recording, archive, the call's end in one transaction, the queue) without ASR turns.

Every minute it prints the bot's RSS and open file descriptors, Asterisk's channels, Redis'
memory, the database's size, the calls finished and the bot's error lines. At the end: RSS
growth from the end of the warm-up (``--warmup`` minutes after the first finished call) to the
last minute (acceptance: <= 5 %), descriptors after the last call drained and channels (none
left), errors. Each descriptor is named by its peer (``soak_probe.peers``): the pools (database,
Redis, ARI keep-alive) keep what a burst opened, up to their bounds, so the acceptance is no
RTP socket left after the drain and no other descriptor more than while calling.

``--trace`` finds the cause of a growth: the worker runs with ``tracemalloc`` and dumps a
snapshot and the live objects' type counts every minute; the top allocation sites grown are
printed at the end (``soak_probe.diff`` compares any two minutes afterwards).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import redis
from soak_ari import ari_figures
from soak_memory import heap_by_minute, held_memory, trim
from soak_probe import diff, memory, peers
from sqlalchemy import Engine, create_engine, func, select, text, update

from cli.data_commands import write_demo_data
from core.clock import SystemClock
from data.crypto import Keyring, new_key_spec
from data.db import Database, migrate
from data.models import Campaign, Case, ContactAttempt, Debtor
from data.portfolio.importer import import_portfolio
from simulation.sandbox import private, start, stop

COLLECTBOT = str(Path(sys.executable).parent / "collectbot")
PG_ADMIN = os.environ.get(
    "SOAK_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:55432/postgres"
)
HOME = Path(os.environ.get("COLLECTBOT_HOME", "var")).resolve()
REDIS_PORT = int(os.environ.get("COLLECTBOT_REDIS_PORT", "56379"))


@dataclass
class Sample:
    minute: int
    rss_mb: float
    anon_mb: float  # the heaps (``soak_probe.memory``)
    file_mb: float  # mapped files paged in (models, libraries): not a leak
    fds: int
    channels: int
    redis_mb: float
    db_mb: float
    calls_done: int
    in_progress: int
    errors: int
    peers: dict[str, int]  # descriptors by what they talk to (``soak_probe.peers``)
    cpu_s: float = 0.0  # the worker's CPU seconds so far (user + system)
    minflt: int = 0  # its minor page faults so far (freed pages given back fault in again)

    def kind(self, prefix: str) -> int:
        """Descriptors whose peer starts with ``prefix`` ("tcp>": the pools, "udp:": RTP)."""
        return sum(n for name, n in self.peers.items() if name.startswith(prefix))

    def others(self) -> int:
        """Descriptors that are neither a pooled connection nor a call's RTP socket."""
        return self.fds - self.kind("tcp>") - self.kind("udp:")


def _noon_zone(now: datetime) -> str:
    shift = 12 - now.hour
    return "Etc/GMT" if shift == 0 else f"Etc/GMT{-shift:+d}"


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu(pid: int) -> tuple[float, int]:
    """The process's CPU seconds (user + system) and minor page faults so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return round((int(fields[11]) + int(fields[12])) / ticks, 1), int(fields[7])


def _database(
    loans: int, lines: int, folder: Path, cases: int = 0
) -> tuple[str, str, str, str, list[str]]:
    """A fresh database with the portfolio and a running campaign over every US debtor, or over
    the first ``cases`` of them: (url, name, key, campaign, those case ids)."""
    name = f"soak_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    migrate(url)
    spec, now = new_key_spec(), datetime.now(UTC)
    db = Database.connect(url)
    path = folder / "portfolio.csv"
    write_demo_data(loans, 11, path, now.date())
    import_portfolio(db, Keyring.from_spec(spec), path, SystemClock())
    cid = f"soak-{uuid.uuid4().hex[:8]}"
    with db.transaction() as s:
        s.execute(
            update(Debtor).where(Debtor.jurisdiction == "US").values(timezone=_noon_zone(now))
        )
        us = select(Case.id).join(Debtor, Debtor.id == Case.debtor_id)
        us = us.where(Debtor.jurisdiction == "US").order_by(Case.id).limit(cases)
        chosen = list(s.scalars(us)) if cases else []
        where = {"case_ids": chosen} if cases else {"jurisdiction": "US"}
        s.add(Campaign(
            id=cid, name="soak", status="running", created_at=now, updated_at=now,
            definition={"filter": where, "pacing": "bot", "max_lines": lines,
                        "ring_seconds": 15},
        ))  # fmt: skip
    db.dispose()
    return url, name, spec, cid, chosen


def _debtors(folder: Path, env: dict[str, str], cases: list[str]) -> subprocess.Popen[bytes]:
    """The spoken far end (``soak_debtors.py``) on the private Asterisk, once it takes calls."""
    here = Path(__file__).parent
    env = {k: v for k, v in env.items() if k != "ARI_APP"}  # the sandbox's own app
    with (folder / "debtors.log").open("wb") as out:
        far = subprocess.Popen([sys.executable, str(here / "soak_debtors.py"), str(folder), *cases],
                               env=env, stdout=out, stderr=out)  # fmt: skip
    deadline = time.monotonic() + 900  # every persona's lines are rendered first
    while not (folder / "ready").exists():
        if far.poll() is not None or time.monotonic() > deadline:
            far.kill()
            raise SystemExit(f"the debtors did not start:\n{(folder / 'debtors.log').read_text()}")
        time.sleep(2)
    print(f"debtors pid {far.pid} take calls ({len(cases)} cases)", flush=True)
    return far


def _outcomes(engine: Engine, cid: str, folder: Path) -> dict[str, object]:
    """The spoken soak's calls: how many were stored as their debtor behaved, misses by kind."""
    if not (folder / "expected.json").exists():
        return {}
    expected: dict[str, str] = json.loads((folder / "expected.json").read_text())
    mine = select(ContactAttempt.case_id, ContactAttempt.outcome)
    mine = mine.where(ContactAttempt.campaign_id == cid, ContactAttempt.state == "done")
    with engine.connect() as conn:
        rows = conn.execute(mine.order_by(ContactAttempt.started_at)).all()
    misses: dict[str, int] = {}
    rows = [r for r in rows if r.case_id in expected]
    for case_id, outcome in rows:
        want = expected[case_id]
        if outcome != want:
            key = f"{want} -> {outcome}"
            misses[key] = misses.get(key, 0) + 1
    return {"calls": len(rows), "as_expected": len(rows) - sum(misses.values()), "misses": misses}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--lines", type=int, default=10)
    ap.add_argument("--loans", type=int, default=4000, help="portfolio size (about half US)")
    ap.add_argument(
        "--warmup", type=float, default=3.0, help="minutes after the first call, then RSS base"
    )
    ap.add_argument(
        "--call-s", type=float, default=0.0, help="the IVR's longest call (0: 20 s, spoken 180)"
    )  # fmt: skip
    ap.add_argument("--json", type=Path, help="write the samples and the verdict here")
    ap.add_argument("--sandbox", default="soak", help="the private sandbox's name")
    ap.add_argument("--offset", type=int, default=200, help="its ports moved by this much")
    ap.add_argument(
        "--malloc-arena-max", type=int, default=0,
        help="MALLOC_ARENA_MAX for the worker (0: glibc's default, 8 arenas per core)",
    )  # fmt: skip
    ap.add_argument(
        "--warmup-calls", type=int, default=0,
        help="the RSS base is also at least this many calls in (0: minutes only)",
    )  # fmt: skip
    ap.add_argument(
        "--trace", action="store_true",
        help="tracemalloc + type counts in the worker every minute (slower); diffed at the end",
    )  # fmt: skip
    ap.add_argument(
        "--malloc", action="store_true",
        help="glibc's heap figures every minute and malloc_trim after the drain (no tracemalloc)",
    )  # fmt: skip
    ap.add_argument("--trace-from", type=int, default=0, help="--trace's diff base minute")
    ap.add_argument(
        "--worker-env", action="append", default=[], metavar="KEY=VALUE",
        help="more environment for the worker only (e.g. GLIBC_TUNABLES=...); repeatable",
    )  # fmt: skip
    ap.add_argument(
        "--spoken", action="store_true",
        help="simulated debtors answer and talk (soak_debtors.py) instead of a silent line",
    )  # fmt: skip
    ap.add_argument("--cases", type=int, default=0, help="--spoken: cases called (0: lines*30)")
    args = ap.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="collectbot-soak-"))
    settings = private.private_settings(args.sandbox, offset=args.offset)
    ari = private.private_ari(settings)
    cases = (args.cases or args.lines * 30) if args.spoken else 0
    args.call_s = args.call_s or (180.0 if args.spoken else 20.0)
    url, dbname, spec, cid, chosen = _database(args.loans, args.lines, folder, cases)
    engine = create_engine(url)
    http = httpx.Client(base_url=f"{ari.url}/ari", timeout=5,
                        auth=(ari.user, ari.password.get_secret_value()))  # fmt: skip
    rds = redis.Redis(port=REDIS_PORT)
    samples: list[Sample] = []
    log_path = folder / "worker.log"
    with private.held(settings):
        private.prepare(settings)
        stop(settings)
        start(settings, ari)
        env = {
            **os.environ, **private.environment(settings, ari),
            "COLLECTBOT_HOME": str(folder), "COLLECTBOT_DATABASE_URL": url,
            "COLLECTBOT_DATA_KEY": spec, "ARI_APP": f"cb-{cid}", "DIALER_WORKER_ID": cid,
            "DIALER_REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "DIALER_ENDPOINT_TEMPLATE": "Local/s@answer-hold/n",
            "DIALER_IVR_CAPACITY": str(args.lines), "DIALER_STATUS_EVERY_S": "5",
            "IVR_NO_INPUT_S": "3", "IVR_MAX_CALL_S": str(args.call_s),
            # the project home's trained NLU heads and voices (not trained again here)
            "NLU_HOME": str(HOME), "TTS_VOICES_DIR": str(HOME / "voices"),
        }  # fmt: skip
        if args.spoken:  # the demo's IVR timing: a person needs longer than 3 s to answer
            env |= {"DIALER_ENDPOINT_TEMPLATE": "Local/{number}@sim-debtor/n",
                    "IVR_NO_INPUT_S": "8", "IVR_AGENT_ANSWER_TIMEOUT_S": "10"}  # fmt: skip
        far = _debtors(folder, env, chosen) if args.spoken else None
        if args.malloc_arena_max:
            env["MALLOC_ARENA_MAX"] = str(args.malloc_arena_max)
        env |= dict(pair.split("=", 1) for pair in args.worker_env)
        began = time.monotonic()
        probe = folder / "trace"
        command = [COLLECTBOT, "worker"]
        if args.trace or args.malloc:
            command = [sys.executable, str(Path(__file__).parent / "soak_probe.py"), str(probe),
                       "worker"]  # fmt: skip
            env["SOAK_TRACEMALLOC"] = "1" if args.trace else "0"
        names = {settings.http_port: "ari"}
        with log_path.open("wb") as out:
            worker = subprocess.Popen(command, env=env, stdout=out, stderr=out)
        print(f"worker pid {worker.pid}, log {log_path}, campaign {cid}", flush=True)
        print("min  rss_MB  anon   file   fds  chans  redis_MB  db_MB  done  live  errors",
              flush=True)  # fmt: skip

        def sample(minute: int) -> Sample:
            count = select(func.count()).select_from(ContactAttempt)
            mine = count.where(ContactAttempt.campaign_id == cid)
            with engine.connect() as conn:
                done = conn.scalar(mine.where(ContactAttempt.state == "done"))
                live = conn.scalar(mine.where(ContactAttempt.state == "dialing"))
                size = conn.scalar(text("SELECT pg_database_size(current_database())"))
            errors = len(re.findall(rb'"level": "error"', log_path.read_bytes()))
            split = memory(worker.pid)
            s = Sample(
                minute, round(_rss_mb(worker.pid), 1), split["anon"], split["file"],
                len(os.listdir(f"/proc/{worker.pid}/fd")),
                len(http.get("/channels").json()),
                round(int(rds.info("memory")["used_memory"]) / 2**20, 2),
                round(int(size or 0) / 2**20, 1), int(done or 0), int(live or 0), errors,
                peers(worker.pid, names), *_cpu(worker.pid),
            )  # fmt: skip
            print(f"{s.minute:>3} {s.rss_mb:>7} {s.anon_mb:>6} {s.file_mb:>6} {s.fds:>5}"
                  f" {s.channels:>6} {s.redis_mb:>9}"
                  f" {s.db_mb:>6} {s.calls_done:>5} {s.in_progress:>5} {s.errors:>7}"
                  f"  cpu {s.cpu_s} s, {s.minflt} faults  {s.peers}", flush=True)  # fmt: skip
            return s

        try:
            for minute in range(1, int(args.minutes) + 1):
                time.sleep(max(0.0, began + 60 * minute - time.monotonic()))
                if worker.poll() is not None:
                    raise SystemExit(f"the worker died:\n{log_path.read_text()[-3000:]}")
                if far is not None and far.poll() is not None:
                    log = (folder / "debtors.log").read_text()[-3000:]
                    raise SystemExit(f"the simulated debtors died:\n{log}")
                samples.append(sample(minute))
            with engine.begin() as conn:  # stop dialing; let the calls in progress end
                conn.execute(update(Campaign).where(Campaign.id == cid).values(status="paused"))
            deadline = time.monotonic() + args.call_s + 60
            while time.monotonic() < deadline and (
                http.get("/channels").json() or sample(-1).in_progress
            ):
                time.sleep(2)
            drained = sample(0)
            for ch in http.get("/channels").json() if drained.channels else []:  # who is left
                print(f"left: {ch.get('name')} {ch.get('state')} since {ch.get('creationtime')}"
                      f" caller {ch.get('caller', {}).get('number')}"
                      f" in {ch.get('dialplan', {}).get('context')}", flush=True)  # fmt: skip
            snaps = sorted(int(p.stem.split("-")[1]) for p in probe.glob("snap-*.pickle"))
            if args.trace and len(snaps) > 5:  # the worker's own minutes lag the soak's a little
                print(diff(probe, args.trace_from or 5, snaps[-1]), flush=True)
            trimmed = trim(probe) if args.trace or args.malloc else {}
        finally:
            for process in (worker, far):
                if process is not None:
                    process.terminate()
                    try:
                        process.wait(60)
                    except subprocess.TimeoutExpired:  # a starved, traced worker may not
                        process.kill()
            stop(settings)
            spoken = _outcomes(engine, cid, folder) if args.spoken else {}
            engine.dispose()
            admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)"))
            admin.dispose()

    # the warm-up counts from the first minute with calls done (loading the models and the
    # first prompts take minutes on a busy machine, and RSS before the first call says nothing)
    first = next((s.minute for s in samples if s.calls_done), samples[-1].minute)
    warm = [
        s for s in samples
        if s.minute >= first + args.warmup and s.calls_done >= args.warmup_calls
    ] or samples[-1:]  # fmt: skip
    base, last = warm[0], samples[-1]
    busy = [s for s in samples if s.minute >= first]
    growth = (last.rss_mb - base.rss_mb) / base.rss_mb * 100
    minutes = last.minute - base.minute
    heap = heap_by_minute(probe)
    held = held_memory(heap, base.minute, last.minute, trimmed, base.rss_mb)
    # with glibc's figures, a leak is memory still allocated (in use + mmapped chunks) or RSS
    # that malloc_trim cannot give back; RSS alone also counts the free pages glibc keeps
    memory_ok = held["ok"] if held else growth <= 5
    verdict = {
        "minutes": len(samples), "lines": args.lines, "calls_done": drained.calls_done,
        "calls_per_minute": round(drained.calls_done / max(1, len(samples)), 1),
        "rss_baseline_mb": base.rss_mb, "rss_last_mb": last.rss_mb,
        "rss_growth_pct_after_warmup": round(growth, 2),
        "rss_mb_per_hour": round((last.rss_mb - base.rss_mb) / max(1, minutes) * 60, 1),
        "rss_baseline_minute": base.minute, "rss_baseline_calls": base.calls_done,
        "anon_mb": [base.anon_mb, last.anon_mb], "file_mb": [base.file_mb, last.file_mb],
        "heap_by_minute": heap, "malloc_trim": trimmed, "held": held,
        "fds_min_while_calling": min(s.fds for s in busy), "fds_after_drain": drained.fds,
        # the pools (database, Redis, ARI keep-alive) keep what a burst opened, up to their
        # bounds; a leak shows as an RTP socket left after the drain or as other descriptors
        "pooled_max": {p: max(s.kind(p) for s in [*busy, drained])
                       for p in ("tcp>postgres", "tcp>redis", "tcp>ari")},
        "rtp_sockets_after_drain": drained.kind("udp:"),
        "other_fds_while_calling": sorted({s.others() for s in busy}),
        "other_fds_after_drain": drained.others(),
        "channels_after_drain": drained.channels, "errors": drained.errors, "spoken": spoken,
        "ari": ari_figures(log_path),
        "ok": memory_ok and drained.channels == 0 and drained.kind("udp:") == 0
        and drained.others() <= max(s.others() for s in busy),
    }  # fmt: skip
    print(json.dumps(verdict, indent=2))
    if args.json:
        report: dict[str, object] = {"samples": [asdict(s) for s in samples]}
        report["drained"], report["verdict"] = asdict(drained), verdict
        args.json.write_text(json.dumps(report, indent=2))
    return 0 if verdict["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())

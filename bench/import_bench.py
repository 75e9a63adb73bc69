"""Import benchmark: rows/s and peak RSS importing a synthetic portfolio.

    .venv/bin/python bench/import_bench.py [--cases 100000] [--url sqlite:///…|postgresql://…]

The portfolio file is written first (by a separate process, so its memory is not counted).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from core.clock import SystemClock
from data.crypto import Keyring, new_key_spec
from data.db import Database, migrate
from data.portfolio.importer import import_portfolio


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--url", default=None)
    parser.add_argument("--batch", type=int, default=4000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="collectbot-bench-"))
    csv_path = work / "portfolio.csv"
    t0 = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cli.main",
            "demo-data",
            "--cases",
            str(args.cases),
            "--seed",
            "1",
            "--out",
            str(csv_path),
            "--as-of",
            "2026-11-29",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    gen_s = time.perf_counter() - t0
    url = args.url or f"sqlite:///{work / 'bench.sqlite3'}"
    migrate(url)
    db = Database.connect(url)
    keyring = Keyring.from_spec(new_key_spec())
    t1, c1 = time.perf_counter(), time.process_time()
    summary = import_portfolio(db, keyring, csv_path, SystemClock(), batch_size=args.batch)
    import_s, import_cpu = time.perf_counter() - t1, time.process_time() - c1
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    t2 = time.perf_counter()
    again = import_portfolio(db, keyring, csv_path, SystemClock(), batch_size=args.batch)
    reimport_s = time.perf_counter() - t2
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"backend            {db.dialect}")
    print(f"cases              {summary.stored} stored, {summary.rejected} rejected")
    print(f"generate           {gen_s:.1f} s ({args.cases / gen_s:,.0f} cases/s)")
    print(f"import             {import_s:.1f} s = {summary.stored / import_s:,.0f} rows/s")
    print(f"  main-process CPU {import_cpu:.1f} s (the writer; workers prepare in parallel)")
    print(f"  all children CPU {children.ru_utime + children.ru_stime:.1f} s (incl. generator)")
    print(f"  load average     {os.getloadavg()[0]:.1f} (wall figures are pessimistic when > 2)")
    print(f"re-import (no-op)  {reimport_s:.1f} s = {again.stored / reimport_s:,.0f} rows/s")
    print(f"peak RSS           {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()

"""The soak's probes: what each open descriptor talks to, and (``--trace``) the worker's heap.

``peers(pid)`` names every descriptor of a process: a TCP socket by its remote port (the
database, Redis, Asterisk's ARI, the metrics listener), a UDP socket by its local port (RTP from
the media leg), a unix socket, a pipe, a file. ``python bench/soak_probe.py DIR collectbot
worker ...`` runs the command in this interpreter with ``tracemalloc`` on and a thread that
every minute dumps a snapshot (``DIR/snap-M.pickle``) and the live objects' type counts
(``DIR/types-M.json``); ``diff`` prints the top allocation sites grown between two of them.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
import time
import tracemalloc
from collections import Counter
from pathlib import Path

WELL_KNOWN = {55432: "postgres", 56379: "redis"}


def _sockets(pid: int) -> dict[str, str]:
    """socket inode -> a name of its peer, from the process's own view of /proc/net."""
    names: dict[str, str] = {}
    for proto in ("tcp", "tcp6", "udp", "udp6"):
        path = Path(f"/proc/{pid}/net/{proto}")
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            cols = line.split()
            local, remote, state, inode = cols[1], cols[2], cols[3], cols[9]
            lport, rport = int(local.rsplit(":", 1)[1], 16), int(remote.rsplit(":", 1)[1], 16)
            if proto.startswith("udp"):
                names[inode] = f"udp:{lport}"
            elif state == "0A":
                names[inode] = f"listen:{lport}"
            else:
                names[inode] = f"tcp>{WELL_KNOWN.get(rport, rport)}"
    unix = Path(f"/proc/{pid}/net/unix")
    if unix.exists():
        for line in unix.read_text().splitlines()[1:]:
            cols = line.split()
            names[cols[6]] = f"unix:{cols[7] if len(cols) > 7 else '-'}"
    return names


def peers(pid: int, ports: dict[int, str] | None = None) -> dict[str, int]:
    """The process's descriptors counted by what they talk to (``ports`` names more peers)."""
    known = {**WELL_KNOWN, **(ports or {})}
    sockets = _sockets(pid)
    found: Counter[str] = Counter()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            name = sockets.get(target[8:-1], "socket:?")
            if name.startswith("tcp>") and name[4:].isdigit():
                name = f"tcp>{known.get(int(name[4:]), name[4:])}"
            found[name] += 1
        elif ":" in target:
            found[target.split(":", 1)[0] + ":" + target.split(":", 1)[1][:12]] += 1
        else:
            found[str(Path(target).parent)] += 1
    return dict(sorted(found.items()))


def _dump(folder: Path, minute: int) -> None:
    tracemalloc.take_snapshot().dump(str(folder / f"snap-{minute}.pickle"))
    types = Counter(type(o).__name__ for o in gc.get_objects())
    (folder / f"types-{minute}.json").write_text(json.dumps(dict(types.most_common(80))))


def _every_minute(folder: Path) -> None:
    began = time.monotonic()
    minute = 0
    while True:
        minute += 1
        time.sleep(max(0.0, began + 60 * minute - time.monotonic()))
        _dump(folder, minute)


def diff(folder: Path, first: int, last: int, top: int = 25) -> str:
    """The allocation sites grown most from minute ``first`` to ``last``, and the types."""
    old = tracemalloc.Snapshot.load(str(folder / f"snap-{first}.pickle"))
    new = tracemalloc.Snapshot.load(str(folder / f"snap-{last}.pickle"))
    noise = [tracemalloc.Filter(False, tracemalloc.__file__)]
    stats = new.filter_traces(noise).compare_to(old.filter_traces(noise), "traceback")
    total = sum(s.size_diff for s in stats)
    lines = [f"traced heap grew {total / 2**20:+.2f} MB from minute {first} to {last}"]
    for s in stats[:top]:
        where = " < ".join(f"{Path(f.filename).name}:{f.lineno}" for f in s.traceback[:5])
        lines.append(f"{s.size_diff / 1024:+9.1f} KiB {s.count_diff:+7d} objs  {where}")
    t0 = json.loads((folder / f"types-{first}.json").read_text())
    t1 = json.loads((folder / f"types-{last}.json").read_text())
    grown = sorted(((t1[k] - t0.get(k, 0), k) for k in t1), reverse=True)[:15]
    lines.append("types grown: " + ", ".join(f"{k} {d:+d}" for d, k in grown))
    return "\n".join(lines)


def main() -> None:
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    tracemalloc.start(int(os.environ.get("SOAK_TRACE_FRAMES", "6")))
    threading.Thread(target=_every_minute, args=(folder,), daemon=True).start()
    from cli.main import main as collectbot

    sys.argv = ["collectbot", *sys.argv[2:]]
    collectbot()


if __name__ == "__main__":
    main()

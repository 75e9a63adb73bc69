"""The soak's probes: what each descriptor talks to, and (``--trace``/``--malloc``) the heap.

``peers(pid)`` names every descriptor of a process: a TCP socket by its remote port (the
database, Redis, Asterisk's ARI, the metrics listener), a UDP socket by its local port (RTP from
the media leg), a unix socket, a pipe, a file. ``python bench/soak_probe.py DIR collectbot
worker ...`` runs the command in this interpreter with ``tracemalloc`` on and a thread that
every minute dumps a snapshot (``DIR/snap-M.pickle``) and the live objects' type counts
(``DIR/types-M.json``); ``diff`` prints the top allocation sites grown between two of them.
With ``SOAK_TRACEMALLOC=0`` only glibc's own figures are kept (no tracemalloc, full speed).

Every minute the runner also writes glibc's ``mallinfo2`` (``DIR/malloc-M.json``: bytes in use
by malloc, bytes free inside its heaps, bytes in mmapped chunks), so a growth of RSS can be
split into memory the process still holds (in use) and memory it freed but glibc kept (free
inside the heaps: a high-water mark or fragmentation). When ``DIR/trim`` appears it calls
``malloc_trim(0)`` and writes the RSS before and after (``DIR/trim.json``): what glibc gives
back is what was free, not leaked. ``memory(pid)`` splits a process's RSS into anonymous memory
(the heaps) and file-backed pages (the models' and libraries' mapped files, paged in as they
are first read: growth there is not a leak).
"""

from __future__ import annotations

import ctypes
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


def memory(pid: int) -> dict[str, float]:
    """RSS split (MB): ``anon`` (heaps, stacks), ``file`` (mapped files paged in), ``shmem``."""
    kb: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, _, rest = line.partition(":")
        if rest.strip().endswith("kB"):
            kb[key] = int(rest.split()[0])
    rss, anon, shmem = kb.get("Rss", 0), kb.get("Anonymous", 0), kb.get("Shmem", 0)
    return {
        "rss": round(rss / 1024, 1),
        "anon": round(anon / 1024, 1),
        "file": round((rss - anon - shmem) / 1024, 1),
        "shmem": round(shmem / 1024, 1),
    }


class _MallInfo2(ctypes.Structure):
    _fields_ = [  # ctypes' own declaration
        (name, ctypes.c_size_t)
        for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
            "fsmblks", "uordblks", "fordblks", "keepcost",
        )
    ]  # fmt: skip


def mallinfo() -> dict[str, float]:
    """glibc's heap figures for this process (MB), over all arenas; {} where glibc has none."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        call = libc.mallinfo2
    except (OSError, AttributeError):
        return {}
    call.restype = _MallInfo2
    info = call()
    mb = 2**20
    return {
        "heap": round(info.arena / mb, 1),  # sbrk'd and arena heaps' bytes
        "in_use": round(info.uordblks / mb, 1),  # allocated and not freed
        "free": round(info.fordblks / mb, 1),  # freed, kept by glibc inside its heaps
        "mmapped": round(info.hblkhd / mb, 1),  # large chunks, given back at free
        "top_trimmable": round(info.keepcost / mb, 1),
    }


def trim() -> dict[str, float]:
    """``malloc_trim(0)``: RSS (MB) before and after glibc returns its free pages."""
    before = memory(os.getpid())
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    after = memory(os.getpid())
    return {"rss_before": before["rss"], "rss_after": after["rss"],
            "anon_before": before["anon"], "anon_after": after["anon"]}  # fmt: skip


def _dump(folder: Path, minute: int) -> None:
    heap = {**mallinfo(), **{f"rss_{k}": v for k, v in memory(os.getpid()).items()}}
    if tracemalloc.is_tracing():
        heap["traced"] = round(tracemalloc.get_traced_memory()[0] / 2**20, 1)
        tracemalloc.take_snapshot().dump(str(folder / f"snap-{minute}.pickle"))
        # the oldest generation only: gc.get_objects() of the young ones can take a reference
        # to a tuple another thread is still building, and its resize then fails
        # (SystemError in tupleobject.c, seen while the worker was importing)
        types = Counter(type(o).__name__ for o in gc.get_objects(generation=2))
        (folder / f"types-{minute}.json").write_text(json.dumps(dict(types.most_common(80))))
    (folder / f"malloc-{minute}.json").write_text(json.dumps(heap))


def _every_minute(folder: Path) -> None:
    began = time.monotonic()
    minute = 0
    while True:
        minute += 1
        while time.monotonic() < began + 60 * minute:
            time.sleep(1)
            if (folder / "trim").exists() and not (folder / "trim.json").exists():
                (folder / "trim.json").write_text(json.dumps(trim()))
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
    if os.environ.get("SOAK_TRACEMALLOC", "1") != "0":
        tracemalloc.start(int(os.environ.get("SOAK_TRACE_FRAMES", "6")))
    threading.Thread(target=_every_minute, args=(folder,), daemon=True).start()
    from cli.main import main as collectbot

    sys.argv = ["collectbot", *sys.argv[2:]]
    collectbot()


if __name__ == "__main__":
    main()

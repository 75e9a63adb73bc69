"""``python -m simulation.sandbox build|start|stop|status`` (= ``collectbot sandbox …``)."""

from __future__ import annotations

import dataclasses
import json
import sys

from core.logging import configure_logging
from simulation.sandbox import build, ensure_running, start, status, stop
from simulation.sandbox.settings import SandboxError


def main(argv: list[str]) -> int:
    configure_logging()
    command = argv[0] if argv else "status"
    try:
        match command:
            case "build":
                print(build().dir)
            case "start":
                print(json.dumps(dataclasses.asdict(start()), default=str))
            case "up":
                print(json.dumps(dataclasses.asdict(ensure_running()), default=str))
            case "stop":
                print("stopped" if stop() else "not running")
            case "status":
                print(json.dumps(dataclasses.asdict(status()), default=str))
            case _:
                usage = "usage: python -m simulation.sandbox build|start|up|stop|status"
                print(usage, file=sys.stderr)
                return 2
    except SandboxError as e:
        print(f"sandbox: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

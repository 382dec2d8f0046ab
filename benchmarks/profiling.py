"""Profile a client per scenario: `python -m benchmarks profile`.

For each scenario the measured part of the child process runs once under
pyinstrument (a statistical profiler: where the wall time goes, call tree)
and once under cProfile (deterministic: exact call counts per operation,
inflated absolute times). The httpx2 floor is profiled the same way, so the
two trees can be compared function by function. The start-up scenario also
gets `python -X importtime`, sorted by cumulative time, which tells which
module imports which. Output: .bench/profiles/.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.runner import (
    CHILD,
    FLOOR,
    ROOT,
    SUPPORTS,
    EmulatorServer,
    Server,
    run_child,
)

# Fewer iterations than the benchmark: profilers slow the client down.
WORK = {
    "startup": (0, 0),
    "sync_call": (1000, 50),
    "async_call": (2000, 128),
    "complete_many": (2000, 128),
    "stream": (3, 1),
    "paced_stream": (2, 1),
    "short_streams": (200, 5),
    "embeddings": (20, 2),
    "models": (300, 20),
    "batch_run": (20_000, 100),
}


def profile_all(
    clients: list[str], scenarios: list[str], tools: list[str], out: Path
) -> int:
    folder = out / "profiles"
    folder.mkdir(parents=True, exist_ok=True)
    server = Server()
    # The batch run's server is the emulator, started only when profiled.
    emulator = EmulatorServer() if "batch_run" in scenarios else None
    failed = 0
    try:
        for scenario in scenarios:
            iterations, warmup = WORK[scenario]
            url = emulator.url if emulator and scenario == "batch_run" else server.url
            for client in [FLOOR, *clients]:
                if scenario not in SUPPORTS[client]:
                    continue
                if scenario == "startup":
                    path = folder / f"{client}-startup-importtime.txt"
                    _importtime(client, server.url, path)
                    print(path)
                for tool in tools:
                    base = folder / f"{client}-{scenario}-{tool}"
                    try:
                        run_child(
                            client,
                            scenario,
                            url,
                            iterations,
                            warmup,
                            profile=f"{tool}:{base}",
                        )
                    except Exception as error:
                        failed += 1
                        print(f"! {client} {scenario} {tool}: {error}")
                        continue
                    print(f"{base}.txt")
    finally:
        server.close()
        if emulator is not None:
            emulator.close()
    return 1 if failed else 0


def _importtime(client: str, url: str, path: Path) -> None:
    command = [sys.executable, "-X", "importtime", "-I", str(CHILD)]
    command += [client, "startup", url, "0", "0"]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, check=False
    )
    rows = []
    for line in done.stderr.splitlines():
        own, _, rest = line.removeprefix("import time:").partition("|")
        cumulative, _, name = rest.partition("|")
        if own.strip().isdigit() and cumulative.strip().isdigit():
            rows.append((int(cumulative), int(own), name.rstrip()))
    rows.sort(reverse=True)
    lines = [f"{'cumulative us':>14} {'self us':>9}  module"]
    lines += [f"{c:>14} {o:>9}  {n}" for c, o, n in rows[:120]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

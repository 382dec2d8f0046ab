"""Profile a client per scenario: `python -m benchmarks profile`.

For each scenario the measured part of the child process runs once under
pyinstrument (a statistical profiler: where the wall time goes, call tree)
and once under cProfile (deterministic: exact call counts per operation,
inflated absolute times). The httpx2 floor is profiled the same way, so the
two trees can be compared function by function. Output: .bench/profiles/.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.runner import FLOOR, Server, run_child

# Fewer iterations than the benchmark: profilers slow the client down.
WORK = {
    "startup": (0, 0),
    "sync_call": (1000, 50),
    "async_call": (2000, 128),
    "stream": (3, 1),
    "embeddings": (20, 2),
    "models": (300, 20),
}


def profile_all(
    clients: list[str], scenarios: list[str], tools: list[str], out: Path
) -> int:
    folder = out / "profiles"
    folder.mkdir(parents=True, exist_ok=True)
    server = Server()
    failed = 0
    try:
        for scenario in scenarios:
            iterations, warmup = WORK[scenario]
            for client in [FLOOR, *clients]:
                for tool in tools:
                    base = folder / f"{client}-{scenario}-{tool}"
                    try:
                        run_child(
                            client,
                            scenario,
                            server.url,
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
    return 1 if failed else 0

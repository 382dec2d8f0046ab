"""Run every scenario for every client, each in a fresh process, and report.

One round runs every (scenario, client) pair once, in a rotating client
order; the rounds are repeated and each figure is the median over the rounds,
with its spread. Ratios are always to the httpx2 floor measured in the same
run. The server runs in its own process for the whole run and ends with it.
"""

from __future__ import annotations

import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.bodies import expected_checks

ROOT = Path(__file__).resolve().parent.parent
CHILD = ROOT / "benchmarks" / "child.py"
OUT_DIR = ROOT / ".bench"

FLOOR = "floor_httpx2"
OURS = "mistral_sdk_client"
CLIENTS = ("floor_httpx2", "mistral_sdk_client", "mistralai_client", "openai_client")
LABELS = {
    "floor_httpx2": "httpx2 floor",
    "mistral_sdk_client": "mistral-sdk",
    "mistralai_client": "mistralai 3.7",
    "openai_client": "openai 3.54",
}
SCENARIOS = (
    "startup",
    "sync_call",
    "async_call",
    "complete_many",
    "stream",
    "paced_stream",
    "short_streams",
    "embeddings",
    "models",
    "batch_run",
)
# The bulk helpers are mistral-sdk's own: `complete_many` is compared with the
# floor's 64-concurrent loop (the floor runs it again in that scenario, so both
# figures come from the same moments of the run), `batch_run` has absolute
# targets and runs against the emulator, in its own process.
_OURS_ONLY = {"complete_many", "batch_run"}
# Which scenarios each client takes part in (openai: no models.list).
SUPPORTS = {
    "floor_httpx2": set(SCENARIOS) - {"batch_run"},
    "mistral_sdk_client": set(SCENARIOS),
    "mistralai_client": set(SCENARIOS) - _OURS_ONLY,
    "openai_client": set(SCENARIOS) - _OURS_ONLY - {"models"},
}


@dataclass(frozen=True)
class Metric:
    key: str
    title: str
    unit: str
    scale: float
    target: float | None  # mistral-sdk's ratio target (<=)
    scenario: str
    # An absolute figure (a count): shown without a ratio to the floor, and
    # mistral-sdk's target applies to the value itself.
    absolute: bool = False
    # The target is a floor (a rate: at least), not a ceiling.
    at_least: bool = False
    # Decimals shown for an absolute figure.
    decimals: int = 0


METRICS = (
    Metric("import", "import", "ms", 1e3, 1.15, "startup"),
    Metric("construct", "import + construct", "ms", 1e3, 1.2, "startup"),
    Metric("rss", "RSS after construct", "MiB", 1.0, 1.2, "startup"),
    Metric("cold", "import + construct + first chat call", "ms", 1e3, 1.5, "startup"),
    Metric("sync_call", "sync chat.complete", "µs/call", 1e6, 1.3, "sync_call"),
    Metric(
        "async_call",
        "async chat.complete (64 concurrent)",
        "µs/call",
        1e6,
        1.3,
        "async_call",
    ),
    Metric("stream", "chat stream, 2,000 chunks", "µs/chunk", 1e6, 1.5, "stream"),
    Metric(
        "paced_stream",
        "token-paced chat stream, 500 chunks (one per network read)",
        "µs/chunk",
        1e6,
        1.2,
        "paced_stream",
    ),
    Metric(
        "short_streams",
        "200 sequential short streams (20 chunks)",
        "µs/stream",
        1e6,
        None,
        "short_streams",
    ),
    Metric(
        "short_stream_connections",
        "new connections over those 200 streams (+5 warm-up)",
        "conn",
        1.0,
        1.0,
        "short_streams",
        absolute=True,
    ),
    Metric("embeddings", "embeddings 64\u00d71024", "ms/call", 1e3, 0.6, "embeddings"),
    Metric("models", "models.list (44 cards)", "µs/call", 1e6, 1.5, "models"),
    Metric(
        "complete_many",
        "async chat.complete_many (64 concurrent; floor: its own loop)",
        "µs/call",
        1e6,
        1.2,
        "complete_many",
    ),
    Metric(
        "batch_rate",
        "batch.run, 100,000 requests: written to the upload",
        "req/s",
        1.0,
        20_000,
        "batch_run",
        absolute=True,
        at_least=True,
    ),
    Metric(
        "batch_rate_job",
        "batch.run, 100,000 requests: until the job exists (the emulator reads them)",
        "req/s",
        1.0,
        None,
        "batch_run",
        absolute=True,
    ),
    Metric(
        "batch_cpu",
        "batch.run, 100,000 requests: client CPU per request",
        "µs",
        1e6,
        None,
        "batch_run",
        absolute=True,
        decimals=1,
    ),
    Metric(
        "batch_rss",
        "batch.run, 100,000 requests: client peak RSS growth from the new client",
        "MiB",
        1.0,
        50,
        "batch_run",
        absolute=True,
        decimals=1,
    ),
    Metric(
        "batch_rss_run",
        "the same, over the 100,000-request run alone (after one of 100)",
        "MiB",
        1.0,
        None,
        "batch_run",
        absolute=True,
        decimals=1,
    ),
)


@dataclass(frozen=True)
class Plan:
    """Rounds, and operations per process (measured, warm-up) per scenario.

    The floor and mistral-sdk run every round; the two reference SDKs, up to
    twenty times slower per operation, only the first `reference_rounds`
    (their figures are context, and a full run must stay near ten minutes).
    """

    rounds: int
    reference_rounds: int
    startup_per_round: int
    work: dict[str, tuple[int, int]]
    # Scenarios run in more rounds than `rounds` (floor and mistral-sdk only):
    # the 64-concurrent ones, whose figures move most between processes (two
    # busy processes on two shared cores), so that their medians settle.
    extra_rounds: dict[str, int] = field(default_factory=dict)

    def rounds_of(self, scenario: str) -> int:
        """The rounds `scenario` runs in."""
        return self.rounds + self.extra_rounds.get(scenario, 0)

    @staticmethod
    def full() -> Plan:
        return Plan(
            rounds=5,
            reference_rounds=2,
            startup_per_round=5,
            work={
                "sync_call": (2000, 50),
                "async_call": (4000, 128),
                "complete_many": (4000, 128),
                "stream": (10, 2),
                "paced_stream": (4, 1),
                "short_streams": (200, 5),
                "embeddings": (30, 3),
                "models": (500, 20),
                "batch_run": (100_000, 100),
            },
            extra_rounds={"async_call": 4, "complete_many": 4},
        )

    @staticmethod
    def quick() -> Plan:
        return Plan(
            rounds=3,
            reference_rounds=1,
            startup_per_round=2,
            work={
                "sync_call": (300, 20),
                "async_call": (600, 64),
                "complete_many": (600, 64),
                "stream": (1, 2),
                "paced_stream": (1, 1),
                "short_streams": (200, 5),
                "embeddings": (6, 2),
                "models": (80, 10),
                "batch_run": (100_000, 100),
            },
        )


@dataclass
class Results:
    samples: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    errors: dict[tuple[str, str], str] = field(default_factory=dict)
    connections: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    seconds: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    server_cpu: dict[tuple[str, str], list[float]] = field(default_factory=dict)

    def add(self, client: str, key: str, value: float) -> None:
        self.samples.setdefault((client, key), []).append(value)

    def median(self, client: str, key: str) -> float | None:
        values = self.samples.get((client, key))
        return statistics.median(values) if values else None

    def spread(self, client: str, key: str) -> float | None:
        """Half the min-max range, relative to the median."""
        values = self.samples.get((client, key))
        if not values or len(values) < 2:
            return None
        middle = statistics.median(values)
        return (max(values) - min(values)) / 2 / middle if middle else None

    def ratio(self, client: str, key: str) -> float | None:
        value = self.median(client, key)
        floor = self.median(FLOOR, key)
        if value is None or not floor:
            return None
        return value / floor


class Server:
    """The bench server in its own process; bounded by its stdin pipe."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.httpserver", "--max-seconds", "3600"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        port = self._process.stdout.readline().strip()
        if not port.isdigit():
            self.close()
            raise RuntimeError("the bench server did not start")
        self.url = f"http://127.0.0.1:{port}"

    def stats(self) -> dict[str, float]:
        with urllib.request.urlopen(self.url + "/__stats", timeout=10) as response:
            return json.loads(response.read())  # type: ignore[no-any-return]

    def close(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()


class EmulatorServer:
    """`python -m mistral_sdk.testing serve` in its own process, for batch runs."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self._process = subprocess.Popen(
            [sys.executable, "-m", "mistral_sdk.testing", "serve", "--port", str(port)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                break
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        self.close()
        raise RuntimeError("the emulator did not start (is uvicorn installed?)")

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()


def run_child(
    client: str,
    scenario: str,
    url: str,
    iterations: int = 0,
    warmup: int = 0,
    profile: str | None = None,
    timeout: float = 600,
) -> dict[str, object]:
    command = [sys.executable, "-I", str(CHILD), client, scenario, url]
    command += [str(iterations), str(warmup)]
    if profile:
        command.append(profile)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.pop("MISTRAL_API_KEY", None)
    env.pop("OPENAI_API_KEY", None)
    done = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-6:]
        raise RuntimeError("\n".join(tail) or f"exit status {done.returncode}")
    return json.loads(lines[-1])  # type: ignore[no-any-return]


def _check(client: str, scenario: str, got: list[object], iterations: int = 0) -> None:
    if scenario == "batch_run":
        # One job for the 100,000 requests (the default limit per job), each
        # of them written to its upload.
        if got != [1, iterations]:
            raise RuntimeError(
                f"{LABELS[client]} reported {got!r} jobs and requests in batch_run, "
                f"expected [1, {iterations}]"
            )
        return
    want = {
        "startup": "chat",
        "short_streams": "short_stream",
        "paced_stream": "paced_stream",
        "sync_call": "chat",
        "async_call": "chat",
        "complete_many": "chat",
        "stream": "stream",
        "embeddings": "embeddings",
        "models": "models",
    }.get(scenario)
    if want is None:
        return
    expected = expected_checks()[want]
    if got != expected:
        raise RuntimeError(
            f"{LABELS[client]} read {got!r} in {scenario}, expected {expected!r}"
        )


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(
    plan: Plan,
    clients: tuple[str, ...] = CLIENTS,
    scenarios: tuple[str, ...] = SCENARIOS,
) -> tuple[Results, dict[str, object]]:
    results = Results()
    server = Server()
    emulator: EmulatorServer | None = None
    started = time.monotonic()
    load_at_start = _load_average()
    try:
        if "batch_run" in scenarios and OURS in clients:
            try:
                emulator = EmulatorServer()
            except RuntimeError as error:
                results.errors[(OURS, "batch_run")] = str(error)
                _log(f"! {error}")
        # One unmeasured start per client: writes bytecode caches, warms the
        # page cache, and finds a client that cannot even be imported.
        broken: set[str] = set()
        for client in clients:
            try:
                run_child(client, "startup", server.url)
            except Exception as error:
                broken.add(client)
                for scenario in scenarios:
                    if scenario in SUPPORTS[client]:
                        results.errors[(client, scenario)] = str(error)
                _log(f"! {LABELS[client]} is unusable:\n{error}")
        live = [c for c in clients if c not in broken]
        total_rounds = max(plan.rounds_of(scenario) for scenario in scenarios)
        for round_no in range(total_rounds):
            # Rotate the order so no client always runs first or last; after
            # the reference rounds, the floor and mistral-sdk take turns.
            order = live
            if round_no >= plan.reference_rounds:
                order = [c for c in live if c in (FLOOR, OURS)]
            turn = round_no % len(order) if order else 0
            order = order[turn:] + order[:turn]
            for scenario in scenarios:
                if round_no >= plan.rounds_of(scenario):
                    continue
                repeat = plan.startup_per_round if scenario == "startup" else 1
                iterations, warmup = plan.work.get(scenario, (0, 0))
                # Clients alternate inside a repeat, so a burst of load from the
                # rest of the machine falls on all of them alike.
                for _ in range(repeat):
                    for client in order:
                        if scenario not in SUPPORTS[client]:
                            continue
                        if (client, scenario) in results.errors:
                            continue
                        _run_one(
                            results,
                            server,
                            emulator,
                            client,
                            scenario,
                            iterations,
                            warmup,
                        )
            elapsed = time.monotonic() - started
            _log(f"round {round_no + 1}/{total_rounds} done ({elapsed:.0f} s)")
    finally:
        server.close()
        if emulator is not None:
            emulator.close()
    meta = {
        # The machine is shared: the 1/5/15-minute load averages, before and after.
        "load_average": {"start": load_at_start, "end": _load_average()},
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "python": platform.python_version(),
        "machine": _machine(),
        "versions": _versions(),
        "source": _source_state(),
        "rounds": plan.rounds,
        "extra_rounds": {k: v for k, v in plan.extra_rounds.items() if k in scenarios},
        "reference_rounds": plan.reference_rounds,
        "startup_per_round": plan.startup_per_round,
        "work": plan.work,
        "seconds": round(time.monotonic() - started),
    }
    return results, meta


def _run_one(
    results: Results,
    server: Server,
    emulator: EmulatorServer | None,
    client: str,
    scenario: str,
    iterations: int,
    warmup: int,
) -> None:
    if scenario == "batch_run":
        _run_batch(results, emulator, client, iterations, warmup)
        return
    before = server.stats()
    started = time.monotonic()
    try:
        outcome = run_child(client, scenario, server.url, iterations, warmup)
        check = outcome["check"]
        assert isinstance(check, list)
        _check(client, scenario, check)
    except Exception as error:
        results.errors[(client, scenario)] = str(error)
        _log(f"! {LABELS[client]} failed in {scenario}:\n{error}")
        return
    after = server.stats()
    # The stats request itself is one connection.
    opened = after["connections"] - before["connections"] - 1
    results.connections.setdefault((client, scenario), []).append(opened)
    requests = after["requests"] - before["requests"] - 1
    if requests > 0 and scenario != "startup":
        per_request = (after["cpu"] - before["cpu"]) / requests
        results.server_cpu.setdefault((client, scenario), []).append(per_request)
    elapsed = time.monotonic() - started
    results.seconds.setdefault((client, scenario), []).append(elapsed)
    metrics = outcome["metrics"]
    assert isinstance(metrics, dict)
    if scenario == "short_streams":
        # Every stream of the process counts, warm-up included: a client that
        # gives its connection back to the pool opens one for the whole run,
        # one that cannot opens one per stream.
        metrics["short_stream_connections"] = opened
    for metric in METRICS:
        if metric.scenario == scenario and metric.key in metrics:
            results.add(client, metric.key, float(metrics[metric.key]))


def _run_batch(
    results: Results,
    emulator: EmulatorServer | None,
    client: str,
    iterations: int,
    warmup: int,
) -> None:
    if emulator is None:
        return
    started = time.monotonic()
    try:
        outcome = run_child(client, "batch_run", emulator.url, iterations, warmup)
        check = outcome["check"]
        assert isinstance(check, list)
        _check(client, "batch_run", check, iterations)
    except Exception as error:
        results.errors[(client, "batch_run")] = str(error)
        _log(f"! {LABELS[client]} failed in batch_run:\n{error}")
        return
    results.seconds.setdefault((client, "batch_run"), []).append(
        time.monotonic() - started
    )
    metrics = outcome["metrics"]
    assert isinstance(metrics, dict)
    for metric in METRICS:
        if metric.scenario == "batch_run" and metric.key in metrics:
            results.add(client, metric.key, float(metrics[metric.key]))


def _load_average() -> list[float]:
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return []


def _machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, {platform.system()}"


def _source_state() -> str:
    """Return the commit measured, and whether src/ differs from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{head}, with uncommitted changes in src/" if dirty else head


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("mistral-sdk", "httpx2", "pydantic", "mistralai", "openai"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found

"""Run one scenario for one client in this (fresh) process and print the result.

    python -I benchmarks/child.py CLIENT SCENARIO BASE_URL ITERATIONS WARMUP [PROFILE]

CLIENT is a module of `benchmarks.clients`; PROFILE is `pyinstrument:PATH` or
`cprofile:PATH` and wraps the measured part only.

Measured is the CPU time of this process (`time.process_time`: user + system,
all threads), not wall time: the machine is shared and noisy, and CPU time is
what the client library costs its user. Before the measurement this script
imports only what the interpreter has already loaded at start-up (`sys`, `os`,
`time`), so the import scenario sees the full cost of the library; everything
else (`json`, `asyncio`, profilers) is imported after or outside the
measured region. The last stdout line is a JSON object for the runner.
"""

import os
import sys
import time


def _rss_mib() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def _plain(check):
    # Open enums may come back as Enum members; the runner compares JSON values.
    return [getattr(item, "value", item) for item in check]


class _Profiler:
    def __init__(self, spec):
        self.kind, _, self.path = spec.partition(":") if spec else ("", "", "")
        self._profiler = None

    def start(self):
        if self.kind == "pyinstrument":
            import pyinstrument

            self._profiler = pyinstrument.Profiler(interval=0.0002)
            self._profiler.start()
        elif self.kind == "cprofile":
            import cProfile

            self._profiler = cProfile.Profile()
            self._profiler.enable()

    def stop(self, ops):
        if self.kind == "pyinstrument":
            self._profiler.stop()
            with open(self.path + ".txt", "w", encoding="utf-8") as out:
                out.write(
                    self._profiler.output_text(
                        unicode=True, color=False, show_all=False
                    )
                )
            with open(self.path + ".html", "w", encoding="utf-8") as out:
                out.write(self._profiler.output_html())
        elif self.kind == "cprofile":
            self._profiler.disable()
            import io
            import pstats

            text = io.StringIO()
            stats = pstats.Stats(self._profiler, stream=text)
            stats.sort_stats("tottime").print_stats(60)
            stats.sort_stats("cumulative").print_stats(60)
            with open(self.path + ".txt", "w", encoding="utf-8") as out:
                out.write(f"# {ops} operations profiled\n")
                out.write(text.getvalue())
            stats.dump_stats(self.path + ".pstats")


def run_startup(adapter, base_url, profiler):
    # Cold start is what a script or a serverless function pays before its
    # first answer: the import, the client, and the first call, which loads
    # and builds whatever the library defers until it is needed.
    profiler.start()
    start = time.process_time()
    adapter.import_library()
    imported = time.process_time()
    client = adapter.construct(base_url)
    constructed = time.process_time()
    rss = _rss_mib()
    # Reading the RSS is the harness's cost, not the library's: skipped.
    skipped = time.process_time() - constructed
    check = adapter.chat(client)
    called = time.process_time()
    profiler.stop(1)
    adapter.close(client)
    return {
        "import": imported - start,
        "construct": constructed - start,
        "rss": rss,
        "cold": called - start - skipped,
    }, check


def _loop(func, warm, client, iterations, warmup, profiler):
    check = None
    for _ in range(warmup):
        check = warm(client)
    profiler.start()
    wall = time.perf_counter()
    start = time.process_time()
    for _ in range(iterations):
        check = func(client)
    cpu = time.process_time() - start
    wall = time.perf_counter() - wall
    profiler.stop(iterations)
    return cpu, wall, check


def run_sync(adapter, scenario, base_url, iterations, warmup, profiler):
    from benchmarks.clients._request import PACED_CHUNKS

    adapter.import_library()
    client = adapter.construct(base_url)
    func = {"sync_call": adapter.chat, "stream": adapter.stream}.get(scenario)
    if scenario == "short_streams":
        # The server's 20-chunk stream, one after the other: what a chat UI
        # does, and where a client that cannot reuse its connection after a
        # stream pays for a new one every time.
        def func(client):
            return adapter.stream(client, max_tokens=16)

    if scenario == "paced_stream":
        # 500 chunks a millisecond apart: each network read brings one event,
        # so what is measured is the cost of the stream path per read.
        def func(client):
            return adapter.stream(client, max_tokens=PACED_CHUNKS)

    func = func or getattr(adapter, scenario)
    warm = func
    if scenario in ("stream", "paced_stream"):
        # A 20-chunk stream (the server's answer to max_tokens) runs the same
        # code paths as the measured 2,000-chunk one, at a hundredth of the cost.
        def warm(client):
            return adapter.stream(client, max_tokens=16)

    cpu, wall, check = _loop(func, warm, client, iterations, warmup, profiler)
    adapter.close(client)
    ops = iterations
    if scenario in ("stream", "paced_stream"):
        ops = iterations * check[0]  # per chunk
    return {scenario: cpu / ops, "wall_per_op": wall / ops, "ops": ops}, check


def run_async(
    adapter, base_url, iterations, warmup, profiler, concurrency=64, key="async_call"
):
    adapter.import_library()
    import asyncio

    async def batch(client, count):
        remaining = count
        last = []

        async def worker():
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                last[:] = await adapter.chat_async(client)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return last

    if key == "complete_many":
        # Each adapter's own: the SDK's bounded-concurrency helper, the floor's
        # hand-written workers that keep every answer as the helper does.
        async def batch(client, count):
            return await adapter.complete_many_async(client, count, concurrency)

    async def main():
        client = adapter.construct_async(base_url)
        await batch(client, warmup)
        profiler.start()
        wall = time.perf_counter()
        start = time.process_time()
        check = await batch(client, iterations)
        cpu = time.process_time() - start
        wall = time.perf_counter() - wall
        profiler.stop(iterations)
        await adapter.close_async(client)
        return cpu, wall, check

    cpu, wall, check = asyncio.run(main())
    return {
        key: cpu / iterations,
        "wall_per_op": wall / iterations,
        "ops": iterations,
    }, check


def _peak_rss_mib():
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _reset_peak_rss():
    # Writing 5 to clear_refs resets VmHWM to the current RSS (Linux >= 4.0),
    # so that the peak read after the run is the run's own.
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def run_batch(adapter, base_url, iterations, warmup, profiler):
    # A batch run over the emulator: the requests come from a lazy generator
    # and are written to the upload as they are read. Measured: how fast they
    # are written (until the generator is exhausted, the last request then on
    # its way), how long until the job exists (that includes the emulator
    # reading the upload and every line of it), and the client's memory.
    adapter.import_library()
    client = adapter.construct(base_url)
    constructed = _rss_mib()
    # A small run first, whose memory (pydantic, the batch modules, the
    # models) is the first run's cost, not the 100,000 requests'.
    adapter.batch_run(client, warmup)
    first_peak = _peak_rss_mib()
    warmed = _rss_mib()
    reset = _reset_peak_rss()
    profiler.start()
    start = time.process_time()
    check, written, created = adapter.batch_run(client, iterations, timed=True)
    cpu = time.process_time() - start
    profiler.stop(iterations)
    peak = _peak_rss_mib() if reset else None
    if peak is None or first_peak is None:
        # No resettable peak: the RSS after the run (a lower bound).
        peak = first_peak = _rss_mib()
    adapter.close(client)
    return {
        "batch_rate": iterations / written,
        "batch_rate_job": iterations / created,
        "batch_rss": max(peak, first_peak) - constructed,
        "batch_rss_run": max(peak - warmed, 0.0),
        "batch_cpu": cpu / iterations,
        "ops": iterations,
    }, check


def main():
    name, scenario, base_url = sys.argv[1:4]
    iterations, warmup = int(sys.argv[4]), int(sys.argv[5])
    profiler = _Profiler(sys.argv[6] if len(sys.argv) > 6 else "")
    # -I left the script's directory off sys.path; the adapters live in the
    # repository's `benchmarks` package.
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    __import__("benchmarks.clients." + name)
    adapter = sys.modules["benchmarks.clients." + name]

    if scenario == "startup":
        metrics, check = run_startup(adapter, base_url, profiler)
    elif scenario in ("async_call", "complete_many"):
        metrics, check = run_async(
            adapter, base_url, iterations, warmup, profiler, key=scenario
        )
    elif scenario == "batch_run":
        metrics, check = run_batch(adapter, base_url, iterations, warmup, profiler)
    else:
        metrics, check = run_sync(
            adapter, scenario, base_url, iterations, warmup, profiler
        )

    import json

    print(json.dumps({"metrics": metrics, "check": _plain(check)}))


if __name__ == "__main__":
    main()

"""python -m benchmarks [--quick] [--clients ...] [--scenarios ...] | profile ...

Normally started by `make bench` / `make bench-quick` through
`benchmarks.bootstrap`, which provides the `.bench/venv` virtualenv with the
project and its `bench` extra (mistralai, openai, matplotlib, pyinstrument).

    python -m benchmarks                 full run; writes docs/benchmarks.md + .png
    python -m benchmarks --quick         fewer iterations; prints, writes .bench/
    python -m benchmarks profile         pyinstrument + cProfile of mistral-sdk,
                                         per scenario, into .bench/profiles/
    python -m benchmarks micro           client-side CPU only (MockTransport):
                                         the floor against mistral-sdk, in seconds
    python -m benchmarks coldstart       the cold start split into its stages,
                                         the floor's and mistral-sdk's
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchmarks import report, runner


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=["run", "profile", "micro", "coldstart"],
    )
    parser.add_argument("--quick", action="store_true", help="fewer iterations")
    parser.add_argument("--rounds", type=int, help="override the number of rounds")
    parser.add_argument(
        "--runs", type=int, default=15, help="coldstart: processes per client"
    )
    parser.add_argument(
        "--clients",
        default=",".join(runner.CLIENTS),
        help="comma-separated adapters of benchmarks/clients (default: all four)",
    )
    parser.add_argument(
        "--scenarios",
        default=",".join(runner.SCENARIOS),
        help="comma-separated, from: " + ", ".join(runner.SCENARIOS),
    )
    parser.add_argument(
        "--docs",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="write docs/benchmarks.md and docs/benchmarks.png "
        "(default: on for a full run of every client and scenario)",
    )
    parser.add_argument(
        "--tool",
        default="pyinstrument,cprofile",
        help="profile: pyinstrument, cprofile or both",
    )
    return parser.parse_args(argv)


def _extra(plan: runner.Plan, scenarios: tuple[str, ...]) -> str:
    more = ", ".join(
        f"{k} {plan.rounds_of(k)}" for k in plan.extra_rounds if k in scenarios
    )
    return f" ({more})" if more else ""


def _run(args: argparse.Namespace) -> int:
    clients = tuple(args.clients.split(","))
    scenarios = tuple(args.scenarios.split(","))
    if runner.FLOOR not in clients:
        clients = (runner.FLOOR, *clients)
    plan = runner.Plan.quick() if args.quick else runner.Plan.full()
    if args.rounds:
        # Every scenario in exactly that many rounds.
        plan = runner.Plan(
            args.rounds,
            min(args.rounds, plan.reference_rounds),
            plan.startup_per_round,
            plan.work,
        )
    results, meta = runner.run(plan, clients, scenarios)

    print()
    print(report.table(results, clients))
    note = report.connections_note(results)
    if note:
        print(f"\nConnections: {note}")
    print(
        f"\nMedians of {plan.rounds} rounds{_extra(plan, scenarios)}, client-process CPU time; "
        f"bold = ratio to the httpx2 floor of this run ({meta['seconds']} s)."
    )

    runner.OUT_DIR.mkdir(exist_ok=True)
    raw = {
        "meta": meta,
        "samples": {f"{c}/{k}": v for (c, k), v in results.samples.items()},
        "connections": {f"{c}/{s}": v for (c, s), v in results.connections.items()},
        "errors": {f"{c}/{s}": e for (c, s), e in results.errors.items()},
        "seconds": {f"{c}/{s}": v for (c, s), v in results.seconds.items()},
        "server_cpu_per_request": {
            f"{c}/{s}": v for (c, s), v in results.server_cpu.items()
        },
    }
    name = "quick" if args.quick else "full"
    (runner.OUT_DIR / f"{name}.json").write_text(json.dumps(raw, indent=1))

    complete = set(clients) == set(runner.CLIENTS) and set(scenarios) == set(
        runner.SCENARIOS
    )
    write = args.docs if args.docs is not None else (complete and not args.quick)
    if write:
        docs = runner.ROOT / "docs"
        report.write_docs(
            results, meta, docs / "benchmarks.md", docs / "benchmarks.png"
        )
        print("wrote docs/benchmarks.md and docs/benchmarks.png")
    else:
        md = runner.OUT_DIR / f"{name}.md"
        md.write_text(
            report.generated_section(results, meta, f"{name}.png", clients),
            encoding="utf-8",
        )
        report.chart(results, runner.OUT_DIR / f"{name}.png", clients)
        print(f"wrote {md.relative_to(runner.ROOT)} and {name}.png beside it")
    return 1 if results.errors else 0


def _profile(args: argparse.Namespace) -> int:
    from benchmarks.profiling import profile_all

    clients = [c for c in args.clients.split(",") if c != runner.FLOOR]
    if set(clients) == set(runner.CLIENTS) - {runner.FLOOR}:
        clients = ["mistral_sdk_client"]
    return profile_all(
        clients, args.scenarios.split(","), args.tool.split(","), Path(".bench")
    )


def main(argv: list[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    if args.command == "profile":
        return _profile(args)
    if args.command == "micro":
        from benchmarks.micro import main as micro

        return micro()
    if args.command == "coldstart":
        from benchmarks.coldstart import main as coldstart

        return coldstart(args.runs)
    return _run(args)


if __name__ == "__main__":
    sys.exit(main())

"""Start and stop the Stoplight Prism mock server the contract tests talk to."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2

from ._spec import ROOT

PRISM_BIN = ROOT / ".prism" / "node_modules" / ".bin" / "prism"
STARTUP_TIMEOUT = 60.0
"""Seconds Prism gets to answer its first request (it takes 2-5 s on a laptop)."""


class PrismNotInstalledError(RuntimeError):
    """Prism is not in `.prism/`: `make prism` installs it."""


def free_port() -> int:
    """Return a TCP port on the loopback interface that nobody listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def running_prism(spec: Path, log: Path) -> Iterator[str]:
    """Run `prism mock` on the spec and yield its base URL; stop it on exit.

    Static mode (the default, no `--dynamic`): answers are the spec's examples, so
    every run sees the same bodies. No `--errors`: with it, Prism would turn the
    spec's own invalid response examples into 500s; request violations are read
    from the `sl-violations` header instead.
    """
    if not PRISM_BIN.exists():
        raise PrismNotInstalledError(
            f"Prism is not installed ({PRISM_BIN.relative_to(ROOT)} is missing): "
            "run `make prism` first"
        )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [str(PRISM_BIN), "mock", "-h", "127.0.0.1", "-p", str(port), str(spec)]
    with log.open("wb") as out:
        # A session of its own, so teardown can signal Prism's whole process group
        # (the node process and anything it forked), not just the shim we started.
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=ROOT,
        )
    try:
        _wait_until_ready(url, process, log)
        yield url
    finally:
        _stop(process)


def _wait_until_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    with httpx2.Client(timeout=2.0, verify=False, trust_env=False) as probe:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(
                    f"Prism exited with status {process.returncode} before it was "
                    f"ready:\n{log.read_text(errors='replace')}"
                )
            try:
                probe.get(url + "/")
            except httpx2.TransportError:
                time.sleep(0.1)  # bounded readiness polling
            else:
                return
    raise RuntimeError(
        f"Prism did not answer within {STARTUP_TIMEOUT:.0f} s:\n"
        f"{log.read_text(errors='replace')}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    _signal_group(process, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10.0)
    # Prism itself if it ignored SIGTERM, and anything it left behind in its group.
    _signal_group(process, signal.SIGKILL)
    process.wait(timeout=10.0)


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)

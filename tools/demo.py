"""`make demo`: the examples/ tour, against the real API or the offline emulator.

With `MISTRAL_API_KEY` set, every script talks to the real API (`MISTRAL_BASE_URL`
or api.mistral.ai). Without it, a local emulator (`mistral_sdk.testing.serve`) answers
on a loopback port and the scripts are pointed at it: no network, no key, no cost.
Each script runs in its own process, exactly as a user would run it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TOUR = (
    ("chat", "a chat completion"),
    ("chat_stream", "a streamed chat completion"),
    ("function_calling", "tools: the model may call a function"),
    ("structured_output", "a reply parsed into a pydantic model, whole and streamed"),
    ("tool_run", "Python functions as tools, run until the model answers"),
    ("tool_run_async", "an async tool run: concurrent calls, streamed answer"),
    ("embeddings", "embedding vectors and their similarity"),
    ("conversations", "a stateful conversation, restarted from an entry"),
    ("files", "a file upload, listing, download and deletion"),
    ("batch", "a batch job run to completion"),
    ("batch_run", "100 requests through client.batch.run, resumable"),
    ("many_calls", "many calls at once: bounded, ordered, paced on 429s"),
    ("speech", "text to speech, written to a file and streamed"),
    ("workflows", "a workflow execution followed through its event stream"),
)


def main() -> int:
    """Run the tour; return the number of scripts that failed."""
    with ExitStack() as stack:
        env = dict(os.environ)
        if env.get("MISTRAL_API_KEY"):
            target = env.get("MISTRAL_BASE_URL", "https://api.mistral.ai")
            print(f"Running the tour against the REAL Mistral API at {target}.")
        else:
            from mistral_sdk.testing import serve

            server = stack.enter_context(serve())
            env.update(MISTRAL_BASE_URL=server.url, MISTRAL_API_KEY="emulator-key")
            print(
                "MISTRAL_API_KEY is not set: running the tour against the offline "
                f"emulator at {server.url} (echo model, no network)."
            )
        failures = 0
        # A fresh working directory: a batch run's state file left by an earlier
        # tour stopped midway would make this one resume a job the new
        # emulator never had.
        folder = stack.enter_context(tempfile.TemporaryDirectory())
        for name, title in TOUR:
            print(f"\n── examples/{name}.py: {title}", flush=True)
            script = ROOT / "examples" / f"{name}.py"
            result = subprocess.run(
                [sys.executable, str(script)], cwd=folder, env=env, check=False
            )
            failures += result.returncode != 0
        print("\n── mistral batch run: the same 100 requests from the CLI", flush=True)
        failures += not _cli_batch(env)
        steps = len(TOUR) + 1
        print(f"\nTour finished: {steps - failures} of {steps} steps succeeded.")
        return failures


def _cli_batch(env: dict[str, str]) -> bool:
    """Run 100 requests through `mistral batch run`; return whether it succeeded."""
    command = shutil.which("mistral", path=str(Path(sys.executable).parent))
    if command is None:
        print("the `mistral` command is not installed (pip install -e '.[cli]')")
        return False
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "requests.jsonl"
        source.write_text(
            "".join(
                json.dumps({"messages": [{"role": "user", "content": f"Say {i}"}]})
                + "\n"
                for i in range(100)
            )
        )
        output = Path(folder) / "results.jsonl"
        args = [command, "batch", "run", str(source), "-m", "mistral-small-latest"]
        args += ["-o", str(output), "--poll-interval", "0.5"]
        print(
            "$ mistral batch run requests.jsonl -m mistral-small-latest -o results.jsonl"
        )
        result = subprocess.run(args, env=env, check=False)
        if result.returncode == 0:
            first = output.read_text().splitlines()[0]
            print(f"results.jsonl, first line: {first[:120]}...")
        return result.returncode == 0


if __name__ == "__main__":
    sys.exit(main())

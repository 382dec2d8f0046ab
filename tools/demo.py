"""`make demo`: the examples/ tour, against the real API or the offline emulator.

With `MISTRAL_API_KEY` set, every script talks to the real API (`MISTRAL_BASE_URL`
or api.mistral.ai). Without it, a local emulator (`mistral_sdk.testing.serve`) answers
on a loopback port and the scripts are pointed at it: no network, no key, no cost.
Each script runs in its own process, exactly as a user would run it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TOUR = (
    ("chat", "a chat completion"),
    ("chat_stream", "a streamed chat completion"),
    ("function_calling", "tools: the model may call a function"),
    ("embeddings", "embedding vectors and their similarity"),
    ("conversations", "a stateful conversation, restarted from an entry"),
    ("files", "a file upload, listing, download and deletion"),
    ("batch", "a batch job run to completion"),
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
        for name, title in TOUR:
            print(f"\n── examples/{name}.py: {title}", flush=True)
            script = ROOT / "examples" / f"{name}.py"
            result = subprocess.run([sys.executable, str(script)], env=env, check=False)
            failures += result.returncode != 0
        print(
            f"\nTour finished: {len(TOUR) - failures} of {len(TOUR)} scripts succeeded."
        )
        return failures


if __name__ == "__main__":
    sys.exit(main())

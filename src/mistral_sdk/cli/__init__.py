"""The `mistral` command (`pip install "mistral-sdk[cli]"`).

`mistral chat`, `mistral models list`, `mistral files upload|list|download|delete`,
`mistral batch run|status|results|cancel|list` and `mistral emulator`, with
progress bars (rich) and `--json` output for scripts. The client reads
`MISTRAL_API_KEY` and `MISTRAL_BASE_URL` as usual.
"""

from __future__ import annotations

from mistral_sdk.cli._app import main

__all__ = ["main"]

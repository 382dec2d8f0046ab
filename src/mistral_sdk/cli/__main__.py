"""`python -m mistral_sdk.cli`: the `mistral` command."""

from __future__ import annotations

import sys

from mistral_sdk.cli._app import main

sys.exit(main())

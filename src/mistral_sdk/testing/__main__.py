"""`python -m mistral_sdk.testing serve --port 8000`."""

from __future__ import annotations

from ._cli import main

raise SystemExit(main())

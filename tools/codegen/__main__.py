"""`python -m tools.codegen [--check]`: regenerate types, resources, the reference and sync twins.

analyse (spec + TOML files -> IR) -> render each output, plus the sync twin of every
`_async/` module (unasync) -> format with ruff -> write, or with `--check` compare with
disk and exit 1 on any missing, extra or different file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.codegen import (
    emit_namespaces,
    emit_reference,
    emit_resources,
    emit_types,
    output,
    unasync,
)
from tools.codegen.analyse import analyse
from tools.codegen.spec import SpecError


def generate(root: Path) -> dict[str, str]:
    """Return every generated file (repo-relative path -> formatted text)."""
    types, api = analyse(root)
    files = emit_types.render(types)
    files.update(emit_resources.render(api))
    files.update(emit_namespaces.render(api))
    files.update(emit_reference.render(api))
    files.update(unasync.render(root))
    return output.format_files(files, root)


def main(argv: list[str] | None = None) -> int:
    """Run the generator; return the process exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.codegen", description=__doc__
    )
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="repository root")
    args = parser.parse_args(argv)
    root: Path = args.root
    try:
        files = generate(root)
    except (SpecError, unasync.UnasyncError) as error:
        print(f"tools.codegen: {error}", file=sys.stderr)
        return 2
    if args.check:
        report = output.check(files, root)
        for line in report:
            print(line, file=sys.stderr)
        return 1 if report else 0
    for path in output.write(files, root):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The in-repo generator: docs/openapi.yaml -> `mistral_sdk.types`, resources, reference.

Run it with `make generate` (`python -m tools.codegen`); `make check-generated` runs
`python -m tools.codegen --check`. It imports nothing from `mistral_sdk`, so it works even
when the package is broken.
"""

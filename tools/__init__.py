"""Developer tools of mistral-sdk; never shipped with the package."""

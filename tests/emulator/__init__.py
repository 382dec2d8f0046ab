"""Tests of the offline emulator (mistral_sdk.testing)."""

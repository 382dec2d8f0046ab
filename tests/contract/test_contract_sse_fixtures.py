"""The event-stream fixtures are valid against the spec's event schemas."""

from __future__ import annotations

import pytest

from . import _spec
from ._sse_fixtures import (
    CONVERSATION,
    CONVERSATION_ERROR,
    FIXTURES,
    TRANSCRIPTION,
    UNKNOWN_CONVERSATION_EVENT,
    WORKFLOW,
    Fixture,
    is_unknown,
)

pytestmark = pytest.mark.contract


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.file for f in FIXTURES])
def test_sse_fixture_events_match_the_spec(fixture: Fixture) -> None:
    events = fixture.events()

    assert events
    for name, data in events:
        errors = fixture.errors(name, data)
        if is_unknown(name, data):
            assert errors, "the unknown event must really be unknown to the spec"
        else:
            assert errors == [], (name, data)
        if name is not None:
            assert data["type"] == name


def test_sse_fixtures_cover_every_conversation_event_type() -> None:
    declared = set(_spec.resolve({"$ref": "#/components/schemas/SSETypes"})["enum"])

    seen = {name for name, _ in CONVERSATION.events() + CONVERSATION_ERROR.events()}

    assert seen == declared | {UNKNOWN_CONVERSATION_EVENT}


def test_sse_fixtures_cover_every_transcription_event_type() -> None:
    schema = {"$ref": "#/components/schemas/TranscriptionStreamEventTypes"}
    declared = set(_spec.resolve(schema)["enum"])

    assert {name for name, _ in TRANSCRIPTION.events()} == declared


def test_sse_workflow_fixture_has_an_event_type_the_spec_does_not_know() -> None:
    types = [data["data"]["event_type"] for _, data in WORKFLOW.events()]

    assert len(set(types)) == len(types) >= 3
    assert [t for t in types if is_unknown(None, {"data": {"event_type": t}})] != []

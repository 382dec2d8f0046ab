"""Workflows over plain HTTP: executions, their lifecycle, streams and runs.

Every answer is checked against the latest spec by the emulator fixture,
stream events included (the SSE envelope, with its `id`).
"""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx2
import pytest

from mistral_sdk.testing import Emulator, VirtualClock
from mistral_sdk.testing._clock import iso
from mistral_sdk.testing._schedules import seconds_of

from ._raw import ok, raw_client
from ._spec_check import sse_blocks

EXECUTIONS = "/v1/workflows/executions"


@pytest.fixture
def http(emulator: Emulator) -> httpx2.Client:
    return raw_client(emulator)


def start(http: httpx2.Client, workflow: str, **body: Any) -> dict[str, Any]:
    started: dict[str, Any] = ok(
        http.post(f"/v1/workflows/{workflow}/execute", json=body)
    )
    return started


def stream(
    http: httpx2.Client, path: str, **headers: str
) -> list[tuple[int, dict[str, Any]]]:
    response = http.get(path, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    found = []
    for fields in sse_blocks(response.content):
        envelope = json.loads(fields["data"])
        assert fields["event"] == envelope["data"]["event_type"]
        assert int(fields["id"]) == envelope["broker_sequence"]
        found.append((int(fields["id"]), envelope["data"]))
    return found


def types(events: list[tuple[int, dict[str, Any]]]) -> list[str]:
    return [event["event_type"] for _, event in events]


def test_echo_moves_one_event_per_read_to_completion(http: httpx2.Client) -> None:
    started = start(http, "echo", input={"x": 1})
    path = f"{EXECUTIONS}/{started['execution_id']}"

    statuses = [ok(http.get(path))["status"] for _ in range(4)]
    done = ok(http.get(path))

    assert started["status"] == "RUNNING"
    assert statuses == ["RUNNING", "RUNNING", "COMPLETED", "COMPLETED"]
    assert done["result"] == {"echo": {"x": 1}}
    assert done["total_duration_ms"] == 300


def test_wait_for_result_answers_the_sync_shape(http: httpx2.Client) -> None:
    answer = start(http, "echo", input={"a": "b"}, wait_for_result=True)

    assert set(answer) == {"workflow_name", "execution_id", "result"}
    assert answer["result"] == {"echo": {"a": "b"}}


def test_encoded_input_is_decoded(http: httpx2.Client) -> None:
    payload = base64.b64encode(json.dumps({"k": "v"}).encode()).decode()

    answer = start(
        http, "echo", encoded_input={"b64payload": payload}, wait_for_result=True
    )

    assert answer["result"] == {"echo": {"k": "v"}}


def test_execution_stream_runs_it_and_resumes_after_last_event_id(
    http: httpx2.Client,
) -> None:
    started = start(http, "report", input={"topic": "cats", "sections": 3})
    path = f"{EXECUTIONS}/{started['execution_id']}/stream"

    everything = stream(http, path)
    resumed = stream(http, path, **{"last-event-id": str(everything[2][0])})
    by_query = stream(http, f"{path}?last_event_id={everything[2][0]}")

    assert types(everything) == [
        "WORKFLOW_EXECUTION_STARTED",
        "CUSTOM_TASK_STARTED",
        "CUSTOM_TASK_IN_PROGRESS",
        "CUSTOM_TASK_IN_PROGRESS",
        "CUSTOM_TASK_IN_PROGRESS",
        "CUSTOM_TASK_COMPLETED",
        "WORKFLOW_EXECUTION_COMPLETED",
    ]
    assert resumed == everything[3:]
    assert by_query == everything[3:]
    patches = [
        e["attributes"]["payload"]["value"][0]["value"] for _, e in everything[2:5]
    ]
    assert (
        "".join(patches) == everything[-1][1]["attributes"]["result"]["value"]["text"]
    )


def test_approval_waits_for_its_signal_and_answers_queries_and_updates(
    http: httpx2.Client,
) -> None:
    execution_id = start(http, "approval", input={"request": "leave"})["execution_id"]
    path = f"{EXECUTIONS}/{execution_id}"
    first = stream(http, f"{path}/stream")

    query = ok(http.post(f"{path}/queries", json={"name": "status"}))
    note = ok(
        http.post(f"{path}/updates", json={"name": "add_note", "input": {"note": "ok"}})
    )
    accepted = ok(
        http.post(
            f"{path}/signals", json={"name": "decide", "input": {"approved": True}}
        ),
        202,
    )
    rest = stream(http, f"{path}/stream", **{"last-event-id": str(first[-1][0])})
    done = ok(http.get(path))

    assert types(first) == ["WORKFLOW_EXECUTION_STARTED", "CUSTOM_TASK_STARTED"]
    assert query["result"]["waiting_for_signal"] is True
    assert note == {"update_name": "add_note", "result": {"notes": ["ok"]}}
    assert accepted == {"message": "Signal accepted"}
    assert types(rest) == ["CUSTOM_TASK_COMPLETED", "WORKFLOW_EXECUTION_COMPLETED"]
    assert (done["status"], done["result"]["approved"]) == ("COMPLETED", True)


def test_rejection_fails_the_execution(http: httpx2.Client) -> None:
    execution_id = start(http, "approval")["execution_id"]
    path = f"{EXECUTIONS}/{execution_id}"
    http.post(f"{path}/signals", json={"name": "decide", "input": {"approved": False}})

    events = stream(http, f"{path}/stream")

    assert types(events)[-1] == "WORKFLOW_EXECUTION_FAILED"
    assert ok(http.get(path))["status"] == "FAILED"


def test_unknown_signal_query_update_are_400(http: httpx2.Client) -> None:
    path = f"{EXECUTIONS}/{start(http, 'echo')['execution_id']}"

    answers = [
        http.post(f"{path}/signals", json={"name": "nope"}).status_code,
        http.post(f"{path}/queries", json={"name": "nope"}).status_code,
        http.post(f"{path}/updates", json={"name": "nope"}).status_code,
    ]

    assert answers == [400, 400, 400]


def test_cancel_and_terminate_end_a_running_execution_once(
    http: httpx2.Client,
) -> None:
    canceled = start(http, "approval")["execution_id"]
    terminated = start(http, "approval")["execution_id"]

    assert http.post(f"{EXECUTIONS}/{canceled}/cancel").status_code == 204
    assert http.post(f"{EXECUTIONS}/{terminated}/terminate").status_code == 204
    again = http.post(f"{EXECUTIONS}/{canceled}/cancel")
    events = stream(http, f"{EXECUTIONS}/{canceled}/stream")

    assert ok(http.get(f"{EXECUTIONS}/{canceled}"))["status"] == "CANCELED"
    assert ok(http.get(f"{EXECUTIONS}/{terminated}"))["status"] == "TERMINATED"
    assert again.status_code == 400
    assert types(events)[-1] == "WORKFLOW_EXECUTION_CANCELED"


def test_batch_cancel_and_terminate_report_per_execution(
    http: httpx2.Client,
) -> None:
    running = start(http, "approval")["execution_id"]
    finished = start(http, "echo", wait_for_result=True)["execution_id"]

    results = ok(
        http.post(
            f"{EXECUTIONS}/cancel",
            json={"execution_ids": [running, finished, "missing"]},
        )
    )["results"]
    terminated = ok(
        http.post(f"{EXECUTIONS}/terminate", json={"execution_ids": [running]})
    )["results"]

    assert [results[k]["status"] for k in (running, finished, "missing")] == [
        "success",
        "failure",
        "failure",
    ]
    assert terminated[running]["status"] == "failure"


def test_reset_starts_a_new_run_from_an_event(http: httpx2.Client) -> None:
    started = start(http, "report", input={"sections": 2}, wait_for_result=True)
    execution_id = started["execution_id"]
    first_run = ok(
        http.get(
            f"{EXECUTIONS}/{execution_id}/history", params={"decode_payloads": True}
        )
    )
    old_run = first_run["events"][0]["workflow_run_id"]

    assert (
        http.post(
            f"{EXECUTIONS}/{execution_id}/reset", json={"event_id": 3}
        ).status_code
        == 204
    )
    reset = ok(http.get(f"{EXECUTIONS}/{execution_id}"))
    history = ok(
        http.get(
            f"{EXECUTIONS}/{execution_id}/history", params={"decode_payloads": True}
        )
    )
    old = ok(http.get(f"/v1/workflows/runs/{old_run}"))
    bad = http.post(f"{EXECUTIONS}/{execution_id}/reset", json={"event_id": 99})

    assert reset["status"] == "RUNNING"
    assert len(history["events"]) == 4  # three kept, one step on the read
    assert history["events"][0]["workflow_run_id"] != old_run
    assert old["status"] == "COMPLETED"
    assert bad.status_code == 400


def test_history_encodes_payloads_unless_decoded(http: httpx2.Client) -> None:
    execution_id = start(http, "echo", input={"x": 1})["execution_id"]
    path = f"{EXECUTIONS}/{execution_id}/history"

    encoded = ok(http.get(path))["events"][0]["attributes"]["input"]["value"]
    decoded = ok(http.get(path, params={"decode_payloads": True}))["events"][0]

    assert json.loads(base64.b64decode(encoded["b64payload"])) == {"x": 1}
    assert decoded["attributes"]["input"]["value"] == {"x": 1}


def test_global_event_stream_filters_and_resumes(http: httpx2.Client) -> None:
    echo = start(http, "echo", wait_for_result=True)["execution_id"]
    start(http, "report", wait_for_result=True)
    url = "/v1/workflows/events/stream"

    everything = stream(http, url)
    echo_only = stream(http, f"{url}?workflow_exec_id={echo}")
    activities = stream(http, f"{url}?scope=activity")
    resumed = stream(http, url, **{"last-event-id": str(everything[4][0])})
    from_seq = stream(http, f"{url}?start_seq=3")

    assert len(everything) == 4 + 7
    assert {e["workflow_exec_id"] for _, e in echo_only} == {echo}
    assert types(activities) == ["ACTIVITY_TASK_STARTED", "ACTIVITY_TASK_COMPLETED"]
    assert resumed == everything[5:]
    assert from_seq == everything[2:]


def test_event_list_pages_by_cursor(http: httpx2.Client) -> None:
    start(http, "report", input={"sections": 4}, wait_for_result=True)
    url = "/v1/workflows/events/list"

    pages: list[list[dict[str, Any]]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3}
        if cursor is not None:
            params["cursor"] = cursor
        body = ok(http.get(url, params=params))
        pages.append(body["events"])
        cursor = body["next_cursor"]
        if cursor is None:
            break

    assert [len(p) for p in pages] == [3, 3, 2]
    assert [e["event_id"] for p in pages for e in p] == [str(n) for n in range(1, 9)]
    assert http.get(url, params={"cursor": "nonsense"}).status_code == 400


def test_runs_list_filters_and_pages_by_token(http: httpx2.Client) -> None:
    ids = [start(http, "echo", wait_for_result=True)["execution_id"] for _ in range(3)]
    waiting = start(http, "approval")["execution_id"]

    first = ok(http.get("/v1/workflows/runs", params={"page_size": 2}))
    second = ok(
        http.get(
            "/v1/workflows/runs",
            params={"page_size": 2, "next_page_token": first["next_page_token"]},
        )
    )
    running = ok(http.get("/v1/workflows/runs", params={"status": "RUNNING"}))
    echoes = ok(http.get("/v1/workflows/runs", params={"workflow_identifier": "echo"}))

    listed = [e["execution_id"] for e in first["executions"] + second["executions"]]
    assert listed == [*ids, waiting]
    assert second["next_page_token"] is None
    assert [e["execution_id"] for e in running["executions"]] == [waiting]
    assert len(echoes["executions"]) == 3


def test_traces_describe_the_run(http: httpx2.Client) -> None:
    execution_id = start(http, "echo", input={"x": 1}, wait_for_result=True)[
        "execution_id"
    ]
    base = f"{EXECUTIONS}/{execution_id}/trace"

    summary = ok(http.get(f"{base}/summary"))
    otel = ok(http.get(f"{base}/otel"))
    plain = ok(http.get(f"{base}/events"))
    merged = ok(
        http.get(
            f"{base}/events",
            params={"merge_same_id_events": True, "include_internal_events": True},
        )
    )

    assert [c["name"] for c in summary["span_tree"]["children"]] == ["echo-1"]
    spans = otel["otel_trace_data"]["batches"][0]["scopeSpans"][0]["spans"]
    assert [s["name"] for s in spans] == ["echo", "echo-1"]
    assert [e["name"] for e in plain["events"]] == [
        "ACTIVITY_TASK_STARTED",
        "ACTIVITY_TASK_COMPLETED",
    ]
    progress = [e for e in merged["events"] if e["type"] == "EVENT_PROGRESS"]
    assert [(e["id"], e["status"]) for e in progress] == [("echo-1", "COMPLETED")]
    assert sum(e["internal"] for e in merged["events"]) == 2


def test_workflows_registrations_and_deployments(http: httpx2.Client) -> None:
    workflow = ok(http.get("/v1/workflows/echo"))["workflow"]
    renamed = ok(http.put("/v1/workflows/echo", json={"display_name": "Echo!"}))
    archived = ok(http.put(f"/v1/workflows/{workflow['id']}/archive"))["workflow"]
    refused = http.post("/v1/workflows/echo/execute", json={})
    ok(http.put("/v1/workflows/echo/unarchive"))
    page = ok(http.get("/v1/workflows/registrations", params={"limit": 2}))
    rest = ok(
        http.get(
            "/v1/workflows/registrations",
            params={"limit": 2, "cursor": page["next_cursor"], "with_workflow": True},
        )
    )
    version = page["workflow_registrations"][0]
    by_version = ok(
        http.post(
            f"/v1/workflows/registrations/{version['id']}/execute",
            json={"wait_for_result": True, "input": {"v": 1}},
        )
    )
    deployments = ok(http.get("/v1/workflows/deployments"))["deployments"]
    detail = ok(http.get("/v1/workflows/deployments/default"))

    assert workflow["active"] is True
    assert renamed["workflow"]["display_name"] == "Echo!"
    assert archived["archived"] is True
    assert refused.status_code == 400
    assert len(page["workflow_registrations"]) == 2
    assert [r["workflow"]["name"] for r in rest["workflow_registrations"]] == ["report"]
    assert rest["next_cursor"] is None
    assert by_version["result"] == {"echo": {"v": 1}}
    assert [d["name"] for d in deployments] == ["default"]
    assert [w["name"] for w in detail["workers"]] == ["emulator-worker"]
    assert http.get("/v1/workflows/deployments/nope").status_code == 404


def test_schedules_worker_and_metrics(http: httpx2.Client) -> None:
    body = {
        "workflow_identifier": "echo",
        "schedule": {"input": {"x": 1}, "cron_expressions": ["0 * * * *"]},
    }
    created = ok(http.post("/v1/workflows/schedules", json=body), 201)
    listed = ok(http.get("/v1/workflows/schedules"))["schedules"]
    deleted = http.delete(f"/v1/workflows/schedules/{created['schedule_id']}")
    again = http.delete(f"/v1/workflows/schedules/{created['schedule_id']}")
    worker = ok(http.get("/v1/workflows/workers/whoami"))
    start(http, "echo", wait_for_result=True)
    rejected = start(http, "approval")["execution_id"]
    http.post(
        f"{EXECUTIONS}/{rejected}/signals",
        json={"name": "decide", "input": {"approved": False}},
    )
    stream(http, f"{EXECUTIONS}/{rejected}/stream")
    echo = ok(http.get("/v1/workflows/echo/metrics"))
    approval = ok(http.get("/v1/workflows/approval/metrics"))

    assert [s["schedule_id"] for s in listed] == [created["schedule_id"]]
    assert (deleted.status_code, again.status_code) == (204, 404)
    assert worker["namespace"] == "emulator"
    assert (echo["execution_count"]["value"], echo["success_count"]["value"]) == (1, 1)
    assert echo["average_latency_ms"]["value"] == 300
    assert approval["error_count"]["value"] == 1


def test_settle_runs_executions_until_they_wait(
    emulator: Emulator, http: httpx2.Client
) -> None:
    echo = start(http, "echo")["execution_id"]
    waiting = start(http, "approval")["execution_id"]

    emulator.settle()

    assert ok(http.get(f"{EXECUTIONS}/{echo}"))["status"] == "COMPLETED"
    assert ok(http.get(f"{EXECUTIONS}/{waiting}"))["status"] == "RUNNING"


def test_missing_execution_is_404(http: httpx2.Client) -> None:
    assert http.get(f"{EXECUTIONS}/nope").status_code == 404
    assert http.get(f"{EXECUTIONS}/nope/stream").status_code == 404
    assert http.post("/v1/workflows/nope/execute", json={}).status_code == 404


def test_interval_schedules_fire_on_settle_as_time_passes(
    emulator: Emulator, http: httpx2.Client
) -> None:
    clock = emulator.clock
    assert isinstance(clock, VirtualClock)
    hourly = {
        "workflow_identifier": "echo",
        "schedule": {"input": {"tick": True}, "intervals": [{"every": "PT1H"}]},
    }
    bounded = {
        "workflow_identifier": "report",
        "schedule": {
            "input": {"sections": 1},
            "intervals": [{"every": "PT30M"}],
            "end_at": iso(clock.now() + 3600),
        },
    }
    ok(http.post("/v1/workflows/schedules", json=hourly), 201)
    ok(http.post("/v1/workflows/schedules", json=bounded), 201)

    clock.advance(3 * 3600 + 60)
    emulator.settle()
    emulator.settle()  # nothing more is due
    runs = ok(http.get("/v1/workflows/runs"))["executions"]

    echoes = [r for r in runs if r["workflow_name"] == "echo"]
    assert [r["start_time"][11:19] for r in echoes] == [
        "01:00:00",
        "02:00:00",
        "03:00:00",
    ]
    assert {r["status"] for r in runs} == {"COMPLETED"}
    assert len([r for r in runs if r["workflow_name"] == "report"]) == 2


def test_iso_durations() -> None:
    assert seconds_of("PT1H30M") == 5400
    assert seconds_of("P1DT2S") == 86402
    assert seconds_of("PT0.5S") == 0.5
    assert seconds_of("P") is None
    assert seconds_of("1 hour") is None

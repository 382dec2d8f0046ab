"""Every operation the latest spec added, over plain HTTP, answered with 2xx.

With test_tour.py (the seed spec's areas through the SDK), every operation of
docs/openapi.yaml is served; each answer is checked against the spec by the
emulator fixture.
"""

from __future__ import annotations

import base64
from typing import Any

import httpx2

from mistral_sdk import Mistral
from mistral_sdk.testing import Emulator
from mistral_sdk.testing._spec import router

from ._areas import NEW_AREAS
from ._raw import ok, raw_client

OBS = "/v1/observability"
EX = "/v1/workflows/executions"
JUDGE: dict[str, Any] = {
    "name": "Correctness",
    "description": "Is it right?",
    "model_name": "mistral-small-latest",
    "output": {
        "type": "REGRESSION",
        "min": 0,
        "max": 5,
        "min_description": "wrong",
        "max_description": "right",
    },
    "instructions": "Score it.",
    "tools": [],
}
ALL: dict[str, Any] = {"search_params": {"filters": None}}


def _audio(http: httpx2.Client) -> None:
    ok(http.post("/v1/audio/speech", json={"input": "Hello"}))
    ok(http.post("/v1/audio/speech", json={"input": "Hello", "stream": True}))
    sample = base64.b64encode(b"voice").decode()
    voice = ok(
        http.post("/v1/audio/voices", json={"name": "V", "sample_audio": sample})
    )
    path = f"/v1/audio/voices/{voice['id']}"
    ok(http.get("/v1/audio/voices"))
    ok(http.get(path))
    ok(http.patch(path, json={"name": "W"}))
    assert http.get(f"{path}/sample").status_code == 200
    ok(http.delete(path))


def _workflows(http: httpx2.Client) -> None:
    ok(http.get("/v1/workflows/echo"))
    ok(http.put("/v1/workflows/echo", json={"display_name": "Echo"}))
    ok(http.put("/v1/workflows/echo/archive"))
    ok(http.put("/v1/workflows/echo/unarchive"))
    versions = ok(http.get("/v1/workflows/registrations"))["workflow_registrations"]
    version = versions[0]["id"]
    ok(http.get(f"/v1/workflows/registrations/{version}"))
    ok(http.post(f"/v1/workflows/registrations/{version}/execute", json={}))
    ok(http.get("/v1/workflows/deployments"))
    ok(http.get("/v1/workflows/deployments/default"))
    ok(http.get("/v1/workflows/workers/whoami"))
    schedule = {"workflow_identifier": "echo", "schedule": {"input": {}}}
    created = ok(http.post("/v1/workflows/schedules", json=schedule), 201)
    ok(http.get("/v1/workflows/schedules"))
    ok(http.delete(f"/v1/workflows/schedules/{created['schedule_id']}"), 204)
    done = ok(http.post("/v1/workflows/report/execute", json={"wait_for_result": True}))
    ex = f"{EX}/{done['execution_id']}"
    ok(http.get(ex))
    ok(http.get(f"{ex}/history"))
    assert http.get(f"{ex}/stream").status_code == 200
    for trace in ("otel", "summary", "events"):
        ok(http.get(f"{ex}/trace/{trace}"))
    run_id = ok(http.get(f"{ex}/history"))["events"][0]["workflow_run_id"]
    ok(http.get(f"/v1/workflows/runs/{run_id}"))
    ok(http.get(f"/v1/workflows/runs/{run_id}/history"))
    ok(http.get("/v1/workflows/runs"))
    ok(http.post(f"{ex}/reset", json={"event_id": 2}), 204)
    ok(http.get("/v1/workflows/report/metrics"))
    assert http.get("/v1/workflows/events/stream").status_code == 200
    ok(http.get("/v1/workflows/events/list"))
    waiting = ok(http.post("/v1/workflows/approval/execute", json={}))["execution_id"]
    path = f"{EX}/{waiting}"
    ok(http.post(f"{path}/queries", json={"name": "status"}))
    ok(http.post(f"{path}/updates", json={"name": "add_note", "input": {"note": "n"}}))
    ok(http.post(f"{path}/signals", json={"name": "decide", "input": {}}), 202)
    ok(http.post(f"{path}/cancel"), 204)
    others = [
        ok(http.post("/v1/workflows/approval/execute", json={}))["execution_id"]
        for _ in range(3)
    ]
    ok(http.post(f"{EX}/{others[0]}/terminate"), 204)
    ok(http.post(f"{EX}/cancel", json={"execution_ids": [others[1]]}))
    ok(http.post(f"{EX}/terminate", json={"execution_ids": [others[2]]}))


def _observability(http: httpx2.Client, client: Mistral) -> None:
    client.chat.complete(
        model="mistral-small-latest", messages=[{"role": "user", "content": "Hi"}]
    )
    events = f"{OBS}/chat-completion-events"
    ids = ok(http.post(f"{events}/search-ids", json=ALL))["completion_event_ids"]
    ok(http.post(f"{events}/search", json=ALL))
    ok(http.get(f"{events}/{ids[0]}"))
    ok(http.get(f"{events}/{ids[0]}/similar-events"))
    ok(http.post(f"{events}/{ids[0]}/live-judging", json={"judge_definition": JUDGE}))
    fields = f"{OBS}/chat-completion-fields"
    ok(http.get(fields))
    ok(http.get(f"{fields}/model/options", params={"operator": "eq"}))
    ok(http.post(f"{fields}/model/options-counts", json={}))
    judge = ok(http.post(f"{OBS}/judges", json=JUDGE), 201)
    ok(http.get(f"{OBS}/judges"))
    ok(http.get(f"{OBS}/judges/{judge['id']}"))
    changed = {**JUDGE, "instructions": "Score it again."}
    ok(http.put(f"{OBS}/judges/{judge['id']}", json=changed), 204)
    conversation = {"messages": [{"role": "user", "content": "x"}]}
    ok(http.post(f"{OBS}/judges/{judge['id']}/live-judging", json=conversation))
    campaign = ok(
        http.post(
            f"{OBS}/campaigns",
            json={
                **ALL,
                "judge_id": judge["id"],
                "name": "Campaign",
                "description": "All",
                "max_nb_events": 10,
            },
        ),
        201,
    )
    ok(http.get(f"{OBS}/campaigns"))
    ok(http.get(f"{OBS}/campaigns/{campaign['id']}"))
    ok(http.get(f"{OBS}/campaigns/{campaign['id']}/status"))
    ok(http.get(f"{OBS}/campaigns/{campaign['id']}/selected-events"))
    dataset = ok(
        http.post(f"{OBS}/datasets", json={"name": "Dataset", "description": "d"}), 201
    )
    base = f"{OBS}/datasets/{dataset['id']}"
    ok(http.get(f"{OBS}/datasets"))
    ok(http.get(base))
    ok(http.patch(base, json={"description": "e"}))
    record = ok(
        http.post(f"{base}/records", json={"payload": conversation, "properties": {}}),
        201,
    )
    ok(http.get(f"{base}/records"))
    lines = b'{"messages": []}\n'
    uploaded = client.files.upload(file=("r.jsonl", lines))
    conv = client.beta.conversations.start(model="mistral-small-latest", inputs="x")
    imports = {
        "campaign": {"campaign_id": campaign["id"]},
        "explorer": {"completion_event_ids": ids},
        "file": {"file_id": uploaded.id},
        "playground": {"conversation_ids": [conv.conversation_id]},
        "dataset": {"dataset_record_ids": [record["id"]]},
    }
    tasks = [
        ok(http.post(f"{base}/imports/from-{kind}", json=body), 202)
        for kind, body in imports.items()
    ]
    ok(http.get(f"{base}/tasks/{tasks[0]['id']}"))
    ok(http.get(f"{base}/tasks"))
    ok(http.get(f"{base}/exports/to-jsonl"))
    records = f"{OBS}/dataset-records"
    ok(http.get(f"{records}/{record['id']}"))
    ok(
        http.put(f"{records}/{record['id']}/payload", json={"payload": conversation}),
        204,
    )
    ok(http.put(f"{records}/{record['id']}/properties", json={"properties": {}}), 204)
    ok(
        http.post(
            f"{records}/{record['id']}/live-judging", json={"judge_definition": JUDGE}
        )
    )
    others = ok(http.get(f"{base}/records"))["records"]["results"]
    ok(
        http.post(
            f"{records}/bulk-delete", json={"dataset_record_ids": [others[-1]["id"]]}
        ),
        204,
    )
    ok(http.delete(f"{records}/{record['id']}"), 204)
    ok(http.delete(f"{OBS}/campaigns/{campaign['id']}"), 204)
    ok(http.delete(f"{OBS}/judges/{judge['id']}"), 204)
    ok(http.delete(base), 204)


def test_tour_every_added_operation(emulator: Emulator, client: Mistral) -> None:
    with raw_client(emulator) as http:
        _audio(http)
        _workflows(http)
        _observability(http, client)

    added = {
        op_id
        for op_id, op in router().operations.items()
        if op.path.startswith(NEW_AREAS)
    }
    answered = {x.operation_id for x in emulator.log if x.response.status < 300}
    failed = [
        (x.operation_id, x.response.status)
        for x in emulator.log
        if x.response.status >= 300
    ]
    assert failed == []
    assert len(added) == 82
    assert added - answered == set()

"""Observability over plain HTTP: events, fields, judges, campaigns, datasets.

Chat completions answered through the SDK become chat-completion events; every
answer is checked against the latest spec by the emulator fixture.
"""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest

from mistral_sdk import AsyncMistral, Mistral
from mistral_sdk.testing import Emulator

from ._raw import ok, raw_client

OBS = "/v1/observability"
JUDGE: dict[str, Any] = {
    "name": "Politeness",
    "description": "Is the answer polite?",
    "model_name": "mistral-small-latest",
    "output": {
        "type": "CLASSIFICATION",
        "options": [
            {"value": "polite", "description": "Polite"},
            {"value": "rude", "description": "Rude"},
        ],
    },
    "instructions": "Rate the politeness.",
    "tools": [],
}
EVERYTHING: dict[str, Any] = {"search_params": {"filters": None}}


@pytest.fixture
def http(emulator: Emulator) -> httpx2.Client:
    return raw_client(emulator)


def chat(client: Mistral, text: str, model: str = "mistral-small-latest") -> None:
    client.chat.complete(model=model, messages=[{"role": "user", "content": text}])


def search(http: httpx2.Client, body: dict[str, Any], **params: Any) -> Any:
    url = f"{OBS}/chat-completion-events/search"
    return ok(http.post(url, json=body, params=params))["completion_events"]


def condition(field: str, op: str, value: object) -> dict[str, Any]:
    return {"search_params": {"filters": {"field": field, "op": op, "value": value}}}


def test_completions_become_events_newest_first(
    http: httpx2.Client, client: Mistral
) -> None:
    chat(client, "first")
    with client.chat.stream(
        model="mistral-large-latest", messages=[{"role": "user", "content": "second"}]
    ) as stream:
        list(stream)

    found = search(http, {**EVERYTHING, "extra_fields": ["model", "response_text"]})
    event = ok(
        http.get(f"{OBS}/chat-completion-events/{found['results'][0]['event_id']}")
    )

    assert [r["extra_fields"]["response_text"] for r in found["results"]] == [
        "second",
        "first",
    ]
    assert found["results"][0]["extra_fields"]["model"] == "mistral-large-latest"
    assert event["request_messages"] == [{"role": "user", "content": "second"}]
    assert event["response_messages"][0]["content"] == "second"
    assert event["extra_fields"]["stream"] is True


def test_search_pages_by_cursor(http: httpx2.Client, client: Mistral) -> None:
    for n in range(5):
        chat(client, f"message {n}")

    first = search(http, EVERYTHING, page_size=2)
    second = search(http, EVERYTHING, page_size=2, cursor=first["cursor"])
    last = search(http, EVERYTHING, page_size=2, cursor=second["cursor"])

    assert [len(p["results"]) for p in (first, second, last)] == [2, 2, 1]
    assert last["cursor"] is None
    assert first["next"].endswith(f"cursor={first['cursor']}")
    ids = [r["event_id"] for p in (first, second, last) for r in p["results"]]
    assert len(set(ids)) == 5


def test_search_filters_and_ids(http: httpx2.Client, client: Mistral) -> None:
    chat(client, "Hello world")
    chat(client, "Goodbye", model="mistral-large-latest")
    group = {
        "search_params": {
            "filters": {
                "OR": [
                    {"field": "last_user_message", "op": "icontains", "value": "HELLO"},
                    {"field": "model", "op": "eq", "value": "nope"},
                ]
            }
        }
    }

    large = search(http, condition("model", "eq", "mistral-large-latest"))["results"]
    hello = search(http, group)["results"]
    ids = ok(http.post(f"{OBS}/chat-completion-events/search-ids", json=EVERYTHING))
    bad = http.post(
        f"{OBS}/chat-completion-events/search", json=condition("nope", "eq", 1)
    )

    assert (len(large), len(hello)) == (1, 1)
    assert large[0]["event_id"] != hello[0]["event_id"]
    assert len(ids["completion_event_ids"]) == 2
    assert bad.status_code == 400
    assert bad.json()["detail"]["error_code"] == "SEARCH_BAD_REQUEST"


def test_fields_options_counts_and_similar(
    http: httpx2.Client, client: Mistral
) -> None:
    chat(client, "a")
    chat(client, "b")
    chat(client, "c", model="mistral-large-latest")

    fields = ok(http.get(f"{OBS}/chat-completion-fields"))
    options = ok(
        http.get(
            f"{OBS}/chat-completion-fields/model/options", params={"operator": "eq"}
        )
    )
    counts = ok(
        http.post(f"{OBS}/chat-completion-fields/model/options-counts", json={})
    )
    newest = search(http, EVERYTHING)["results"][-1]["event_id"]
    similar = ok(http.get(f"{OBS}/chat-completion-events/{newest}/similar-events"))
    missing = http.get(f"{OBS}/chat-completion-fields/nope/options?operator=eq")

    assert "model" in [f["name"] for f in fields["field_definitions"]]
    assert options["options"] == ["mistral-large-latest", "mistral-small-latest"]
    assert counts["counts"] == [
        {"value": "mistral-small-latest", "count": 2},
        {"value": "mistral-large-latest", "count": 1},
    ]
    assert len(similar["completion_events"]["results"]) == 1
    assert missing.json()["detail"]["error_code"] == "FIELDS_NOT_FOUND"


def test_judges_crud_pages_and_live_judging(
    http: httpx2.Client, client: Mistral
) -> None:
    chat(client, "Please help")
    judge = ok(http.post(f"{OBS}/judges", json=JUDGE), 201)
    score = {
        **JUDGE,
        "name": "Helpfulness",
        "output": {
            "type": "REGRESSION",
            "min": 0,
            "max": 10,
            "min_description": "useless",
            "max_description": "perfect",
        },
    }
    scorer = ok(http.post(f"{OBS}/judges", json=score), 201)
    duplicate = http.post(f"{OBS}/judges", json=JUDGE)
    page = ok(http.get(f"{OBS}/judges", params={"page_size": 1}))["judges"]
    regressions = ok(http.get(f"{OBS}/judges", params={"type_filter": "REGRESSION"}))
    updated = http.put(
        f"{OBS}/judges/{judge['id']}", json={**JUDGE, "instructions": "Be strict."}
    )
    unchanged = http.put(f"{OBS}/judges/{scorer['id']}", json=score)
    messages = [{"role": "user", "content": "Thanks!"}]
    first = ok(
        http.post(
            f"{OBS}/judges/{judge['id']}/live-judging", json={"messages": messages}
        )
    )
    again = ok(
        http.post(
            f"{OBS}/judges/{judge['id']}/live-judging", json={"messages": messages}
        )
    )
    rated = ok(
        http.post(
            f"{OBS}/judges/{scorer['id']}/live-judging", json={"messages": messages}
        )
    )
    event_id = search(http, EVERYTHING)["results"][0]["event_id"]
    on_event = ok(
        http.post(
            f"{OBS}/chat-completion-events/{event_id}/live-judging",
            json={"judge_definition": JUDGE},
        )
    )

    assert duplicate.json()["detail"]["error_code"] == "JUDGE_NAME_ALREADY_EXISTS"
    assert (page["count"], len(page["results"]), page["previous"]) == (2, 1, None)
    assert "page=2" in page["next"]
    assert [j["name"] for j in regressions["judges"]["results"]] == ["Helpfulness"]
    assert (updated.status_code, unchanged.status_code) == (204, 400)
    assert ok(http.get(f"{OBS}/judges/{judge['id']}"))["instructions"] == "Be strict."
    assert first == again
    assert first["answer"] in ("polite", "rude")
    assert 0 <= rated["answer"] <= 10
    assert on_event["answer"] in ("polite", "rude")
    assert http.delete(f"{OBS}/judges/{judge['id']}").status_code == 204
    assert http.get(f"{OBS}/judges/{judge['id']}").status_code == 404


def test_sdk_pages_judges_from_page_one_with_the_whole_count(
    client: Mistral,
) -> None:
    for n in range(5):
        client.beta.observability.judges.create(**{**JUDGE, "name": f"Judge {n}"})

    first = client.beta.observability.judges.list(page_size=2)
    pages = [[j.name for j in page.data] for page in first.iter_pages()]

    assert first.total == 5
    assert [len(p) for p in pages] == [2, 2, 1]
    assert sorted(n for page in pages for n in page) == [f"Judge {n}" for n in range(5)]


@pytest.mark.anyio
async def test_async_sdk_pages_datasets_to_the_end_without_repeats(
    async_client: AsyncMistral,
) -> None:
    datasets = async_client.beta.observability.datasets
    for n in range(5):
        await datasets.create(name=f"Dataset {n}", description="d")

    first = await datasets.list(page_size=2)
    names = [d.name async for d in datasets.list(page_size=2)]

    assert first.total == 5
    assert sorted(names) == [f"Dataset {n}" for n in range(5)]


def _campaign(http: httpx2.Client, judge_id: str, **body: Any) -> dict[str, Any]:
    request = {
        "search_params": {"filters": None},
        "judge_id": judge_id,
        "name": "Weekly review",
        "description": "Judge last week's answers",
        "max_nb_events": 2,
        **body,
    }
    created: dict[str, Any] = ok(http.post(f"{OBS}/campaigns", json=request), 201)
    return created


def test_campaign_selects_events_and_completes(
    http: httpx2.Client, client: Mistral
) -> None:
    for text in ("one", "two", "three"):
        chat(client, text)
    judge = ok(http.post(f"{OBS}/judges", json=JUDGE), 201)
    campaign = _campaign(http, judge["id"])
    base = f"{OBS}/campaigns/{campaign['id']}"

    statuses = [ok(http.get(f"{base}/status"))["status"] for _ in range(2)]
    selected = ok(http.get(f"{base}/selected-events"))["completion_events"]
    listed = ok(http.get(f"{OBS}/campaigns", params={"q": "weekly"}))["campaigns"]

    assert campaign["judge"]["id"] == judge["id"]
    assert statuses == ["RUNNING", "COMPLETED"]
    assert selected["count"] == 2
    assert [c["id"] for c in listed["results"]] == [campaign["id"]]
    assert http.delete(base).status_code == 204
    assert http.get(base).json()["detail"]["error_code"] == "CAMPAIGN_NOT_FOUND"


def _dataset(http: httpx2.Client, name: str = "Golden set") -> dict[str, Any]:
    body = {"name": name, "description": "Reference answers"}
    created: dict[str, Any] = ok(http.post(f"{OBS}/datasets", json=body), 201)
    return created


def _run_import(
    http: httpx2.Client, dataset_id: str, kind: str, body: dict[str, Any]
) -> dict[str, Any]:
    url = f"{OBS}/datasets/{dataset_id}/imports/from-{kind}"
    task = ok(http.post(url, json=body), 202)
    assert task["status"] == "RUNNING"
    done: dict[str, Any] = ok(
        http.get(f"{OBS}/datasets/{dataset_id}/tasks/{task['id']}")
    )
    return done


def _records(http: httpx2.Client, dataset_id: str, **params: Any) -> Any:
    url = f"{OBS}/datasets/{dataset_id}/records"
    return ok(http.get(url, params=params))["records"]


def test_dataset_records_crud_and_pages(http: httpx2.Client) -> None:
    dataset = _dataset(http)
    base = f"{OBS}/datasets/{dataset['id']}"
    ids = [
        ok(
            http.post(
                f"{base}/records",
                json={
                    "payload": {"messages": [{"role": "user", "content": f"q{n}"}]},
                    "properties": {"n": n},
                },
            ),
            201,
        )["id"]
        for n in range(3)
    ]
    records = f"{OBS}/dataset-records"

    page = _records(http, dataset["id"], page_size=2, page=2)
    payload = {"messages": [{"role": "user", "content": "changed"}]}
    assert (
        http.put(f"{records}/{ids[0]}/payload", json={"payload": payload}).status_code
        == 204
    )
    assert (
        http.put(
            f"{records}/{ids[0]}/properties", json={"properties": {"k": 1}}
        ).status_code
        == 204
    )
    changed = ok(http.get(f"{records}/{ids[0]}"))
    bad = http.put(f"{records}/{ids[0]}/payload", json={"payload": {"messages": "x"}})
    renamed = ok(http.patch(base, json={"name": "Silver set"}))
    assert http.delete(f"{records}/{ids[1]}").status_code == 204
    assert (
        http.post(
            f"{records}/bulk-delete", json={"dataset_record_ids": [ids[2]]}
        ).status_code
        == 204
    )

    assert (page["count"], [r["id"] for r in page["results"]]) == (3, [ids[2]])
    assert page["next"] is None
    assert "page=1" in page["previous"]
    assert (changed["payload"], changed["properties"]) == (payload, {"k": 1})
    assert changed["source"] == "DIRECT_INPUT"
    assert bad.status_code == 422
    assert bad.json()["detail"]["error_code"] == "VALIDATION_ERROR"
    assert renamed["name"] == "Silver set"
    assert _records(http, dataset["id"])["count"] == 1
    assert http.delete(base).status_code == 204
    assert http.get(base).json()["detail"]["error_code"] == "DATASET_NOT_FOUND"


def test_dataset_imports_and_jsonl_export_round_trip(
    emulator: Emulator, http: httpx2.Client, client: Mistral
) -> None:
    chat(client, "from the explorer")
    event_ids = ok(
        http.post(f"{OBS}/chat-completion-events/search-ids", json=EVERYTHING)
    )["completion_event_ids"]
    judge = ok(http.post(f"{OBS}/judges", json=JUDGE), 201)
    campaign = _campaign(http, judge["id"])
    conversation = client.beta.conversations.start(
        model="mistral-small-latest", inputs="from the playground"
    )
    lines = b'{"messages": [{"role": "user", "content": "from a file"}], "properties": {"tag": "f"}}\n'
    uploaded = client.files.upload(file=("records.jsonl", lines))
    dataset = _dataset(http)
    did = dataset["id"]

    tasks = [
        _run_import(http, did, "explorer", {"completion_event_ids": event_ids}),
        _run_import(http, did, "campaign", {"campaign_id": campaign["id"]}),
        _run_import(http, did, "file", {"file_id": uploaded.id}),
        _run_import(
            http,
            did,
            "playground",
            {"conversation_ids": [conversation.conversation_id]},
        ),
    ]
    sources = [r["source"] for r in _records(http, did)["results"]]
    export = ok(http.get(f"{OBS}/datasets/{did}/exports/to-jsonl"))
    downloaded = http.get(export["file_url"])
    copy = _dataset(http, "Copy of the set")
    first_id = _records(http, did)["results"][2]["id"]
    copied = _run_import(
        http, copy["id"], "dataset", {"dataset_record_ids": [first_id]}
    )
    listed = ok(http.get(f"{OBS}/datasets/{did}/tasks"))["tasks"]

    assert [t["status"] for t in tasks] == ["COMPLETED"] * 4
    assert sources == ["EXPLORER", "EXPLORER", "UPLOADED_FILE", "PLAYGROUND"]
    rows = [json.loads(line) for line in downloaded.content.splitlines()]
    assert downloaded.status_code == 200
    assert rows[2] == {
        "messages": [{"role": "user", "content": "from a file"}],
        "properties": {"tag": "f"},
    }
    assert len(rows) == 4
    assert copied["status"] == "COMPLETED"
    copied_record = _records(http, copy["id"])["results"][0]
    assert copied_record["payload"] == {"messages": rows[2]["messages"]}
    assert copied_record["properties"] == {"tag": "f"}
    assert listed["count"] == 4


def test_failed_import_reports_why(http: httpx2.Client, client: Mistral) -> None:
    uploaded = client.files.upload(file=("bad.jsonl", b"not json\n"))
    dataset = _dataset(http)

    task = _run_import(http, dataset["id"], "file", {"file_id": uploaded.id})
    missing = _run_import(
        http, dataset["id"], "explorer", {"completion_event_ids": ["x"]}
    )

    assert (task["status"], task["message"]) == ("FAILED", "line 1 is not an object")
    assert missing["status"] == "FAILED"
    assert _records(http, dataset["id"])["count"] == 0


def test_record_live_judging_and_settle(
    emulator: Emulator, http: httpx2.Client
) -> None:
    dataset = _dataset(http)
    record = ok(
        http.post(
            f"{OBS}/datasets/{dataset['id']}/records",
            json={
                "payload": {"messages": [{"role": "user", "content": "hi"}]},
                "properties": {},
            },
        ),
        201,
    )
    url = f"{OBS}/dataset-records/{record['id']}/live-judging"
    verdict = ok(http.post(url, json={"judge_definition": JUDGE}))
    task = ok(
        http.post(
            f"{OBS}/datasets/{dataset['id']}/imports/from-dataset",
            json={"dataset_record_ids": [record["id"]]},
        ),
        202,
    )

    emulator.settle()

    assert verdict["answer"] in ("polite", "rude")
    assert "Politeness" in verdict["analysis"]
    assert _records(http, dataset["id"])["count"] == 2
    done = ok(http.get(f"{OBS}/datasets/{dataset['id']}/tasks/{task['id']}"))
    assert done["status"] == "COMPLETED"

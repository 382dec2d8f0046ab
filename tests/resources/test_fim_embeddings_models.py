from __future__ import annotations

from typing import Any

from conftest import MockApi, json_reply

from mistral_sdk.types import BaseModelCard, FTModelCard, UnknownModelCard

from . import payloads
from .conftest import sent_json, sse


def test_fim_complete_sends_prompt_and_suffix(sdk: Any, api: MockApi) -> None:
    api.add("POST", "/v1/fim/completions", json_reply(200, payloads.completion("x")))

    response = sdk.fim.complete(model="codestral-latest", prompt="def f(", suffix=")")

    assert sent_json(api.last) == {
        "model": "codestral-latest",
        "prompt": "def f(",
        "suffix": ")",
        "stream": False,
    }
    assert response.choices[0].message.content == "x"


def test_fim_stream_yields_chunks_until_done(sdk: Any, api: MockApi) -> None:
    api.add(
        "POST", "/v1/fim/completions", sse(payloads.chunk("a"), payloads.chunk("b"))
    )

    with sdk.fim.stream(model="codestral-latest", prompt="x") as stream:
        texts = [chunk.choices[0].delta.content for chunk in stream]

    assert texts == ["a", "b"]
    assert sent_json(api.last)["stream"] is True


def test_embeddings_create_parses_vectors(sdk: Any, api: MockApi) -> None:
    vectors = [[0.1 * i, 0.2, -0.3] for i in range(2)]
    api.add(
        "POST",
        "/v1/embeddings",
        json_reply(
            200,
            {
                "id": "emb-1",
                "object": "list",
                "model": "mistral-embed",
                "usage": payloads.USAGE,
                "data": [
                    {"object": "embedding", "embedding": v, "index": i}
                    for i, v in enumerate(vectors)
                ],
            },
        ),
    )

    response = sdk.embeddings.create(model="mistral-embed", input=["a", "b"])

    assert sent_json(api.last) == {"model": "mistral-embed", "input": ["a", "b"]}
    assert [item.embedding for item in response.data] == vectors


def test_models_list_keeps_unknown_card_types(sdk: Any, api: MockApi) -> None:
    api.add(
        "GET",
        "/v1/models",
        json_reply(
            200,
            {
                "object": "list",
                "data": [
                    payloads.model_card("mistral-small-latest"),
                    {
                        **payloads.model_card("ft:1", "fine-tuned"),
                        "job": "j",
                        "root": "r",
                    },
                    payloads.model_card("future-1", "quantum"),
                ],
            },
        ),
    )

    cards = sdk.models.list().data

    assert [type(card) for card in cards] == [
        BaseModelCard,
        FTModelCard,
        UnknownModelCard,
    ]
    assert cards[2].type == "quantum"
    assert cards[2].raw["id"] == "future-1"


def test_models_retrieve_quotes_the_path_and_returns_a_card(
    sdk: Any, api: MockApi
) -> None:
    api.add("GET", "/v1/models/ft:a/b", json_reply(200, payloads.model_card("x")))

    card = sdk.models.retrieve("ft:a/b")

    assert api.last.url.raw_path.endswith(
        b"a%2Fb"
    )  # a slash in an id stays one segment
    assert isinstance(card, BaseModelCard)


def test_models_retrieve_sends_a_fine_tuned_id_with_its_colons(
    sdk: Any, api: MockApi
) -> None:
    model = "ft:open-mistral-7b:587a6b29:20240514:7e773925"
    api.add("GET", f"/v1/models/{model}", json_reply(200, payloads.model_card(model)))

    card = sdk.models.retrieve(model)

    assert api.last.url.raw_path == f"/v1/models/{model}".encode()
    assert card.id == model


def test_models_delete_returns_the_deletion(sdk: Any, api: MockApi) -> None:
    api.add(
        "DELETE",
        "/v1/models/ft:1",
        json_reply(200, {"id": "ft:1", "object": "model", "deleted": True}),
    )

    assert sdk.models.delete("ft:1").deleted is True


def test_models_archive_and_unarchive_use_their_routes(sdk: Any, api: MockApi) -> None:
    body = {"id": "ft:1", "object": "model", "archived": True}
    api.add("POST", "/v1/fine_tuning/models/ft:1/archive", json_reply(200, body))
    api.add(
        "DELETE",
        "/v1/fine_tuning/models/ft:1/archive",
        json_reply(200, {**body, "archived": False}),
    )

    assert sdk.models.archive("ft:1").archived is True
    assert sdk.models.unarchive("ft:1").archived is False

"""Precomputed, realistic response bodies shaped after docs/openapi.yaml.

Every body is deterministic (fixed seed, fixed ids), so every run of every
client parses exactly the same bytes and the check values below can be
verified after each run: a client that did not really read its result fails
the run instead of looking fast.

- `CHAT_COMPLETION`: a `ChatCompletionResponse` of about 1 KB.
- `chat_stream_events()`: 2,000 `CompletionChunk` server-sent events and the
  closing `[DONE]`, as the API sends them; 20 of them for a request with
  `max_tokens` (the warm-up, and the short streams scenario); 500 of them,
  written one at a time a millisecond apart, for `max_tokens=500` (token-paced).
- `EMBEDDINGS`: an `EmbeddingResponse` of 64 vectors of 1,024 floats (about
  1.3 MB of JSON; half-precision values, as the API returns them).
- `MODEL_LIST`: a `ModelList` of 44 cards, base and fine-tuned.
"""

from __future__ import annotations

import json
import random
import struct

from benchmarks.clients._request import CHAT_MODEL, EMBED_MODEL, PACED_CHUNKS

CREATED = 1763980800

STREAM_CHUNKS = 2000
WARMUP_CHUNKS = 20
EMBED_ROWS = 64
EMBED_DIM = 1024
MODEL_CARDS = 44

_ANSWER = (
    "Day 1: start at the Musée des Confluences, where the permanent collection "
    "covers natural history and anthropology; arrive at opening time to avoid "
    "school groups. Walk to the Marché de la Croix-Rousse for lunch and taste the "
    "local cheeses. Dinner at a traditional bouchon in the Presqu'île. Day 2: the "
    "Musée des Beaux-Arts on Place des Terreaux holds one of the largest "
    "collections in France outside Paris. Spend the afternoon at Les Halles Paul "
    "Bocuse, then dine near Saint-Jean in the old town. Day 3: visit the Musée "
    "Miniature et Cinéma, browse the Saint-Antoine market along the Saône, and "
    "finish with a tasting menu in Vaise. Book restaurants two weeks ahead in April."
)

_TEXT = (
    "The old town of Lyon sits between two rivers, and in spring the quays fill "
    "with markets, cyclists and long lunches; a visitor who starts early can see "
    "a museum, a market and a good restaurant every day without hurrying, and "
    "the funicular saves the climb to Fourvière when the legs are tired."
)
_WORDS = _TEXT.split(" ")


def _headers(content_type: str, extra: str = "") -> str:
    # The header set the API sends (minus cookies): every client parses the
    # same headers, and the rate-limit ones give lazy header parsing
    # something realistic to skip.
    return (
        "HTTP/1.1 200 OK\r\n"
        "date: Mon, 24 Nov 2025 10:00:00 GMT\r\n"
        f"content-type: {content_type}\r\n"
        f"{extra}"
        "connection: keep-alive\r\n"
        "mistral-correlation-id: 019ab4c1-7d2e-7c35-9a0b-5f3e2d1c0b9a\r\n"
        "x-kong-request-id: 3f1c2b7e9d8a4b6c0e5f7a2d\r\n"
        "x-ratelimit-limit-tokens-minute: 2000000\r\n"
        "x-ratelimit-remaining-tokens-minute: 1999720\r\n"
        "x-ratelimit-limit-req-minute: 1200\r\n"
        "x-ratelimit-remaining-req-minute: 1199\r\n"
        "x-envoy-upstream-service-time: 412\r\n"
        "server: bench\r\n"
    )


def json_response(body: bytes) -> bytes:
    """Return a complete HTTP/1.1 response (head and body) for a JSON body."""
    head = _headers("application/json", f"content-length: {len(body)}\r\n")
    return head.encode("ascii") + b"\r\n" + body


def _dumps(obj: object) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def chat_completion() -> dict[str, object]:
    return {
        "id": "cmpl-e5cc70bb28c444948073e77776eb30ef",
        "object": "chat.completion",
        "model": CHAT_MODEL,
        "usage": {
            "prompt_tokens": 38,
            "completion_tokens": 187,
            "total_tokens": 225,
            "prompt_audio_seconds": None,
        },
        "created": CREATED,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": _ANSWER,
                    "tool_calls": None,
                    "prefix": False,
                },
                "finish_reason": "stop",
            }
        ],
    }


def _stream_tokens(chunks: int = STREAM_CHUNKS) -> list[str]:
    tokens = []
    for i in range(chunks - 2):
        word = _WORDS[i % len(_WORDS)]
        tokens.append(word if i == 0 else " " + word)
    return tokens


def chat_stream_events(chunks: int = STREAM_CHUNKS) -> list[bytes]:
    """Return the SSE events of one chat stream, `[DONE]` included."""
    base = {
        "id": "cmpl-0d6f2a9b1c3e4f5a8b7c6d5e4f3a2b1c",
        "object": "chat.completion.chunk",
        "created": CREATED,
        "model": CHAT_MODEL,
    }
    events: list[dict[str, object]] = [
        {
            **base,
            "choices": [
                {
                    "index": 0,
                    "delta": {"role": "assistant", "content": ""},
                    "finish_reason": None,
                }
            ],
        }
    ]
    for token in _stream_tokens(chunks):
        events.append(
            {
                **base,
                "choices": [
                    {"index": 0, "delta": {"content": token}, "finish_reason": None}
                ],
            }
        )
    events.append(
        {
            **base,
            "choices": [
                {"index": 0, "delta": {"content": ""}, "finish_reason": "stop"}
            ],
            "usage": {
                "prompt_tokens": 38,
                "completion_tokens": chunks - 2,
                "total_tokens": chunks + 36,
            },
        }
    )
    wire = [b"data: " + _dumps(event) + b"\n\n" for event in events]
    wire.append(b"data: [DONE]\n\n")
    return wire


def stream_response(events: list[bytes]) -> bytes:
    """Return the whole HTTP response: one HTTP/1.1 chunk per event, as the API does."""
    return b"".join(stream_writes(events))


def stream_writes(events: list[bytes]) -> list[bytes]:
    """Return the same response cut where a token-paced server writes: the head,
    then one HTTP/1.1 chunk per event (the last one with the closing chunk)."""
    head = _headers(
        "text/event-stream; charset=utf-8",
        "transfer-encoding: chunked\r\ncache-control: no-cache\r\n",
    ).encode("ascii")
    writes = [head + b"\r\n"]
    writes += [b"%x\r\n%s\r\n" % (len(event), event) for event in events]
    writes[-1] += b"0\r\n\r\n"
    return writes


def paced_stream_writes() -> list[bytes]:
    """Return the writes of the token-paced stream (`PACED_CHUNKS` events)."""
    return stream_writes(chat_stream_events(PACED_CHUNKS))


def _half(x: float) -> float:
    # The API returns embeddings at half precision ("-0.016632080078125").
    return float(struct.unpack("<e", struct.pack("<e", x))[0])


def embeddings() -> dict[str, object]:
    rng = random.Random(1234)
    data = [
        {
            "object": "embedding",
            "embedding": [_half(rng.gauss(0.0, 0.03)) for _ in range(EMBED_DIM)],
            "index": i,
        }
        for i in range(EMBED_ROWS)
    ]
    return {
        "id": "embd-aad6fc62b17349b192ef09225058bc45",
        "object": "list",
        "data": data,
        "model": EMBED_MODEL,
        "usage": {
            "prompt_tokens": 1024,
            "completion_tokens": 0,
            "total_tokens": 1024,
            "prompt_audio_seconds": None,
        },
    }


_BASE_MODELS = [
    ("mistral-medium-2508", ["mistral-medium-latest", "mistral-medium"], 131072, 0.3),
    ("mistral-large-2411", ["mistral-large-latest"], 131072, 0.7),
    ("mistral-small-2506", ["mistral-small-latest"], 131072, 0.3),
    ("magistral-medium-2509", ["magistral-medium-latest"], 131072, 0.7),
    ("magistral-small-2509", ["magistral-small-latest"], 131072, 0.7),
    ("codestral-2508", ["codestral-latest"], 256000, 0.3),
    ("devstral-medium-2507", ["devstral-medium-latest"], 131072, 0.0),
    ("devstral-small-2507", ["devstral-small-latest"], 131072, 0.0),
    ("pixtral-large-2411", ["pixtral-large-latest"], 131072, 0.7),
    ("pixtral-12b-2409", ["pixtral-12b"], 131072, 0.7),
    ("ministral-8b-2410", ["ministral-8b-latest"], 131072, 0.3),
    ("ministral-3b-2410", ["ministral-3b-latest"], 131072, 0.3),
    ("open-mistral-nemo-2407", ["open-mistral-nemo"], 131072, 0.3),
    ("open-mistral-7b", ["mistral-tiny"], 32768, 0.7),
    ("open-mixtral-8x7b", ["mistral-small"], 32768, 0.7),
    ("open-mixtral-8x22b", [], 65536, 0.7),
    ("mistral-embed", [], 8192, None),
    ("codestral-embed-2505", ["codestral-embed"], 8192, None),
    ("mistral-moderation-2411", ["mistral-moderation-latest"], 8192, None),
    ("mistral-ocr-2505", ["mistral-ocr-latest"], 16384, None),
    ("voxtral-mini-2507", ["voxtral-mini-latest"], 32768, 0.2),
    ("voxtral-small-2507", ["voxtral-small-latest"], 32768, 0.2),
    ("voxtral-mini-transcribe-2507", ["voxtral-mini-transcribe"], 16384, None),
    ("mistral-saba-2502", ["mistral-saba-latest"], 32768, 0.3),
    ("mistral-medium-2505", [], 131072, 0.3),
    ("mistral-small-2503", [], 131072, 0.3),
    ("mistral-small-2501", [], 32768, 0.3),
    ("mistral-large-2407", [], 131072, 0.7),
    ("codestral-2501", [], 262144, 0.3),
    ("codestral-2405", [], 32768, 0.3),
    ("magistral-medium-2507", [], 40960, 0.7),
    ("magistral-small-2507", [], 40960, 0.7),
    ("devstral-small-2505", [], 131072, 0.0),
    ("pixtral-12b-2409-vision", [], 131072, 0.7),
    ("mistral-tiny-2407", [], 131072, 0.3),
    ("ministral-8b-2410-instruct", [], 131072, 0.3),
]


def _capabilities(model_id: str) -> dict[str, bool]:
    chat = not any(k in model_id for k in ("embed", "moderation", "ocr", "transcribe"))
    return {
        "completion_chat": chat,
        "function_calling": chat and "saba" not in model_id,
        "completion_fim": "codestral" in model_id and "embed" not in model_id,
        "fine_tuning": model_id.startswith(
            ("open-mistral", "mistral-small", "codestral")
        ),
        "vision": "pixtral" in model_id or "medium" in model_id,
        "ocr": "ocr" in model_id,
        "classification": "moderation" in model_id or "ministral" in model_id,
        "moderation": "moderation" in model_id,
        "audio": "voxtral" in model_id,
        "audio_transcription": "voxtral" in model_id,
    }


def model_list() -> dict[str, object]:
    cards: list[dict[str, object]] = []
    for i, (model_id, aliases, context, temperature) in enumerate(_BASE_MODELS):
        cards.append(
            {
                "id": model_id,
                "object": "model",
                "created": CREATED + i,
                "owned_by": "mistralai",
                "capabilities": _capabilities(model_id),
                "name": model_id,
                "description": f"Official {model_id} Mistral AI model",
                "max_context_length": context,
                "aliases": aliases,
                "deprecation": "2026-03-31T12:00:00Z" if i % 9 == 8 else None,
                "deprecation_replacement_model": aliases[0]
                if i % 9 == 8 and aliases
                else None,
                "default_model_temperature": temperature,
                "type": "base",
            }
        )
    roots = [
        "open-mistral-7b",
        "mistral-small-2506",
        "codestral-2508",
        "ministral-8b-2410",
    ]
    for j in range(MODEL_CARDS - len(_BASE_MODELS)):
        root = roots[j % len(roots)]
        suffix = f"{j:02d}a9c3e1"
        cards.append(
            {
                "id": f"ft:{root}:7c0d1e2f:20250901:{suffix}",
                "object": "model",
                "created": CREATED + 100 + j,
                "owned_by": "7c0d1e2f-4b5a-4c3d-9e8f-1a2b3c4d5e6f",
                "capabilities": {**_capabilities(root), "fine_tuning": False},
                "name": None,
                "description": None,
                "max_context_length": 32768,
                "aliases": [],
                "deprecation": None,
                "deprecation_replacement_model": None,
                "default_model_temperature": None,
                "type": "fine-tuned",
                "job": f"b3f1c2d4-5e6f-4a7b-8c9d-{j:012d}",
                "root": root,
                "archived": j % 3 == 2,
            }
        )
    return {"object": "list", "data": cards}


def build_responses() -> dict[str, bytes]:
    """Return the complete HTTP responses the server sends, by route."""
    return {
        "chat": json_response(_dumps(chat_completion())),
        "stream": stream_response(chat_stream_events()),
        # Asked for with `max_tokens`: warms a client up without 2,000 chunks.
        "stream_short": stream_response(chat_stream_events(WARMUP_CHUNKS)),
        "embeddings": json_response(_dumps(embeddings())),
        "models": json_response(_dumps(model_list())),
    }


def expected_checks() -> dict[str, list[object]]:
    """Return what each scenario's client must report having read.

    The floats are summed in a fixed order by every client, so the sums are
    reproducible to the last bit.
    """
    emb = embeddings()
    rows = emb["data"]
    assert isinstance(rows, list)
    total = 0.0
    count = 0
    for row in rows:
        vec = row["embedding"]
        total += vec[0] + vec[-1]
        count += len(vec)
    models = model_list()["data"]
    assert isinstance(models, list)
    tokens = _stream_tokens()
    short = _stream_tokens(WARMUP_CHUNKS)
    paced = _stream_tokens(PACED_CHUNKS)
    return {
        "chat": [len(_ANSWER), 225, "stop"],
        "stream": [STREAM_CHUNKS, sum(len(t) for t in tokens), "stop"],
        "short_stream": [WARMUP_CHUNKS, sum(len(t) for t in short), "stop"],
        "paced_stream": [PACED_CHUNKS, sum(len(t) for t in paced), "stop"],
        "embeddings": [EMBED_ROWS, count, round(total, 9)],
        "models": [
            MODEL_CARDS,
            sum(1 for m in models if m["capabilities"]["completion_chat"]),
            models[-1]["id"],
        ],
    }


if __name__ == "__main__":
    for name, response in build_responses().items():
        print(f"{name}: {len(response):,} bytes")

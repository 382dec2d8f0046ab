"""The generator's intermediate representation: frozen dataclasses between analysis and emitters.

`analyse.py` turns docs/openapi.yaml (plus operations.toml and overrides.toml) into an `Api`;
`emit_types.py`, `emit_resources.py` and `emit_reference.py` render it. Emitters never read the
spec themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

ParamLocation = Literal["path", "query", "body"]
MethodKind = Literal["json", "stream", "page", "download"]
BodyEncoding = Literal["json", "multipart"]


@dataclass(frozen=True)
class Parameter:
    """One argument of a generated method.

    `annotation` is a Python type expression valid inside a resource module: it may use names
    exported by `mistral_sdk.types` (listed in `Method.type_names`), builtins, `Sequence`,
    `Mapping`, `Literal`, `Any`, `datetime`, `FileInput` and `NotGiven` (the emitter imports all
    of these). It is the *input* type: models are accepted as `Model | ModelParam`.
    Optional parameters are emitted as `annotation | NotGiven = NOT_GIVEN`; `annotation` already
    contains `| None` when the spec allows an explicit null.
    """

    name: str
    """Python keyword (spec name, or with a trailing `_` where it would clash)."""
    wire_name: str
    """Name on the wire (path placeholder, query key or body field)."""
    location: ParamLocation
    annotation: str
    required: bool
    description: str = ""
    json_encoded: bool = False
    """A query parameter the spec declares with JSON `content`: sent as a JSON string."""
    is_file: bool = False
    """A multipart file field; `annotation` is then `FileInput` (or `FileInput | None`)."""
    deprecated: bool = False


@dataclass(frozen=True)
class Method:
    """One generated method: an operation of the spec as seen from a namespace."""

    operation_id: str
    namespace: tuple[str, ...]
    """E.g. `("beta", "conversations")`; the resource class is `BetaConversations`."""
    name: str
    http_method: str
    """Upper case: GET, POST, PUT, PATCH, DELETE."""
    path: str
    """Route template without the spec's `#stream` fragment, e.g. `/v1/files/{file_id}`."""
    kind: MethodKind
    summary: str
    description: str
    deprecated: bool
    path_params: tuple[Parameter, ...]
    """In the order of the path placeholders; emitted positional-only."""
    query_params: tuple[Parameter, ...]
    body_params: tuple[Parameter, ...]
    """The request body's top-level fields, flattened into keyword-only arguments, in spec
    order; hidden fields (see `hidden_body`) are not listed."""
    body_encoding: BodyEncoding | None
    body_model: str | None
    """Name of the model validating a JSON body (the request schema), or None."""
    hidden_body: Mapping[str, object] = field(default_factory=dict)
    """Body fields the method fixes, e.g. `{"stream": True}` for `stream()` methods."""
    response: str | None = None
    """Type expression of the parsed result: the JSON body's type for `json` and `page`, the
    event type for `stream`, None for `download` and for operations answering 204."""
    item: str | None = None
    """`page` only: the type of one listed item."""
    items_path: str | None = None
    """`page` only: attribute of the parsed page holding the items, or "" when the body is a
    JSON array."""
    type_names: frozenset[str] = frozenset()
    """Every `mistral_sdk.types` name used by the annotations, `response`, `item` and
    `body_model` of this method, for the emitter's imports."""


@dataclass(frozen=True)
class Api:
    """Everything the resource and reference emitters need."""

    methods: tuple[Method, ...]
    """In operations.toml order."""
    type_module_of: Mapping[str, str] = field(default_factory=dict)
    """Public type name -> its module under `mistral_sdk.types` (e.g. `"chat"`)."""

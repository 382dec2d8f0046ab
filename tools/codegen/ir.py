"""The generator's intermediate representation: frozen dataclasses between analysis and emitters.

`analyse.py` turns docs/openapi.yaml (plus operations.toml and overrides.toml) into an `Api`;
`emit_types.py`, `emit_resources.py` and `emit_reference.py` render it. Emitters never read the
spec themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

ParamLocation = Literal["path", "query", "header", "body"]
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
    paging: Mapping[str, str | int] = field(default_factory=dict)
    """`page` only: the fields of its `Paging` that differ from page numbers (C3)."""
    headers: tuple[Parameter, ...] = ()
    """Header parameters (e.g. `last-event-id`), keyword-only like query parameters."""
    type_names: frozenset[str] = frozenset()
    """Every `mistral_sdk.types` name used by the annotations, `response`, `item` and
    `body_model` of this method, for the emitter's imports."""
    accept: str | None = None
    """`download` only: the `Accept` header, the media types of the success answer other
    than JSON and events (`audio/wav`), or `*/*` where the spec names none."""


@dataclass(frozen=True)
class Helper:
    """A method delegating to hand-written code in `mistral_sdk.helpers` (`[[helper]]`).

    `emit_helpers.py` documents the TOML keys; the signature is the wrapped operation's
    parameters (`path_params`, then keyword-only `wrapped_params`) plus the helper's own
    (`positional` and `keywords`, Python source as written in the TOML).
    """

    namespace: tuple[str, ...]
    name: str
    module: str
    function: str
    doc: str
    wraps: str | None
    path_params: tuple[Parameter, ...]
    wrapped_params: tuple[Parameter, ...]
    positional: tuple[str, ...]
    keywords: tuple[str, ...]
    args_doc: Mapping[str, str]
    returns: str
    async_returns: str
    coroutine: bool
    options: str | None
    """The TypedDict of the `**options` passed through (`RequestOptions`), None for none."""
    imports: tuple[str, ...]
    type_names: frozenset[str]
    namespaces: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Other namespaces the helper drives: (argument name, namespace path)."""


@dataclass(frozen=True)
class Api:
    """Everything the resource and reference emitters need."""

    methods: tuple[Method, ...]
    """In operations.toml order."""
    type_module_of: Mapping[str, str] = field(default_factory=dict)
    """Public type name -> its module under `mistral_sdk.types` (e.g. `"chat"`)."""
    helpers: tuple[Helper, ...] = ()
    """The `[[helper]]` delegations, in operations.toml order."""
    namespace_docs: Mapping[str, str] = field(default_factory=dict)
    """Dotted namespace -> what it does, from the spec's tag descriptions."""


# ----------------------------------------------------------------------------- type level
# The schemas as `emit_types.py` sees them: every named type of `mistral_sdk.types`, with its
# module, and type expressions as small trees (`TypeExpr`) that render either as the parsed
# (output) annotation or as the accepted (input) annotation of request parameters.


@dataclass(frozen=True)
class Named:
    """A reference to a generated type (model, union, enum or alias) by its name."""

    name: str


@dataclass(frozen=True)
class Prim:
    """A builtin: `str`, `int`, `float`, `bool`, `bytes`, `datetime`, `Any` or `None`."""

    name: str


@dataclass(frozen=True)
class ListOf:
    """A JSON array: `list[item]` when parsed, `Sequence[item]` when accepted."""

    item: TypeExpr


@dataclass(frozen=True)
class MapOf:
    """A JSON object with arbitrary keys: `dict[str, value]` / `Mapping[str, value]`."""

    value: TypeExpr


@dataclass(frozen=True)
class Lit:
    """A closed `Literal[...]` (a `const`, or an `enum` of one value with that default)."""

    values: tuple[str | int | float | bool, ...]


@dataclass(frozen=True)
class OpenEnum:
    """An inline enum: `Literal[...] | str`, so that values added later still parse."""

    values: tuple[str, ...]


@dataclass(frozen=True)
class UnionOf:
    """A plain union (smart mode); `None` appears as `Prim("None")`."""

    members: tuple[TypeExpr, ...]


TypeExpr: TypeAlias = Named | Prim | ListOf | MapOf | Lit | OpenEnum | UnionOf


@dataclass(frozen=True)
class FieldDef:
    """One property of a model (and key of its `...Param` TypedDict)."""

    name: str
    """Python attribute name (the wire name unless it clashes; then `alias` is set)."""
    wire_name: str
    type: TypeExpr
    """The property's own type; `| None` is added by the emitter for optional fields."""
    required: bool
    description: str = ""
    has_default: bool = False
    default: object = None
    tag: bool = False
    """A single-`Literal` field whose value is also its default (`type`, `role`, ...)."""
    discriminator: bool = False
    """The tag a union of this model is routed by: `Required` in the TypedDict."""
    deprecated: bool = False


@dataclass(frozen=True)
class TypeDef:
    """One public name of `mistral_sdk.types`.

    `kind` is `model` (a class with `fields`), `unknown` (the Unknown member of a union family,
    tag property in `prop`), `union` (`members`, routed by `prop` to `unknown` when `prop` is
    set, a smart union otherwise), `enum` (open; `values`) or `alias` (`target`).
    """

    name: str
    kind: str
    module: str
    doc: str
    fields: tuple[FieldDef, ...] = ()
    members: tuple[TypeExpr, ...] = ()
    prop: str | None = None
    unknown: str | None = None
    values: tuple[str, ...] = ()
    target: TypeExpr | None = None
    request: bool = False
    """Reachable from a request: gets a `<Name>Param` input twin where the input form differs."""


@dataclass(frozen=True)
class TypeSet:
    """Everything `emit_types.py` renders."""

    types: Mapping[str, TypeDef]
    """By name, in no particular order (emitters sort)."""
    module_docs: Mapping[str, str] = field(default_factory=dict)
    """Module name (e.g. `chat`) -> module docstring."""
    renamed: Mapping[str, str] = field(default_factory=dict)
    """Deprecated public name -> its successor (both are emitted; the old one warns)."""

"""Runtime of the generated models in `mistral_sdk.types` (pydantic v2; no I/O).

Models
    `BaseModel` is the base of every generated model. Unknown response fields are
    kept in `model_extra` and never raise; fields are filled by name or by alias
    and serialised by alias; the validator is built on first use (`defer_build`),
    so importing a types module only creates classes. One model class serves
    requests and responses, as the spec reuses its schemas both ways.

Tag fields
    A field annotated with a single `Literal` value that is also its default
    (`role`, `type`, `object`, ...) is a tag. Constructing a model marks its tags
    as set, so `UserMessage(content="hi")` dumped with `exclude_unset=True` still
    says `"role": "user"`; `dump_request` does the same for request bodies given
    as dicts. Response parsing never runs that code.

Open unions and enums
    `Annotated[A | B | UnknownX, OpenUnion("type")]` routes a payload by its tag
    to the member declaring that `Literal` value, and any other or missing tag to
    the `UnknownModel` member, which keeps the whole payload and serialises it
    back unchanged. A request body (`dump_request`) may carry a tag this SDK
    does not know, but not lack one: that is an error naming the tags expected,
    unless the spec lets a member go without (`OpenUnion.untagged`) and the
    payload fits that member; then it is sent as given.
    Open enums need no runtime: they are `Literal[...] | str`.

Functions for the core modules
    `validate_json(tp, data)`: the fast path; `tp` is a model class or any type
        expression (a union alias, `list[Agent]`, `str`, `None`). Raises
        `pydantic.ValidationError`.
    `validate_python(tp, obj)`: the same from Python objects.
    `Departure`: one place where a body departs from the spec, as reported by
        `mistral_sdk._lenient.validate_lenient` (the best-effort reader used after
        a fast-path failure; it builds on this module, never the reverse).
    `dump_request(model_cls, body)`: validate a request body given as a mapping of
        dicts, lists and model instances, and return the JSON-ready dict of the
        fields that were set (by alias), tags included, Unknown members unchanged.
        Raises `pydantic.ValidationError` on bad input.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal, cast, get_args, get_origin

import pydantic
from pydantic_core import PydanticCustomError, PydanticUndefined, core_schema

from ._json import as_mapping

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, SerializerFunctionWrapHandler
    from pydantic_core import ErrorDetails, InitErrorDetails

__all__ = [
    "BaseModel",
    "Departure",
    "OpenUnion",
    "UnknownModel",
    "dump_request",
    "validate_json",
    "validate_python",
]


class BaseModel(pydantic.BaseModel):
    """Base of every generated model: lenient about extra fields, strict about types."""

    model_config = pydantic.ConfigDict(
        extra="allow",
        populate_by_name=True,
        serialize_by_alias=True,
        protected_namespaces=(),
        defer_build=True,
    )

    def __init__(self, /, **data: Any) -> None:
        super().__init__(**data)
        tags = tag_fields(type(self))
        if tags:
            self.__pydantic_fields_set__.update(tags)

    # pydantic calls a subclass's own `__init__` during validation unless it is
    # flagged as the base one; the flag keeps `model_validate*` on the fast path.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]


class UnknownModel(BaseModel):
    """Base of the `Unknown…` union members: a payload whose tag this SDK does not know.

    The whole payload is kept (the tag field plus `model_extra`) and dumps back to
    the same JSON object, keys in the order they were received.
    """

    _key_order: tuple[str, ...] = pydantic.PrivateAttr(default=())

    if TYPE_CHECKING:
        # Fields of a payload this SDK does not know are still readable at run time
        # (pydantic serves them from `model_extra`, AttributeError when absent); this
        # lets code such as `card.id` type-check across a whole union, Unknown member
        # included, where narrowing with isinstance() would be noise.
        def __getattr__(self, name: str) -> Any: ...

    @property
    def raw(self) -> dict[str, Any]:
        """The payload as received, as a JSON-ready dict."""
        # A tag that is not a string (`{"type": 5}`) is kept as received by the
        # lenient path; pydantic would warn that it does not fit `str | None`.
        dumped: dict[str, Any] = self.model_dump(
            mode="json", by_alias=True, warnings=False
        )
        return dumped

    @pydantic.model_validator(mode="wrap")
    @classmethod
    def _remember_key_order(
        cls, data: Any, handler: Callable[[Any], UnknownModel]
    ) -> UnknownModel:
        model = handler(data)
        keys = as_mapping(data)
        if keys is not None:
            model._key_order = tuple(keys)
        return model

    @pydantic.model_serializer(mode="wrap")
    def _dump_as_received(self, handler: SerializerFunctionWrapHandler) -> Any:
        dumped: object = handler(self)
        if not isinstance(dumped, dict):
            return dumped
        fields: dict[str, Any] = cast("dict[str, Any]", dumped)
        for name, info in type(self).model_fields.items():
            if name not in self.model_fields_set:
                # An absent tag must stay absent rather than come back as null.
                fields.pop(info.alias or name, None)
        rank = {key: i for i, key in enumerate(self._key_order)}
        if not rank:
            return fields
        return {
            key: fields[key]
            for key in sorted(fields, key=lambda k: rank.get(k, len(rank)))
        }


@functools.cache
def tag_fields(cls: type[pydantic.BaseModel]) -> frozenset[str]:
    """Return the names of a model's tag fields (one `Literal` value, the default)."""
    tags: set[str] = set()
    for name, info in cls.model_fields.items():
        if get_origin(info.annotation) is not Literal:
            continue
        values = get_args(info.annotation)
        default = info.default
        if (
            len(values) == 1
            and default is not PydanticUndefined
            and type(default) is type(values[0])
            and default == values[0]
        ):
            tags.add(name)
    return frozenset(tags)


@dataclass(frozen=True)
class OpenUnion:
    """`Annotated` marker of a union routed by the tag property `prop`.

    Members other than the `UnknownModel` one declare their tag as a `Literal`;
    a payload whose tag matches none of them (or has none) becomes the Unknown
    member. A known tag whose payload does not validate is an error, never
    silently Unknown. In a request body (`dump_request`) a payload without the
    tag is an error too, unless it fits a member named in `untagged`.
    """

    prop: str
    untagged: tuple[str, ...] = ()
    """Tags of the members a request may send without their tag: the spec gives
    the tag a default and only infers the union (the API tells such members apart
    by their fields, as with `{"role": "user", "content": ...}` conversation inputs)."""

    def members(
        self, union: Any
    ) -> tuple[dict[str, type[BaseModel]], type[UnknownModel]]:
        """Split a union's members into tag -> known member, and the Unknown member."""
        known: dict[str, type[BaseModel]] = {}
        unknown: type[UnknownModel] | None = None
        for member in get_args(union):
            if isinstance(member, type) and issubclass(member, UnknownModel):
                unknown = member
                continue
            model = cast("type[BaseModel]", member)
            for tag in get_args(model.model_fields[self.prop].annotation):
                known[str(tag)] = model
        if unknown is None:
            raise TypeError(f"OpenUnion({self.prop!r}) needs an UnknownModel member")
        return known, unknown

    def tag_of(self, value: object) -> object:
        """Return the tag of a payload (dict) or model instance, or None."""
        payload = as_mapping(value)
        if payload is not None:
            return payload.get(self.prop)
        return getattr(value, self.prop, None)

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        known, unknown = self.members(source)
        # A string discriminator is looked up inside the JSON by pydantic-core
        # itself; a callable one would first convert each payload to Python
        # objects, which measured twice as slow on chunk-heavy responses.
        tagged = core_schema.tagged_union_schema(
            {tag: handler.generate_schema(member) for tag, member in known.items()},
            discriminator=self.prop,
        )
        # Only a payload that missed every tag reaches this branch, so its
        # function never runs while reading members this SDK knows.
        fallback = core_schema.with_info_wrap_validator_function(
            _unknown_guard(self, known, unknown),
            handler.generate_schema(unknown),
        )
        return core_schema.union_schema([tagged, fallback], mode="left_to_right")


def _unknown_guard(
    union: OpenUnion, known: Mapping[str, type[BaseModel]], unknown: type[UnknownModel]
) -> Callable[[Any, Callable[[Any], Any], core_schema.ValidationInfo], Any]:
    # Second branch of an open union: only a payload whose tag is unknown (or,
    # in a response, absent) may become the Unknown member.
    expected = ", ".join(repr(tag) for tag in sorted(known))
    untagged = tuple((tag, known[tag]) for tag in union.untagged if tag in known)

    def unknown_tag(
        value: Any, handler: Callable[[Any], Any], info: core_schema.ValidationInfo
    ) -> Any:
        tag = union.tag_of(value)
        # Known tags are strings; a payload's tag may be any JSON value, even an
        # unhashable one (`{"type": []}`), which is unknown by definition.
        if isinstance(tag, str) and tag in known and not isinstance(value, unknown):
            raise PydanticCustomError(
                "union_tag_known",
                "{prop}='{tag}' is a known tag, but the payload does not fit its type",
                {"prop": union.prop, "tag": str(tag)},
            )
        # The server routes a request by its tag: a tag newer than this SDK is
        # fine, an absent one only where the spec allows it. A response without
        # one is kept as received, and so is an Unknown instance (not a mapping).
        if tag is None and info.context is _REQUEST:
            payload = as_mapping(value)
            if payload is not None:
                if union.prop in payload or not untagged:
                    raise _tag_missing(union.prop, payload, expected)
                # Sent as given if it fits a member that may leave the tag out:
                # which member it is, the API decides.
                _check_untagged(union.prop, untagged, payload, expected)
                return handler(value)
        return handler(value)

    return unknown_tag


@dataclass(frozen=True)
class Departure:
    """One place where a response departs from the spec (see `validate_lenient`).

    Attributes:
        loc: Path to the value, e.g. `("choices", 0, "finish_reason")`.
        kind: `"missing"` (required field absent), `"null"` (null where the spec
            does not allow it) or `"invalid"` (a value of another type or shape).
        message: What is wrong, e.g. "required field is absent" (no location).
        shape: `loc` joined by dots with list indices and mapping keys replaced by
            `*`, e.g. `"choices.*.finish_reason"`: the key to warn once per shape.
    """

    loc: tuple[str | int, ...]
    kind: str
    message: str
    shape: str = field(default="", compare=False)


_ADAPTERS: dict[Any, pydantic.TypeAdapter[Any]] = {}


def _adapter(tp: Any) -> pydantic.TypeAdapter[Any]:
    try:
        return _ADAPTERS[tp]
    except KeyError:
        adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(tp)
        _ADAPTERS[tp] = adapter
        return adapter
    except TypeError:
        # An unhashable type expression cannot be cached; it is rare enough.
        return pydantic.TypeAdapter(tp)


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, pydantic.BaseModel)


def validate_json(tp: Any, data: bytes | str) -> Any:
    """Parse and validate a JSON document as `tp`.

    Raises:
        pydantic.ValidationError: The document does not match `tp`.
    """
    return json_validator(tp)(data)


def json_validator(tp: Any) -> Callable[[bytes | str], Any]:
    """Return the compiled function that parses and validates JSON as `tp`.

    The same as `validate_json(tp, ...)` without the per-call dispatch, for a
    caller that validates many documents of one type (the events of a stream).
    """
    if _is_model(tp):
        validator: Callable[[bytes | str], Any]
        validator = tp.__pydantic_validator__.validate_json
        return validator
    return _adapter(tp).validate_json


def validate_python(tp: Any, obj: object) -> Any:
    """Validate a Python object (e.g. decoded JSON) as `tp`.

    Raises:
        pydantic.ValidationError: The object does not match `tp`.
    """
    if _is_model(tp):
        return tp.model_validate(obj)
    return _adapter(tp).validate_python(obj)


def dump_request(
    model_cls: type[pydantic.BaseModel], body: Mapping[str, object]
) -> dict[str, Any]:
    """Validate a request body and return the JSON-ready dict of the fields set.

    Values may be plain dicts and lists, model instances, or a mix. Tag fields
    are always included; Unknown union members are sent back as received.

    Raises:
        pydantic.ValidationError: The body does not fit `model_cls`, or a dict
            in an open union has no tag (`union_tag_missing`; a response
            without one would be Unknown).
    """
    try:
        model = model_cls.model_validate(dict(body), context=_REQUEST)
    except pydantic.ValidationError as exc:
        clean = _without_tag_lookups(exc)
        if clean is exc:
            raise
        raise clean from None
    _mark_tags(model)
    # Parts of a response read leniently hold values that depart from their
    # annotations; sent back, they go as received, without pydantic's warnings.
    dumped: dict[str, Any] = model.model_dump(
        mode="json", by_alias=True, exclude_unset=True, warnings=False
    )
    return dumped


def _check_untagged(
    prop: str,
    members: Sequence[tuple[str, type[BaseModel]]],
    payload: Mapping[str, Any],
    expected: str,
) -> None:
    # Raises unless the payload fits one of `members`. Where it fits none, the
    # closest member says why (see `_closeness`): `{"role": "user"}` fails as a
    # message input for its missing `content`, which the user should hear
    # about, not "no member fits".
    closest: tuple[tuple[int, int, int], str, pydantic.ValidationError] | None = None
    for tag, member in members:
        try:
            member.model_validate(payload, context=_REQUEST)
        except pydantic.ValidationError as exc:
            rank = _closeness(prop, member, payload, exc)
            if rank is not None and (closest is None or rank < closest[0]):
                closest = (rank, tag, exc)
            continue
        return
    if closest is None:
        problem = "missing and the fields fit no member without it"
        raise _tag_missing(prop, payload, expected, problem)
    _, tag, failure = closest
    head: InitErrorDetails = {
        "type": PydanticCustomError(
            _TAG_MISSING,
            "'{prop}' is missing; read as {tag}, the closest member without it",
            {"prop": prop, "tag": repr(tag)},
        ),
        "loc": (),
        "input": payload,
    }
    errors = failure.errors(include_url=False)
    details = [head, *(_init_details(err) for err in errors)]
    raise pydantic.ValidationError.from_exception_data(failure.title, details)


def _closeness(
    prop: str,
    member: type[BaseModel],
    payload: Mapping[str, Any],
    failure: pydantic.ValidationError,
) -> tuple[int, int, int] | None:
    # How far the payload is from `member`, lowest first: the given fields
    # whose value a literal of the member rules out (`role: 5`, or "user" for
    # an assistant-only member), then the given fields the member lacks, then
    # the member's errors. None when the payload shares no field with it, so
    # a payload unrelated to every member still says that no member fits.
    known: dict[str, Any] = {}
    for name, info in member.model_fields.items():
        if name != prop:
            known[info.alias or name] = info.annotation
            known[name] = info.annotation
    given = [key for key in payload if key != prop]
    if not any(key in known for key in given):
        return None
    ruled_out = sum(
        1
        for key in given
        if key in known and not _literal_allows(known[key], payload[key])
    )
    foreign = sum(1 for key in given if key not in known)
    return (ruled_out, foreign, failure.error_count())


def _literal_allows(annotation: Any, value: object) -> bool:
    # True unless `annotation` is a Literal whose values exclude `value`.
    if get_origin(annotation) is not Literal:
        return True
    return any(
        type(choice) is type(value) and choice == value
        for choice in get_args(annotation)
    )


def _tag_missing(
    prop: str, payload: Mapping[str, Any], expected: str, problem: str = ""
) -> PydanticCustomError:
    if not problem:
        problem = "null" if prop in payload else "missing"
    return PydanticCustomError(
        _TAG_MISSING,
        "'{prop}' is {problem}; one of {expected}",
        {"prop": prop, "problem": problem, "expected": expected},
    )


_REQUEST: Final = {"mistral_sdk": "request"}
"""Validation context of request bodies, told apart from responses by identity."""

_TAG_MISSING: Final = "union_tag_missing"
_TAG_LOOKUPS: Final = frozenset({"union_tag_not_found", "union_tag_invalid"})


def _without_tag_lookups(exc: pydantic.ValidationError) -> pydantic.ValidationError:
    # Where a request payload misses its tag, the union's tagged branch also
    # reports that it found no tag, in pydantic's words; one error per place is
    # enough, so that report is dropped and the other errors kept as they are.
    errors = exc.errors(include_url=False)
    missing = {err["loc"][:-1] for err in errors if err["type"] == _TAG_MISSING}
    if not missing:
        return exc
    kept = [
        err
        for err in errors
        if not (err["type"] in _TAG_LOOKUPS and err["loc"][:-1] in missing)
    ]
    return pydantic.ValidationError.from_exception_data(
        exc.title, [_init_details(err) for err in kept]
    )


def _init_details(err: ErrorDetails) -> InitErrorDetails:
    if err["type"] in _KNOWN_ERRORS:
        details: InitErrorDetails = {
            "type": err["type"],
            "loc": err["loc"],
            "input": err["input"],
        }
        if "ctx" in err:
            details["ctx"] = err["ctx"]
        return details
    # A custom error: its message is already worded, so it is kept verbatim.
    # No context is given, so `{...}` in the message is never filled in again.
    # (The type hints ask for literal strings, a guard against user templates.)
    custom = PydanticCustomError(cast("Any", err["type"]), cast("Any", err["msg"]))
    return {"type": custom, "loc": err["loc"], "input": err["input"]}


_KNOWN_ERRORS: Final = frozenset(get_args(core_schema.ErrorType))


def _mark_tags(value: object) -> None:
    # Models validated from dicts never ran `__init__`, so their tags are unset.
    # Only set fields are sent (`exclude_unset`), so only they are walked: a
    # request model has dozens of fields and a call sets a few. Dispatch is on
    # the exact type: `isinstance` against a model class is slow in pydantic.
    cls = type(value)
    if cls is list or cls is tuple:
        for item in cast("Sequence[object]", value):
            if type(item) not in _LEAVES:
                _mark_tags(item)
    elif cls is dict:
        for item in cast("dict[object, object]", value).values():
            if type(item) not in _LEAVES:
                _mark_tags(item)
    else:
        tags = _tags_to_mark(cls)
        if tags is None:
            if isinstance(value, UnknownModel) and value.model_extra:
                # A payload kept as given (an untagged union member, a new tag)
                # holds only JSON when it came from the API; a model in it was
                # put there by the caller and must say its tag like any other.
                _mark_tags(list(value.model_extra.values()))
            return
        model = cast("pydantic.BaseModel", value)
        fields_set = model.__pydantic_fields_set__
        fields_set.update(tags)
        attributes = model.__dict__
        for name in fields_set:
            item = attributes.get(name)
            if type(item) not in _LEAVES:
                _mark_tags(item)


_LEAVES: Final = frozenset({str, int, float, bool, type(None)})


_TAGS_TO_MARK: dict[type, frozenset[str] | None] = {}


def _tags_to_mark(cls: type) -> frozenset[str] | None:
    # None: not a model, or an Unknown member, which is sent back as received.
    try:
        return _TAGS_TO_MARK[cls]
    except KeyError:
        pass
    tags = None
    if issubclass(cls, pydantic.BaseModel) and not issubclass(cls, UnknownModel):
        tags = tag_fields(cls)
    _TAGS_TO_MARK[cls] = tags
    return tags

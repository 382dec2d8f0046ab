"""`function_tool`: the definition from a function's name, docstring and signature."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from typing import Annotated, Any, Literal

import httpx2
import pytest
from pydantic import BaseModel, Field

from mistral_sdk import BadRequestError, Mistral, function_tool
from mistral_sdk.helpers._docstrings import parse_docstring
from mistral_sdk.helpers._function_tool import ArgumentsError, ToolFunction
from mistral_sdk.types import Tool


class Place(BaseModel):
    """Where."""

    city: str
    country: str = "FR"


@dataclasses.dataclass
class Window:
    start: int
    end: int


def forecast(
    place: Place,
    unit: Literal["c", "f"] = "c",
    days: Annotated[int, Field(ge=1, le=7, description="Days ahead, 1 to 7.")] = 1,
    note: Annotated[str, "Anything to add."] = "",
    window: Window | None = None,
) -> dict[str, object]:
    """Forecast for a place.

    A second paragraph that is not the summary.

    Args:
        place: The place to forecast.
        unit: Celsius or Fahrenheit.
        days: Overridden by the Field description.
    """
    return {"city": place.city, "unit": unit, "days": days}


def parameters(tool: ToolFunction[..., Any]) -> dict[str, Any]:
    return dict(tool.function.parameters)


def test_function_tool_definition_from_the_function() -> None:
    tool = function_tool(forecast)

    assert tool.type == "function"
    assert tool.function.name == "forecast"
    assert tool.function.description == "Forecast for a place."
    schema = parameters(tool)
    assert schema["type"] == "object"
    assert schema["required"] == ["place"]
    assert schema["additionalProperties"] is False
    props = schema["properties"]
    assert props["place"] == {
        "$ref": "#/$defs/Place",
        "description": "The place to forecast.",
    }
    assert schema["$defs"]["Place"]["required"] == ["city"]
    assert props["unit"] == {
        "default": "c",
        "enum": ["c", "f"],
        "type": "string",
        "description": "Celsius or Fahrenheit.",
    }
    assert props["days"] == {
        "default": 1,
        "minimum": 1,
        "maximum": 7,
        "type": "integer",
        "description": "Days ahead, 1 to 7.",
    }
    assert props["note"]["description"] == "Anything to add."
    assert "Window" in schema["$defs"]


def test_function_tool_as_a_decorator_keeps_the_function() -> None:
    @function_tool
    def add(a: int, b: int = 2) -> int:
        """Add two numbers."""
        return a + b

    assert add(1) == 3
    assert add.func(a=2, b=2) == 4
    assert isinstance(add, Tool)
    assert add.function.name == "add"


def test_function_tool_decorator_with_a_name_and_description() -> None:
    @function_tool(name="sum_up", description="Sums.")
    def add(a: int) -> int:
        return a

    assert (add.function.name, add.function.description) == ("sum_up", "Sums.")
    assert add(5) == 5


def test_function_tool_numpy_docstring() -> None:
    def lookup(code: str, strict: bool = False) -> str:
        """Find an airport.

        Parameters
        ----------
        code : str
            The IATA code,
            three letters.
        strict : bool
            Fail on unknown codes.

        Returns
        -------
        str
        """
        return code

    props = parameters(function_tool(lookup))["properties"]

    assert props["code"]["description"] == "The IATA code, three letters."
    assert props["strict"]["description"] == "Fail on unknown codes."


def test_function_tool_refuses_what_json_arguments_cannot_fill() -> None:
    def positional(a: int, /) -> int:
        return a

    def variadic(*values: int) -> int:
        return sum(values)

    for func in (positional, variadic):
        with pytest.raises(TypeError, match="cannot be passed by name"):
            function_tool(func)


def test_function_tool_bind_validates_without_calling() -> None:
    called: list[object] = []

    def book(place: Place, nights: int) -> None:
        called.append(place)

    tool = function_tool(book)

    bound = tool.bind('{"place": {"city": "Oslo"}, "nights": "2"}')
    assert bound == {"place": Place(city="Oslo"), "nights": 2}
    assert called == []
    with pytest.raises(ArgumentsError, match=r"place\.city: Field required"):
        tool.bind({"place": {}, "nights": 1})
    with pytest.raises(ArgumentsError, match="Invalid JSON"):
        tool.bind("{nope")


def test_function_tool_is_a_tool_for_chat_complete() -> None:
    sent: list[dict[str, Any]] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        sent.append(json.loads(request.content))
        return httpx2.Response(400, json={"message": "stop here"})

    http = httpx2.Client(transport=httpx2.MockTransport(handler))
    client = Mistral(api_key="k", http_client=http, max_retries=0)
    with client, pytest.raises(BadRequestError, match="stop here"):
        client.chat.complete(
            model="m",
            messages=[{"role": "user", "content": "x"}],
            tools=[function_tool(forecast)],
        )

    (tool,) = sent[0]["tools"]
    assert tool["type"] == "function"
    assert tool["function"]["name"] == "forecast"
    assert tool["function"]["parameters"]["properties"]["unit"]["enum"] == ["c", "f"]


def test_tool_function_is_public_and_loaded_on_first_use() -> None:
    from mistral_sdk.helpers import tools

    assert tools.ToolFunction is ToolFunction
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        tools.Nope  # noqa: B018 - the module attribute is what is tested


def test_importing_function_tool_loads_no_pydantic() -> None:
    script = (
        "import sys\nfrom mistral_sdk import function_tool\n"
        "print(sorted(m for m in sys.modules if m.startswith('pydantic')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )

    assert out.stdout.strip() == "[]"


def test_docstring_summary_stops_at_a_section() -> None:
    docs = parse_docstring("Do it.\nArgs:\n    x: The x.\n")

    assert docs.summary == "Do it."
    assert docs.arguments == {"x": "The x."}


def test_docstring_google_types_and_continuations() -> None:
    docs = parse_docstring(
        """Summary
        on two lines.

        Args:
            city (str): The city
                in full.
            **extra: More.

        Raises:
            ValueError: never an argument.
        """
    )

    assert docs.summary == "Summary on two lines."
    assert docs.arguments == {"city": "The city in full.", "extra": "More."}


def test_docstring_none_and_plain() -> None:
    assert parse_docstring(None).arguments == {}
    assert parse_docstring("Just words.").summary == "Just words."

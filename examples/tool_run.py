"""A tool run: Python functions as tools, called by the model until it answers.

`function_tool` builds each definition from the function itself; `run_tools` runs
the loop (with a hook that checks each call first) and keeps the whole exchange.
"""

from typing import Literal

from mistral_sdk import Mistral, function_tool
from mistral_sdk.helpers.tools import PendingToolCall, ToolDecision


@function_tool
def get_weather(city: str, unit: Literal["c", "f"] = "c") -> dict[str, object]:
    """Current weather in a city.

    Args:
        city: The city, e.g. "Paris".
        unit: Celsius or Fahrenheit.
    """
    degrees = 21 if unit == "c" else 70
    return {"city": city, "degrees": degrees, "unit": unit, "sky": "clear"}


def log_call(call: PendingToolCall) -> ToolDecision | None:
    """Print each call before it runs, and let it run."""
    print(f"-> {call.name}({call.arguments})")
    return None


def main() -> None:
    print("definition sent to the model:", get_weather.function.model_dump_json())
    with Mistral() as client:
        run = client.chat.run_tools(
            model="mistral-small-latest",
            messages=[{"role": "user", "content": "What's the weather in Paris?"}],
            tools=[get_weather],
            max_steps=5,
            on_tool_call=log_call,
        )
        for step in run:  # each response as it arrives, with its tool results
            for result in step.results:
                print(f"<- {result.name}: {result.content}")
        print("answer:", run.final.choices[0].message.content)
        print(f"{len(run.messages)} messages, {len(run.steps)} steps")


if __name__ == "__main__":
    main()

"""Function calling: the model asks for a tool, we run it and send the result back."""

import json

from mistral_sdk import Mistral
from mistral_sdk.types import MessageParam, ToolParam

WEATHER_TOOL: ToolParam = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


def get_weather(city: str) -> str:
    return json.dumps({"city": city, "forecast": "sunny", "celsius": 24})


def main() -> None:
    with Mistral() as client:
        messages: list[MessageParam] = [
            {"role": "user", "content": "What's the weather in Paris?"}
        ]
        response = client.chat.complete(
            model="mistral-small-latest",
            messages=messages,
            tools=[WEATHER_TOOL],
            tool_choice="any",  # the model must call a tool
        )
        message = response.choices[0].message
        for call in message.tool_calls or []:
            arguments = call.function.arguments
            args = json.loads(arguments) if isinstance(arguments, str) else arguments
            print(f"model called {call.function.name}({args})")
            messages.append(message)
            messages.append(
                {
                    "role": "tool",
                    "tool_call_id": call.id,
                    "name": call.function.name,
                    "content": get_weather(str(args.get("city", ""))),
                }
            )
        if message.tool_calls:
            final = client.chat.complete(
                model="mistral-small-latest", messages=messages
            )
            print(final.choices[0].message.content)
        else:
            print(message.content)


if __name__ == "__main__":
    main()

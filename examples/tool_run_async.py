"""An async tool run: the calls of one step run concurrently, the answer streams.

Coroutine functions are awaited, plain ones run in worker threads; `stream=True`
streams each response, so `text_stream` gives the answer as it is generated.
"""

import asyncio

from mistral_sdk import AsyncMistral, function_tool


@function_tool
async def get_weather(city: str) -> dict[str, object]:
    """Current weather in a city.

    Args:
        city: The city, e.g. "Oslo".
    """
    await asyncio.sleep(0)  # a real tool would await an HTTP call here
    return {"city": city, "degrees": 4, "sky": "snow"}


def local_time(city: str) -> str:
    """The local time in a city (a plain function: it runs in a worker thread)."""
    return f"12:00 in {city}"


async def main() -> None:
    async with AsyncMistral() as client:
        run = client.chat.run_tools(
            model="mistral-small-latest",
            messages=[
                {"role": "user", "content": "get_weather and local_time in Oslo?"}
            ],
            tools=[get_weather, local_time],
            stream=True,
        )
        async for text in run.text_stream:
            print(text, end="", flush=True)
        print()
        for step in run.steps:
            for result in step.results:
                print(f"{result.name}({result.arguments}) -> {result.content}")


if __name__ == "__main__":
    asyncio.run(main())

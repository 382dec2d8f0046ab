"""The async client: two questions answered concurrently, then a streamed answer."""

import asyncio

from mistral_sdk import AsyncMistral


async def ask(client: AsyncMistral, question: str) -> str:
    response = await client.chat.complete(
        model="mistral-small-latest",
        messages=[{"role": "user", "content": question}],
    )
    content = response.choices[0].message.content
    return content if isinstance(content, str) else ""


async def main() -> None:
    async with AsyncMistral() as client:
        answers = await asyncio.gather(
            ask(client, "Name a prime number."), ask(client, "Name a colour.")
        )
        for answer in answers:
            print(answer)
        async with await client.chat.stream(
            model="mistral-small-latest",
            messages=[{"role": "user", "content": "Count to five."}],
        ) as stream:
            async for chunk in stream:
                if chunk.choices and isinstance(chunk.choices[0].delta.content, str):
                    print(chunk.choices[0].delta.content, end="", flush=True)
        print()


if __name__ == "__main__":
    asyncio.run(main())

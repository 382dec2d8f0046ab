"""Many calls now: 40 chat completions, 8 at a time, in order, paced on 429s."""

import asyncio

from mistral_sdk import AsyncMistral, Mistral
from mistral_sdk.helpers.many_results import ManyProgress

QUESTIONS = [
    {"messages": [{"role": "user", "content": f"Name a French cheese, #{i}."}]}
    for i in range(40)
]


def show(progress: ManyProgress) -> None:
    """Print every tenth finished request."""
    if progress.done % 10 == 0:
        print(f"  {progress.done}/{progress.total} done, {progress.failed} failed")


def main() -> None:
    with Mistral() as client:
        results = client.chat.complete_many(
            QUESTIONS, model="mistral-small-latest", concurrency=8, on_progress=show
        )
        for result in results[:3]:
            if result.response is not None:
                print(
                    f"  #{result.index}: {result.response.choices[0].message.content}"
                )
        print(f"{sum(r.ok for r in results)} of {len(results)} succeeded")


async def embed_all() -> None:
    """The async client: the same helper for embeddings, on tasks."""
    async with AsyncMistral() as client:
        results = await client.embeddings.create_many(
            [{"input": [f"text {i}"]} for i in range(20)],
            model="mistral-embed",
            concurrency=8,
        )
        sizes = {len(r.response.data[0].embedding or []) for r in results if r.response}
        print(f"{len(results)} embeddings of sizes {sizes}")


if __name__ == "__main__":
    main()
    asyncio.run(embed_all())

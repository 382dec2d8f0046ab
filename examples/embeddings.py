"""Embeddings: vectors for two sentences and their cosine similarity."""

import math

from mistral_sdk import Mistral


def cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def main() -> None:
    with Mistral() as client:
        response = client.embeddings.create(
            model="mistral-embed",
            input=["The cat sits on the mat.", "A feline rests on a rug."],
        )
        first, second = (item.embedding or [] for item in response.data)
        print(f"{len(response.data)} vectors of dimension {len(first)}")
        print(f"cosine similarity: {cosine(first, second):.3f}")


if __name__ == "__main__":
    main()

"""The request every client sends: plain literals, no imports (see benchmarks/__init__)."""

API_KEY = "bench-0123456789abcdef0123456789abcdef"
CHAT_MODEL = "mistral-small-latest"
EMBED_MODEL = "mistral-embed"
# A chat stream asked for with this `max_tokens` comes token-paced: 500 chunks,
# each in its own network write, a millisecond apart, as a model generates them.
PACED_CHUNKS = 500
CHAT_MESSAGES = [
    {"role": "system", "content": "You are a concise assistant for a travel agency."},
    {
        "role": "user",
        "content": "Suggest a three-day itinerary for Lyon in spring, with one "
        "museum, one market and one restaurant per day.",
    },
]
EMBED_INPUTS = [
    f"Passage {i}: opening hours of the museums in Lyon." for i in range(64)
]

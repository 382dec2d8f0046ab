"""Observability: search the chat-completion events of one model, page after page."""

from mistral_sdk import Mistral


def main() -> None:
    with Mistral() as client:
        events = client.beta.observability.chat_completion_events.search(
            search_params={
                "filters": {
                    "field": "model",
                    "op": "eq",
                    "value": "mistral-small-latest",
                }
            },
            page_size=20,
        )
        for count, event in enumerate(events, start=1):
            tokens = event.nb_input_tokens + event.nb_output_tokens
            print(
                f"  {event.created_at:%Y-%m-%d %H:%M} {event.event_id} {tokens} tokens"
            )
            if count == 50:
                break
        print("searched chat-completion events")


if __name__ == "__main__":
    main()

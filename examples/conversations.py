"""Conversations: start one, continue it, read its history, restart it from an entry."""

from mistral_sdk import Mistral


def main() -> None:
    with Mistral() as client:
        started = client.beta.conversations.start(
            model="mistral-small-latest",
            inputs="Remember the number 7.",
            store=True,
        )
        print(f"conversation {started.conversation_id}")
        for output in started.outputs:
            print(f"  {output.type}")
        followed = client.beta.conversations.append(
            started.conversation_id, inputs="What number did I ask you to remember?"
        )
        for output in followed.outputs:
            print(f"  {output.type}: {getattr(output, 'content', '')}")
        history = client.beta.conversations.get_history(started.conversation_id)
        print(f"history: {len(history.entries)} entries")
        first = history.entries[0]
        if first.id:
            restarted = client.beta.conversations.restart(
                started.conversation_id, from_entry_id=first.id, inputs="Now 8."
            )
            print(f"restarted as {restarted.conversation_id}")
        with client.beta.conversations.append_stream(
            started.conversation_id, inputs="Say goodbye."
        ) as stream:
            for event in stream:
                print(f"event: {event.type}")


if __name__ == "__main__":
    main()

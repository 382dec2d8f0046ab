"""Agents: create an agent with a web-search tool, version it, and ask it something."""

from mistral_sdk import Mistral


def main() -> None:
    with Mistral() as client:
        agent = client.beta.agents.create(
            model="mistral-medium-latest",
            name="researcher",
            instructions="Answer with sources.",
            tools=[{"type": "web_search"}],
        )
        tools = [tool.type for tool in agent.tools or []]
        print(f"agent {agent.id} v{agent.version} tools={tools}")
        updated = client.beta.agents.update(agent.id, description="Finds sources.")
        print(f"updated to v{updated.version}")
        for version in client.beta.agents.list_versions(agent.id):
            print(f"  version {version.version}")
        answer = client.agents.complete(
            agent_id=agent.id,
            messages=[{"role": "user", "content": "Who wrote Les Misérables?"}],
        )
        print(answer.choices[0].message.content)
        client.beta.agents.delete(agent.id)


if __name__ == "__main__":
    main()

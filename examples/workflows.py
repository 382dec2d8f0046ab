"""Workflows: execute a workflow, then follow its execution's events as they happen."""

from mistral_sdk import Mistral


def main() -> None:
    with Mistral() as client:
        execution = client.beta.workflows.execute(
            "report", input={"topic": "Q3 shipping delays", "sections": 3}
        )
        print(f"execution {execution.execution_id} of {execution.workflow_name}")
        with client.beta.workflows.executions.stream(execution.execution_id) as events:
            for payload in events:
                print(f"  #{payload.broker_sequence} {payload.data.event_type}")
        done = client.beta.workflows.executions.get(execution.execution_id)
        print(f"status: {done.status}")


if __name__ == "__main__":
    main()

"""Fine-tuning (deprecated in the API, still served): list jobs, show each one."""

from mistral_sdk import Mistral


def main() -> None:
    with Mistral() as client:
        jobs = client.fine_tuning.jobs.list(page_size=5)
        print(f"{jobs.total} fine-tuning jobs")
        for job in jobs.items:
            print(f"  {job.id} {job.model} {job.status}")
            detail = client.fine_tuning.jobs.get(job.id)
            print(f"    created at {detail.created_at}")


if __name__ == "__main__":
    main()

"""Libraries: create a document library, upload a document, read its processed text."""

import time

from mistral_sdk import Mistral


def main() -> None:
    with Mistral() as client:
        library = client.beta.libraries.create(
            name="handbook", description="Team notes"
        )
        print(f"library {library.id}")
        document = client.beta.libraries.documents.upload(
            library.id,
            file=("notes.txt", b"Mistral means a strong wind.", "text/plain"),
        )
        print(f"document {document.id}: {document.processing_status}")
        # The status is a free string in the API (e.g. "todo", "in_progress", "done");
        # wait while it still reads as pending.
        pending = {"todo", "in_progress", "pending", "running", "processing"}
        status = client.beta.libraries.documents.status(library.id, document.id)
        for _ in range(120):
            if status.processing_status.lower() not in pending:
                break
            time.sleep(1)
            status = client.beta.libraries.documents.status(library.id, document.id)
        print(f"processing: {status.processing_status}")
        text = client.beta.libraries.documents.text_content(library.id, document.id)
        print(f"text: {text.text}")
        for doc in client.beta.libraries.documents.list(library.id):
            print(f"  {doc.id} {doc.name}")
        client.beta.libraries.delete(library.id)


if __name__ == "__main__":
    main()

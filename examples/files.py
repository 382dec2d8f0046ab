"""Files: upload a JSONL file, list files, read it back, get a signed URL, delete it."""

from mistral_sdk import Mistral

LINES = (
    b'{"custom_id": "1", "body": {"messages": [{"role": "user", "content": "Hi"}]}}\n'
)


def main() -> None:
    with Mistral() as client:
        uploaded = client.files.upload(
            file=("requests.jsonl", LINES, "application/jsonl"), purpose="batch"
        )
        print(f"uploaded {uploaded.filename} as {uploaded.id} ({uploaded.bytes} bytes)")
        for file in client.files.list(page_size=10):
            print(f"  {file.id} {file.filename}")
        with client.files.download(uploaded.id) as content:
            print(f"downloaded {len(content.read())} bytes")
        url = client.files.get_signed_url(uploaded.id, expiry=1)
        print(f"signed URL: {url.url[:60]}...")
        deleted = client.files.delete(uploaded.id)
        print(f"deleted: {deleted.deleted}")


if __name__ == "__main__":
    main()

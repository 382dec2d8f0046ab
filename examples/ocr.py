"""OCR: extract the text of a document given by URL, page by page."""

from mistral_sdk import Mistral


def main() -> None:
    with Mistral() as client:
        result = client.ocr.process(
            model="mistral-ocr-latest",
            document={
                "type": "document_url",
                "document_url": "https://arxiv.org/pdf/2201.04234",
            },
        )
        for page in result.pages:
            print(f"--- page {page.index} ---")
            print(page.markdown[:300])


if __name__ == "__main__":
    main()

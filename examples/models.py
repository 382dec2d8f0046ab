"""Models: list the available models and look one up."""

from mistral_sdk import Mistral


def main() -> None:
    with Mistral() as client:
        listing = client.models.list()  # one page: the API lists every model at once
        for card in listing:
            print(f"{card.id:40} {card.type}")
        if listing.data:
            card = client.models.retrieve(listing.data[0].id)
            print(f"first model: {card.id}, owned by {card.owned_by}")


if __name__ == "__main__":
    main()

"""mistral-sdk: a typed, forward-compatible Python client for the Mistral AI API.

```python
from mistral_sdk import Mistral

client = Mistral()  # reads $MISTRAL_API_KEY
reply = client.chat.complete(
    model="mistral-small-latest", messages=[{"role": "user", "content": "Hi"}]
)
```

Response and request models live in `mistral_sdk.types`.
"""

import typing
import warnings

from ._async._files import AsyncBinaryResponse
from ._async._pagination import AsyncPage
from ._async._response import AsyncAPIResponse, AsyncResponseContextManager
from ._async._streaming import (
    AsyncCompletionStream,
    AsyncConversationStream,
    AsyncStream,
)
from ._client import AsyncMistral, Mistral
from ._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    InternalServerError,
    MistralError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestValidationError,
    ResponseDecodeError,
    ResponseValidationError,
    UnprocessableEntityError,
)
from ._pagination import AsyncPaginator
from ._response import RateLimit
from ._streaming import AsyncStreamManager
from ._sync._files import BinaryResponse
from ._sync._pagination import SyncPage
from ._sync._response import APIResponse, ResponseContextManager
from ._sync._streaming import CompletionStream, ConversationStream, Stream
from ._types import NOT_GIVEN, FileInput, NotGiven, RequestOptions
from ._version import VERSION, __version__

if typing.TYPE_CHECKING:
    RawResponse = APIResponse
    """Deprecated: the former name of `APIResponse`."""


def __getattr__(name: str) -> object:
    # Deprecated names still resolve, with a warning naming their successor.
    if name == "RawResponse":
        warnings.warn(
            "mistral_sdk.RawResponse is deprecated; use mistral_sdk.APIResponse",
            DeprecationWarning,
            stacklevel=2,
        )
        return APIResponse
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "NOT_GIVEN",
    "VERSION",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APITimeoutError",
    "AsyncAPIResponse",
    "AsyncBinaryResponse",
    "AsyncCompletionStream",
    "AsyncConversationStream",
    "AsyncMistral",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncResponseContextManager",
    "AsyncStream",
    "AsyncStreamManager",
    "AuthenticationError",
    "BadRequestError",
    "BinaryResponse",
    "CompletionStream",
    "ConfigurationError",
    "ConflictError",
    "ConversationStream",
    "FileInput",
    "InternalServerError",
    "Mistral",
    "MistralError",
    "NotFoundError",
    "NotGiven",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitError",
    "RequestOptions",
    "RequestValidationError",
    "ResponseContextManager",
    "ResponseDecodeError",
    "ResponseValidationError",
    "Stream",
    "SyncPage",
    "UnprocessableEntityError",
    "__version__",
]

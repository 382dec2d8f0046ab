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
from ._files import AsyncBinaryResponse, BinaryResponse
from ._pagination import AsyncPage, AsyncPaginator, SyncPage
from ._response import RateLimit, RawResponse
from ._streaming import AsyncStream, Stream
from ._tool_errors import MaxStepsExceededError, ToolRunError
from ._types import NOT_GIVEN, FileInput, NotGiven, RequestOptions
from ._version import VERSION, __version__
from .helpers.tools import function_tool

__all__ = [
    "NOT_GIVEN",
    "VERSION",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncBinaryResponse",
    "AsyncMistral",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncStream",
    "AuthenticationError",
    "BadRequestError",
    "BinaryResponse",
    "ConfigurationError",
    "ConflictError",
    "FileInput",
    "InternalServerError",
    "MaxStepsExceededError",
    "Mistral",
    "MistralError",
    "NotFoundError",
    "NotGiven",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitError",
    "RawResponse",
    "RequestOptions",
    "RequestValidationError",
    "ResponseDecodeError",
    "ResponseValidationError",
    "Stream",
    "SyncPage",
    "ToolRunError",
    "UnprocessableEntityError",
    "__version__",
    "function_tool",
]

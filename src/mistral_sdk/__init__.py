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

import importlib
import typing
import warnings

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
from ._types import NOT_GIVEN, FileInput, NotGiven, RequestOptions
from ._version import VERSION, __version__

if typing.TYPE_CHECKING:
    from ._async._files import AsyncBinaryResponse
    from ._async._pagination import AsyncPage
    from ._async._response import AsyncAPIResponse, AsyncResponseContextManager
    from ._async._streaming import (
        AsyncCompletionStream,
        AsyncConversationStream,
        AsyncStream,
    )
    from ._pagination import AsyncPaginator
    from ._response import RateLimit
    from ._streaming import AsyncStreamManager
    from ._structured_errors import (
        ContentFilterFinishReasonError,
        LengthFinishReasonError,
        OutputValidationError,
        StructuredOutputError,
    )
    from ._sync._files import BinaryResponse
    from ._sync._pagination import SyncPage
    from ._sync._response import APIResponse, ResponseContextManager
    from ._sync._streaming import CompletionStream, ConversationStream, Stream
    from ._tool_errors import MaxStepsExceededError, ToolRunError
    from .helpers.tools import function_tool

    RawResponse = APIResponse
    """Deprecated: the former name of `APIResponse`."""

# Loaded on first use: `import mistral_sdk` loads the client, its transport and
# the errors; streams, pages, responses, the async twins and the tool helpers wait
# until a call or an import needs them (benchmarks: import within 1.15x of httpx2),
# and so do the errors only those helpers raise (a chat call never needs them).
_LAZY: typing.Final = {
    "APIResponse": "._sync._response",
    "AsyncAPIResponse": "._async._response",
    "AsyncBinaryResponse": "._async._files",
    "AsyncCompletionStream": "._async._streaming",
    "AsyncConversationStream": "._async._streaming",
    "AsyncPage": "._async._pagination",
    "AsyncPaginator": "._pagination",
    "AsyncResponseContextManager": "._async._response",
    "AsyncStream": "._async._streaming",
    "AsyncStreamManager": "._streaming",
    "BinaryResponse": "._sync._files",
    "CompletionStream": "._sync._streaming",
    "ContentFilterFinishReasonError": "._structured_errors",
    "ConversationStream": "._sync._streaming",
    "LengthFinishReasonError": "._structured_errors",
    "MaxStepsExceededError": "._tool_errors",
    "OutputValidationError": "._structured_errors",
    "RateLimit": "._response",
    "ResponseContextManager": "._sync._response",
    "Stream": "._sync._streaming",
    "StructuredOutputError": "._structured_errors",
    "SyncPage": "._sync._pagination",
    "ToolRunError": "._tool_errors",
    "function_tool": ".helpers.tools",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is not None:
        value: object = getattr(importlib.import_module(module, __name__), name)
        globals()[name] = value
        return value
    # Deprecated names still resolve, with a warning naming their successor.
    if name == "RawResponse":
        warnings.warn(
            "mistral_sdk.RawResponse is deprecated; use mistral_sdk.APIResponse",
            DeprecationWarning,
            stacklevel=2,
        )
        return __getattr__("APIResponse")
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
    "ContentFilterFinishReasonError",
    "ConversationStream",
    "FileInput",
    "InternalServerError",
    "LengthFinishReasonError",
    "MaxStepsExceededError",
    "Mistral",
    "MistralError",
    "NotFoundError",
    "NotGiven",
    "OutputValidationError",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitError",
    "RequestOptions",
    "RequestValidationError",
    "ResponseContextManager",
    "ResponseDecodeError",
    "ResponseValidationError",
    "Stream",
    "StructuredOutputError",
    "SyncPage",
    "ToolRunError",
    "UnprocessableEntityError",
    "__version__",
    "function_tool",
]

"""Everything generated resource modules import from the core, in one place.

A generated method is one line: `return self._json(_OP, ...).parse()` (sync) or
its awaited twin, with a module-level `Operation`. The `...WithRawResponse`
classes are resources whose methods return the `APIResponse` itself; the
`...WithStreamingResponse` classes wrap those methods in `StreamedMethod`, run
on a raw view that leaves bodies unread. See `_async/_resource.py`.
"""

from __future__ import annotations

from ._async._resource import AsyncResource
from ._async._response import AsyncAPIResponse, AsyncStreamedMethod
from ._operation import Operation
from ._pagination import AsyncPaginator, Paging
from ._response import StreamingResponseWrapper
from ._streaming import AsyncStreamManager
from ._sync._resource import SyncResource
from ._sync._response import APIResponse, StreamedMethod

__all__ = [
    "APIResponse",
    "AsyncAPIResponse",
    "AsyncPaginator",
    "AsyncResource",
    "AsyncStreamManager",
    "AsyncStreamedMethod",
    "Operation",
    "Paging",
    "StreamedMethod",
    "StreamingResponseWrapper",
    "SyncResource",
]

"""Scripting the emulator from a test: replies, tool calls, errors, latency, limits.

```python
emulator.script.reply("Bonjour !")                      # the next completion
emulator.script.tool_call("get_weather", {"city": "Lyon"})
emulator.script.error(503, on="POST /v1/chat/completions")
```

Scripted replies are used in order by whatever generates text next (chat, FIM,
agents, conversations, batch lines); when none is left the echo model answers.
Errors, latency and rate limits apply to the requests they match (`on=`: an
operationId, a path such as `/v1/files`, or `"POST /v1/files"`; None: any).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._clock import Clock
from ._replies import Prompt, Reply, Responder, ToolCall
from ._tool_calls import AutoToolCalls

__all__ = ["QuotaWindow", "RateLimited", "Script", "ScriptedError"]


@dataclass
class ScriptedError:
    """An error answer waiting for a matching request."""

    status: int
    message: str | None
    body: object
    headers: dict[str, str]


@dataclass
class RateLimited:
    """A 429 answer with the headers a limiter sends."""

    retry_after: float
    limit: int


@dataclass(frozen=True)
class QuotaWindow:
    """What is left of a request quota after a request it let through."""

    limit: int
    remaining: int


@dataclass
class _Rule:
    on: str | None
    times: int | None
    """Uses left; None for no end."""
    model: str | None = None


@dataclass
class _Queued(_Rule):
    item: object = None


@dataclass
class _Quota(_Rule):
    requests: int = 0
    per: float = 60.0
    window_start: float | None = None
    used: int = 0


def matches(
    on: str | None, operation_id: str, method: str, route: str, path: str
) -> bool:
    """Return whether a rule's `on=` selects a request."""
    if on is None or on == operation_id:
        return True
    wanted_method, _, wanted_path = on.rpartition(" ")
    if wanted_method and wanted_method.upper() != method:
        return False
    return wanted_path in (route, path)


class Script:
    """The queue of what the emulator does next. Methods return the script."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._lock = threading.RLock()
        self._replies: list[_Queued] = []
        self._errors: list[_Queued] = []
        self._latency: list[_Queued] = []
        self._quotas: list[_Quota] = []
        self._results: dict[str, list[_Queued]] = {}
        self._responders: list[tuple[str | None, Responder]] = []
        self.tool_calls_when: AutoToolCalls = "first_turn"
        """When the echo model calls an offered tool on its own (see `_tool_calls`)."""

    # ------------------------------------------------------------------ models
    def reply(
        self,
        text: str = "",
        *,
        model: str | None = None,
        times: int | None = 1,
        **options: Any,
    ) -> Script:
        """Queue a reply (`options`: the other fields of `Reply`)."""
        return self.add(Reply(text, **options), model=model, times=times)

    def tool_call(
        self,
        name: str,
        arguments: Mapping[str, Any] | str | None = None,
        *,
        id: str | None = None,  # noqa: A002 - the API's field name
        model: str | None = None,
        times: int | None = 1,
    ) -> Script:
        """Queue a reply that calls one function."""
        call = ToolCall(name, arguments if arguments is not None else {}, id)
        return self.add(Reply(tool_calls=[call]), model=model, times=times)

    def auto_tool_calls(self, when: AutoToolCalls = "first_turn") -> Script:
        """Set when an unscripted request offering tools gets a tool call.

        "first_turn" (the default), "every_turn" or "never"; a forcing
        `tool_choice` always gets one.
        """
        self.tool_calls_when = when
        return self

    def handoff(
        self, agent_id: str, then: str = "", *, times: int | None = 1
    ) -> Script:
        """Queue a conversation turn that hands off to `agent_id`, which says `then`."""
        return self.add(Reply(then, handoff=agent_id), times=times)

    def add(
        self, reply: Reply, *, model: str | None = None, times: int | None = 1
    ) -> Script:
        """Queue a `Reply` (for `model` only, if given)."""
        with self._lock:
            self._replies.append(_Queued(None, times, model, reply))
        return self

    def respond_with(self, responder: Responder, *, model: str | None = None) -> Script:
        """Answer with `responder(prompt)` when no queued reply applies."""
        with self._lock:
            self._responders.insert(0, (model, responder))
        return self

    def next_reply(self, prompt: Prompt) -> Reply | None:
        """Return the reply for `prompt`, consuming a queued one; None: echo."""
        with self._lock:
            queued = self._take(self._replies, model=prompt.model)
            if queued is not None:
                return queued  # type: ignore[return-value]
            for model, responder in self._responders:
                if model in (None, prompt.model):
                    answer = responder(prompt)
                    return Reply(answer) if isinstance(answer, str) else answer
        return None

    # --------------------------------------------------------------- endpoints
    def error(
        self,
        status: int,
        message: str | None = None,
        *,
        body: object = None,
        headers: Mapping[str, str] | None = None,
        on: str | None = None,
        times: int | None = 1,
    ) -> Script:
        """Answer matching requests with `status` and the API's body for it."""
        scripted = ScriptedError(status, message, body, dict(headers or {}))
        with self._lock:
            self._errors.append(_Queued(on, times, None, scripted))
        return self

    def latency(
        self, seconds: float, *, on: str | None = None, times: int | None = None
    ) -> Script:
        """Delay matching responses (a virtual clock just moves forward)."""
        with self._lock:
            self._latency.append(_Queued(on, times, None, seconds))
        return self

    def rate_limit(
        self,
        *,
        requests: int | None = None,
        per: float = 60.0,
        retry_after: float = 1.0,
        on: str | None = None,
        times: int | None = 1,
    ) -> Script:
        """Answer 429: to the next request(s), or past `requests` per `per` seconds.

        A 429 carries `Retry-After`; under a quota, it and every answer the
        quota lets through carry the API's `x-ratelimit-limit-req-minute` and
        `x-ratelimit-remaining-req-minute` (named per minute whatever `per` is).
        """
        with self._lock:
            if requests is None:
                limited = RateLimited(retry_after, 0)
                self._errors.append(_Queued(on, times, None, limited))
            else:
                self._quotas.append(_Quota(on, None, None, requests, per))
        return self

    def transcription(
        self, text: str, *, language: str | None = "en", times: int | None = 1
    ) -> Script:
        """Queue the text of the next transcription."""
        return self._result(
            "transcription", {"text": text, "language": language}, times
        )

    def moderation(
        self,
        scores: Mapping[str, float] | None = None,
        *,
        times: int | None = 1,
        **named: float,
    ) -> Script:
        """Queue category scores for the next moderation (other categories: ~0)."""
        return self._result("moderation", {**(scores or {}), **named}, times)

    def classification(
        self, scores: Mapping[str, Mapping[str, float]], *, times: int | None = 1
    ) -> Script:
        """Queue `{target: {label: score}}` for the next classification."""
        return self._result("classification", dict(scores), times)

    def batch_outcome(
        self, status: str = "FAILED", *, after: float = 0.5, times: int | None = 1
    ) -> Script:
        """End the next batch job(s) `status` once `after` (0..1) of their lines ran.

        `status`: "FAILED" or "TIMEOUT_EXCEEDED"; the lines that ran keep their
        answers in the job's output and error files.
        """
        return self._result("batch", {"status": status, "after": after}, times)

    def _result(self, kind: str, value: object, times: int | None) -> Script:
        with self._lock:
            self._results.setdefault(kind, []).append(_Queued(None, times, None, value))
        return self

    def next_result(self, kind: str) -> Any:
        """Return the scripted result of `kind` ("transcription", ...), or None."""
        with self._lock:
            return self._take(self._results.get(kind, []))

    def interception(
        self, operation_id: str, method: str, route: str, path: str
    ) -> tuple[ScriptedError | RateLimited | None, float, QuotaWindow | None]:
        """Return the scripted error (or 429), latency and quota left for a request."""
        with self._lock:
            where = (operation_id, method, route, path)
            latency = self._take(self._latency, where=where)
            failure = self._take(self._errors, where=where)
            window = None
            if failure is None:
                failure, window = self._quota(where)
        assert failure is None or isinstance(failure, ScriptedError | RateLimited)
        delay = float(latency) if isinstance(latency, int | float) else 0.0
        return failure, delay, window

    def _quota(
        self, where: tuple[str, str, str, str]
    ) -> tuple[RateLimited | None, QuotaWindow | None]:
        now = self._clock.now()
        tightest: QuotaWindow | None = None
        for quota in self._quotas:
            if not matches(quota.on, *where):
                continue
            if quota.window_start is None or now >= quota.window_start + quota.per:
                quota.window_start, quota.used = now, 0
            quota.used += 1
            if quota.used > quota.requests:
                wait = quota.window_start + quota.per - now
                return RateLimited(wait, quota.requests), None
            left = QuotaWindow(quota.requests, quota.requests - quota.used)
            if tightest is None or left.remaining < tightest.remaining:
                tightest = left
        return None, tightest

    def _take(
        self,
        rules: list[_Queued],
        *,
        model: str | None = None,
        where: tuple[str, str, str, str] | None = None,
    ) -> object:
        for rule in rules:
            if rule.model is not None and rule.model != model:
                continue
            if where is not None and not matches(rule.on, *where):
                continue
            if rule.times is not None:
                rule.times -= 1
                if rule.times <= 0:
                    rules.remove(rule)
            return rule.item
        return None

    # ---------------------------------------------------------------- overview
    @property
    def pending(self) -> list[object]:
        """What is scripted and not used yet (replies, errors, results)."""
        with self._lock:
            queues = [self._replies, self._errors, *self._results.values()]
            return [
                rule.item
                for queue in queues
                for rule in queue
                if rule.times is not None
            ]

    def clear(self) -> None:
        """Forget everything scripted."""
        with self._lock:
            for queue in (self._replies, self._errors, self._latency, self._quotas):
                queue.clear()
            self._results.clear()
            self._responders.clear()
            self.tool_calls_when = "first_turn"

"""HEAD is answered wherever GET is: the GET answer's status and headers without its body
(RFC 9110 §9.3.2). Link checkers, feed readers and calendar clients ask HEAD first."""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send


class AnswerHeadAsGet:
    """Wraps the whole application, outside routing: Litestar routes HEAD only to handlers
    declared for it, and a handler declared for HEAD may not return a body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        if scope["method"] != "HEAD":
            await self.app(scope, receive, _allowing_head(send))
            return
        scope["method"] = "GET"

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await _allowing_head(send)(message)

        await self.app(scope, receive, without_body)


def _allowing_head(send: Send) -> Send:
    """A 405 lists the methods a URL answers: where GET is one, HEAD is too."""

    async def send_with_head_allowed(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [
                (name, _with_head(value) if name.lower() == b"allow" else value)
                for name, value in message.get("headers", [])
            ]
            message = {**message, "headers": headers}
        await send(message)

    return send_with_head_allowed


def _with_head(allow: bytes) -> bytes:
    methods = [method.strip() for method in allow.decode("latin-1").split(",") if method.strip()]
    if "GET" in methods and "HEAD" not in methods:
        methods.append("HEAD")
    return ", ".join(sorted(methods)).encode("latin-1")

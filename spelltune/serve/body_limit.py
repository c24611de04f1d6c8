"""ASGI middleware that bounds request bodies, declared or chunked, before the app reads them."""

from __future__ import annotations

from fastapi.responses import JSONResponse


class BodySizeLimit:
    """ASGI middleware: 413 for a request body over `limit` bytes, whether it says its length or not."""

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            return await self._too_large(send)
        if declared is None and scope.get("method") in ("POST", "PUT", "PATCH"):
            body, more = b"", True
            while more:  # chunked: read it all (bounded) before the app sees it
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                body += message.get("body", b"")
                more = message.get("more_body", False)
                if len(body) > self.limit:
                    return await self._too_large(send)
            sent = False

            async def replay():
                nonlocal sent
                if not sent:
                    sent = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            return await self.app(scope, replay, send)
        return await self.app(scope, receive, send)

    async def _too_large(self, send):
        response = JSONResponse({"error": f"request body is larger than {self.limit} bytes"}, status_code=413)
        await response({"type": "http"}, None, send)

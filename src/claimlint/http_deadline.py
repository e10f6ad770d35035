"""A deadline for receiving a request's headers, which uvicorn does not have.

uvicorn times out idle keep-alive connections, but its timer restarts on every byte
received, and a connection that was never used has none: a client that opens
connections and sends nothing, or trickles a header one byte at a time (Slowloris),
holds them open for ever (uvicorn issue #157, "--timeout-request-start"). ASGI
middleware cannot help: the app only sees a request once its headers are complete.

:func:`request_deadline_protocol` wraps the HTTP protocol class uvicorn would choose
(httptools when installed, else h11): from the moment a connection opens, and again
after each response, the next request's headers must arrive within ``seconds``, or the
connection is closed. A request whose headers are in is left alone: its body and its
linting are bounded by the service's own ``--timeout`` (408, 504).
"""

from __future__ import annotations

from typing import Any


def request_deadline_protocol(seconds: float) -> type:
    try:
        import httptools  # noqa: F401
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as Base
    except ImportError:
        from uvicorn.protocols.http.h11_impl import H11Protocol as Base

    class RequestDeadlineProtocol(Base):  # type: ignore[misc, valid-type]
        _claimlint_deadline: Any = None

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._claimlint_arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._claimlint_arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._claimlint_disarm()
            super().connection_lost(exc)

        def _claimlint_arm(self) -> None:
            self._claimlint_disarm()
            if not self.transport.is_closing():
                self._claimlint_deadline = self.loop.call_later(seconds, self._claimlint_expire)

        def _claimlint_disarm(self) -> None:
            if self._claimlint_deadline is not None:
                self._claimlint_deadline.cancel()
                self._claimlint_deadline = None

        def _claimlint_expire(self) -> None:
            self._claimlint_deadline = None
            cycle = getattr(self, "cycle", None)
            if cycle is None or cycle.response_complete:  # still waiting for a request's headers
                self.transport.close()

    return RequestDeadlineProtocol

"""The HTTP service: ``claimlint serve`` -- Starlette on uvicorn (``pip install 'claimlint[serve]'``).

Endpoints (all JSON; see ``GET /openapi.json``):

``POST /v1/lint``
    One document ``{"id"?, "text", "format"?}`` -> the report (the same JSON as
    ``claimlint check --format json``); several, as ``{"documents": [...]}`` or a
    JSON array -> ``{"results": [report + "id", ...]}`` in the order sent.
``GET /v1/rules``, ``GET /v1/rules/{id}``
    The rule pack; one rule's full documentation (by id, name or alias).
``GET /healthz``
    ``{"status": "ok", ...}`` once the pipeline is loaded.

The spaCy pipeline and the rule pack load once, at start-up. Requests are
linted in worker threads, at most ``concurrency`` requests at a time, so the
server keeps answering while it lints. The rule checks share the compiled
engine read-only; the call into the spaCy pipeline itself is serialised by a
lock, as spaCy does not promise that one pipeline (its tokenizer cache and
vocabulary grow as it reads) may be called from several threads at once. Every request is bounded: its body
(``max_body_bytes``, 413), its number of documents (``max_documents``, 413) and
its time (``timeout`` seconds: 503 when no worker freed up in time, 504 when
linting ran over). Errors are always ``{"error": {"status": N, "message": "..."}}``
and never a traceback. The service lints only the text it is sent: a document
naming a file (``path``, ``file``, ``url``...) is refused, and nothing is ever read
from disk or the network on a request's behalf.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from http import HTTPStatus
from typing import Any, Literal, Optional

import anyio
from pydantic import BaseModel, ConfigDict, Field
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import __version__
from .batch import PATH_LIKE, DocumentError, DocumentId, DocumentIn, lint_document, parse_document
from .config import Config
from .models import Report, Severity
from .rule_model import Docs, FailExample, PassExample, Rule

DEFAULT_MAX_BODY_BYTES = 1_000_000
DEFAULT_MAX_DOCUMENTS = 100
DEFAULT_TIMEOUT = 10.0
DEFAULT_CONCURRENCY = 4

logger = logging.getLogger("claimlint.service")


# -- the wire format (also the OpenAPI components) ------------------------------------------

class BatchRequest(BaseModel):
    """Several documents in one request, linted in order."""

    model_config = ConfigDict(extra="forbid")

    documents: list[DocumentIn] = Field(min_length=1, description="At most --max-documents (default 100).")


class LintResult(Report):
    """The report for one document of several, with the ``id`` it was sent with."""

    id: Optional[DocumentId] = None


class LintResults(BaseModel):
    model_config = ConfigDict(extra="forbid")

    results: list[LintResult]


class RuleSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    category: str
    severity: Severity
    summary: str
    default_enabled: bool
    #: Whether this server runs the rule (its config's selection).
    enabled: bool


class RuleExamples(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    fail: list[FailExample]
    passing: list[PassExample] = Field(alias="pass")


class RuleDetail(RuleSummary):
    message: str
    aliases: list[str]
    profiles: list[str]
    docs: Docs
    references: list[str]
    examples: RuleExamples
    #: The documentation as ``claimlint explain`` prints it.
    explanation: str


class Health(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["ok"] = "ok"
    version: str
    rules: int = Field(description="How many rules this server runs.")


class ErrorInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: int
    message: str
    details: Optional[list[dict[str, Any]]] = None


class ErrorResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")

    error: ErrorInfo


# -- errors ------------------------------------------------------------------------------------

class ApiError(Exception):
    def __init__(self, status: int, message: str, *, details: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.details, self.headers = status, message, details, headers


class _OutOfTime(Exception):
    """Raised in a worker thread when its request's time is up."""


#: One lock for every pipeline of the process (``get_pipeline`` shares them between engines).
_PIPELINE_LOCK = threading.Lock()


class _SerializedPipeline:
    """A spaCy pipeline that processes one text at a time; attributes pass through."""

    def __init__(self, nlp: Any, lock: threading.Lock):
        self._nlp, self._lock = nlp, lock

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return self._nlp(*args, **kwargs)

    def make_doc(self, *args: Any, **kwargs: Any) -> Any:
        # the analyzer tokenizes with make_doc and runs components itself: guard that too
        with self._lock:
            return self._nlp.make_doc(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._nlp, name)


def error_response(status: int, message: str, *, details: list[dict[str, Any]] | None = None,
                   headers: Any = None) -> JSONResponse:
    body = ErrorResponse(error=ErrorInfo(status=status, message=message, details=details))
    return JSONResponse(body.model_dump(mode="json", exclude_none=True), status_code=status,
                        headers=dict(headers) if headers else None)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.message, details=exc.details, headers=exc.headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    if status == 404:
        message = f"no such endpoint: {request.url.path} (see /openapi.json)"
    elif status == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        message = f"method {request.method} is not allowed on {request.url.path}" + (f" (allowed: {allowed})" if allowed else "")
    else:
        message = str(exc.detail or _phrase(status))
    return error_response(status, message, headers=exc.headers)


async def _internal_error(request: Request, exc: Exception) -> Response:
    logger.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal server error")


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "error"


# -- the service -------------------------------------------------------------------------------

class _Service:
    def __init__(self, config: Config, max_body_bytes: int, max_documents: int, timeout: float, concurrency: int):
        if max_body_bytes <= 0 or max_documents <= 0 or concurrency <= 0 or not timeout > 0:
            raise ValueError("max_body_bytes, max_documents, timeout and concurrency must be positive")
        self.config = config
        self.max_body_bytes = max_body_bytes
        self.max_documents = max_documents
        self.timeout = float(timeout)
        self.concurrency = concurrency
        #: A body over the limit is still read and thrown away up to this size, so that
        #: the client gets its 413 rather than a connection reset in the middle of sending.
        self.drain_limit = 4 * max_body_bytes + 65536
        self.engine = None
        self.bibliography: list[str] = []
        self.selected: set[str] = set()
        self._cancels: set[threading.Event] = set()
        self._task_group: Any = None
        self._slots: Any = None
        self._threads: Any = None
        self._openapi: dict[str, Any] | None = None

    # -- life cycle
    def load(self) -> None:
        from .api import _bibliography, get_engine

        self.engine = get_engine(self.config)
        analyzer = self.engine.analyzer
        if not isinstance(analyzer.nlp, _SerializedPipeline):
            analyzer.nlp = _SerializedPipeline(analyzer.nlp, _PIPELINE_LOCK)
        self.bibliography = _bibliography(self.config)
        self.selected = {c.rule.id for c in self.engine.rules}

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette):
        self.load()
        self._slots = anyio.Semaphore(self.concurrency)
        self._threads = anyio.CapacityLimiter(self.concurrency)
        async with anyio.create_task_group() as task_group:
            self._task_group = task_group
            try:
                yield
            finally:
                for cancel in list(self._cancels):  # lint threads stop after their current document
                    cancel.set()
        self._task_group = None

    # -- endpoints
    async def lint(self, request: Request) -> Response:
        deadline = time.monotonic() + self.timeout
        body = await self._read_body(request, deadline)
        single, documents = self._parse(body)
        reports = await self._run(documents, single, deadline)
        if single:
            return JSONResponse(reports[0].model_dump(mode="json"))
        return JSONResponse({"results": [{"id": d.id, **r.model_dump(mode="json")} for d, r in zip(documents, reports)]})

    async def rules(self, request: Request) -> Response:
        rules = sorted(self.engine.pack.rules.values(), key=lambda r: r.id)
        return JSONResponse([self._summary(r).model_dump(mode="json") for r in rules])

    async def rule(self, request: Request) -> Response:
        from .explain import explain_rule

        key = request.path_params["id"]
        pack = self.engine.pack
        rule = pack.rules.get(key) or pack.rules.get(key.upper())
        if rule is None:
            matches = [r for r in pack.rules.values() if key in (r.id, r.name) or key in r.aliases]
            if not matches:
                raise ApiError(404, f"unknown rule '{key}' (see GET /v1/rules)")
            rule = matches[0]
        detail = RuleDetail(
            **self._summary(rule).model_dump(), message=rule.message, aliases=list(rule.aliases),
            profiles=list(rule.profiles), docs=rule.docs, references=list(rule.references),
            examples=RuleExamples(fail=list(rule.examples.fail), passing=list(rule.examples.passing)),
            explanation=explain_rule(rule),
        )
        return JSONResponse(detail.model_dump(mode="json", by_alias=True))

    async def health(self, request: Request) -> Response:
        return JSONResponse(Health(version=__version__, rules=len(self.selected)).model_dump(mode="json"))

    async def openapi(self, request: Request) -> Response:
        if self._openapi is None:
            self._openapi = openapi_document(self.max_body_bytes, self.max_documents, self.timeout)
        return JSONResponse(self._openapi)

    def _summary(self, rule: Rule) -> RuleSummary:
        return RuleSummary(id=rule.id, name=rule.name, category=rule.category, severity=rule.severity,
                           summary=rule.summary, default_enabled=rule.default_enabled,
                           enabled=rule.id in self.selected)

    # -- request handling
    async def _read_body(self, request: Request, deadline: float) -> bytes:
        limit = self.max_body_bytes
        too_large = ApiError(413, f"request body too large: the limit is {limit} bytes")
        declared = request.headers.get("content-length")
        over = False
        if declared is not None:
            try:
                size = int(declared)
                if size < 0:
                    raise ValueError
            except ValueError:
                raise ApiError(400, "invalid Content-Length header") from None
            over = size > limit
            # A client waiting for "100 Continue" will not send the body; one far over the
            # limit is not worth reading. Either way, answer now.
            if over and (size > self.drain_limit or "100-continue" in request.headers.get("expect", "").lower()):
                raise too_large
        body = bytearray()
        total = 0
        try:
            with anyio.fail_after(max(deadline - time.monotonic(), 0.001)):
                async for chunk in request.stream():
                    total += len(chunk)
                    if total > limit:
                        over = True
                        body.clear()
                        if total > self.drain_limit:
                            break
                    elif not over:
                        body += chunk
        except TimeoutError:
            if over:
                raise too_large from None
            raise ApiError(408, f"the request body did not arrive within {self.timeout:g} s") from None
        except ClientDisconnect:
            raise ApiError(400, "the client disconnected before sending the whole body") from None
        if over:
            raise too_large
        return bytes(body)

    def _parse(self, body: bytes) -> tuple[bool, list[DocumentIn]]:
        if not body.strip():
            raise ApiError(400, "empty request body: send a JSON document {\"text\": ...}")
        try:
            value = json.loads(body)
        except RecursionError:
            raise ApiError(400, "malformed JSON: nested too deeply") from None
        except UnicodeDecodeError:
            raise ApiError(400, "malformed JSON: the body is not UTF-8") from None
        except ValueError as exc:
            raise ApiError(400, f"malformed JSON: {exc}") from None
        if isinstance(value, list):
            single, items = False, value
        elif isinstance(value, dict) and "documents" in value:
            extra = sorted(k for k in value if k != "documents")
            if extra:
                if any(k.lower() in PATH_LIKE for k in extra):
                    raise ApiError(422, f"field '{extra[0]}' is not accepted: only the texts sent are linted, "
                                        "no file or URL is ever read")
                raise ApiError(422, f"unknown field '{extra[0]}' next to 'documents'")
            single, items = False, value["documents"]
            if not isinstance(items, list):
                raise ApiError(422, "'documents' must be an array of documents")
        elif isinstance(value, dict):
            single, items = True, [value]
        else:
            raise ApiError(400, "expected a JSON object (one document, or {\"documents\": [...]}) "
                                "or an array of documents")
        if not items:
            raise ApiError(422, "no documents to lint")
        if len(items) > self.max_documents:
            raise ApiError(413, f"too many documents: {len(items)} sent, at most {self.max_documents} per request")
        documents: list[DocumentIn] = []
        problems: list[dict[str, Any]] = []
        for index, item in enumerate(items):
            try:
                documents.append(parse_document(item))
            except DocumentError as exc:
                problems.append({"index": index, "id": exc.id, "message": str(exc)})
        if problems:
            if single:
                raise ApiError(422, problems[0]["message"])
            first = problems[0]
            raise ApiError(422, f"{len(problems)} invalid document(s); documents[{first['index']}]: {first['message']}",
                           details=problems)
        return single, documents

    async def _run(self, documents: list[DocumentIn], single: bool, deadline: float) -> list[Report]:
        """Lint in a worker thread; answer 503/504 when the request's time runs out."""
        if self._task_group is None:
            raise RuntimeError("the claimlint app must run with its lifespan (start-up) enabled")
        try:
            with anyio.fail_after(max(deadline - time.monotonic(), 0.001)):
                await self._slots.acquire()
        except TimeoutError:
            raise ApiError(503, f"the server is busy: no worker was free within {self.timeout:g} s; try again",
                           headers={"Retry-After": "1"}) from None
        cancel = threading.Event()
        done = anyio.Event()
        outcome: dict[str, Any] = {}
        # The findings' path: the document's id, else "<text>" (one document) or "<document N>".
        paths = [str(d.id) if d.id is not None else "<text>" if single else f"<document {i}>"
                 for i, d in enumerate(documents)]

        async def runner() -> None:
            # Holds the worker slot until the thread has really finished, even after a 504.
            try:
                outcome["reports"] = await anyio.to_thread.run_sync(
                    self._lint_all, documents, paths, deadline, cancel, limiter=self._threads)
            except Exception as exc:
                outcome["error"] = exc
            finally:
                self._cancels.discard(cancel)
                self._slots.release()
                done.set()

        self._cancels.add(cancel)
        self._task_group.start_soon(runner)
        with anyio.move_on_after(max(deadline - time.monotonic(), 0.001)):
            await done.wait()
        if not done.is_set() or isinstance(outcome.get("error"), _OutOfTime):
            cancel.set()
            raise ApiError(504, f"linting took longer than the {self.timeout:g} s limit; "
                                "send fewer or shorter documents per request")
        if "error" in outcome:
            raise outcome["error"]
        return outcome["reports"]

    def _lint_all(self, documents: list[DocumentIn], paths: list[str], deadline: float,
                  cancel: threading.Event) -> list[Report]:
        reports = []
        for document, path in zip(documents, paths):
            if cancel.is_set() or time.monotonic() >= deadline:
                raise _OutOfTime()
            reports.append(lint_document(self.engine, document, path=path, bibliography=self.bibliography))
        return reports


def create_app(config: Config | None = None, *, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
               max_documents: int = DEFAULT_MAX_DOCUMENTS, timeout: float = DEFAULT_TIMEOUT,
               concurrency: int = DEFAULT_CONCURRENCY) -> Starlette:
    """The ASGI app. The pipeline loads in its lifespan (start-up), once."""
    service = _Service(config or Config(), max_body_bytes, max_documents, timeout, concurrency)
    routes = [
        Route("/v1/lint", service.lint, methods=["POST"]),
        Route("/v1/rules", service.rules, methods=["GET"]),
        Route("/v1/rules/{id}", service.rule, methods=["GET"]),
        Route("/healthz", service.health, methods=["GET"]),
        Route("/openapi.json", service.openapi, methods=["GET"]),
    ]
    app = Starlette(
        routes=routes,
        lifespan=service.lifespan,
        exception_handlers={ApiError: _api_error, HTTPException: _http_error, Exception: _internal_error},
    )
    app.state.claimlint = service
    return app


def serve(config: Config, *, host: str = "127.0.0.1", port: int = 8080,
          max_body_bytes: int = DEFAULT_MAX_BODY_BYTES, max_documents: int = DEFAULT_MAX_DOCUMENTS,
          timeout: float = DEFAULT_TIMEOUT, concurrency: int = DEFAULT_CONCURRENCY) -> int:
    """Run the service under uvicorn until interrupted; returns the exit code."""
    import uvicorn

    from .api import get_engine

    get_engine(config)  # a bad config or model fails here (exit 2), before the port opens
    app = create_app(config, max_body_bytes=max_body_bytes, max_documents=max_documents, timeout=timeout,
                     concurrency=concurrency)
    from .http_deadline import request_deadline_protocol

    # the headers of each request must arrive within max(timeout, 5) s (slow and idle clients)
    uvicorn.run(app, host=host, port=port, lifespan="on", server_header=False, log_level="info",
                timeout_graceful_shutdown=int(timeout) + 5, http=request_deadline_protocol(max(timeout, 5.0)))
    return 0


# -- OpenAPI -----------------------------------------------------------------------------------

def _components() -> dict[str, Any]:
    from pydantic.json_schema import models_json_schema

    models = [(DocumentIn, "validation"), (BatchRequest, "validation"), (Report, "serialization"),
              (LintResults, "serialization"), (RuleSummary, "serialization"), (RuleDetail, "serialization"),
              (Health, "serialization"), (ErrorResponse, "serialization")]
    _, schema = models_json_schema(models, ref_template="#/components/schemas/{model}")
    return schema.get("$defs", {})


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    return {str(s): _json(_ref("ErrorResponse"), _phrase(s)) for s in statuses}


def openapi_document(max_body_bytes: int = DEFAULT_MAX_BODY_BYTES, max_documents: int = DEFAULT_MAX_DOCUMENTS,
                     timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
    """The OpenAPI 3.1 description of every endpoint, with this server's limits."""
    schemas = _components()
    default_error = {"default": _json(_ref("ErrorResponse"), "Any other error (404, 405, 500...)")}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "claimlint",
            "version": __version__,
            "description": (
                "Lint health-marketing copy. Only the text sent is linted; no file is ever read. "
                f"Limits: request body {max_body_bytes} bytes, {max_documents} documents per request, "
                f"{timeout:g} s per request. Errors are {{\"error\": {{\"status\": N, \"message\": \"...\"}}}}."
            ),
        },
        "paths": {
            "/v1/lint": {"post": {
                "operationId": "lint",
                "summary": "Lint one document or several",
                "requestBody": {"required": True, **_json(
                    {"oneOf": [_ref("DocumentIn"), _ref("BatchRequest"),
                               {"type": "array", "items": _ref("DocumentIn"), "minItems": 1, "maxItems": max_documents}]},
                    "One document, {\"documents\": [...]}, or an array of documents")},
                "responses": {
                    "200": _json({"oneOf": [_ref("Report"), _ref("LintResults")]},
                                 "The report for one document, or {\"results\": [...]} for several, in order"),
                    **_errors(400, 408, 413, 422, 500, 503, 504), **default_error,
                },
            }},
            "/v1/rules": {"get": {
                "operationId": "listRules",
                "summary": "The rule pack",
                "responses": {"200": _json({"type": "array", "items": _ref("RuleSummary")}, "Every rule, by id"),
                              **default_error},
            }},
            "/v1/rules/{id}": {"get": {
                "operationId": "getRule",
                "summary": "One rule's documentation",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"},
                                "description": "A rule id (CL101), name or alias"}],
                "responses": {"200": _json(_ref("RuleDetail"), "The rule's documentation"),
                              **_errors(404), **default_error},
            }},
            "/healthz": {"get": {
                "operationId": "health",
                "summary": "Liveness and readiness",
                "responses": {"200": _json(_ref("Health"), "The pipeline is loaded"), **default_error},
            }},
            "/openapi.json": {"get": {
                "operationId": "openapi",
                "summary": "This document",
                "responses": {"200": _json({"type": "object"}, "The OpenAPI document")},
            }},
        },
        "components": {"schemas": schemas},
    }

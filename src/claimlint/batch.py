"""Documents sent as JSON: batch mode (``claimlint check --stdin-jsonl``) and the HTTP service.

A document is ``{"id": ..., "text": "...", "format": "markdown"}``: ``text`` is
required, ``id`` (a string or an integer) and ``format`` (markdown, html or
text; markdown by default) are optional, and nothing else is accepted -- in
particular no ``path``: only the text sent is linted and no file is ever read.

:func:`lint_jsonl` is the batch mode: a generator over input lines (one JSON
document per line) that yields one result per line, in order, and never prints::

    {"id": "home", "findings": [...], "errors": [...]}     # a document linted
    {"id": null, "line": 3, "error": "invalid JSON: ..."}  # a line that is not a document

Blank lines are skipped. ``findings`` and ``errors`` hold the same objects as
the JSON report's ``findings`` and ``errors``.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Iterator, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError, field_validator

from . import __version__
from .config import Config
from .engine import Engine
from .models import SEVERITY_ORDER, Report, ToolInfo

Format = Literal["markdown", "html", "text"]
DocumentId = Union[StrictStr, StrictInt]

#: Fields that would name a file (or any other place) to read: always refused.
PATH_LIKE = frozenset({"path", "paths", "file", "files", "filename", "url", "uri", "src", "source"})


class DocumentIn(BaseModel):
    """One document to lint: its text, and optionally an id to echo back and its format."""

    model_config = ConfigDict(extra="forbid", title="Document")

    id: DocumentId | None = Field(default=None, description="Echoed back with the result; also the findings' path.")
    text: StrictStr = Field(description="The document itself. Only this text is linted; no file is ever read.")
    format: Format = Field(default="markdown", description="How to read the text.")

    @field_validator("id", mode="before")
    @classmethod
    def _string_or_integer(cls, value: Any) -> Any:
        if value is None or isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        raise ValueError(f"must be a string or an integer, not {_json_type(value)}")

    @field_validator("id", "text")
    @classmethod
    def _encodable(cls, value: Any) -> Any:
        """JSON may escape a lone surrogate ("\\ud800"): no UTF-8 answer could carry it back."""
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ValueError(f"not valid Unicode: an unpaired surrogate \\u{ord(value[exc.start]):04x} "
                                 f"at character {exc.start}") from None
        return value


class DocumentError(ValueError):
    """A JSON value that is not a valid document; ``str()`` says what is wrong."""

    def __init__(self, message: str, id: Any = None):  # noqa: A002
        super().__init__(message)
        self.id = id


def describe_validation_error(exc: ValidationError) -> str:
    """A one-line summary of pydantic's errors: ``text: Field required; format: ...``."""
    parts = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(p) for p in error.get("loc", ()))
        message = error.get("msg", "invalid").removeprefix("Value error, ")
        if error.get("type") == "extra_forbidden":
            message = "unknown field"
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts) or "invalid document"


def _echo_id(value: Any) -> Any:
    """The ``id`` of a rejected document, when it is one a result could carry."""
    if isinstance(value, dict):
        value = value.get("id")
        if isinstance(value, str):
            try:
                value.encode("utf-8")  # an unpaired surrogate could not be sent back
            except UnicodeEncodeError:
                return None
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def parse_document(value: Any) -> DocumentIn:
    """Validate one decoded JSON value as a document, or raise :class:`DocumentError`."""
    if not isinstance(value, dict):
        raise DocumentError(f"expected a JSON object with a \"text\" field, got {_json_type(value)}")
    refused = sorted(k for k in value if isinstance(k, str) and k.lower() in PATH_LIKE)
    if refused:
        raise DocumentError(f"field '{refused[0]}' is not accepted: only the \"text\" sent is linted, "
                            "no file or URL is ever read", _echo_id(value))
    try:
        return DocumentIn.model_validate(value)
    except ValidationError as exc:
        raise DocumentError(describe_validation_error(exc), _echo_id(value)) from None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "an array", dict: "an object"}.get(
        type(value), type(value).__name__)


def lint_document(engine: Engine, document: DocumentIn, *, path: str | None = None,
                  bibliography: list[str] | None = None) -> Report:
    """Lint one document into a ``Report`` (the same one ``lint_text`` returns)."""
    from .api import lint_document_text

    name = path or (str(document.id) if document.id is not None else "<text>")
    findings, problems = lint_document_text(engine, document.text, name, document.format, bibliography or [])
    report = Report(tool=ToolInfo(version=__version__), findings=findings, errors=problems)
    report.summary.files = 1
    return report.summarise()


def lint_jsonl(lines: Iterable[str | bytes], config: Config | None = None, *,
               encoding: str = "utf-8", default_format: str = "markdown") -> Iterator[dict[str, Any]]:
    """Lint one JSON document per line; yield one result per non-blank line, in order.

    ``default_format`` is the format of documents that do not give one.

    The engine (and the spaCy pipeline) is built before the first line is read,
    so a bad config raises here, not half-way through the stream.
    """
    from .api import _bibliography, get_engine

    config = config or Config()
    engine = get_engine(config)
    bibliography = _bibliography(config)
    return _results(lines, engine, bibliography, encoding, default_format, config.max_file_size)


def _results(lines: Iterable[str | bytes], engine: Engine, bibliography: list[str],
             encoding: str, default_format: str, max_bytes: int | None = None) -> Iterator[dict[str, Any]]:
    for number, raw in enumerate(lines, 1):
        if max_bytes is not None and len(raw) > max_bytes:
            unit = "bytes" if isinstance(raw, bytes) else "characters"
            yield {"id": None, "line": number,
                   "error": f"line is {len(raw)} {unit}, over the {max_bytes}-byte limit (--max-file-size)"}
            continue
        try:
            line = raw.decode(encoding) if isinstance(raw, bytes) else raw
        except UnicodeDecodeError as exc:
            yield {"id": None, "line": number, "error": f"line is not valid {encoding}: {exc.reason}"}
            continue
        if number == 1:
            line = line.lstrip("\ufeff")
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except RecursionError:
            yield {"id": None, "line": number, "error": "invalid JSON: nested too deeply"}
            continue
        except ValueError as exc:
            yield {"id": None, "line": number, "error": f"invalid JSON: {exc}"}
            continue
        if isinstance(value, dict) and "format" not in value:
            value = {**value, "format": default_format}
        try:
            document = parse_document(value)
        except DocumentError as exc:
            yield {"id": exc.id, "line": number, "error": str(exc)}
            continue
        path = str(document.id) if document.id is not None else f"<line {number}>"
        try:
            report = lint_document(engine, document, path=path, bibliography=bibliography)
        except Exception as exc:  # a bug in a rule must not end the stream
            yield {"id": document.id, "line": number,
                   "error": f"internal error while linting: {exc.__class__.__name__}: {exc}"}
            continue
        dumped = report.model_dump(mode="json")
        yield {"id": document.id, "findings": dumped["findings"], "errors": dumped["errors"]}


def fails(result: dict[str, Any], fail_on: str) -> bool:
    """True when a batch result holds an unsuppressed finding at or above ``fail_on``."""
    threshold = SEVERITY_ORDER[fail_on]
    return any(f.get("suppressed") is None and SEVERITY_ORDER[f["severity"]] >= threshold
               for f in result.get("findings", ()))

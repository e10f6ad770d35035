"""Linting past one machine: Dask (``pip install 'claimlint[dask]'``).

Two entry points, both importing Dask only when called (claimlint itself never
needs it):

:func:`lint_records` -- a content library already in Dask::

    import json, dask.bag as db, dask.dataframe as dd
    from claimlint.dask import lint_records, to_report, write_parquet

    docs = db.read_text("export/*.jsonl").filter(str.strip).map(json.loads)   # or
    docs = dd.read_parquet("export/")               # columns id, text, format (optional)
    results = lint_records(docs)                    # a dask.bag, one result per document
    results.compute()                               # [{"id": ..., "findings": [...], "errors": [...]}, ...]
    write_parquet(results, "claimlint-findings/")   # one row per finding

Each record gives ``text`` and optionally ``id`` (a string or an integer, also
the findings' ``path``) and ``format`` (markdown, html or text; missing, None
or NaN means ``default_format``, markdown unless said otherwise). Other fields
or columns (title, url, author...) are ignored: only ``text`` is linted. Each
result is what ``claimlint check --stdin-jsonl`` prints for a document:
``{"id", "findings", "errors"}`` with the JSON report's finding and error
objects, or ``{"id", "error"}`` for a record that is not a document (no text,
an unknown format...). Results keep the order of the records.

:func:`lint_paths_dask` -- ``claimlint check --dask tcp://scheduler:8786 PATHS``:
the files are found and read on this machine (workers never need to see them),
sent to the cluster in batches, and the findings gathered into the same
``Report``, in the same order, as :func:`claimlint.lint_paths` gives.

How work reaches the workers: the rule pack, the selected rules and their
severities, the bibliography and the ``--model`` name are resolved here (so a
bad config fails here, before anything is sent) and shipped once as an
:class:`EngineSpec`; each worker process builds the engine from it once and
keeps it for every later partition and call (keyed by the spec's content hash).
Workers therefore need claimlint (the same version) and, with ``--model``, that
spaCy pipeline installed, but not the config file, your rule directories or
the bibliography. Linting within one worker process is serialised (spaCy does
not promise a pipeline may be called from two threads at once): give workers
one thread each and scale with processes (``dask worker --nthreads 1 --nworkers N``).
"""

from __future__ import annotations

import hashlib
import math
import numbers
import pickle
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from . import __version__
from .config import Config
from .models import Diagnostic, Finding, Report, ToolInfo

__all__ = ["DaskError", "EngineSpec", "engine_spec", "lint_paths_dask", "lint_records", "to_report",
           "write_parquet", "FINDING_COLUMNS", "ERROR_COLUMNS"]

INSTALL_HINT = "install it with: pip install 'claimlint[dask]' (on this machine and on every worker)"

#: Columns of :func:`write_parquet`'s findings dataset: the document id, then the JSON report's finding fields.
FINDING_COLUMNS = ("id", "path", "rule", "name", "category", "severity", "message", "text", "line", "column",
                   "end_line", "end_column", "offset", "end_offset", "suggestion", "url", "suppressed")
#: Columns of its optional errors dataset: the document id, then the JSON report's error fields.
ERROR_COLUMNS = ("id", "path", "message", "line", "level")


class DaskError(Exception):
    """Dask could not be used: the extra is missing, the scheduler is unreachable, a worker failed."""


def _require(*modules: str) -> None:
    import importlib

    for name in modules:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if (exc.name or "").partition(".")[0] not in ("dask", "distributed", "pandas", "pyarrow", "fsspec"):
                raise
            raise DaskError(f"the dask extra is not installed (no module named {exc.name!r}); {INSTALL_HINT}") from None


# -- the engine, shipped once and built once per worker process ----------------------------------

@dataclass(frozen=True)
class EngineSpec:
    """Everything a worker needs to build the engine, with no file to read: the rule pack,
    the selected rule ids and their severities, the ``model`` name and the bibliography."""

    token: str  # sha256 of payload: the key of the engine in each worker's cache
    version: str  # claimlint's version on the client
    payload: bytes  # pickle of (pack, rule ids, severities, model, bibliography)


#: token -> (engine, bibliography, lock), per process; the client process seeds it with its own engine.
_ENGINES: OrderedDict[str, tuple[Any, list[str], threading.Lock]] = OrderedDict()
_ENGINES_LOCK = threading.Lock()
_MAX_ENGINES = 4
_BUILDS = 0


def engine_spec(config: Config | None = None) -> EngineSpec:
    """Resolve ``config`` here (raising ``RuleError`` as ``lint_text`` would) into a picklable spec."""
    from .api import _bibliography, get_engine

    config = config or Config()
    engine = get_engine(config)  # validates the selection and the model; cached per process
    bibliography = _bibliography(config)
    severities = {c.rule.id: c.severity for c in engine.rules}
    payload = pickle.dumps((engine.pack, [c.rule.id for c in engine.rules], severities, config.model, bibliography),
                           protocol=pickle.HIGHEST_PROTOCOL)
    spec = EngineSpec(hashlib.sha256(payload).hexdigest(), __version__, payload)
    with _ENGINES_LOCK:
        if spec.token not in _ENGINES:  # in-process schedulers reuse the engine just built
            _remember(spec.token, (engine, bibliography, threading.Lock()))
    return spec


def _remember(token: str, entry: tuple[Any, list[str], threading.Lock]) -> None:
    _ENGINES[token] = entry
    while len(_ENGINES) > _MAX_ENGINES:
        _ENGINES.popitem(last=False)


def _worker_engine(spec: EngineSpec) -> tuple[Any, list[str], threading.Lock]:
    """The engine for ``spec`` in this process, built on first use."""
    global _BUILDS
    if spec.version != __version__:
        raise DaskError(f"claimlint {__version__} on a Dask worker, {spec.version} on the client: "
                        "install the same version everywhere")
    with _ENGINES_LOCK:
        entry = _ENGINES.get(spec.token)
        if entry is None:
            from .engine import Engine

            pack, rule_ids, severities, model, bibliography = pickle.loads(spec.payload)
            engine = Engine(pack, [pack.rules[i] for i in rule_ids], severities, model=model)
            entry = (engine, bibliography, threading.Lock())
            _remember(spec.token, entry)
            _BUILDS += 1
        else:
            _ENGINES.move_to_end(spec.token)
    return entry


def _engine_builds() -> int:
    """How many engines this process has built from specs (for tests: ``client.run(...)``)."""
    return _BUILDS


# -- records: a dask.bag of dicts or a dask.dataframe ---------------------------------------------

def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return type(value).__name__ in ("NAType", "NaTType")


def _plain(value: Any, *, is_id: bool = False) -> Any:
    """numpy/pandas scalars -> Python values; missing values -> None."""
    if _missing(value):
        return None
    if isinstance(value, str):
        return str(value)
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and type(value).__name__ != "bool_":
        return int(value)
    if is_id and isinstance(value, float) and value.is_integer():
        return int(value)  # an integer id column with gaps is float in pandas
    return value


def _document(record: Any, default_format: str) -> Any:
    from .batch import DocumentError, DocumentIn, _json_type, describe_validation_error
    from pydantic import ValidationError

    if not isinstance(record, Mapping):
        raise DocumentError(f"expected a record with a \"text\" field, got {_json_type(record)}")
    value = {key: _plain(record[key], is_id=key == "id") for key in ("id", "text", "format") if key in record}
    if value.get("format") is None:
        value["format"] = default_format
    document_id = value.get("id")
    try:
        return DocumentIn.model_validate(value)
    except ValidationError as exc:
        echo = document_id if isinstance(document_id, (str, int)) and not isinstance(document_id, bool) else None
        raise DocumentError(describe_validation_error(exc), echo) from None


def _lint_partition(records: Iterable[Any], spec: EngineSpec, default_format: str) -> list[dict[str, Any]]:
    from .api import lint_document_text
    from .batch import DocumentError

    engine, bibliography, lock = _worker_engine(spec)
    out: list[dict[str, Any]] = []
    for record in records:
        try:
            document = _document(record, default_format)
        except DocumentError as exc:
            out.append({"id": exc.id, "error": str(exc)})
            continue
        path = str(document.id) if document.id is not None else "<text>"
        try:
            with lock:
                findings, problems = lint_document_text(engine, document.text, path, document.format, bibliography)
        except Exception as exc:  # a bug in a rule must not fail the whole computation
            out.append({"id": document.id, "error": f"internal error while linting: {exc.__class__.__name__}: {exc}"})
            continue
        out.append({"id": document.id,
                    "findings": [f.model_dump(mode="json") for f in findings],
                    "errors": [p.model_dump(mode="json") for p in problems]})
    return out


def lint_records(records: Any, *, config: Config | None = None, default_format: str = "markdown") -> Any:
    """Lint a ``dask.bag`` of dicts or a ``dask.dataframe`` (columns ``text``, optionally ``id`` and
    ``format``) into a ``dask.bag`` of per-document results, in the records' order. Lazy: nothing
    runs until ``.compute()`` (or :func:`write_parquet`, :func:`to_report`).

    ``config`` defaults to ``Config()`` (as for :func:`claimlint.lint_text`); it is resolved here,
    so an unknown rule id raises ``RuleError`` at once.
    """
    _require("dask", "dask.bag")
    import dask
    import dask.bag as db

    if default_format not in ("markdown", "html", "text"):
        raise ValueError(f"default_format must be markdown, html or text, not {default_format!r}")
    if isinstance(records, db.Bag):
        bag = records
    else:
        frame = None
        try:
            import dask.dataframe as dd

            frame = records if isinstance(records, dd.DataFrame) else None
        except ImportError:  # dask without pandas: only bags are possible
            pass
        if frame is None:
            raise TypeError(f"lint_records expects a dask.bag of dicts or a dask.dataframe, not {type(records).__name__}")
        if "text" not in frame.columns:
            raise ValueError(f"the dataframe has no 'text' column (columns: {', '.join(map(str, frame.columns))})")
        bag = frame[[c for c in ("id", "text", "format") if c in frame.columns]].to_bag(format="dict")
    spec = engine_spec(config)
    shipped = dask.delayed(spec, name=f"claimlint-engine-{spec.token[:16]}", traverse=False)
    return bag.map_partitions(_lint_partition, shipped, default_format)


def to_report(results: Any) -> Report:
    """Per-document results (a list, or a bag that is computed) -> one ``Report``, in order.
    A record that was not a document becomes an error naming its id."""
    if hasattr(results, "compute"):
        results = results.compute()
    report = Report(tool=ToolInfo(version=__version__))
    for result in results:
        name = str(result["id"]) if result.get("id") is not None else "<text>"
        if "error" in result:
            report.errors.append(Diagnostic(path=name, message=result["error"]))
            continue
        report.findings += [Finding.model_validate(f) for f in result["findings"]]
        report.errors += [Diagnostic.model_validate(e) for e in result["errors"]]
        report.summary.files += 1
        report.paths.append(name)
    return report.summarise()


# -- Parquet: one row per finding ------------------------------------------------------------------

def _schemas() -> tuple[Any, Any]:
    import pyarrow as pa

    text, integer = pa.string(), pa.int64()
    findings = pa.schema([(c, integer if c in ("line", "column", "end_line", "end_column", "offset", "end_offset") else text)
                          for c in FINDING_COLUMNS[:-1]]
                         + [("suppressed", pa.struct([("kind", text), ("line", integer), ("reason", text)]))])
    errors = pa.schema([("id", text), ("path", text), ("message", text), ("line", integer), ("level", text)])
    return findings, errors


def _id_text(value: Any) -> str | None:
    return None if value is None else str(value)


def _rows(results: Iterable[dict[str, Any]], kind: str) -> Iterator[dict[str, Any]]:
    for result in results:
        document_id = _id_text(result.get("id"))
        if kind == "findings":
            for finding in result.get("findings", ()):
                yield {"id": document_id, **finding}
        elif "error" in result:
            yield {"id": document_id, "path": document_id or "<text>", "message": result["error"], "line": None,
                   "level": "error"}
        else:
            for error in result.get("errors", ()):
                yield {"id": document_id, **error}


def _write_part(results: list[dict[str, Any]], path: str, index: int, kind: str,
                storage_options: dict[str, Any] | None) -> int:
    import fsspec
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _schemas()[0 if kind == "findings" else 1]
    table = pa.Table.from_pylist(list(_rows(results, kind)), schema=schema)
    fs, root = fsspec.core.url_to_fs(path, **(storage_options or {}))
    fs.makedirs(root, exist_ok=True)
    with fs.open(f"{root.rstrip('/')}/part.{index:05d}.parquet", "wb") as handle:
        pq.write_table(table, handle)
    return table.num_rows


def _prepare(path: str, overwrite: bool, storage_options: dict[str, Any] | None) -> None:
    import fsspec

    fs, root = fsspec.core.url_to_fs(path, **(storage_options or {}))
    if fs.exists(root):
        if not fs.isdir(root):
            raise FileExistsError(f"{path} exists and is not a folder")
        if fs.ls(root):
            if not overwrite:
                raise FileExistsError(f"{path} is not empty (pass overwrite=True to replace it)")
            fs.rm(root, recursive=True)
    fs.makedirs(root, exist_ok=True)


def write_parquet(results: Any, path: str | Path, *, errors_path: str | Path | None = None, overwrite: bool = False,
                  storage_options: dict[str, Any] | None = None, **compute_kwargs: Any) -> int:
    """Write :func:`lint_records` results as a Parquet dataset: **one row per finding**, columns
    :data:`FINDING_COLUMNS` (the document ``id`` as a string, then the JSON report's finding fields,
    ``suppressed`` a struct ``{kind, line, reason}`` or null). One file per partition,
    ``part.00000.parquet``..., so reading the folder back gives the findings in order.

    Documents without findings have no row; their per-document errors (and records that were not
    documents) go to ``errors_path`` when given, one row per error (:data:`ERROR_COLUMNS`), computed
    in the same pass. ``path`` may be any fsspec URL (``s3://...``); files are written by the
    workers, so on a cluster it must be storage they all reach. ``compute_kwargs`` go to
    ``dask.compute`` (e.g. ``scheduler=client``; by default the current default scheduler).
    Returns the number of finding rows.
    """
    _require("dask", "pyarrow", "fsspec")
    import dask
    import dask.bag as db

    if not isinstance(results, db.Bag):
        results = db.from_sequence(list(results), npartitions=1)
    targets = [(str(path), "findings")] + ([(str(errors_path), "errors")] if errors_path is not None else [])
    for target, _ in targets:
        _prepare(target, overwrite, storage_options)
    parts = results.to_delayed()
    write = dask.delayed(_write_part, pure=False)
    tasks = {kind: [write(part, target, i, kind, storage_options) for i, part in enumerate(parts)]
             for target, kind in targets}
    counts = dask.compute(tasks, **compute_kwargs)[0]
    return sum(counts["findings"])


# -- files: claimlint check --dask ADDRESS PATHS --------------------------------------------------

def _lint_batch(batch: list[tuple[str, str, str]], spec: EngineSpec) -> list[tuple[list[Finding], list[Diagnostic]]]:
    from .api import lint_document_text

    engine, bibliography, lock = _worker_engine(spec)
    out: list[tuple[list[Finding], list[Diagnostic]]] = []
    for path, text, fmt in batch:
        try:
            with lock:
                out.append(lint_document_text(engine, text, path, fmt, bibliography))
        except Exception as exc:  # reported on the file, as an error (exit code 2)
            out.append(([], [Diagnostic(path=path, message=f"internal error while linting: "
                                                             f"{exc.__class__.__name__}: {exc}")]))
    return out


def _connect(target: Any, timeout: float) -> tuple[Any, bool]:
    """A ``distributed.Client`` and whether we opened it (and so must close it)."""
    from distributed import Client

    if isinstance(target, Client):
        return target, False
    address = getattr(target, "scheduler_address", target)  # a Cluster object, or an address
    try:
        return Client(address, timeout=timeout, set_as_default=False), True
    except (OSError, TimeoutError, ValueError) as exc:
        raise DaskError(f"cannot connect to the Dask scheduler at {address}: {exc}") from None


def _batches(docs: Iterator[tuple[str, str, str]], size: int, max_bytes: int) -> Iterator[list[tuple[str, str, str]]]:
    batch: list[tuple[str, str, str]] = []
    used = 0
    for doc in docs:
        if batch and (len(batch) >= size or used + len(doc[1]) > max_bytes):
            yield batch
            batch, used = [], 0
        batch.append(doc)
        used += len(doc[1])
    if batch:
        yield batch


def _cluster_failure(exc: BaseException) -> DaskError:
    if isinstance(exc, DaskError):
        return exc
    if isinstance(exc, ModuleNotFoundError) and (exc.name or "").partition(".")[0] == "claimlint":
        return DaskError(f"the Dask workers cannot import claimlint; {INSTALL_HINT}")
    return DaskError(f"the Dask run failed: {exc.__class__.__name__}: {exc}")


def lint_paths_dask(paths: Iterable[str], client_or_address: Any, config: Config | None = None, *,
                    input_format: str | None = None, encoding: str | None = None, batch_size: int = 64,
                    batch_bytes: int = 4_000_000, timeout: float = 30) -> Report:
    """:func:`claimlint.lint_paths`, with the linting done by a Dask cluster.

    ``client_or_address`` is a ``distributed.Client``, a cluster object, or a scheduler address
    (``tcp://scheduler:8786``; a client opened here is closed here). Files are discovered and read
    here and shipped in batches of at most ``batch_size`` files and ``batch_bytes`` characters;
    the report is the one ``lint_paths`` gives (same findings, errors and order). Raises
    :class:`DaskError` when Dask is missing, the scheduler cannot be reached in ``timeout``
    seconds, or the cluster fails.
    """
    _require("dask", "distributed")
    from distributed import as_completed

    from .config import find_config
    from .files import InputError, discover, read_file
    from .sources import format_for_path

    paths = list(paths)
    if config is None:
        config = find_config(Path(paths[0]) if paths else Path.cwd())
    spec = engine_spec(config)
    client, opened = _connect(client_or_address, timeout)
    try:
        files, missing = discover(paths, config.include or None, config.exclude)
        report = Report(tool=ToolInfo(version=__version__))
        report.errors += [Diagnostic(path=m, message="no such file or directory") for m in missing]
        #: per file, in order: the Diagnostic of a file that could not be read, or its position in the run
        slots: list[Diagnostic | int] = []

        def documents() -> Iterator[tuple[str, str, str]]:
            count = 0
            for path in files:
                try:
                    text = read_file(path, encoding, config.max_file_size)
                except InputError as exc:
                    level = "warning" if "binary" in str(exc) else "error"
                    slots.append(Diagnostic(path=path, message=str(exc), level=level))
                    continue
                slots.append(count)
                count += 1
                yield path, text, input_format or format_for_path(path)

        results: dict[int, list[tuple[list[Finding], list[Diagnostic]]]] = {}
        try:
            shipped = client.scatter(spec, broadcast=True, hash=False, timeout=timeout)
            window = max(4, 2 * sum(client.nthreads().values()))
            pending = as_completed(loop=client.loop, with_results=False)
            index_of: dict[str, int] = {}

            def collect(future: Any) -> None:
                results[index_of.pop(future.key)] = future.result()

            for index, batch in enumerate(_batches(documents(), max(1, batch_size), max(1, batch_bytes))):
                future = client.submit(_lint_batch, batch, shipped, pure=False)
                index_of[future.key] = index
                pending.add(future)
                while pending.count() >= window:
                    collect(next(pending))
            for future in pending:
                collect(future)
            del shipped
        except Exception as exc:
            raise _cluster_failure(exc) from None
    finally:
        if opened:
            client.close()
    linted = [pair for index in sorted(results) for pair in results[index]]
    for slot, path in zip(slots, files):
        if isinstance(slot, Diagnostic):
            report.errors.append(slot)
            continue
        findings, problems = linted[slot]
        report.findings += findings
        report.errors += problems
        report.summary.files += 1
        report.paths.append(path)
    return report.summarise()

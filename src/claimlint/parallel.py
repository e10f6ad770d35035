"""Lint many files: from the cache, in worker processes, or in this process.

:func:`lint_files` returns one :class:`FileResult` per file, in the order the files were
given, whichever way each was linted, so the report is the same as a serial run's.

- With a :class:`~claimlint.cache.Cache`, each file is read and hashed here; files whose
  entry matches are not linted again, and results linted here or in a worker are stored
  (by this process, under the hash of the text that was actually linted).
- With ``jobs > 1`` and enough bytes left to lint (``min_parallel_bytes``, default
  :data:`MIN_PARALLEL_BYTES`, or ``$CLAIMLINT_PARALLEL_MIN_BYTES``), ``jobs - 1`` worker
  processes and this process share the files. On Linux, when this process runs no other
  thread (the command line), this process builds its engine first (which also reports a bad
  rule or config exactly as a serial run does) and the workers are forked from it: they start
  with the engine built, at no cost. Elsewhere, or beside other threads (a server), workers are
  spawned (a new interpreter: safe whatever threads run) and each builds the engine once (the
  pool's initializer) while this process builds its own. Workers are sent batches of paths, a
  few ahead; each reads, lints and returns each file's findings and diagnostics, and this
  process takes batches from the same queue. Batches go from big to small
  (biggest files first) and, once the queue is empty, this process takes back batches sent
  ahead that no worker has begun, so everyone finishes at about the same time.
- Smaller runs (a pre-commit hook's few files) stay in this process: a spawned worker costs
  about 0.7 s of CPU to start (a new interpreter, then an engine), a forked one little.

If the pool cannot be started, a worker dies or cannot build its engine, this process lints
the files that are left. Ctrl-C stops the workers at once.
"""

from __future__ import annotations

import os
import pickle
import zlib
from collections import deque
from contextlib import contextmanager
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import regex_facts
from .files import MAX_FILE_BYTES, InputError, read_file
from .models import Diagnostic, Finding

if TYPE_CHECKING:  # pragma: no cover
    from .cache import Cache, CacheScope
    from .config import Config
    from .engine import Engine

#: Below this many bytes still to lint, workers are not worth their start-up (about 0.7 s:
#: a new interpreter and an engine each); one process lints about 1.4 MB/s. Measured on 2 CPUs
#: (whole ``claimlint check`` runs): 0.46 MB takes as long either way, 0.9 MB about 12% less
#: with a worker, 3.9 MB 2.5 s instead of 3.5 s (the linting itself 1.75-1.9x faster).
MIN_PARALLEL_BYTES = 1_000_000
ENV_MIN_BYTES = "CLAIMLINT_PARALLEL_MIN_BYTES"
#: Batch sizes (see ``_batches``): a share of what is left per process, and the smallest share.
BATCH_SHARE_DIVISOR = 4
BATCH_FLOOR_DIVISOR = 64
#: Batches sent ahead to each worker: it must not wait while this process lints a batch
#: (or builds its engine) before it next hands out work. Those not begun can be taken back.
QUEUED_PER_WORKER = 3
#: Take back batches sent ahead that no worker has begun (tests turn it off to be sure that
#: the workers, however slow to start, get the batches sent to them).
TAKE_BACK = True
#: "fork", "spawn", or None: fork where it is safe (see ``start_method``).
START_METHOD: str | None = None
#: With forked workers (no start-up cost to speak of), this many bytes are enough. Measured on
#: 2 CPUs (whole ``check --no-cache`` runs, medians of 7): 100 KB 0.81 -> 0.76 s with a worker,
#: 250 KB 0.97 -> 0.88 s, 500 KB 1.23 -> 1.01 s.
MIN_PARALLEL_BYTES_FORK = 100_000
#: Texts read for the cache lookup are kept for linting here up to this much (then read again).
KEEP_TEXT_CHARS = 32_000_000


def start_method() -> str:
    """"fork" on Linux when this process runs no other Python thread, else "spawn"."""
    if START_METHOD:
        return START_METHOD
    import multiprocessing
    import sys
    import threading

    if sys.platform == "linux" and threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return "spawn"


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)
    #: The file was read and linted (it counts in the summary and in ``Report.paths``).
    linted: bool = False


@dataclass
class RunStats:
    """What the last :func:`lint_files` call did (for tests and measurements)."""

    files: int = 0
    cached: int = 0
    in_process: int = 0
    in_workers: int = 0
    workers: int = 0


#: The statistics of the most recent run in this process.
last_run = RunStats()


def _input_error(path: str, exc: InputError) -> FileResult:
    level = "warning" if "binary" in str(exc) else "error"
    return FileResult(path, errors=[Diagnostic(path=path, message=str(exc), level=level)])


def lint_one(engine: Engine, path: str, text: str | None, input_format: str | None, encoding: str | None,
             bibliography: list[str], max_bytes: int = MAX_FILE_BYTES) -> tuple[FileResult, str | None]:
    """Read (unless ``text`` is given) and lint one file; the result and the hash of its text."""
    from .api import lint_document_text
    from .cache import text_hash
    from .sources import format_for_path

    if text is None:
        try:
            text = read_file(path, encoding, max_bytes)
        except InputError as exc:
            return _input_error(path, exc), None
    findings, problems = lint_document_text(engine, text, path, input_format or format_for_path(path), bibliography)
    return FileResult(path, findings, problems, linted=True), text_hash(text)


def lint_files(files: list[str], config: Config, *, input_format: str | None = None, encoding: str | None = None,
               jobs: int = 1, cache: Cache | None = None, min_parallel_bytes: int | None = None) -> list[FileResult]:
    """Lint ``files`` (paths as they will be reported); one result per file, in the same order."""
    from .api import _bibliography, get_engine

    global last_run
    stats = last_run = RunStats(files=len(files))
    if cache is None and jobs <= 1:  # the plain serial run, exactly as it always was
        engine = get_engine(config, check_rule_files=True)
        bibliography = _bibliography(config)
        stats.in_process = len(files)
        return [lint_one(engine, path, None, input_format, encoding, bibliography, config.max_file_size)[0]
                for path in files]

    if cache is not None:  # what earlier runs learned about the rule pack's regexes
        regex_facts.load(cache.directory)
    try:
        return _lint_files(files, config, input_format, encoding, jobs, cache, min_parallel_bytes, stats)
    finally:
        if cache is not None:
            regex_facts.save(cache)


def _lint_files(files: list[str], config: Config, input_format: str | None, encoding: str | None, jobs: int,
                cache: Cache | None, min_parallel_bytes: int | None, stats: RunStats) -> list[FileResult]:
    from .api import _bibliography, get_engine
    from .cache import text_hash

    bibliography = _bibliography(config)
    scope = cache.scope(config, input_format=input_format, encoding=encoding, bibliography=bibliography) if cache else None
    results: list[FileResult | None] = [None] * len(files)
    texts: dict[int, str] = {}  # read here for the cache lookup, kept (up to a budget) to lint here
    kept = 0
    todo: list[tuple[int, int]] = []  # (index, size) of the files to lint
    for index, path in enumerate(files):
        if scope is None:
            try:
                todo.append((index, os.path.getsize(path)))
            except OSError:
                todo.append((index, 0))
            continue
        try:
            text = read_file(path, encoding, config.max_file_size)
        except InputError as exc:
            results[index] = _input_error(path, exc)
            continue
        hit = scope.load(path, scope.key(path, text_hash(text)))
        if hit is None:
            if kept + len(text) <= KEEP_TEXT_CHARS:
                texts[index] = text
                kept += len(text)
            todo.append((index, len(text)))
        else:
            results[index] = FileResult(path, hit[0], hit[1], linted=True)
            stats.cached += 1

    run = _Run(files, results, texts, config, bibliography, input_format, encoding, scope, stats)
    threshold = min_parallel_bytes
    if threshold is None:
        default = MIN_PARALLEL_BYTES_FORK if jobs > 1 and start_method() == "fork" else MIN_PARALLEL_BYTES
        try:
            threshold = int(os.environ.get(ENV_MIN_BYTES) or default)
        except ValueError:
            threshold = default
    if jobs > 1 and len(todo) > 1 and sum(size for _, size in todo) >= threshold:
        run.with_workers(_batches(todo, jobs), jobs - 1)
    left = [index for index, _ in todo if results[index] is None]
    # A cache hit was stored under this very config and rule pack, so they are valid; otherwise
    # build the engine (as a serial run does) even with nothing left to lint, to report their errors.
    if left or not stats.cached:
        run.engine = get_engine(config, check_rule_files=True)
    for index in left:
        run.lint_here(index)
    return results  # type: ignore[return-value]


def _batches(todo: list[tuple[int, int]], jobs: int) -> list[list[int]]:
    """Indices in batches, largest files first and largest batches first: each batch holds about
    1/(4 * jobs) of the bytes still left, down to 1/(64 * jobs) of all (guided scheduling), so
    the run starts with few round trips and ends with small batches that finish together."""
    ordered = sorted(todo, key=lambda item: (-item[1], item[0]))
    remaining = sum(max(size, 1) for _, size in ordered)
    floor = max(1, remaining // (jobs * BATCH_FLOOR_DIVISOR))
    target = max(floor, remaining // (jobs * BATCH_SHARE_DIVISOR))
    batches: list[list[int]] = []
    current: list[int] = []
    size_now = 0
    for index, size in ordered:
        current.append(index)
        size_now += max(size, 1)
        if size_now >= target:
            batches.append(current)
            remaining -= size_now
            current, size_now = [], 0
            target = max(floor, remaining // (jobs * BATCH_SHARE_DIVISOR))
    if current:
        batches.append(current)
    return batches


class _Run:
    """One ``lint_files`` call: lints here or in worker processes, stores in the cache."""

    def __init__(self, files, results, texts, config, bibliography, input_format, encoding,
                 scope: CacheScope | None, stats: RunStats):
        self.files, self.results, self.texts = files, results, texts
        self.config, self.bibliography = config, bibliography
        self.input_format, self.encoding = input_format, encoding
        self.scope, self.stats = scope, stats
        self.engine: Engine | None = None

    def done(self, index: int, result: FileResult, digest: str | None) -> None:
        self.results[index] = result
        if self.scope is not None and digest is not None:
            self.scope.store(result.path, self.scope.key(result.path, digest), result.findings, result.errors)

    def lint_here(self, index: int) -> None:
        result, digest = lint_one(self.engine, self.files[index], self.texts.pop(index, None), self.input_format,
                                  self.encoding, self.bibliography, self.config.max_file_size)
        self.stats.in_process += 1
        self.done(index, result, digest)

    def with_workers(self, batches: list[list[int]], workers: int) -> None:
        """Lint ``batches`` in ``workers`` processes and this one, which builds its engine while
        they start. If the pool cannot start, returns with nothing done; if a worker dies or
        cannot build its engine, this process lints its batches."""
        import multiprocessing

        from .api import get_engine

        queue = deque(batches)
        workers = min(workers, len(queue) - 1)
        if workers < 1:
            return
        method = start_method()
        if method == "fork":  # forked workers inherit it (get_engine finds it built)
            self.engine = get_engine(self.config, check_rule_files=True)
        try:
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                                       initializer=_init_worker,
                                       initargs=(self.config, self.bibliography, self.input_format, self.encoding,
                                                 os.getcwd()))
        except (OSError, ValueError, ImportError, NotImplementedError):  # no semaphores, no processes
            return
        self.stats.workers = workers
        pending: dict[Future, list[int]] = {}
        usable = True
        finished = False

        def feed() -> None:
            while usable and queue and len(pending) < QUEUED_PER_WORKER * workers:
                batch = queue.popleft()
                pending[pool.submit(_lint_batch, [(i, self.files[i]) for i in batch])] = batch
                for i in batch:
                    self.texts.pop(i, None)  # the worker reads the file itself

        def collect(timeout: float | None) -> None:
            nonlocal usable
            ready, _ = wait(pending, timeout=timeout, return_when=FIRST_COMPLETED)
            for future in ready:
                batch = pending.pop(future)
                try:
                    answer = future.result()
                except BrokenProcessPool:
                    answer = None
                if answer is None:  # a worker died or could not build its engine: lint that batch here
                    usable = False
                    queue.extend(batch[i:i + 1] for i in range(len(batch)))
                    continue
                for index, packed, digest in pickle.loads(zlib.decompress(answer)):
                    result = _unpack(packed)
                    self.stats.in_workers += 1
                    self.done(index, result, digest)

        def steal() -> bool:
            """Nothing left to hand out: lint here a batch sent ahead that no worker has begun."""
            if not TAKE_BACK:
                return False
            for future in reversed(list(pending)):
                if future.cancel():
                    for index in pending.pop(future):
                        self.lint_here(index)
                    return True
            return False

        try:
            with _children_ignore_ctrl_c():
                feed()  # starts the workers
            if self.engine is None:
                self.engine = get_engine(self.config, check_rule_files=True)  # while the workers start; raises the config's errors
            while queue or pending:
                if pending:
                    collect(0)
                feed()
                if queue:
                    for index in queue.popleft():
                        self.lint_here(index)
                elif pending and not steal():
                    collect(None)
            finished = True
        finally:
            if not finished:  # an error or Ctrl-C: don't wait for the batches in flight
                for process in list((getattr(pool, "_processes", None) or {}).values()):
                    process.terminate()
            pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _children_ignore_ctrl_c():
    """Start processes with SIGINT ignored (they inherit it, so a Ctrl-C while one is still
    importing prints no traceback); this process stops them itself."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)


_worker: dict[str, object] = {}


def _init_worker(config: Config, bibliography: list[str], input_format: str | None, encoding: str | None,
                 cwd: str) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the workers
    try:
        os.chdir(cwd)
    except OSError:
        pass
    from .api import get_engine

    _worker.update(bibliography=bibliography, input_format=input_format, encoding=encoding,
                   max_bytes=config.max_file_size)
    try:
        _worker["engine"] = get_engine(config, check_rule_files=True)
    except Exception:  # reported by the parent, which builds the engine again to raise the error
        _worker["engine"] = None


def _lint_batch(items: list[tuple[int, str]]) -> bytes | None:
    """Lint a batch in a worker: ``[(index, packed FileResult, text hash)]``, pickled and compressed
    (findings repeat their field names and texts, so about 10 times smaller: the answer fits
    the pipe's buffer and the worker never waits for the busy main process to read it), or
    None when this worker has no engine."""
    engine = _worker.get("engine")
    if engine is None:
        return None
    out = []
    for index, path in items:
        result, digest = lint_one(engine, path, None, _worker["input_format"], _worker["encoding"],
                                  _worker["bibliography"], _worker["max_bytes"])
        out.append((index, _pack(result), digest))
    return zlib.compress(pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL), 1)


#: A finding travels from a worker as a tuple of its fields' values, in this order: pickling
#: pydantic models costs a worker three times as long (a tenth of its time on a large site).
_FINDING_FIELDS = tuple(Finding.model_fields)


def _pack(result: FileResult) -> tuple:
    return (result.path, [tuple(getattr(f, name) for name in _FINDING_FIELDS) for f in result.findings],
            result.errors, result.linted)


def _unpack(packed: tuple) -> FileResult:
    path, findings, errors, linted = packed
    return FileResult(path, [Finding.model_construct(**dict(zip(_FINDING_FIELDS, values))) for values in findings],
                      errors, linted)

"""``check --jobs N``: files spread over worker processes give the very report of a serial run.

Runs with few bytes normally stay in-process (workers cost about a second to start), so the
tests that must reach the workers set ``CLAIMLINT_PARALLEL_MIN_BYTES=0`` and then check, through
``claimlint.parallel.last_run``, that a worker process really linted some of the files.
"""

from __future__ import annotations

import os
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from claimlint import parallel
from claimlint.api import lint_paths
from claimlint.config import Config

PAGES = [
    ("md", "# {n}\n\nOur serum {n} cures acne and has been shown to reverse ageing.\n"),
    ("html", "<html><body><h1>Joint care {n}</h1>\n<p>Turmeric has been shown to ease joint pain.</p>\n"
             "<p>It is 100% safe with no side effects.</p></body></html>\n"),
    ("txt", "In mice, resveratrol extended lifespan, so product {n} can help you live longer.\n"),
    ("md", "# Clean page {n}\n\nThe clinic is open Monday to Friday.\n"),
    ("md", "Studies show our tea {n} melts fat.\n\n<!-- claimlint-disable-next-line CL501 -->\nIt cures colds.\n"),
]


@pytest.fixture
def site(write, workdir: Path) -> Path:
    """About 30 small pages with findings in nested folders, a binary file, a file that is not
    UTF-8 and one that cannot be read (a dangling link; unreadable even for root)."""
    for n in range(30):
        ext, template = PAGES[n % len(PAGES)]
        folder = "site" if n % 3 else f"site/section{n % 4}"
        write(f"{folder}/page{n:02d}.{ext}", template.format(n=n))
    write("site/blob.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    write("site/menu.txt", b"Caf\xe9 cures acne.\n")
    os.symlink(workdir / "site" / "nowhere.md", workdir / "site" / "gone.md")
    locked = write("site/locked.md", "Our balm cures eczema.\n")
    locked.chmod(0)
    yield workdir / "site"
    locked.chmod(0o644)


@pytest.fixture
def force_workers(monkeypatch):
    """Workers even for a few bytes, and every batch sent to one is linted there."""
    monkeypatch.setenv(parallel.ENV_MIN_BYTES, "0")
    monkeypatch.setattr(parallel, "TAKE_BACK", False)


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_jobs_2_gives_the_same_json_report_as_jobs_1(cli, site, force_workers, monkeypatch, method):
    # forked from the built engine (Linux, one thread) or spawned (elsewhere, or beside threads)
    monkeypatch.setattr(parallel, "START_METHOD", method)
    serial = cli("check", "--no-cache", "--jobs", "1", "--format", "json", "site")
    assert parallel.last_run.workers == 0 and parallel.last_run.in_process == 34
    spread = cli("check", "--no-cache", "--jobs", "2", "--format", "json", "site")
    assert parallel.last_run.workers == 1
    assert parallel.last_run.in_workers > 0  # a worker process really linted files
    assert parallel.last_run.in_workers + parallel.last_run.in_process == 34
    assert (spread.code, spread.out, spread.err) == (serial.code, serial.out, serial.err)
    report = serial.json()
    assert report["summary"]["files"] >= 30 and report["summary"]["findings"] > 30
    problems = {Path(e["path"]).name: e["level"] for e in report["errors"] if "skipped" in e["message"]
                or "UTF-8" in e["message"] or "not found" in e["message"]}
    assert problems == {"blob.md": "warning", "menu.txt": "error", "gone.md": "error"}
    assert serial.code == 2  # an unreadable file is an error; the others are still linted


def test_jobs_2_gives_the_same_text_report_as_jobs_1(cli, site, force_workers):
    serial = cli("check", "--no-cache", "--jobs", "1", "--show-suppressed", "site")
    spread = cli("check", "--no-cache", "--jobs", "3", "--show-suppressed", "site")
    assert parallel.last_run.workers == 2 and parallel.last_run.in_workers > 0
    assert (spread.code, spread.out, spread.err) == (serial.code, serial.out, serial.err)
    assert "  = use instead:" in spread.out  # the hints travel back from the workers too


def test_api_reports_are_equal(engine, site, force_workers):
    config = Config()
    one = lint_paths(["site"], config=config)
    two = lint_paths(["site"], config=config, jobs=2)
    assert parallel.last_run.in_workers > 0
    assert two.model_dump() == one.model_dump()
    assert two.paths == one.paths
    assert [f.fix_hint for f in two.findings] == [f.fix_hint for f in one.findings]


def test_small_runs_stay_in_process(cli, write):
    write("a.md", "Our serum cures acne.\n")
    write("b.md", "Our balm cures eczema.\n")
    result = cli("check", "--jobs", "4", "a.md", "b.md")
    assert result.code == 1
    assert parallel.last_run.workers == 0 and parallel.last_run.in_process == 2


def test_jobs_defaults_to_the_cpus_available(cli, write, monkeypatch):
    import claimlint.api

    seen = {}
    real = claimlint.api.lint_paths

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(claimlint.api, "lint_paths", spy)
    monkeypatch.setattr(parallel, "available_cpus", lambda: 7)
    write("a.md", "Our serum cures acne.\n")
    cli("check", "a.md")
    assert seen["jobs"] == 7
    cli("check", "-j", "1", "a.md")
    assert seen["jobs"] == 1
    assert "positive" in cli("check", "--jobs", "0", "a.md").err


def test_available_cpus_follows_the_affinity_mask():
    if hasattr(os, "sched_getaffinity"):
        assert parallel.available_cpus() == len(os.sched_getaffinity(0))
    assert parallel.available_cpus() >= 1


class _DeadPool:
    """A pool whose workers all die: every batch fails with BrokenProcessPool."""

    def __init__(self, *args, **kwargs):
        self.submitted = 0

    def submit(self, fn, *args):
        self.submitted += 1
        future: Future = Future()
        future.set_exception(BrokenProcessPool("a worker died"))
        return future

    def shutdown(self, wait=True, cancel_futures=False):
        pass


class _IdlePool(_DeadPool):
    """A pool whose workers never begin: every batch stays pending until it is taken back."""

    def submit(self, fn, *args):
        self.submitted += 1
        return Future()


def test_batches_no_worker_has_begun_are_taken_back(cli, site, monkeypatch):
    monkeypatch.setenv(parallel.ENV_MIN_BYTES, "0")
    serial = cli("check", "--no-cache", "--jobs", "1", "--format", "json", "site")
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", _IdlePool)
    spread = cli("check", "--no-cache", "--jobs", "2", "--format", "json", "site")
    assert parallel.last_run.workers == 1 and parallel.last_run.in_process == 34
    assert spread.out == serial.out and spread.code == serial.code


def test_a_dead_worker_s_files_are_linted_here(cli, site, force_workers, monkeypatch):
    serial = cli("check", "--no-cache", "--jobs", "1", "--format", "json", "site")
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", _DeadPool)
    spread = cli("check", "--no-cache", "--jobs", "2", "--format", "json", "site")
    assert parallel.last_run.in_workers == 0 and parallel.last_run.in_process == 34
    assert spread.out == serial.out and spread.code == serial.code


def test_a_pool_that_cannot_start_falls_back_to_this_process(cli, site, force_workers, monkeypatch):
    serial = cli("check", "--no-cache", "--jobs", "1", "--format", "json", "site")

    def no_pool(*args, **kwargs):
        raise OSError(38, "Function not implemented")  # e.g. no /dev/shm for the pool's semaphores

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    spread = cli("check", "--no-cache", "--jobs", "2", "--format", "json", "site")
    assert parallel.last_run.workers == 0
    assert spread.out == serial.out and spread.code == serial.code


def test_a_rule_error_is_reported_as_in_a_serial_run(cli, write, force_workers):
    write("house/XY901-wonder-cream.yaml", "id: XY901\nname: [unclosed\n")
    for n in range(4):
        write(f"site/p{n}.md", "Try our wonder cream today.\n")
    serial = cli("check", "--no-cache", "--jobs", "1", "--rules-dir", "house", "site")
    spread = cli("check", "--no-cache", "--jobs", "2", "--rules-dir", "house", "site")
    assert serial.code == spread.code == 2
    assert spread.err == serial.err and "XY901-wonder-cream.yaml" in spread.err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_files_are_read_with_the_configured_size_limit(cli, site, force_workers, monkeypatch, jobs):
    # The configured limit (not the built-in ceiling) reaches every reader, in workers too: a
    # file that grows past it between the size check and the read is refused with that limit.
    from claimlint.files import InputError

    def reader(path, encoding=None, max_bytes=None):
        raise InputError(f"read with a limit of {max_bytes} bytes")

    monkeypatch.setattr(parallel, "START_METHOD", "fork")  # a forked worker keeps this reader
    monkeypatch.setattr(parallel, "read_file", reader)
    report = cli("check", "--no-cache", "--jobs", jobs, "--max-file-size", "10MB", "--format", "json", "site").json()
    messages = {e["message"] for e in report["errors"] if "read with a limit" in e["message"]}
    assert messages == {f"read with a limit of {10 * 1024 * 1024} bytes"}
    if jobs == "2":
        assert parallel.last_run.in_workers > 0


def test_workers_are_forked_only_when_no_other_thread_runs(monkeypatch):
    import sys
    import threading

    monkeypatch.setattr(parallel, "START_METHOD", None)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert parallel.start_method() == "fork"
    monkeypatch.setattr(threading, "active_count", lambda: 3)  # a server's threads: fork is unsafe
    assert parallel.start_method() == "spawn"
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert parallel.start_method() == "spawn"

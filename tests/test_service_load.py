"""The HTTP service under sustained load and under attack, on a real server on 127.0.0.1.

One ``python -m claimlint serve`` process for the module (``--timeout 2``, so that slow
clients are cut off quickly; the header deadline is then 5 s), started and stopped as in
``tests/test_service.py``. Every loop here is bounded by time and by count and stops by
itself. What ``test_service.py`` already covers is not repeated (a body just over the
limit, malformed JSON, 101 documents, the ``path`` field); this adds: a load test (8 client
threads for about 5 s, requests/s and p50/p99 latency printed, memory before and after),
bodies far over the limit (declared, or streamed with no length), 100,000 documents, slow
and idle clients, unpaired surrogates, and a proof that a file named in a request is never
opened.
"""

from __future__ import annotations

import errno
import http.client
import json
import os
import socket
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
if not Path("/proc/self/status").exists() or not hasattr(os, "mkfifo"):
    pytest.skip("reads the server's memory and file descriptors in /proc", allow_module_level=True)

from claimlint import lint_text  # noqa: E402
from test_service import Server, _start, _stop, _wait_ready  # noqa: E402

TIMEOUT = 2.0  # the server's --timeout
HEADER_DEADLINE = 5.0  # max(--timeout, 5): see claimlint.http_deadline
LOAD_SECONDS = 5.0
CLIENTS = 8
DOCUMENTS = [
    {"id": "md", "text": "# Acne care\n\nOur serum cures acne. Turmeric has been shown to ease joint pain.\n"},
    {"id": "html", "format": "html",
     "text": "<h1>Joint care</h1><p>Turmeric <em>has been shown</em> to ease joint pain &amp; stiffness.</p>"},
    {"id": "txt", "format": "text", "text": "In mice, resveratrol extended lifespan, so it can help you live longer."},
    {"id": "clean", "text": "The clinic is open Monday to Friday, and parking is free for every visitor."},
    {"id": "long", "text": ("Our clinically proven balm soothes skin. The clinic is open Monday to Friday. " * 40)},
]


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Iterator[Server]:
    server = _start(tmp_path_factory.mktemp("load"), "--timeout", str(TIMEOUT))
    try:
        _wait_ready(server)
        yield server
    finally:
        _stop(server)
    assert "Traceback" not in server.log.read_text(), server.log.read_text()[-5000:]


def _address(server: Server) -> tuple[str, int]:
    host, port = server.url.removeprefix("http://").split(":")
    return host, int(port)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def post(server: Server, body: bytes, *, conn: http.client.HTTPConnection | None = None,
         headers: dict[str, str] | None = None, timeout: float = 30) -> tuple[int, Any]:
    own = conn is None
    conn = conn or http.client.HTTPConnection(*_address(server), timeout=timeout)
    try:
        conn.request("POST", "/v1/lint", body=body, headers={"Content-Type": "application/json", **(headers or {})})
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        if own:
            conn.close()


def healthy(server: Server) -> bool:
    conn = http.client.HTTPConnection(*_address(server), timeout=10)
    try:
        conn.request("GET", "/healthz")
        return conn.getresponse().status == 200
    finally:
        conn.close()


def quick_answer(server: Server) -> float:
    """Seconds one small lint request takes now (it must succeed)."""
    started = time.perf_counter()
    status, body = post(server, json.dumps({"text": "Our serum cures acne."}).encode(), timeout=10)
    assert status == 200 and body["findings"], body
    return time.perf_counter() - started


# -- sustained load ------------------------------------------------------------------------------

def _hammer(server: Server, seconds: float, make_body, expected=None) -> dict[str, Any]:
    """CLIENTS threads on keep-alive connections, each sending until ``seconds`` have passed
    (and at most 20,000 requests each). Returns latencies, statuses and wrong answers."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    wrong: list[Any] = []
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def client(worker: int) -> None:
        conn = http.client.HTTPConnection(*_address(server), timeout=30)
        try:
            for i in range(20_000):
                if time.monotonic() >= end:
                    break
                index, body = make_body(worker, i)
                started = time.perf_counter()
                try:
                    status, answer = post(server, body, conn=conn)
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = http.client.HTTPConnection(*_address(server), timeout=30)
                    status, answer = -1, repr(exc)
                took = time.perf_counter() - started
                with lock:
                    latencies.append(took)
                    statuses[status] = statuses.get(status, 0) + 1
                    if expected is not None and status == 200 and answer != expected[index]:
                        wrong.append((index, answer))
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(w,)) for w in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.perf_counter() - started
    assert not any(t.is_alive() for t in threads)
    latencies.sort()
    return {"n": len(latencies), "rate": len(latencies) / elapsed, "statuses": statuses, "wrong": wrong,
            "p50": latencies[len(latencies) // 2], "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]}


def test_sustained_concurrent_load(service):
    """8 clients for ~5 s: every answer right, latency and memory bounded."""
    bodies = [json.dumps(d).encode() for d in DOCUMENTS]
    expected = [lint_text(d["text"], format=d.get("format", "markdown"), path=d["id"]).model_dump(mode="json")
                for d in DOCUMENTS]

    def body(worker: int, i: int) -> tuple[int, bytes]:
        index = (worker + i) % len(bodies)
        return index, bodies[index]

    _hammer(service, 1.0, body)  # warm up: the tokenizer cache and the allocator settle
    before = rss_mb(service.proc.pid)
    run = _hammer(service, LOAD_SECONDS, body, expected)
    after = rss_mb(service.proc.pid)
    print(f"\nload: {CLIENTS} clients, {run['n']} requests in {LOAD_SECONDS:g} s: {run['rate']:.0f} req/s, "
          f"p50 {run['p50'] * 1000:.1f} ms, p99 {run['p99'] * 1000:.1f} ms; server RSS {before:.0f} -> {after:.0f} MB")
    assert run["statuses"] == {200: run["n"]}, run["statuses"]
    assert run["wrong"] == []
    assert run["n"] >= 100 and run["p99"] < TIMEOUT
    assert after - before < 50


def test_memory_with_words_never_seen_before(service):
    """Each new word stays in spaCy's vocabulary: memory grows with the number of distinct words
    ever seen, not with the number of requests. Measured and bounded here (README: Reliability)."""
    def body(worker: int, i: int) -> tuple[int, bytes]:
        return 0, json.dumps({"text": f"Our zq{worker}x{i}v serum cures acne in w{worker}y{i}k adults."}).encode()

    before = rss_mb(service.proc.pid)
    run = _hammer(service, 2.0, body)
    after = rss_mb(service.proc.pid)
    per_thousand = (after - before) / max(run["n"], 1) * 1000
    print(f"\nunique words: {run['n']} requests, 2 new words each: RSS {before:.0f} -> {after:.0f} MB "
          f"({per_thousand:.2f} MB per 1000 requests)")
    assert run["statuses"] == {200: run["n"]}
    assert after - before < 50


# -- bodies and batches far over the limits ----------------------------------------------------------

def test_a_huge_declared_body_is_refused_before_it_is_sent(service):
    with socket.create_connection(_address(service), timeout=10) as sock:
        sock.sendall(b"POST /v1/lint HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 10000000000\r\n\r\n")
        started = time.monotonic()
        head = sock.recv(4096)
    assert head.startswith(b"HTTP/1.1 413 ") and time.monotonic() - started < 5, head
    assert healthy(service)


def test_a_streamed_body_without_a_length_is_cut_off_at_the_limit(service):
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(300):
            yield b"a" * 10_000  # 3 MB in all, no Content-Length (chunked)
        yield b'"}'

    conn = http.client.HTTPConnection(*_address(service), timeout=30)
    try:
        conn.request("POST", "/v1/lint", body=chunks(), encode_chunked=True,
                     headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        status, body = response.status, json.loads(response.read())
    finally:
        conn.close()
    assert status == 413 and "1000000" in body["error"]["message"]
    assert quick_answer(service) < 5


def test_a_hundred_thousand_documents_are_refused_at_once(service):
    body = json.dumps({"documents": [{"text": ""}] * 70_000}).encode()  # just under 1 MB
    assert len(body) < 1_000_000
    started = time.perf_counter()
    status, answer = post(service, body)
    assert status == 413 and "70000 sent, at most 100" in answer["error"]["message"]
    assert time.perf_counter() - started < 5
    status, answer = post(service, json.dumps([{"text": ""}] * 100_000).encode())
    assert status == 413  # over the body limit as well: refused either way


@pytest.mark.parametrize("body, words", [
    (b'{"text": "Our serum \\ud800 cures acne."}', "text: not valid Unicode: an unpaired surrogate \\ud800"),
    (b'{"id": "\\udfff", "text": "Our serum cures acne."}', "id: not valid Unicode"),
    (b'[{"id": "\\udfff", "text": "x"}, {"text": "y"}]', "documents[0]: id: not valid Unicode"),
    (b'{"text": "x", "id": ' + b"9" * 5000 + b"}", "malformed JSON: Exceeds the limit"),
])
def test_strings_no_answer_could_carry_are_refused(service, body, words):
    """JSON can escape an unpaired surrogate; a UTF-8 answer cannot hold one (it was a 500).
    A 5000-digit number is over Python's limit for int conversion (400, not a 500)."""
    status, answer = post(service, body)
    assert status in (400, 422) and words in answer["error"]["message"], answer
    assert quick_answer(service) < 5


# -- slow and idle clients ------------------------------------------------------------------------------

def test_slow_and_idle_clients_do_not_stop_the_others(service):
    """A body sent a byte at a time gets 408 after --timeout; a header sent a byte at a time, and a
    connection that sends nothing, are closed after the header deadline. All the while the
    server answers everyone else at once."""
    socks = {name: socket.create_connection(_address(service), timeout=10) for name in ("body", "header", "idle")}
    socks["body"].sendall(b"POST /v1/lint HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          b"Content-Length: 1000\r\n\r\n{")
    socks["header"].sendall(b"POST /v1/lint HTTP/1.1\r\nHost: x\r\n")
    for sock in socks.values():
        sock.setblocking(False)
    started = time.monotonic()
    ended: dict[str, tuple[float, bytes]] = {}
    slowest = 0.0
    try:
        while len(ended) < len(socks) and time.monotonic() - started < HEADER_DEADLINE + 10:
            for name, sock in socks.items():
                if name in ended:
                    continue
                try:
                    if name == "body":
                        sock.send(b" ")
                    elif name == "header":
                        sock.send(b"X")
                    data = sock.recv(4096)
                    ended[name] = (time.monotonic() - started, data)  # an answer, or b"" when closed
                except BlockingIOError:
                    pass
                except OSError as exc:  # reset or broken pipe: closed by the server
                    ended[name] = (time.monotonic() - started, f"{exc.__class__.__name__}".encode())
            slowest = max(slowest, quick_answer(service))
            time.sleep(0.25)
    finally:
        for sock in socks.values():
            sock.close()
    assert set(ended) == {"body", "header", "idle"}, ended
    when, data = ended["body"]
    assert data.startswith(b"HTTP/1.1 408 ") and TIMEOUT - 0.5 < when < TIMEOUT + 3, ended["body"]
    for name in ("header", "idle"):
        when, data = ended[name]
        assert not data.startswith(b"HTTP") and HEADER_DEADLINE - 0.5 < when < HEADER_DEADLINE + 3, (name, ended[name])
    assert slowest < 1.0, slowest


# -- a file named in a request is never opened --------------------------------------------------------

def test_a_file_named_in_a_request_is_never_opened(service, tmp_path):
    """The named file is a FIFO: had anything opened it for reading, it would still be open (and
    a non-blocking open for writing would succeed); nothing in the server's fd table names it."""
    fifo = tmp_path / "page.md"
    os.mkfifo(fifo)
    bodies = [{"path": str(fifo)}, {"file": str(fifo), "text": "x"}, {"url": f"file://{fifo}", "text": "x"},
              {"documents": [{"text": "x"}], "paths": [str(fifo)]}, [{"filename": str(fifo), "text": "x"}]]
    for body in bodies:
        status, answer = post(service, json.dumps(body).encode())
        assert status == 422 and "is not accepted" in answer["error"]["message"], answer
    status, answer = post(service, json.dumps({"id": str(fifo), "text": "The clinic is open."}).encode())
    assert status == 200 and answer["findings"] == []  # an id is only echoed back
    with pytest.raises(OSError) as no_reader:
        os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    assert no_reader.value.errno == errno.ENXIO
    fds = Path(f"/proc/{service.proc.pid}/fd")
    opened = set()
    for fd in fds.iterdir():
        try:
            opened.add(os.readlink(fd))
        except OSError:
            pass
    assert str(fifo) not in opened

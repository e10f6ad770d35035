"""The HTTP service as a CMS sees it: ``claimlint serve`` running for real under uvicorn.

Each server is a separate ``python -m claimlint serve`` process on a free
loopback port, started once per session, waited for on ``/healthz`` and
stopped at the end; the tests talk to it over HTTP with urllib. One server
runs with the defaults, one with tight limits (small body, 3 documents, a
0.5 s time limit, one request at a time) to show the limits are configurable.
Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from claimlint import lint_text  # noqa: E402
from claimlint.api import load_rule_pack  # noqa: E402
from claimlint.models import Finding, Report  # noqa: E402
from claimlint.service import LintResults, RuleDetail, RuleSummary  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CURE_MD = "# Acne care\n\nOur serum cures acne.\n"
HTML = "<html><body>\n<h1>Joint care</h1>\n<p>Turmeric has been shown to ease joint pain.</p>\n</body></html>\n"
CLEAN = "The clinic is open Monday to Friday."
#: Several times the tight server's 0.1 s of linting, in a body under its 200000 bytes.
SLOW = ("Our serum cures acne. Turmeric has been shown to ease joint pain. In mice, resveratrol extended "
        "lifespan, so it can help you live longer.\n\n") * 1350
#: Long enough to overlap other requests, well within the default 10 s.
MEDIUM = SLOW[: len(SLOW) // 2]
FINDING_FIELDS = set(Finding.model_fields) - {"fix_hint"}


# -- the servers ----------------------------------------------------------------------------------

@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    log: Path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(tmp: Path, *options: str) -> Server:
    port = _free_port()
    log = tmp / f"server-{port}.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMLINT")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(ROOT / "src"), env.get("PYTHONPATH", "")] if p)
    env["PYTHONUNBUFFERED"] = "1"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "claimlint", "serve", "--host", "127.0.0.1", "--port", str(port), *options],
            cwd=tmp, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    return Server(f"http://127.0.0.1:{port}", proc, log)


def _wait_ready(server: Server, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            pytest.fail(f"server exited with {server.proc.returncode}:\n{server.log.read_text()}")
        try:
            with urllib.request.urlopen(server.url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    _stop(server)
    pytest.fail(f"server not ready after {seconds} s:\n{server.log.read_text()}")


def _stop(server: Server) -> None:
    if server.proc.poll() is None:
        server.proc.terminate()
        try:
            server.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait(timeout=10)


@pytest.fixture(scope="session")
def servers(tmp_path_factory) -> Iterator[dict[str, Server]]:
    tmp = tmp_path_factory.mktemp("serve")
    started = {
        "default": _start(tmp),
        "tight": _start(tmp, "--max-body-bytes", "200000", "--max-documents", "3", "--timeout", "0.1",
                        "--concurrency", "1"),
    }
    try:
        for server in started.values():
            _wait_ready(server)
        yield started
    finally:
        for server in started.values():
            _stop(server)
    for server in started.values():
        assert "Traceback" not in server.log.read_text(), server.log.read_text()


@pytest.fixture(scope="session")
def server(servers) -> str:
    return servers["default"].url


@pytest.fixture(scope="session")
def tight(servers) -> str:
    return servers["tight"].url


# -- HTTP -----------------------------------------------------------------------------------------

@dataclass
class Answer:
    status: int
    headers: Any
    body: Any


def call(url: str, method: str = "GET", body: Any = None, *, raw: bytes | None = None,
         headers: dict[str, str] | None = None, timeout: float = 60) -> Answer:
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, head, payload = response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        status, head, payload = exc.code, exc.headers, exc.read()
    assert head.get("Content-Type", "").startswith("application/json"), (status, payload[:200])
    answer = Answer(status, head, json.loads(payload))
    if status >= 400:
        assert_error(answer, status)
    return answer


def assert_error(answer: Answer, status: int) -> str:
    """An error is ``{"error": {"status": N, "message": "..."}}`` with N the HTTP status; never a traceback."""
    assert answer.status == status, answer.body
    assert set(answer.body) == {"error"}, answer.body
    error = answer.body["error"]
    assert set(error) <= {"status", "message", "details"}
    assert error["status"] == status and isinstance(error["message"], str) and error["message"]
    assert "Traceback" not in json.dumps(answer.body)
    return error["message"]


def lint(url: str, body: Any, **kwargs: Any) -> Answer:
    return call(url + "/v1/lint", "POST", body, **kwargs)


# -- linting --------------------------------------------------------------------------------------

def test_health(server):
    answer = call(server + "/healthz")
    assert answer.status == 200
    assert answer.body["status"] == "ok" and answer.body["rules"] > 0


def test_one_document_gives_the_report_with_lines_and_columns(server):
    answer = lint(server, {"text": CURE_MD})
    assert answer.status == 200
    report = Report.model_validate(answer.body)  # the JSON contract, exactly
    assert answer.body == lint_text(CURE_MD).model_dump(mode="json")
    assert [f.rule for f in report.findings] == ["CL501", "CL201", "CL401"]
    cure = answer.body["findings"][0]
    assert set(cure) == FINDING_FIELDS
    assert (cure["path"], cure["text"], cure["line"], cure["column"], cure["end_line"], cure["end_column"],
            cure["offset"], cure["end_offset"]) == ("<text>", "cures", 3, 11, 3, 16, 23, 28)
    assert CURE_MD[cure["offset"]:cure["end_offset"]] == "cures"
    assert answer.body["summary"] == {"files": 1, "findings": 3, "by_severity": {"error": 1, "warning": 2},
                                      "suppressed": 0}


def test_format_and_id_of_one_document(server):
    answer = lint(server, {"id": "joint-care", "text": HTML, "format": "html"})
    assert answer.body == lint_text(HTML, format="html", path="joint-care").model_dump(mode="json")
    shown = next(f for f in answer.body["findings"] if f["rule"] == "CL101")
    assert (shown["path"], shown["text"], shown["line"], shown["column"]) == ("joint-care", "has been shown to", 3, 13)


def test_markdown_is_the_default_format(server):
    text = "Our serum `cures` acne.\n\nOur balm cures eczema.\n"
    md = lint(server, {"text": text}).body
    txt = lint(server, {"text": text, "format": "text"}).body
    assert [f["line"] for f in md["findings"] if f["rule"] == "CL501"] == [3]
    assert [f["line"] for f in txt["findings"] if f["rule"] == "CL501"] == [1, 3]


@pytest.mark.parametrize("wrap", [lambda docs: docs, lambda docs: {"documents": docs}], ids=["array", "documents"])
def test_several_documents_give_results_in_order(server, wrap):
    docs = [{"id": "a", "text": CURE_MD}, {"text": CLEAN}, {"id": 3, "text": HTML, "format": "html"}]
    answer = lint(server, wrap(docs))
    assert answer.status == 200
    LintResults.model_validate(answer.body)
    results = answer.body["results"]
    assert [r["id"] for r in results] == ["a", None, 3]
    assert results[0]["findings"] == lint_text(CURE_MD, path="a").model_dump(mode="json")["findings"]
    assert results[1]["findings"] == [] and results[1]["summary"]["files"] == 1
    assert results[2]["findings"] == lint_text(HTML, format="html", path="3").model_dump(mode="json")["findings"]
    assert {k: v for k, v in results[0].items() if k != "id"} == lint_text(CURE_MD, path="a").model_dump(mode="json")


def test_documents_without_an_id_are_numbered(server):
    results = lint(server, [{"text": CLEAN}, {"text": CURE_MD}]).body["results"]
    assert {f["path"] for f in results[1]["findings"]} == {"<document 1>"}


def test_exactly_max_documents_is_allowed(server):
    answer = lint(server, {"documents": [{"id": i, "text": f"Page {i}: {CLEAN}"} for i in range(100)]})
    assert answer.status == 200
    assert [r["id"] for r in answer.body["results"]] == list(range(100))


def test_a_path_names_nothing_the_server_reads(server, tmp_path):
    page = tmp_path / "page.md"
    page.write_text(CURE_MD, encoding="utf-8")
    answer = lint(server, {"id": str(page), "text": CLEAN})
    assert answer.status == 200 and answer.body["findings"] == []  # the text sent, not the file
    for field in ("path", "file", "url", "filename"):
        message = assert_error(lint(server, {field: str(page)}), 422)
        assert f"'{field}' is not accepted" in message
    message = assert_error(lint(server, {"documents": [{"text": CLEAN}], "paths": [str(page)]}), 422)
    assert "'paths' is not accepted" in message


def test_twenty_parallel_requests_are_all_answered_correctly(server):
    texts = [f"{'Our new ' * i}serum cures acne.\n\nTurmeric has been shown to ease joint pain." for i in range(20)]
    expected = [lint_text(t).model_dump(mode="json") for t in texts]

    def one(i: int) -> Any:
        return lint(server, {"text": texts[i]}).body

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(one, range(20), timeout=120))
    assert answers == expected
    assert len({json.dumps(a) for a in answers}) == 20  # each got its own document's findings


def test_the_server_keeps_answering_while_a_long_document_is_linted(server):
    with ThreadPoolExecutor(max_workers=1) as pool:
        slow = pool.submit(lint, server, {"text": MEDIUM})
        time.sleep(0.3)
        started = time.monotonic()
        assert call(server + "/healthz").status == 200
        assert lint(server, {"text": CLEAN}).status == 200
        quick = time.monotonic() - started
        assert slow.result(timeout=120).status == 200
    assert quick < 2.5, quick


# -- rules ----------------------------------------------------------------------------------------

def test_rules_lists_the_pack(server):
    answer = call(server + "/v1/rules")
    pack = load_rule_pack()
    assert answer.status == 200
    assert [r["id"] for r in answer.body] == sorted(pack.rules)
    for row in answer.body:
        RuleSummary.model_validate(row)
        rule = pack.rules[row["id"]]
        assert (row["name"], row["category"], row["severity"], row["summary"], row["default_enabled"]) == \
            (rule.name, rule.category, rule.severity, rule.summary, rule.default_enabled)
        assert row["enabled"] == rule.default_enabled


@pytest.mark.parametrize("key", ["CL501", "cl501", "cure-claim"])
def test_rule_by_id_or_name_gives_its_documentation(server, key):
    answer = call(server + "/v1/rules/" + key)
    assert answer.status == 200
    RuleDetail.model_validate(answer.body)
    rule = load_rule_pack().rules["CL501"]
    body = answer.body
    assert body["id"] == "CL501" and body["name"] == "cure-claim"
    assert body["docs"] == {"what": rule.docs.what, "why": rule.docs.why, "example": rule.docs.example,
                            "instead": rule.docs.instead}
    assert body["references"] == rule.references
    assert [e["text"] for e in body["examples"]["fail"]] == [e.text for e in rule.examples.fail]
    assert [e["text"] for e in body["examples"]["pass"]] == [e.text for e in rule.examples.passing]
    assert body["explanation"].startswith("CL501 cure-claim")


def test_unknown_rule_is_404(server):
    message = assert_error(call(server + "/v1/rules/CL999"), 404)
    assert "CL999" in message


# -- errors ---------------------------------------------------------------------------------------

def test_unknown_endpoint_is_404_and_wrong_method_405(server):
    assert_error(call(server + "/v2/lint"), 404)
    answer = call(server + "/v1/lint")
    assert_error(answer, 405)
    assert "POST" in answer.headers.get("Allow", "")
    assert_error(call(server + "/v1/rules", "POST", {"text": "x"}), 405)


def test_oversized_body_is_413(server):
    body = json.dumps({"text": "a" * 1_000_100}).encode()
    message = assert_error(lint(server, None, raw=body), 413)
    assert "1000000" in message
    assert call(server + "/healthz").status == 200


@pytest.mark.parametrize("raw", [b'{"text": "unterminated', b"", b"   ", b"\xff\xfe{}", b"[" * 100_000, b"42",
                                 b'"text"', b"null"])
def test_malformed_json_is_400(server, raw):
    assert_error(lint(server, None, raw=raw), 400)


@pytest.mark.parametrize(
    "body, words",
    [
        ({"id": "x"}, "text: Field required"),
        ({"text": 3}, "text: Input should be a valid string"),
        ({"text": "x", "format": "pdf"}, "format"),
        ({"text": "x", "id": True}, "id: must be a string or an integer"),
        ({"text": "x", "colour": "red"}, "colour: unknown field"),
        ({"documents": "x"}, "'documents' must be an array"),
        ({"documents": []}, "no documents"),
        ([], "no documents"),
        ({"documents": [{"text": "x"}], "extra": 1}, "unknown field 'extra'"),
    ],
)
def test_invalid_documents_are_422(server, body, words):
    assert words in assert_error(lint(server, body), 422)


def test_invalid_documents_among_several_are_listed(server):
    answer = lint(server, [{"id": "ok", "text": CLEAN}, {"id": "bad"}, 7])
    assert_error(answer, 422)
    details = answer.body["error"]["details"]
    assert [(d["index"], d["id"]) for d in details] == [(1, "bad"), (2, None)]
    assert "text: Field required" in details[0]["message"]


def test_too_many_documents_is_413(server):
    docs = [{"text": CLEAN}] * 101
    assert "at most 100" in assert_error(lint(server, docs), 413)
    assert "at most 100" in assert_error(lint(server, {"documents": docs}), 413)


# -- configurable limits ----------------------------------------------------------------------------

def test_limits_are_configurable(tight):
    assert "200000" in assert_error(lint(tight, {"text": "a" * 200_100}), 413)
    assert "at most 3" in assert_error(lint(tight, [{"text": CLEAN}] * 4), 413)
    assert lint(tight, [{"text": CLEAN}] * 3).status == 200
    assert "3 documents" in call(tight + "/openapi.json").body["info"]["description"]


def test_a_request_over_its_time_is_504_and_a_busy_server_503(tight):
    with ThreadPoolExecutor(max_workers=1) as pool:
        started = time.monotonic()
        slow = pool.submit(lint, tight, {"text": SLOW})
        time.sleep(0.1)
        # The tight server's one worker is busy with SLOW: this request cannot start in time.
        busy = lint(tight, {"text": CLEAN})
        over = slow.result(timeout=60)
    assert "0.1 s" in assert_error(over, 504)
    assert time.monotonic() - started < 3
    assert "busy" in assert_error(busy, 503)
    assert busy.headers.get("Retry-After")
    assert call(tight + "/healthz").status == 200
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # and it lints again once the worker is free
        if lint(tight, {"text": CLEAN}).status == 200:
            break
        time.sleep(0.5)
    else:
        pytest.fail("the server did not recover")


# -- OpenAPI ----------------------------------------------------------------------------------------

def test_openapi_describes_every_endpoint(server):
    spec = call(server + "/openapi.json").body
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {"/v1/lint", "/v1/rules", "/v1/rules/{id}", "/healthz", "/openapi.json"}
    assert set(spec["paths"]["/v1/lint"]) == {"post"}
    lint_op = spec["paths"]["/v1/lint"]["post"]
    assert lint_op["requestBody"]["content"]["application/json"]["schema"]["oneOf"]
    assert {"200", "400", "413", "422", "503", "504"} <= set(lint_op["responses"])
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            assert method in ("get", "post")
            assert op["responses"]["200"]["content"]["application/json"]["schema"], (path, method)
    schemas = spec["components"]["schemas"]
    assert {"Report", "Finding", "DocumentIn", "BatchRequest", "LintResults", "RuleSummary", "RuleDetail",
            "ErrorResponse"} <= set(schemas)
    assert set(schemas["Finding"]["properties"]) == FINDING_FIELDS

    def refs(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            if "$ref" in node:
                yield node["$ref"]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    for ref in refs(spec):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in schemas, ref


# -- the command line ---------------------------------------------------------------------------------

def test_serve_without_the_extra_says_how_to_install_it(cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    result = cli("serve", "--port", "8080")
    assert result.code == 2
    assert "pip install 'claimlint[serve]'" in result.err


@pytest.mark.parametrize("args", [["--port", "0"], ["--timeout", "0"], ["--max-documents", "-1"], ["--nope"]])
def test_serve_usage_errors_exit_2(cli, args):
    assert cli("serve", *args).code == 2


def test_serve_with_a_bad_config_exits_2_before_listening(cli, write):
    write(".claimlint.toml", 'select = ["NO-SUCH-RULE"]\n')
    result = cli("serve", "--port", str(_free_port()))
    assert result.code == 2
    assert "NO-SUCH-RULE" in result.err


# -- in-process: what no real request can provoke ---------------------------------------------------

def _asgi_post(app: Any, path: str, body: bytes) -> tuple[int, Any]:
    """One POST through the ASGI app, lifespan included; (status, JSON body)."""
    import anyio

    sent: list[dict[str, Any]] = []

    async def run() -> None:
        messages = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> dict[str, Any]:
            if messages:
                return messages.pop()
            await anyio.sleep_forever()

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
                 "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
                 "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
                 "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
        async with app.router.lifespan_context(app):
            try:
                await app(scope, receive, send)
            except RuntimeError:
                pass  # Starlette re-raises after its 500 response, for the server to log

    anyio.run(run)
    start = next(m for m in sent if m["type"] == "http.response.start")
    payload = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], json.loads(payload)


def test_an_internal_error_is_a_json_500_without_details(engine, monkeypatch):
    import claimlint.service as service

    def broken(*args: Any, **kwargs: Any):
        raise RuntimeError("boom in /srv/secret/rules.py")

    monkeypatch.setattr(service, "lint_document", broken)
    status, body = _asgi_post(service.create_app(), "/v1/lint", json.dumps({"text": CLEAN}).encode())
    assert status == 500
    assert body == {"error": {"status": 500, "message": "internal server error"}}


def test_create_app_lints_in_process(engine):
    from claimlint.service import create_app

    status, body = _asgi_post(create_app(max_documents=1), "/v1/lint", json.dumps([{"text": CURE_MD}] * 2).encode())
    assert (status, body["error"]["status"]) == (413, 413)
    status, body = _asgi_post(create_app(), "/v1/lint", json.dumps({"text": CURE_MD}).encode())
    assert status == 200 and body == lint_text(CURE_MD).model_dump(mode="json")

"""claimlint on a real Dask cluster: ``claimlint.dask`` and ``claimlint check --dask ADDRESS``.

One ``LocalCluster`` for the module (two worker processes, one thread each, on
loopback, no dashboard). Every result is compared with a serial run in this
process: ``lint_text`` per document, ``claimlint check`` without ``--dask``.
"""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path

import pytest

pytest.importorskip("dask.bag")
pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402

from claimlint import Config, lint_text  # noqa: E402
from claimlint.cli import main  # noqa: E402
from claimlint.dask import (  # noqa: E402
    FINDING_COLUMNS,
    DaskError,
    _engine_builds,
    lint_paths_dask,
    lint_records,
    to_report,
    write_parquet,
)

CURE_MD = "# Acne care\n\nOur serum cures acne.\n"
EVIDENCE_HTML = "<html><body>\n<h1>Joint care</h1>\n<p>Turmeric has been shown to ease joint pain.</p>\n</body></html>\n"
LEAP_TXT = "In mice, resveratrol extended lifespan, so it can help you live longer.\n"
CLEAN_MD = "# Opening hours\n\nThe clinic is open Monday to Friday.\n"
SUPPRESSED_MD = ("<!-- claimlint-disable-next-line CL201 -- cited in footnote 3 -->\nOur serum cures acne.\n\n"
                 "<!-- claimlint-disable CL101 -->\nNothing to silence here.\n")

DOCS = [
    {"id": "acne", "text": CURE_MD, "format": "markdown", "title": "Acne", "url": "https://example.org/acne"},
    {"id": 7, "text": EVIDENCE_HTML, "format": "html"},
    {"id": "mice", "text": LEAP_TXT, "format": "text"},
    {"id": "hours", "text": CLEAN_MD},  # no format: markdown
    {"id": "quiet", "text": SUPPRESSED_MD, "format": None},
    {"id": "again", "text": CURE_MD + EVIDENCE_HTML, "format": "markdown"},
]


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None) as cluster, \
            Client(cluster, set_as_default=False) as client:
        yield cluster, client


@pytest.fixture
def client(cluster):
    return cluster[1]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def serial(doc: dict) -> dict:
    report = lint_text(doc["text"], format=doc.get("format") or "markdown", path=str(doc["id"]))
    dumped = report.model_dump(mode="json")
    return {"id": doc["id"], "findings": dumped["findings"], "errors": dumped["errors"]}


def compute(collection, client):
    return client.compute(collection).result()


def test_bag_of_dicts_matches_a_serial_run(client):
    results = compute(lint_records(db.from_sequence(DOCS, npartitions=3)), client)
    assert results == [serial(d) for d in DOCS]
    assert sum(len(r["findings"]) for r in results) >= 8
    assert any(f["suppressed"] for r in results for f in r["findings"])  # suppressions travel too
    assert any(e["level"] == "warning" for r in results for e in r["errors"])  # and the unused-directive warning


def test_dataframe_matches_a_serial_run(client):
    frame = pd.DataFrame([{"id": str(d["id"]), "text": d["text"], "format": d.get("format"), "author": "x"}
                          for d in DOCS])
    results = compute(lint_records(dd.from_pandas(frame, npartitions=2)), client)
    assert results == [serial({**d, "id": str(d["id"])}) for d in DOCS]


def test_records_that_are_not_documents_are_reported_and_the_rest_linted(client):
    docs = [{"id": "a", "text": CURE_MD}, {"id": "b", "text": 3}, {"id": "c", "text": "x", "format": "pdf"},
            "just a string", {"id": "d", "text": LEAP_TXT, "format": "text"}]
    results = compute(lint_records(db.from_sequence(docs, npartitions=2)), client)
    assert [r.get("id") for r in results] == ["a", "b", "c", None, "d"]
    assert results[0] == serial(docs[0]) and results[4] == serial(docs[4])
    assert "text" in results[1]["error"] and "format" in results[2]["error"] and "expected a record" in results[3]["error"]
    report = to_report(results)
    assert report.summary.files == 2 and [e.path for e in report.errors] == ["b", "c", "<text>"]


def test_cms_exports_jsonl_and_parquet(client, here: Path):
    (here / "export.jsonl").write_text("".join(json.dumps(d) + "\n" for d in DOCS), encoding="utf-8")
    docs = db.read_text(str(here / "export.jsonl"), blocksize=200).map(json.loads)
    assert docs.npartitions > 1
    assert compute(lint_records(docs), client) == [serial(d) for d in DOCS]

    frame = pd.DataFrame([{"id": i, "text": d["text"], "format": d.get("format")} for i, d in enumerate(DOCS)])
    frame.to_parquet(here / "export.parquet", index=False)
    results = compute(lint_records(dd.read_parquet(str(here / "export.parquet"))), client)
    assert results == [serial({**d, "id": i}) for i, d in enumerate(DOCS)]


def test_each_worker_builds_the_engine_once(client):
    config = Config(ignore=["CL102"])  # a spec no earlier test shipped
    before = client.run(_engine_builds)
    for _ in range(2):
        results = compute(lint_records(db.from_sequence(DOCS * 4, npartitions=8), config=config), client)
        assert results[:len(DOCS)] == [{**serial(d), **_with(d, config)} for d in DOCS]
    after = client.run(_engine_builds)
    assert set(after) == set(before) and len(after) == 2
    assert all(after[w] - before[w] <= 1 for w in after) and sum(after.values()) > sum(before.values())


def _with(doc: dict, config: Config) -> dict:
    dumped = lint_text(doc["text"], format=doc.get("format") or "markdown", path=str(doc["id"]),
                       config=config).model_dump(mode="json")
    return {"findings": dumped["findings"], "errors": dumped["errors"]}


def _plain_rows(frame) -> list[dict]:
    return [{k: (None if not isinstance(v, dict) and pd.isna(v) else v) for k, v in row.items()}
            for row in frame.to_dict("records")]


def test_parquet_round_trip(client, here: Path):
    docs = DOCS + [{"id": "b", "text": 3}]
    results = lint_records(db.from_sequence(docs, npartitions=3))
    written = write_parquet(results, here / "findings", errors_path=here / "errors", scheduler=client)
    expected = [serial(d) for d in DOCS]
    rows = [{"id": str(r["id"]), **f} for r in expected for f in r["findings"]]
    assert written == len(rows) > 0
    back = pd.read_parquet(here / "findings")
    assert list(back.columns) == list(FINDING_COLUMNS)
    assert _plain_rows(back) == rows
    errors = [{"id": str(r["id"]), **e} for r in expected for e in r["errors"]]
    errors.append({"id": "b", "path": "b", "message": "text: Input should be a valid string", "line": None,
                   "level": "error"})
    assert _plain_rows(pd.read_parquet(here / "errors")) == errors
    assert sorted(p.name for p in (here / "findings").iterdir()) == [f"part.{i:05d}.parquet" for i in range(3)]
    computed = compute(results, client)  # a computed list is written too (one file)
    with pytest.raises(FileExistsError):
        write_parquet(computed, here / "findings", scheduler="sync")
    assert write_parquet(computed, here / "findings", overwrite=True, scheduler="sync") == len(rows)
    assert _plain_rows(pd.read_parquet(here / "findings")) == rows
    assert [p.name for p in (here / "findings").iterdir()] == ["part.00000.parquet"]


def _site(root: Path) -> None:
    files = {
        "site/acne.md": CURE_MD, "site/joints.html": EVIDENCE_HTML, "site/blog/mice.txt": LEAP_TXT,
        "site/blog/hours.md": CLEAN_MD, "site/quiet.md": SUPPRESSED_MD, "site/drafts/old.md": CURE_MD,
        "site/.gitignore": "drafts/\n",
    }
    for i in range(12):
        files[f"site/many/page{i:02d}.md"] = CURE_MD if i % 2 else EVIDENCE_HTML
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "site/latin1.md").write_bytes("Caf\xe9 cures acne.\n".encode("latin-1"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_dask_equals_the_serial_run(cluster, here: Path, capsys: pytest.CaptureFixture[str]):
    _site(here)
    address = cluster[0].scheduler_address
    paths = ["site", "site/acne.md", "missing.md"]
    for fmt in ("json", "text"):
        plain = run(capsys, "check", "--format", fmt, *paths)
        distributed = run(capsys, "check", "--format", fmt, "--dask", address, *paths)
        assert distributed == plain, distributed[2]
        assert plain[0] == 2  # a missing path and an undecodable file: exit 2, the rest still linted
    report = json.loads(run(capsys, "check", "--format", "json", "--dask", address, *paths)[1])
    assert report["summary"]["files"] == 17 and report["summary"]["findings"] > 20
    assert {e["path"] for e in report["errors"]} >= {"missing.md", "site/latin1.md"}

    from claimlint import lint_paths

    assert lint_paths_dask(["site"], address, batch_size=3).model_dump() == lint_paths(["site"]).model_dump()


def test_cli_dask_without_the_extra(here: Path, capsys, monkeypatch: pytest.MonkeyPatch):
    (here / "a.md").write_text(CURE_MD, encoding="utf-8")
    monkeypatch.setitem(sys.modules, "distributed", None)
    code, out, err = run(capsys, "check", "--dask", "tcp://127.0.0.1:8786", "a.md")
    assert code == 2 and out == ""
    assert "no module named 'distributed'" in err and "pip install 'claimlint[dask]'" in err


def test_unreachable_scheduler_is_a_clean_error(here: Path):
    (here / "a.md").write_text(CURE_MD, encoding="utf-8")
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(DaskError, match="cannot connect to the Dask scheduler"):
        lint_paths_dask(["a.md"], f"tcp://127.0.0.1:{port}", timeout=1)


def test_cli_dask_refuses_standard_input(here: Path, capsys):
    code, _, err = run(capsys, "check", "--dask", "tcp://127.0.0.1:8786", "-")
    assert code == 2 and "cannot read standard input" in err

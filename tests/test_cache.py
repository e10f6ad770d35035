"""The cache: unchanged files are answered from ``.claimlint_cache`` and never from a stale entry.

A second run proves it hit by linting with the engine made unusable: it still prints the same
report. ``claimlint.parallel.last_run.cached`` counts the files answered from the cache.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from claimlint import cache as cache_module
from claimlint import parallel
from claimlint.api import lint_paths
from claimlint.cache import Cache
from claimlint.config import Config
from conftest import WONDER_RULE

PAGES = {
    "site/serum.md": "# Serum\n\nOur serum cures acne. It has been shown to reverse ageing.\n",
    "site/joints.html": "<p>Turmeric has been shown to ease joint pain.</p>\n<p>No side effects.</p>\n",
    "site/mice.txt": "In mice, resveratrol extended lifespan, so it can help you live longer.\n",
    "site/shop.md": "Try our wonder cream today. It cures colds.\n",
    "site/clean.md": "# Opening hours\n\nThe clinic is open Monday to Friday.\n",
    "site/blob.md": b"GIF89a\x00\x00\x01\x00",
}
LINTED = len(PAGES) - 1  # the binary file is skipped, not linted


@pytest.fixture
def site(write, workdir: Path, monkeypatch) -> Path:
    monkeypatch.delenv(cache_module.ENV_CACHE_DIR, raising=False)  # the default location, in the working folder
    for path, content in PAGES.items():
        write(path, content)
    return workdir / "site"


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("*/*.json"))


def test_second_run_is_answered_from_the_cache(cli, site, workdir, monkeypatch):
    runs = (["--format", "json"], ["--show-suppressed"], [])
    first = [cli("check", *args, "site") for args in runs]
    assert len(entries(workdir / ".claimlint_cache")) == LINTED
    assert (workdir / ".claimlint_cache" / "CACHEDIR.TAG").is_file()
    assert (workdir / ".claimlint_cache" / ".gitignore").read_text().endswith("*\n")

    from claimlint.engine import Engine

    def broken(*args, **kwargs):
        raise AssertionError("linted although the cache should have answered")

    monkeypatch.setattr(Engine, "lint", broken)  # from here on, only the cache can answer
    for args, before in zip(runs, first):
        again = cli("check", *args, "site")
        assert parallel.last_run.cached == LINTED and parallel.last_run.in_process == 0
        assert (again.code, again.out, again.err) == (before.code, before.out, before.err)


def test_cached_json_and_text_equal_uncached(cli, site):
    for args in (["--format", "json"], []):
        fresh = cli("check", "--no-cache", *args, "site")
        cli("check", *args, "site")
        cached = cli("check", *args, "site")
        assert parallel.last_run.cached == LINTED
        assert (cached.code, cached.out, cached.err) == (fresh.code, fresh.out, fresh.err)


def test_a_changed_file_is_linted_again(cli, site, write):
    cli("check", "site")
    write("site/clean.md", "# Opening hours\n\nOur tonic cures baldness.\n")
    result = cli("check", "site")
    assert parallel.last_run.cached == LINTED - 1 and parallel.last_run.in_process == 1
    assert any(f["path"] == "site/clean.md" and f["rule"] == "CL501" for f in result.findings())


def test_a_changed_rule_file_invalidates(cli, site, write, monkeypatch):
    import claimlint.api

    write("house/XY901-wonder-cream.yaml", WONDER_RULE)
    first = cli("check", "--rules-dir", "house", "site")
    assert "banned house wording" in first.out
    cli("check", "--rules-dir", "house", "site")
    assert parallel.last_run.cached == LINTED
    write("house/XY901-wonder-cream.yaml", WONDER_RULE.replace("is banned house wording", "is off-brand"))
    monkeypatch.setattr(claimlint.api, "_ENGINES", {})  # a new process: the engine is built once per process
    second = cli("check", "--rules-dir", "house", "site")
    assert parallel.last_run.cached == 0
    assert "is off-brand" in second.out and "banned house wording" not in second.out


def test_a_long_running_program_sees_an_edited_rule(site, write, workdir):
    # One process, two lint_paths calls with a cache: the second uses the edited rule, and
    # does not store the old rule's findings under the new rule's key.
    write("house/XY901-wonder-cream.yaml", WONDER_RULE)
    config = Config(rule_dirs=[str(workdir / "house")])
    cache = Cache(workdir / ".claimlint_cache")
    before = lint_paths([str(site)], config=config, cache=cache)
    assert any("banned house wording" in f.message for f in before.findings)
    write("house/XY901-wonder-cream.yaml", WONDER_RULE.replace("is banned house wording", "is off-brand"))
    after = lint_paths([str(site)], config=config, cache=cache)
    messages = [f.message for f in after.findings if f.rule == "XY901"]
    assert messages and all("is off-brand" in m for m in messages)


def test_a_changed_cue_file_in_a_pack_invalidates(cli, site, write):
    write("house/XY901-wonder-cream.yaml", WONDER_RULE)
    write("house/_shared/extra.yaml", "cues:\n  house-extra:\n    phrases: [miracle]\n")
    cli("check", "--rules-dir", "house", "site")
    write("house/_shared/extra.yaml", "cues:\n  house-extra:\n    phrases: [miracle, marvel]\n")
    cli("check", "--rules-dir", "house", "site")
    assert parallel.last_run.cached == 0


@pytest.mark.parametrize("options", [
    ["--ignore", "CL501"],
    ["--select", "absolute-claim"],
    ["--extend-select", "CL402"],
    ["--severity", "CL501=info"],
])
def test_other_settings_are_other_entries(cli, site, options):
    plain = cli("check", "--format", "json", "site").json()
    changed = cli("check", "--format", "json", *options, "site")
    assert parallel.last_run.cached == 0
    assert changed.json() != plain
    assert changed.json() == cli("check", "--no-cache", "--format", "json", *options, "site").json()
    cli("check", "--format", "json", *options, "site")
    assert parallel.last_run.cached == LINTED
    assert cli("check", "--format", "json", "site").json() == plain  # both kept side by side
    assert parallel.last_run.cached == LINTED


def test_a_changed_config_file_invalidates(cli, site, write):
    write("pyproject.toml", "[tool.claimlint]\nignore = []\n")
    cli("check", "site")
    assert cli("check", "site").code == 1 and parallel.last_run.cached == LINTED
    write("pyproject.toml", '[tool.claimlint]\nignore = ["CL501"]\n')
    result = cli("check", "site")
    assert parallel.last_run.cached == 0 and "CL501" not in result.rules()


def test_the_cache_is_next_to_the_config_file(cli, write, workdir, monkeypatch):
    monkeypatch.delenv(cache_module.ENV_CACHE_DIR)
    write("project/.claimlint.toml", 'ignore = ["CL102"]\n')
    write("project/site/serum.md", PAGES["site/serum.md"])
    write("elsewhere/notes.txt", "")
    monkeypatch.chdir("elsewhere")
    cli("check", "../project/site")
    assert len(entries(workdir / "project" / ".claimlint_cache")) == 1
    assert not (workdir / "elsewhere" / ".claimlint_cache").exists()
    monkeypatch.chdir(workdir / "project" / "site")
    assert cli("clean").out == f"claimlint: removed {workdir / 'project' / '.claimlint_cache'}\n"  # found from here too
    assert not (workdir / "project" / ".claimlint_cache").exists()


def test_a_changed_bibliography_invalidates(cli, site, write):
    write("refs.bib", "@article{a, author={Smith, J.}, year={2020}}\n")
    cli("check", "--bib", "refs.bib", "site")
    cli("check", "--bib", "refs.bib", "site")
    assert parallel.last_run.cached == LINTED
    write("refs.bib", "@article{a, author={Jones, K.}, year={2021}}\n")
    cli("check", "--bib", "refs.bib", "site")
    assert parallel.last_run.cached == 0


def test_a_new_version_invalidates(cli, site, monkeypatch):
    cli("check", "site")
    monkeypatch.setattr(cache_module, "__version__", "99.0.0")
    cli("check", "site")
    assert parallel.last_run.cached == 0


def test_input_format_and_encoding_are_part_of_the_key(cli, site):
    cli("check", "site")
    cli("check", "--input-format", "text", "site")
    assert parallel.last_run.cached == 0
    cli("check", "--encoding", "utf-8", "site")
    assert parallel.last_run.cached == 0


@pytest.mark.parametrize("damage", [
    b"",
    b"{not json",
    b'{"key": "0000", "findings": [], "errors": []}',
    b'{"key": 1}',
    b"\xff\xfe\x00garbage",
])
def test_a_corrupt_entry_is_a_miss(cli, site, workdir, damage):
    first = cli("check", "--format", "json", "site")
    for entry in entries(workdir / ".claimlint_cache"):
        entry.write_bytes(damage)
    again = cli("check", "--format", "json", "site")
    assert parallel.last_run.cached == 0
    assert (again.code, again.out, again.err) == (first.code, first.out, first.err)
    cli("check", "--format", "json", "site")
    assert parallel.last_run.cached == LINTED  # and rewritten


def test_an_unreadable_entry_is_a_miss(cli, site, workdir):
    first = cli("check", "site")
    for entry in entries(workdir / ".claimlint_cache"):
        entry.unlink()
        entry.mkdir()  # reading it fails (IsADirectoryError), and so does replacing it
    again = cli("check", "site")
    assert (again.code, again.out, again.err) == (first.code, first.out, first.err)


def test_an_unwritable_cache_is_ignored(cli, site, write):
    write("not-a-folder", "")
    fresh = cli("check", "--no-cache", "site")
    result = cli("check", "--cache-dir", "not-a-folder/cache", "site")
    assert (result.code, result.out, result.err) == (fresh.code, fresh.out, fresh.err)


def test_no_cache_writes_nothing(cli, site, workdir, tmp_path_factory):
    before = sorted(workdir.rglob("*"))
    assert cli("check", "--no-cache", "site").code == 1
    assert cli("check", "--no-cache", "--format", "json", "site").code == 1
    assert sorted(workdir.rglob("*")) == before


def test_standard_input_is_not_cached(cli, site, workdir, monkeypatch):
    import io
    import types

    monkeypatch.setattr("sys.stdin", types.SimpleNamespace(buffer=io.BytesIO(b"Our serum cures acne.\n")))
    assert cli("check", "-").code == 1
    assert not (workdir / ".claimlint_cache").exists()


def test_the_library_writes_nothing_unless_given_a_cache(engine, site, workdir):
    before = sorted(workdir.rglob("*"))
    lint_paths(["site"], config=Config())
    assert sorted(workdir.rglob("*")) == before
    cache = Cache(workdir / "elsewhere")
    first = lint_paths(["site"], config=Config(), cache=cache)
    assert (cache.hits, cache.misses, cache.writes) == (0, LINTED, LINTED)
    second = lint_paths(["site"], config=Config(), cache=cache)
    assert (cache.hits, cache.writes) == (LINTED, LINTED)
    assert second.model_dump() == first.model_dump() and second.paths == first.paths
    assert [f.fix_hint for f in second.findings] == [f.fix_hint for f in first.findings]


def test_cache_dir_option(cli, site, workdir):
    cli("check", "--cache-dir", "build/lint-cache", "site")
    assert len(entries(workdir / "build" / "lint-cache")) == LINTED
    assert not (workdir / ".claimlint_cache").exists()


def test_linted_files_are_never_touched(cli, site, workdir):
    files = sorted(p for p in site.rglob("*") if p.is_file())
    past = 1_000_000_000
    for f in files:
        os.utime(f, ns=(past, past))
    before = {f: (f.read_bytes(), f.stat().st_mtime_ns) for f in files}
    for _ in range(2):
        cli("check", "site")
        cli("check", "--format", "json", ".")  # the cache folder inside the linted folder is never linted
    assert parallel.last_run.cached == LINTED
    assert {f: (f.read_bytes(), f.stat().st_mtime_ns) for f in files} == before
    assert sorted(p for p in site.rglob("*")) == files
    assert not any(".claimlint_cache" in f["path"] for f in cli("check", "--format", "json", ".").json()["findings"])


def test_clean_removes_the_cache(cli, site, workdir):
    cli("check", "site")
    assert (workdir / ".claimlint_cache").is_dir()
    result = cli("clean")
    assert result.code == 0
    assert result.out == "claimlint: removed .claimlint_cache\n"
    assert not (workdir / ".claimlint_cache").exists()
    assert cli("clean").out == "claimlint: no cache at .claimlint_cache\n"


def test_clean_keeps_files_it_did_not_write(cli, site, workdir, write):
    write("mine/notes.txt", "keep me\n")
    cli("check", "--cache-dir", "mine", "site")
    assert len(entries(workdir / "mine")) == LINTED
    assert not (workdir / "mine" / ".gitignore").exists()  # an existing folder is not marked
    result = cli("clean", "--cache-dir", "mine")
    assert "other files there were kept" in result.out
    assert [p.name for p in (workdir / "mine").iterdir()] == ["notes.txt"]


def test_jobs_and_cache_together(cli, site, workdir, monkeypatch):
    monkeypatch.setenv(parallel.ENV_MIN_BYTES, "0")
    monkeypatch.setattr(parallel, "TAKE_BACK", False)  # the batches sent to the worker are linted there
    fresh = cli("check", "--no-cache", "--jobs", "1", "--format", "json", "site")
    first = cli("check", "--jobs", "2", "--format", "json", "site")
    assert parallel.last_run.in_workers > 0
    assert len(entries(workdir / ".claimlint_cache")) == LINTED  # results from the workers are stored too
    second = cli("check", "--jobs", "2", "--format", "json", "site")
    assert parallel.last_run.cached == LINTED and parallel.last_run.workers == 0
    assert fresh.out == first.out == second.out

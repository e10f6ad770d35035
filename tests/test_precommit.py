"""The published pre-commit hooks, driven by the real ``pre-commit``.

A copy of this project (its working tree, uncommitted changes included) is
committed to a scratch git repository, and a scratch "user" repository points
its ``.pre-commit-config.yaml`` at that copy by commit sha, exactly as a real
user would point at a tag. ``pre-commit`` then builds the hook's virtualenv by
pip-installing the project (spaCy and all, from the package index), and the
tests make real ``git commit``\\ s and look at what the user sees.

The first test that needs the hooks pays for building that virtualenv (about a
minute with a warm pip cache); the others reuse it through a shared
``PRE_COMMIT_HOME``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# What pip needs to build and install the project, plus the hook manifest.
PROJECT_FILES = ("src", "rules", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml")

UNSUPPORTED = "# Hair Boost\n\nOur serum cures baldness and has been shown to regrow hair in weeks.\n"
CLEAN = "# Opening hours\n\nThe clinic is open Monday to Friday.\n"

INSTALL_TIMEOUT = 1800  # building the hook env downloads and installs spaCy
COMMIT_TIMEOUT = 600


@pytest.fixture(autouse=True)
def _needs_pre_commit():
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        pytest.fail("pre-commit is not installed: it is a test dependency, run `bash scripts/test.sh`"
                    " (or `python -m pip install -e '.[test]'`)", pytrace=False)


def _env(pre_commit_home: Path) -> dict[str, str]:
    """The caller's environment (PATH, pip's settings) without anything that
    would let their git or pre-commit setup leak into the scratch repositories."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GIT_", "PRE_COMMIT")) and key != "SKIP"
    }
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,  # no global hooksPath, templates, signing...
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
        PRE_COMMIT_HOME=str(pre_commit_home),
        PRE_COMMIT_COLOR="never",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
    )
    return env


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = COMMIT_TIMEOUT):
    return subprocess.run(
        cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True,
        text=True, timeout=timeout,
    )


def _git(cwd: Path, env: dict[str, str], *args: str, check: bool = True):
    result = _run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com",
         "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd, env,
    )
    if check and result.returncode != 0:
        pytest.fail(f"git {' '.join(args)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result


def _pre_commit(cwd: Path, env: dict[str, str], *args: str, timeout: int = COMMIT_TIMEOUT):
    return _run([sys.executable, "-m", "pre_commit", *args], cwd, env, timeout)


def _committed_files(repo: Path, env: dict[str, str]) -> list[str]:
    return _git(repo, env, "ls-tree", "-r", "--name-only", "HEAD").stdout.split()


@pytest.fixture(scope="session")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _env(tmp_path_factory.mktemp("pre-commit-home"))


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> tuple[Path, str]:
    """This project's working tree committed to a scratch repo: (path, sha)."""
    repo = tmp_path_factory.mktemp("claimlint-hook-repo")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in PROJECT_FILES:
        src = ROOT / name
        assert src.exists(), f"{src} is missing"
        if src.is_dir():
            shutil.copytree(src, repo / name, ignore=ignore)
        else:
            shutil.copy2(src, repo / name)
    for licence in ROOT.glob("LICEN[CS]E*"):
        shutil.copy2(licence, repo / licence.name)
    _git(repo, env, "init", "-q")
    _git(repo, env, "add", "-A")
    _git(repo, env, "commit", "-q", "--no-verify", "-m", "claimlint under test")
    sha = _git(repo, env, "rev-parse", "HEAD").stdout.strip()
    return repo, sha


@pytest.fixture
def user_repo(tmp_path: Path, hook_repo: tuple[Path, str], env: dict[str, str]) -> Path:
    """A user's repository with both claimlint hooks installed as git hooks."""
    path, sha = hook_repo
    repo = tmp_path / "site"
    repo.mkdir()
    _git(repo, env, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {path.as_posix()}\n"
        f"    rev: {sha}\n"
        "    hooks:\n"
        "      - id: claimlint\n"
        "      - id: claimlint-test-rules\n",
        encoding="utf-8",
    )
    _git(repo, env, "add", ".pre-commit-config.yaml")
    _git(repo, env, "commit", "-q", "-m", "pre-commit config")
    result = _pre_commit(repo, env, "install", "--install-hooks", timeout=INSTALL_TIMEOUT)
    assert result.returncode == 0, (
        f"pre-commit could not install the hooks:\n{result.stdout}{result.stderr}"
        + _pre_commit_log(env)
    )
    return repo


def _pre_commit_log(env: dict[str, str]) -> str:
    log = Path(env["PRE_COMMIT_HOME"]) / "pre-commit.log"
    return f"\n--- {log} ---\n{log.read_text(encoding='utf-8', errors='replace')}" if log.exists() else ""


def test_manifest_and_own_config_are_valid(tmp_path: Path):
    env = _env(tmp_path / "home")
    for command, name in (("validate-manifest", ".pre-commit-hooks.yaml"),
                          ("validate-config", ".pre-commit-config.yaml")):
        result = _pre_commit(ROOT, env, command, name)
        assert result.returncode == 0, f"{name}:\n{result.stdout}{result.stderr}"


def test_commit_with_unsupported_claims_is_blocked(user_repo: Path, env: dict[str, str]):
    (user_repo / "hair.md").write_text(UNSUPPORTED, encoding="utf-8")
    _git(user_repo, env, "add", "hair.md")
    result = _git(user_repo, env, "commit", "-m", "hair page", check=False)
    out = result.stdout + result.stderr

    assert result.returncode != 0, f"the commit went through:\n{out}"
    assert re.search(r"^claimlint\.+Failed$", out, re.M), out
    assert "- exit code: 1" in out, out  # findings, not a crash (2)
    cure = re.search(r"^hair\.md:3:11: CL501 .*$", out, re.M)
    assert cure, f"no CL501 finding for 'cures' in:\n{out}"
    assert '"cures"' in cure.group(0), out
    assert len(re.findall(r"^hair\.md:\d+:\d+: CL\d{3} ", out, re.M)) >= 2, out
    assert "hair.md" not in _committed_files(user_repo, env)


def test_clean_commit_goes_through(user_repo: Path, env: dict[str, str]):
    (user_repo / "hours.md").write_text(CLEAN, encoding="utf-8")
    # Not Markdown, HTML or plain text: the claimlint hook must not see it.
    (user_repo / "build.py").write_text("# Our serum cures baldness.\nprint('ok')\n", encoding="utf-8")
    _git(user_repo, env, "add", "hours.md", "build.py")
    result = _git(user_repo, env, "commit", "-m", "opening hours", check=False)
    out = result.stdout + result.stderr

    assert result.returncode == 0, f"the commit was refused:\n{out}"
    assert re.search(r"^claimlint\.+Passed$", out, re.M), out
    assert re.search(r"^claimlint rule examples\.+\(no files to check\)Skipped$", out, re.M), out
    assert not re.search(r": CL\d{3} ", out), out
    assert {"hours.md", "build.py"} <= set(_committed_files(user_repo, env))


def test_rule_change_runs_the_rule_examples(user_repo: Path, env: dict[str, str]):
    rules = user_repo / "rules"
    rules.mkdir()
    (rules / "notes.yml").write_text("# house style notes\nowner: content team\n", encoding="utf-8")
    _git(user_repo, env, "add", "rules/notes.yml")
    result = _git(user_repo, env, "commit", "-m", "rule notes", check=False)
    out = result.stdout + result.stderr

    assert result.returncode == 0, f"the commit was refused:\n{out}"
    assert re.search(r"^claimlint rule examples\.+Passed$", out, re.M), out
    assert re.search(r"^claimlint\.+\(no files to check\)Skipped$", out, re.M), out
    assert "rules/notes.yml" in _committed_files(user_repo, env)

"""A content-hash cache of each file's findings, like ruff's: unchanged files are not linted again.

One entry per linted file holds that file's findings and diagnostics (JSON). Its key is a
hash of everything the result depends on:

- the file's path (findings carry it) and the hash of its decoded text;
- the rule pack: the bytes of every rule and cue YAML file in every rule directory used;
- the effective config (selection, severities, profile, model, every other setting that
  can change a finding) and the bibliography's entries;
- ``--input-format`` and ``--encoding``;
- claimlint's version and the hash of its own source code, the Python version and the
  versions of the libraries that read documents and rules (spaCy, markdown-it-py,
  ruamel.yaml, pydantic), and of the ``--model`` pipeline if one is named.

A changed rule, cue, config, bibliography, version or file therefore can never be answered
from an old entry. Layout::

    .claimlint_cache/               CACHEDIR.TAG and a .gitignore ("*") when claimlint made it
        <settings hash>/            one folder per rule pack + config + version
            <path hash>.json        {"key": ..., "findings": [...], "errors": [...]}
        regexes-<hash>.json         what loading the rules learned about each regex (regex_facts)

An entry is written atomically (a temporary file, then ``os.replace``), so readers never see
half of one. An entry that cannot be read, does not parse or has another key is a miss, never
an error; a failed write is ignored. ``Cache.hits``, ``misses`` and ``writes`` count what
happened. The library writes nothing unless it is given a ``Cache``; the command line uses
one for ``check`` on files (``--no-cache`` turns it off, ``--cache-dir`` moves it,
``claimlint clean`` removes it).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
from functools import lru_cache
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from . import __version__
from .models import Diagnostic, Finding

if TYPE_CHECKING:  # pragma: no cover
    from .config import Config

CACHE_DIR_NAME = ".claimlint_cache"
#: Overrides the default location (``--cache-dir`` overrides this).
ENV_CACHE_DIR = "CLAIMLINT_CACHE_DIR"
#: Settings that cannot change a file's findings (they pick files or the exit code).
_NOT_IN_KEY = {"include", "exclude", "fail_on"}
#: Libraries whose version can change what a document or a rule reads as.
_LIBRARIES = ("spacy", "markdown-it-py", "ruamel.yaml", "pydantic")
_SETTINGS_DIR = re.compile(r"^[0-9a-f]{16}$")
_FACTS_FILE = re.compile(r"^regexes-[0-9a-f]{16}\.json$")  # see regex_facts
_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This file is a cache directory tag created by claimlint.\n"
        "# For information about cache directory tags see https://bford.info/cachedir/\n")
_GITIGNORE = "# Automatically created by claimlint.\n*\n"
_serial = count()  # temporary file names: unique within a process, the pid makes them unique across


def default_cache_dir(config: Config | None = None) -> Path:
    """``$CLAIMLINT_CACHE_DIR``, else ``.claimlint_cache`` next to the config file in use,
    else in the current working directory."""
    env = os.environ.get(ENV_CACHE_DIR)
    if env:
        return Path(env)
    if config is not None and config.source:
        return Path(config.source).resolve().parent / CACHE_DIR_NAME
    return Path.cwd() / CACHE_DIR_NAME


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str
    findings: list[Finding]
    errors: list[Diagnostic]


class Cache:
    """Findings per file under ``directory``. Safe to share between processes."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self.hits = 0
        self.misses = 0
        self.writes = 0
        self._ready: set[Path] = set()
        self._unwritable = False  # once the folder cannot be made, stop trying for this run

    def __repr__(self) -> str:
        return f"Cache({str(self.directory)!r}, hits={self.hits}, misses={self.misses}, writes={self.writes})"

    def scope(self, config: Config, *, input_format: str | None, encoding: str | None,
              bibliography: list[str]) -> CacheScope:
        """The entries for one rule pack, config, input format and encoding."""
        return CacheScope(self, settings_fingerprint(config, input_format, encoding, bibliography))

    # -- writing ------------------------------------------------------------------------------

    def _prepare(self, folder: Path) -> None:
        if folder in self._ready:
            return
        if not self.directory.is_dir():
            self.directory.mkdir(parents=True, exist_ok=True)
            # marks only a folder claimlint made itself (never a folder the user named that exists)
            for name, content in (("CACHEDIR.TAG", _TAG), (".gitignore", _GITIGNORE)):
                try:
                    with open(self.directory / name, "x", encoding="utf-8") as handle:
                        handle.write(content)
                except FileExistsError:
                    pass
        folder.mkdir(exist_ok=True)
        self._ready.add(folder)

    def _write(self, target: Path, data: bytes) -> bool:
        tmp = None
        if self._unwritable:
            return False
        try:
            try:
                self._prepare(target.parent)
            except OSError:
                self._unwritable = True
                raise
            name = str(target.with_name(f".{target.stem}.{os.getpid()}.{next(_serial)}.tmp"))
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
            tmp = name  # ours from here on: removed if anything below fails
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
            tmp = None
            self.writes += 1
            return True
        except OSError:
            return False
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass


class CacheScope:
    """Look up and store entries of one settings fingerprint."""

    def __init__(self, cache: Cache, settings: str):
        self.cache = cache
        self.settings = settings
        self.folder = cache.directory / settings[:16]

    def key(self, path: str, digest: str) -> str:
        """The entry key of a file given as ``path`` whose decoded text hashes to ``digest``."""
        return hashlib.sha256(f"{self.settings}\0{path}\0{digest}".encode("utf-8", "surrogatepass")).hexdigest()

    def _entry_path(self, path: str) -> Path:
        where = f"{os.path.abspath(path)}\0{path}".encode("utf-8", "surrogatepass")
        return self.folder / (hashlib.sha256(where).hexdigest()[:32] + ".json")

    def load(self, path: str, key: str) -> tuple[list[Finding], list[Diagnostic]] | None:
        """The stored findings and diagnostics, or None (missing, unreadable, corrupt or stale)."""
        try:
            entry = _Entry.model_validate_json(self._entry_path(path).read_bytes())
        except (OSError, ValueError):
            entry = None
        if entry is None or entry.key != key:
            self.cache.misses += 1
            return None
        self.cache.hits += 1
        return entry.findings, entry.errors

    def store(self, path: str, key: str, findings: list[Finding], errors: list[Diagnostic]) -> bool:
        try:
            payload = {"key": key, "findings": [_dump(f) for f in findings], "errors": [_dump(d) for d in errors]}
            data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except (TypeError, ValueError):  # e.g. a lone surrogate: keep no entry
            return False
        return self.cache._write(self._entry_path(path), data)


def _dump(item: BaseModel) -> dict:
    """All of a model's fields, also those left out of the JSON report (``Finding.fix_hint``:
    the text report shows it)."""
    data = item.model_dump(mode="json")
    for name, info in type(item).model_fields.items():
        if info.exclude:
            data[name] = getattr(item, name)
    return data


# -- the settings fingerprint -------------------------------------------------------------------


def settings_fingerprint(config: Config, input_format: str | None, encoding: str | None,
                         bibliography: list[str]) -> str:
    from .api import rule_dirs_for

    parts = {
        "claimlint": [__version__, _code_hash()],
        "python": sys.version,
        "libraries": {name: _dist_version(name) for name in _LIBRARIES},
        "model": _model_version(config.model) if config.model else None,
        "config": config.model_dump(mode="json", exclude=_NOT_IN_KEY),
        "rules": _rules_hash(tuple(str(d) for d in rule_dirs_for(config))),
        "bibliography": bibliography,
        "input_format": input_format,
        "encoding": encoding,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8", "surrogatepass")).hexdigest()


def _rules_hash(dirs: tuple[str, ...]) -> str:
    """Every rule and cue file the loader would read (``loader.rule_files``)."""
    from .loader import rule_files

    digest = hashlib.sha256()
    for directory in dirs:
        root = Path(directory)
        digest.update(f"dir\0{os.path.abspath(directory)}\0".encode("utf-8", "surrogatepass"))
        if not root.is_dir():
            digest.update(b"missing\0")
            continue
        for path in rule_files(root):
            digest.update(f"file\0{path.relative_to(root).as_posix()}\0".encode("utf-8", "surrogatepass"))
            try:
                data = path.read_bytes()
            except OSError as exc:
                data = f"unreadable {exc}".encode()
            digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _code_hash() -> str:
    """claimlint's own source: an edited checkout (same version number) invalidates too."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


@lru_cache(maxsize=None)
def _dist_version(name: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(name)
    except (metadata.PackageNotFoundError, ValueError):
        return None


def _model_version(model: str) -> list[object]:
    """A named pipeline: its package version; a pipeline folder: its files' sizes and times."""
    path = Path(model)
    if path.exists():
        stamp = []
        for root, _, files in os.walk(path):
            for name in sorted(files):
                try:
                    st = os.stat(os.path.join(root, name))
                except OSError:
                    continue
                stamp.append([os.path.relpath(os.path.join(root, name), path), st.st_size, st.st_mtime_ns])
        return [str(path.resolve()), sorted(stamp)]
    return [model, _dist_version(model) or _dist_version(model.replace("_", "-"))]


# -- claimlint clean -----------------------------------------------------------------------------


def clean(directory: str | Path) -> list[Path]:
    """Remove what claimlint put in a cache folder (and the folder, once empty).

    Only claimlint's own entries go: its settings folders, CACHEDIR.TAG and .gitignore. Other
    files in a folder given with ``--cache-dir`` are left alone. Returns what was removed.
    """
    root = Path(directory)
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for child in sorted(root.iterdir()):
        if child.is_dir() and not child.is_symlink() and _SETTINGS_DIR.match(child.name):
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child)
        elif child.is_file() and _FACTS_FILE.match(child.name):
            child.unlink(missing_ok=True)
            removed.append(child)
    for name, content in (("CACHEDIR.TAG", _TAG), (".gitignore", _GITIGNORE)):
        marker = root / name
        try:
            if marker.is_file() and marker.read_text(encoding="utf-8") == content:
                marker.unlink()
                removed.append(marker)
        except (OSError, UnicodeDecodeError):
            pass
    try:
        root.rmdir()
        removed.append(root)
    except OSError:
        pass
    return removed

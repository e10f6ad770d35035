"""Finding the files to lint and reading them safely."""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass
from pathlib import Path

DEFAULT_INCLUDE = ("*.md", "*.markdown", "*.txt", "*.html", "*.htm")
#: Files larger than this are reported as an error and not read (``--max-file-size``,
#: ``max-file-size`` in config). Linting costs about 2-4 s and 160-250 MB of memory per MB
#: of text (see README "Reliability"), so this bounds a run's time and memory.
DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024
#: The hard ceiling: ``read_file`` never reads more, and ``--max-file-size`` may not exceed it.
MAX_FILE_BYTES = 64 * 1024 * 1024
BINARY_SNIFF = 8192


class InputError(Exception):
    """A file cannot be linted; the message says why (never a traceback)."""


@dataclass(frozen=True)
class SourceFile:
    path: str  # as the user will see it
    text: str


def _matches(path: str, patterns: list[str] | tuple[str, ...]) -> bool:
    name = os.path.basename(path)
    posix = path.replace(os.sep, "/")
    patterns = [p.rstrip("/") or p for p in patterns]
    return any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(posix, p) or fnmatch.fnmatch(posix, "*/" + p)
               for p in patterns)


def _gitignore_patterns(directory: Path) -> list[str]:
    try:
        lines = (directory / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith(("#", "!"))]


def _ignored(rel: str, is_dir: bool, patterns: list[tuple[str, str]]) -> bool:
    for base, pattern in patterns:
        if base and not rel.startswith(base + "/"):
            continue
        local = rel[len(base) + 1:] if base else rel
        dir_only = pattern.endswith("/")
        pat = pattern.rstrip("/")
        if dir_only and not is_dir:
            continue
        if pat.startswith("/"):
            if fnmatch.fnmatch(local, pat[1:]):
                return True
        elif "/" in pat:
            if fnmatch.fnmatch(local, pat) or fnmatch.fnmatch(local, "*/" + pat):
                return True
        elif fnmatch.fnmatch(os.path.basename(local), pat):
            return True
    return False


def discover(paths: list[str], include: list[str] | None = None, exclude: list[str] | None = None) -> tuple[list[str], list[str]]:
    """Files under ``paths`` to lint, and paths that don't exist.

    Files named explicitly are always linted (unless excluded). Folders are
    walked recursively; hidden folders and ``.gitignore``d entries are skipped.
    """
    include = list(include or DEFAULT_INCLUDE)
    exclude = list(exclude or [])
    found: list[str] = []
    missing: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_file() or (path.exists() and not path.is_dir()):  # a FIFO, a device: read_file says so
            if not _matches(raw, exclude):
                found.append(raw)
            continue
        if not path.is_dir():
            missing.append(raw)
            continue
        patterns: list[tuple[str, str]] = []
        seen_dirs: set[tuple[int, int]] = set()
        for root, dirs, files in os.walk(raw, followlinks=True):
            try:
                st = os.stat(root)
            except OSError:
                dirs[:] = []
                continue
            if (st.st_dev, st.st_ino) in seen_dirs:  # a symlink loop
                dirs[:] = []
                continue
            seen_dirs.add((st.st_dev, st.st_ino))
            rel_root = os.path.relpath(root, raw).replace(os.sep, "/")
            rel_root = "" if rel_root == "." else rel_root
            patterns += [(rel_root, p) for p in _gitignore_patterns(Path(root))]
            keep = []
            for d in sorted(dirs):
                rel = f"{rel_root}/{d}" if rel_root else d
                if d.startswith(".") or d in ("node_modules", "__pycache__") or _ignored(rel, True, patterns) \
                        or _matches(os.path.join(root, d), exclude):
                    continue
                keep.append(d)
            dirs[:] = keep
            for f in sorted(files):
                rel = f"{rel_root}/{f}" if rel_root else f
                full = os.path.join(root, f)
                if f.startswith(".") or not _matches(f, include) or _ignored(rel, False, patterns) \
                        or _matches(full, exclude):
                    continue
                found.append(full)
    unique: list[str] = []
    seen: set[str] = set()
    for path in found:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            unique.append(path)
    return unique, missing


def decode(data: bytes, path: str, encoding: str | None = None) -> str:
    """Bytes -> text: UTF-8 (BOM allowed), UTF-16 with BOM, or the encoding asked for."""
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(f"cannot decode as {encoding}: {exc}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"not valid UTF-16 at byte {exc.start}") from None
    if b"\x00" in data[:BINARY_SNIFF]:
        raise InputError("binary file, skipped")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        raise InputError(f"not valid UTF-8 at byte {start} (use --encoding to name the file's encoding)") from None


def parse_size(value: str | int) -> int:
    """``"5M"``, ``"500k"``, ``"2MB"``, ``"1048576"`` -> bytes (k, M, G are powers of 1024)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        import re

        m = re.fullmatch(r"\s*(\d+)\s*([kmg]?)(?:i?b)?\s*", str(value), re.IGNORECASE)
        if not m:
            raise ValueError(f"expected a size such as 5M, 500k or 1048576, got {value!r}")
        number = int(m.group(1)) * 1024 ** " kmg".index(m.group(2).lower() or " ")
    if not 0 < number <= MAX_FILE_BYTES:
        raise ValueError(f"the size must be between 1 byte and {MAX_FILE_BYTES // (1024 * 1024)}M, got {value!r}")
    return number


def over_size_limit(path: str, limit: int) -> str | None:
    """The error for a file larger than ``limit`` bytes, or None (also when it cannot be stat'ed:
    reading it will say why)."""
    try:
        size = os.path.getsize(path)
    except OSError:
        return None
    if size > limit:
        return (f"file is {size} bytes, over the {limit}-byte limit (--max-file-size, "
                "max-file-size in config); skipped")
    return None


def read_file(path: str, encoding: str | None = None, max_bytes: int = MAX_FILE_BYTES) -> str:
    try:
        # O_NONBLOCK: a FIFO (or a device) must not block the run; only regular files are read
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        try:
            st = os.fstat(fd)
            if stat.S_ISDIR(st.st_mode):
                raise InputError("is a directory")
            if not stat.S_ISREG(st.st_mode):
                raise InputError("not a regular file (a pipe, socket or device); skipped")
            if st.st_size > max_bytes:
                raise InputError(f"file is {st.st_size} bytes, over the {max_bytes}-byte limit (--max-file-size, "
                                 "max-file-size in config); skipped")
            chunks: list[bytes] = []
            left = max_bytes + 1  # a file that grows while it is read: never more than the limit
            while left > 0:
                chunk = os.read(fd, min(left, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
        finally:
            os.close(fd)
        data = b"".join(chunks)
        if len(data) > max_bytes:
            raise InputError(f"file grew over the {max_bytes}-byte limit while it was read; skipped")
    except FileNotFoundError:
        raise InputError("file not found (removed during the run, or a broken symbolic link)") from None
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except PermissionError:
        raise InputError("permission denied") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    return decode(data, path, encoding)

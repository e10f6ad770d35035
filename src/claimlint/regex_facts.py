"""What loading a rule pack learns about each regex, kept in the cache folder between runs.

Checking, reading the prefilter keys of and compiling a few hundred regexes is most of a
small run's rule-pack set-up (about 0.15 s of a 0.7 s pre-commit hook). All of it depends
only on the pattern, its flags, Python's regex engine and claimlint's own code, so, like
Python's ``__pycache__``, the command line keeps it in the cache folder
(``regexes-<hash>.json``, next to the findings cache; never with ``--no-cache``) and the next
run reads it instead of working it out again:

- ``valid``: the pattern compiles and passed the catastrophic-backtracking check (only such
  patterns are recorded, so a pattern in the file needs neither check again);
- ``keys``/``anchored``: the prefilter's keys (``None``: scanned in full);
- ``code``: the compiled program (``re``'s own, as ``_sre.compile`` takes it).

The file's name hashes claimlint's source, the Python version and the regex engine's magic
number, so a different claimlint or Python never reads another's facts. A file that cannot be
read or does not parse is ignored; it is written atomically, only when a run learned something.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from array import array
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .cache import Cache

FILE_PREFIX = "regexes-"
#: Start over past this many patterns (a rule pack has a few hundred).
MAX_PATTERNS = 20_000

#: (pattern, flags) -> facts; filled by ``load`` and by the checks as they run.
_facts: dict[tuple[str, int], dict] = {}
_changed = False
_loaded_from: set[Path] = set()


def get(pattern: str, flags: int) -> dict | None:
    return _facts.get((pattern, int(flags)))


def record(pattern: str, flags: int, **facts: object) -> None:
    global _changed
    entry = _facts.setdefault((pattern, int(flags)), {})
    for name, value in facts.items():
        if entry.get(name, ...) != value:
            entry[name] = value
            _changed = True


def encode_code(code: list[int]) -> str:
    return base64.b64encode(array("I", code).tobytes()).decode("ascii")


def decode_code(text: str) -> list[int]:
    words = array("I")
    words.frombytes(base64.b64decode(text))
    return words.tolist()


def file_for(directory: Path) -> Path:
    import _sre

    from .cache import _code_hash

    digest = hashlib.sha256(f"{_code_hash()}\0{sys.version}\0{_sre.MAGIC}\0{_sre.CODESIZE}".encode()).hexdigest()
    return Path(directory) / f"{FILE_PREFIX}{digest[:16]}.json"


def load(directory: Path) -> None:
    """Read the facts kept in ``directory`` (once per process and folder); errors are ignored."""
    path = file_for(directory)
    if path in _loaded_from:
        return
    _loaded_from.add(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["patterns"]
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return
    if not isinstance(entries, list):
        return
    for item in entries:
        if isinstance(item, dict) and isinstance(item.get("pattern"), str) and isinstance(item.get("flags"), int):
            facts = {k: v for k, v in item.items() if k not in ("pattern", "flags")}
            _facts.setdefault((item["pattern"], item["flags"]), facts)


def save(cache: Cache) -> bool:
    """Write the facts into the cache's folder if this run learned something (atomically, as
    the cache writes its entries); False if it could not."""
    global _changed
    if not _changed:
        return True
    entries = [{"pattern": p, "flags": f, **facts} for (p, f), facts in _facts.items()][:MAX_PATTERNS]
    data = json.dumps({"patterns": entries}, ensure_ascii=False).encode("utf-8", "surrogatepass")
    if not cache._write(file_for(cache.directory), data):
        return False
    _changed = False
    return True

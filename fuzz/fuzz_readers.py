"""Fuzz the three readers and the analysis with arbitrary bytes (atheris, libFuzzer).

    pip install -e '.[fuzz]'
    python fuzz/fuzz_readers.py -max_total_time=600            # ten minutes
    python fuzz/fuzz_readers.py -runs=2000 CORPUS_DIR          # a short run from seed files

Each input is decoded the way claimlint decodes a file (UTF-8 with or without BOM, UTF-16
with BOM, binary refused), or as UTF-8 with replacement characters, as Latin-1, or as UTF-8
with unpaired surrogates for the bytes that are not (a ``str`` the API may be given; the
first byte chooses), then read as Markdown, HTML and plain text and linted with the
default rule pack. The properties checked, for every input:

- nothing raises but ``claimlint.files.InputError`` (a file that cannot be decoded);
- every block's offset map follows the document contract: one (start, end) pair per prose
  character, ``start < end <= next start``, all inside the original text;
- every finding satisfies the offset contract of the JSON report: ``0 <= offset <
  end_offset <= len(text)``, ``text[offset:end_offset] == finding.text``, and line/column
  (end_line/end_column) are the position of offset (end_offset), lines counted by ``\\n``.

A failure is an uncaught exception: libFuzzer stops and saves the input as ``crash-*``.
``check_bytes`` is importable without atheris (tests/test_fuzz_short.py runs it under
hypothesis where atheris is not installed).
"""

from __future__ import annotations

import sys

_ENGINE = None


def _engine():
    global _ENGINE
    if _ENGINE is None:
        from claimlint.api import get_engine

        _ENGINE = get_engine()
    return _ENGINE


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def check_text(text: str) -> None:
    """Read ``text`` as each format and lint it; assert the offset contracts."""
    from claimlint.api import lint_document_text
    from claimlint.sources import READERS

    engine = _engine()
    for fmt, reader in READERS.items():
        document = reader(text, f"fuzz.{fmt}")
        assert document.text == text
        for block in document.blocks:
            assert len(block.starts) == len(block.ends) == len(block.text) > 0, (fmt, block)
            previous_start = -1
            for i, (start, end) in enumerate(zip(block.starts, block.ends)):
                assert 0 <= start < end <= len(text), (fmt, block.kind, i, start, end)
                assert start > previous_start, (fmt, block.kind, i)
                previous_start = start
            assert all(e <= s for e, s in zip(block.ends, block.starts[1:])), (fmt, block.kind)
        for comment in document.comments:
            assert 0 <= comment.offset <= len(text), (fmt, comment)
        findings, _ = lint_document_text(engine, text, f"fuzz.{fmt}", fmt, [])
        for f in findings:
            where = (fmt, f.rule, f.text)
            assert 0 <= f.offset < f.end_offset <= len(text), where
            assert text[f.offset:f.end_offset] == f.text, where
            assert _line_col(text, f.offset) == (f.line, f.column), where
            assert _line_col(text, f.end_offset) == (f.end_line, f.end_column), where


def check_bytes(data: bytes) -> None:
    """The fuzz target: bytes -> text (as a file would be decoded) -> ``check_text``."""
    from claimlint.files import InputError, decode

    if not data:
        return
    mode, payload = data[0] % 4, data[1:]
    if mode == 0:
        try:
            text = decode(payload, "fuzz")
        except InputError:
            return  # invalid UTF-8, binary, bad UTF-16: reported to the user, not a crash
    elif mode == 1:
        text = payload.decode("utf-8", "replace")
    elif mode == 2:
        text = decode(payload, "fuzz", "latin-1")
    else:
        text = payload.decode("utf-8", "surrogateescape")
    check_text(text)


def main(argv: list[str]) -> None:
    import atheris

    with atheris.instrument_imports(include=["claimlint"]):
        import claimlint.api  # noqa: F401
        import claimlint.files  # noqa: F401
        import claimlint.sources  # noqa: F401
    _engine()  # build the pipeline before fuzzing starts
    atheris.Setup(argv, check_bytes)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)

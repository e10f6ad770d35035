"""The command line: a thin layer over the API. ``main(argv) -> exit code``.

Exit codes: 0 no finding at or above ``--fail-on``; 1 findings; 2 usage,
config, rule or input errors.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from collections.abc import Mapping
from typing import Iterable, Sequence

from . import __version__
from .config import Config, find_config, load_config
from .loader import RuleError, builtin_rules_dir
from .models import SEVERITY_ORDER, Report

COMMANDS = ("check", "rules", "explain", "test-rules", "serve", "clean")
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # never sys.exit from inside the parser
        raise UsageError(f"{self.prog}: {message}")


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="claimlint", description="Lint health-marketing copy for unsupported claims.")
    parser.add_argument("--version", action="version", version=f"claimlint {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    check = sub.add_parser("check", help="lint files and folders (the default command)")
    check.add_argument("paths", nargs="*", help="files or folders; '-' reads standard input")
    check.add_argument("--format", choices=_formats(), default="text")
    check.add_argument("--output", "-o", help="write the report to this file instead of standard output")
    check.add_argument("--select", type=_csv, help="only these rules (ids, names or categories, comma-separated)")
    check.add_argument("--extend-select", type=_csv, help="add these rules to the selection")
    check.add_argument("--ignore", type=_csv, help="skip these rules")
    check.add_argument("--severity", action="append", default=[], metavar="RULE=LEVEL",
                       help="override a rule's (or category's) severity: info, warning or error")
    check.add_argument("--fail-on", choices=list(SEVERITY_ORDER), help="lowest severity that fails the run")
    check.add_argument("--config", help="use this config file instead of searching for one")
    check.add_argument("--rules-dir", action="append", default=[], help="an extra rule directory")
    check.add_argument("--include", type=_csv, help="file globs to lint in folders")
    check.add_argument("--exclude", type=_csv, help="file or folder globs to skip")
    check.add_argument("--input-format", choices=["markdown", "html", "text"], help="override the format from the extension")
    check.add_argument("--stdin-filename", help="the path to report for standard input")
    check.add_argument("--stdin-jsonl", action="store_true",
                       help="batch mode: read one JSON document per line from standard input, write one JSON result per line")
    check.add_argument("--dask", metavar="ADDRESS",
                       help="lint on a Dask cluster (tcp://scheduler:8786); files are read here (needs the dask extra)")
    check.add_argument("--encoding", help="decode files with this encoding instead of UTF-8")
    check.add_argument("--max-file-size", type=_size, metavar="SIZE",
                       help="report larger files as errors and skip them: bytes, or 500k, 5M (default 5M, at most 64M)")
    check.add_argument("--bib", help="a BibTeX or CSL-JSON bibliography citations may resolve to")
    check.add_argument("--model", help="an installed spaCy pipeline to use (optional)")
    check.add_argument("--show-suppressed", action="store_true", help="show suppressed findings in text output")
    check.add_argument("--no-source", action="store_true", help="text output: one line per finding")
    check.add_argument("--statistics", action="store_true",
                       help="after the report, print the number of findings per rule and per category; "
                            "with a machine-readable --format only when the report goes to --output, "
                            "so standard output stays valid JSON, SARIF, XML...")
    check.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in this baseline file")
    check.add_argument("--write-baseline", metavar="FILE", help="record the current findings in this baseline file")
    check.add_argument("--jobs", "-j", type=_positive_int, metavar="N",
                       help="worker processes for large runs (default: the CPUs available; 1: lint in this process)")
    check.add_argument("--cache-dir", metavar="DIR",
                       help="where to keep the cache (default: .claimlint_cache next to the config file, "
                            "or in the working directory)")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")

    rules = sub.add_parser("rules", help="list the rule pack")
    rules.add_argument("--format", choices=["text", "json"], default="text")
    rules.add_argument("--config", help="config file (for extra rule directories)")

    explain = sub.add_parser("explain", help="print a rule's documentation")
    explain.add_argument("rule", help="rule id, alias or name")
    explain.add_argument("--config", help="config file (for extra rule directories)")

    test = sub.add_parser("test-rules", help="run every rule's own examples")
    test.add_argument("dirs", nargs="*", help="rule directories (default: the built-in pack)")
    test.add_argument("--verbose", "-v", action="store_true")

    clean = sub.add_parser("clean", help="remove the cache")
    clean.add_argument("--cache-dir", metavar="DIR", help="the cache to remove (default: as for check)")
    clean.add_argument("--config", help="config file (the default cache is next to it)")

    serve = sub.add_parser("serve", help="run the HTTP service (needs the serve extra)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=_positive_int, default=8080, help="port to listen on (default: 8080)")
    serve.add_argument("--config", help="config file (rule selection, severities, rule directories)")
    serve.add_argument("--max-body-bytes", type=_positive_int, default=1_000_000, help="largest request body (default: 1000000)")
    serve.add_argument("--max-documents", type=_positive_int, default=100, help="most documents per request (default: 100)")
    serve.add_argument("--timeout", type=float, default=10.0, help="seconds a request may take (default: 10)")
    serve.add_argument("--concurrency", type=_positive_int, default=4, help="requests linted at once (default: 4)")
    return parser


def _formats() -> list[str]:
    from .formatters import FORMATTERS

    return list(FORMATTERS)


def run() -> None:
    """The ``claimlint`` command: :func:`main`, then exit at once. A large run leaves a heap of
    findings that the interpreter would otherwise free object by object on the way out (about
    0.13 s for a 10 MB site); with the output flushed and no other thread running, there is
    nothing left to clean up."""
    import os
    import threading

    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe ("claimlint ... | head"): exit as Python would
        raise SystemExit(code) from None
    if threading.active_count() == 1:
        os._exit(code)
    raise SystemExit(code)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, "check")
    try:
        args = build_parser().parse_args(args_list)
        handler = {"check": cmd_check, "rules": cmd_rules, "explain": cmd_explain, "test-rules": cmd_test_rules,
                   "serve": cmd_serve, "clean": cmd_clean}
        return handler[args.command](args)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return EXIT_ERROR
    except RuleError as exc:
        print(f"claimlint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except SystemExit as exc:  # --help / --version
        return int(exc.code or 0)
    except KeyboardInterrupt:
        print("claimlint: interrupted", file=sys.stderr)
        return 130


def _config_for(args: argparse.Namespace, start: Path) -> Config:
    config = load_config(Path(args.config)) if getattr(args, "config", None) else find_config(start)
    updates: dict[str, object] = {}
    cli_settings = []
    for key in ("select", "extend_select", "ignore", "fail_on", "include", "exclude", "bib", "model",
                "max_file_size"):
        value = getattr(args, key, None)
        if value is not None:
            updates[key] = value
            cli_settings.append(key)
    if getattr(args, "rules_dir", None):
        updates["rule_dirs"] = list(config.rule_dirs) + [str(Path(d).resolve()) for d in args.rules_dir]
    severity = dict(config.severity)
    for item in getattr(args, "severity", []) or []:
        key, _, level = item.partition("=")
        if level not in SEVERITY_ORDER or not key:
            raise UsageError(f"claimlint: --severity expects RULE=info|warning|error, got {item!r}")
        severity[key] = level
        if "severity" not in cli_settings:
            cli_settings.append("severity")
    updates["severity"] = severity
    updates["cli_settings"] = cli_settings
    return config.model_copy(update=updates)


def exit_code(report: Report, fail_on: str) -> int:
    if any(e.level == "error" for e in report.errors):
        return EXIT_ERROR
    threshold = SEVERITY_ORDER[fail_on]
    if any(SEVERITY_ORDER[f.severity] >= threshold for f in report.active_findings):
        return EXIT_FINDINGS
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from .api import get_engine, lint_paths, lint_text
    from .files import InputError, decode
    from .formatters import render_chunks

    if args.dask and (args.stdin_jsonl or "-" in args.paths):
        raise UsageError("claimlint: --dask lints files and folders; it cannot read standard input")
    if args.stdin_jsonl:
        return _check_jsonl(args)
    if not args.paths:
        raise UsageError("claimlint: no paths given (use '-' to read standard input)")
    start = Path(args.stdin_filename or ".") if args.paths == ["-"] else Path(args.paths[0])
    config = _config_for(args, start)
    sources: dict[str, str] = {}
    from . import baseline as bl

    base = None
    try:
        if args.baseline and not args.write_baseline:
            base = bl.load(Path(args.baseline))
    except bl.BaselineError as exc:
        print(f"claimlint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if args.paths == ["-"]:
        from .sources import format_for_path

        name = args.stdin_filename or "<stdin>"
        try:
            data = sys.stdin.buffer.read(config.max_file_size + 1)
            if len(data) > config.max_file_size:
                raise InputError(f"over the {config.max_file_size}-byte limit (--max-file-size)")
            text = decode(data, name, args.encoding)
        except InputError as exc:
            print(f"{name}: error: {exc}", file=sys.stderr)
            return EXIT_ERROR
        fmt = args.input_format or (format_for_path(name) if args.stdin_filename else "markdown")
        report = lint_text(text, format=fmt, path=name, config=config)
        sources[name] = text
    elif "-" in args.paths:
        raise UsageError("claimlint: '-' (standard input) cannot be mixed with other paths")
    elif args.dask:
        report = _lint_dask(args, config)
        if report is None:
            return EXIT_ERROR
    else:
        report = lint_paths(args.paths, config=config, input_format=args.input_format, encoding=args.encoding,
                            jobs=args.jobs or _cpus(), cache=None if args.no_cache else _cache(args, config))
    if args.write_baseline or base is not None or args.format == "html":
        from .api import report_sources

        sources = report_sources(report, args.encoding, sources)
    if args.write_baseline:
        base = bl.build(report, sources)
        try:
            bl.write(Path(args.write_baseline), base)
        except bl.BaselineError as exc:
            print(f"claimlint: error: {exc}", file=sys.stderr)
            return EXIT_ERROR
        print(f"claimlint: recorded {base.total} findings in {args.write_baseline}", file=sys.stderr)
    if base is not None:
        report = bl.apply(report, base, sources)
    output = render_chunks(report, args.format, show_source=not args.no_source, show_suppressed=args.show_suppressed,
                    sources=sources, encoding=args.encoding, rules=_LazyRules(config))
    if args.output:
        try:
            _write_atomic(Path(args.output), output)
        except OSError as exc:
            print(f"claimlint: error: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_ERROR
    else:
        for chunk in output:
            sys.stdout.write(chunk)
    if args.statistics and (args.format == "text" or args.output):
        from .statistics import render_statistics

        sys.stdout.write(("" if args.output else "\n") + render_statistics(report))
    return exit_code(report, config.fail_on)


def _write_atomic(path: Path, text: str | Iterable[str]) -> None:
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=str(path.parent or Path(".")), prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.writelines([text] if isinstance(text, str) else text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cmd_rules(args: argparse.Namespace) -> int:
    import json

    from .api import load_rule_pack

    pack = load_rule_pack(_config_for(args, Path(".")))
    rules = sorted(pack.rules.values(), key=lambda r: r.id)
    if args.format == "json":
        rows = [{"id": r.id, "name": r.name, "category": r.category, "severity": r.severity,
                 "default_enabled": r.default_enabled, "summary": r.summary} for r in rules]
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    widths = (5, max(len(r.name) for r in rules), max(len(r.category) for r in rules), 7)
    header = ("id", "name", "category", "severity")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)) + "  summary")
    for r in rules:
        cells = (r.id, r.name, r.category, r.severity)
        note = "" if r.default_enabled else " (opt-in)"
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths)) + f"  {r.summary}{note}")
    print(f"\n{len(rules)} rules.")
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from .api import load_rule_pack
    from .explain import explain_rule

    pack = load_rule_pack(_config_for(args, Path(".")))
    matches = [r for r in pack.rules.values() if args.rule in (r.id, r.name) or args.rule in r.aliases]
    if not matches:
        print(f"claimlint: error: unknown rule '{args.rule}' (see 'claimlint rules')", file=sys.stderr)
        return EXIT_ERROR
    sys.stdout.write(explain_rule(matches[0]))
    return EXIT_OK


def cmd_test_rules(args: argparse.Namespace) -> int:
    from .testing import run_all

    builtin = builtin_rules_dir()
    dirs = [builtin] + [Path(d) for d in args.dirs if Path(d).resolve() != builtin.resolve()]
    results = run_all(dirs)
    failed = [r for r in results if not r.ok]
    for r in results:
        if args.verbose or not r.ok:
            status = "PASS" if r.ok else "FAIL"
            print(f"{status} {r.case.id}: {r.detail}\n    {r.case.example.text.strip()[:200]!r}")
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return EXIT_FINDINGS if failed else EXIT_OK


def _size(value: str) -> int:
    from .files import parse_size

    try:
        return parse_size(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive_int(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {value!r}")
    return number


def _check_jsonl(args: argparse.Namespace) -> int:
    """``check --stdin-jsonl``: stream one JSON result per input line (see ``claimlint.batch``)."""
    import json

    from .batch import fails, lint_jsonl

    if args.paths or args.output or args.stdin_filename:
        raise UsageError("claimlint: --stdin-jsonl reads standard input and writes standard output; "
                         "it takes no paths, --output or --stdin-filename")
    config = _config_for(args, Path("."))
    lines = getattr(sys.stdin, "buffer", sys.stdin)
    failed = False
    for result in lint_jsonl(lines, config, encoding=args.encoding or "utf-8",
                             default_format=args.input_format or "markdown"):
        failed = failed or fails(result, config.fail_on)
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return EXIT_FINDINGS if failed else EXIT_OK


def _lint_dask(args: argparse.Namespace, config: Config) -> Report | None:
    """``check --dask ADDRESS``: the report of ``lint_paths``, linted on the cluster (see ``claimlint.dask``)."""
    from .dask import DaskError, lint_paths_dask

    try:
        return lint_paths_dask(args.paths, args.dask, config, input_format=args.input_format, encoding=args.encoding)
    except DaskError as exc:
        print(f"claimlint: error: --dask: {exc}", file=sys.stderr)
        return None


def _cpus() -> int:
    from .parallel import available_cpus

    return available_cpus()


def _cache(args: argparse.Namespace, config: Config):
    from .cache import Cache, default_cache_dir

    return Cache(Path(args.cache_dir) if args.cache_dir else default_cache_dir(config))


class _LazyRules(Mapping):
    """The rule pack for formatters that describe rules (SARIF), built only if one asks:
    a run answered from the cache builds no engine."""

    def __init__(self, config: Config):
        self._config, self._rules = config, None

    def _load(self) -> Mapping:
        if self._rules is None:
            from .api import get_engine

            self._rules = get_engine(self._config).pack.rules
        return self._rules

    def __getitem__(self, key):
        return self._load()[key]

    def __iter__(self):
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


def cmd_clean(args: argparse.Namespace) -> int:
    """``claimlint clean``: remove the cache (the default one, or ``--cache-dir``)."""
    import os

    from .cache import clean, default_cache_dir

    if args.cache_dir:
        directory = Path(args.cache_dir)
    else:
        directory = default_cache_dir(load_config(Path(args.config)) if args.config else find_config(Path(".")))
    shown = os.path.relpath(directory) if directory.is_absolute() and Path.cwd() in directory.parents else str(directory)
    removed = clean(directory)
    if not removed:
        print(f"claimlint: no cache at {shown}")
    elif directory in removed:
        print(f"claimlint: removed {shown}")
    else:
        print(f"claimlint: removed the cache entries in {shown} (other files there were kept)")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn  # noqa: F401

        from .service import serve
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] not in ("uvicorn", "starlette", "anyio"):
            raise
        print(f"claimlint: error: 'claimlint serve' needs the serve extra (no module named {exc.name!r}); "
              "install it with: pip install 'claimlint[serve]'", file=sys.stderr)
        return EXIT_ERROR
    if not args.timeout > 0:
        raise UsageError(f"claimlint serve: --timeout must be positive, got {args.timeout}")
    return serve(_config_for(args, Path(".")), host=args.host, port=args.port, max_body_bytes=args.max_body_bytes,
                 max_documents=args.max_documents, timeout=args.timeout, concurrency=args.concurrency)

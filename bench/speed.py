#!/usr/bin/env python3
"""Speed and scale: claimlint side by side with proselint, in one run.

    pip install -r bench/requirements.txt                 # proselint, pinned (from PyPI)
    python bench/speed.py ../shared/eval/dev/docs          # the whole benchmark (a few minutes)
    python bench/speed.py ../shared/eval/dev/docs --importtime   # only: where the cold start goes

DOCS is a folder of real pages (*.txt, *.md, *.markdown, *.html, *.htm). It is only read: the
corpus (about --target-mb MB, several thousand files) is built in a temporary folder by
repeating those pages, each copy made unique by a first line "(copy N)" so that no cache keyed
by content can serve one copy from another. Words are whitespace-separated tokens of the
corpus files as written.

Every measurement is a fresh process (``python -m claimlint check --format json CORPUS`` and
``python -m proselint check --output-format json CORPUS``; proselint 0.16 lints the files of a
folder one after the other in one process: that is its fastest way, it has no parallel mode
and no cache), timed from start to exit, so interpreter start-up, imports, reading the files
and writing the report are included for both tools alike. The corpus is built before any clock
starts. "One core" runs are pinned to a single CPU (sched_setaffinity) and claimlint gets
``--jobs 1 --no-cache`` when it has those options. Peak memory is the largest resident set of
any one process of the run (os.wait4's ru_maxrss, which covers the child and the workers it
waited for). Each timing is repeated --repeats times (tools interleaved) and the median is
reported; a measurement whose slowest run is more than 15 % slower than its fastest is flagged,
and a run during which other processes took more than 10 % of its CPUs is run again.
claimlint is run from a copy of its source taken at the start (--live: as installed), so that
edits made in the work tree meanwhile cannot mix versions. bench/README.md has the details.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

PAGE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
NOISE = 1.15  # max/min above this: "machine too noisy"
TARGETS = {
    "one_core_wps": 100_000,  # words/s, one core
    "jobs2_speedup": 1.8,  # --jobs 2 over one core
    "cold_start_s": 0.7,  # a small page, fresh process
    "peak_mb": 300,  # per process
    "cache_ratio": 0.1,  # second (cached) run / first run
}


# --------------------------------------------------------------------------- corpus

def read_pages(folder: Path) -> list[tuple[str, str]]:
    pages = []
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix.lower() in PAGE_SUFFIXES:
            pages.append((path.name, path.read_text(encoding="utf-8", errors="replace")))
    return pages


def build_corpus(pages: list[tuple[str, str]], dest: Path, target_bytes: int) -> tuple[int, int, int]:
    """Write copies of the pages into dest until target_bytes; returns (files, bytes, words)."""
    dest.mkdir(parents=True)
    files = size = words = 0
    copy = 0
    while size < target_bytes:
        copy += 1
        for name, text in pages:
            body = f"(copy {copy})\n\n{text}"
            data = body.encode("utf-8")
            (dest / f"c{copy:04d}_{name}").write_bytes(data)
            files += 1
            size += len(data)
            words += len(body.split())
            if size >= target_bytes:
                break
    return files, size, words


def build_page(pages: list[tuple[str, str]], dest: Path, target_bytes: int = 5000) -> tuple[Path, int, int]:
    """One ~5 KB text page: consecutive real pages, cut at the last sentence end before target_bytes."""
    body = "\n\n".join(text.strip() for _, text in pages)
    cut = body.encode("utf-8")[:target_bytes].decode("utf-8", errors="ignore")
    end = max(cut.rfind(". "), cut.rfind(".\n"))
    body = (cut[: end + 1] if end > 0 else cut) + "\n"
    dest.write_text(body, encoding="utf-8")
    return dest, len(body.encode("utf-8")), len(body.split())


# --------------------------------------------------------------------------- running

@dataclass
class Run:
    wall: float
    maxrss_mb: float
    foreign_s: float  # CPU seconds other processes used during the run, on the CPUs it could use
    capacity_s: float  # wall time x the number of those CPUs


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)

    def walls(self) -> list[float]:
        return [r.wall for r in self.runs]

    @property
    def median(self) -> float:
        return statistics.median(self.walls())

    @property
    def spread(self) -> float:
        w = self.walls()
        return max(w) / min(w) if w and min(w) > 0 else float("nan")

    @property
    def peak_mb(self) -> float:
        return max(r.maxrss_mb for r in self.runs)

    @property
    def foreign(self) -> float:
        """The share of the machine's CPU time that other processes used during these runs
        (summed over the runs: /proc/stat counts in ticks, too coarse for one short run)."""
        return max(0.0, sum(r.foreign_s for r in self.runs) / sum(r.capacity_s for r in self.runs))


HZ = os.sysconf("SC_CLK_TCK")
NCPU = os.cpu_count() or 1


def busy_seconds(cpus: set[int] | None = None) -> float:
    """CPU seconds spent not idle since boot (from /proc/stat): by the given CPUs, or by all."""
    try:
        lines = Path("/proc/stat").read_text().splitlines()
    except OSError:
        return 0.0
    wanted = {"cpu"} if cpus is None else {f"cpu{c}" for c in cpus}
    total = 0
    for line in lines:
        fields = line.split()
        if fields and fields[0] in wanted:
            user, nice, system, idle, iowait, irq, softirq, steal = (int(x) for x in fields[1:9])
            total += user + nice + system + irq + softirq + steal
    return total / HZ


def wait_idle(max_wait: float, threshold: float = 0.2) -> float:
    """Wait until other processes use less than `threshold` of the machine (sampled over 0.5 s),
    at most max_wait seconds; returns the last share seen."""
    import time

    deadline = time.monotonic() + max_wait
    while True:
        b0, t0 = busy_seconds(), time.monotonic()
        time.sleep(0.5)
        share = (busy_seconds() - b0) / ((time.monotonic() - t0) * NCPU)
        if share < threshold or time.monotonic() >= deadline:
            return share
        time.sleep(2)


#: A run of at least MIN_CHECKED seconds during which other processes took more than BUSY of
#: the CPUs it could use is thrown away and run again, at most RETRIES times.
BUSY, MIN_CHECKED, RETRIES = 0.10, 1.0, 3
DISCARDED: list[str] = []


def run(cmd: list[str], cwd: Path, out: Path, cpu: int | None = None, max_wait: float = 0,
        label: str = "", prepare=None) -> Run:
    """Run cmd, stdout to `out`: its wall time, the peak RSS of its largest process, and the CPU
    time other processes took meanwhile on the CPUs it could use (their busy time less its own)."""
    for attempt in range(RETRIES + 1):
        if prepare is not None:
            prepare()
        r = run_once(cmd, cwd, out, cpu, max_wait)
        if r.wall < MIN_CHECKED or r.foreign_s / r.capacity_s <= BUSY or attempt == RETRIES:
            return r
        DISCARDED.append(f"{label or cmd[2]}: {r.wall:.2f} s with {r.foreign_s / r.capacity_s:.0%} taken by others")


def run_once(cmd: list[str], cwd: Path, out: Path, cpu: int | None, max_wait: float) -> Run:
    import time

    if max_wait:
        wait_idle(max_wait)
    cpus = {cpu} if cpu is not None else None
    err = out.with_suffix(".stderr")
    with open(out, "wb") as fo, open(err, "wb") as fe:
        preexec = (lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None else None
        b0 = busy_seconds(cpus)
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL,
                                preexec_fn=preexec, env=ENV)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        b1 = busy_seconds(cpus)
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):  # both tools exit 1 when they find something
        raise SystemExit(f"speed: {' '.join(cmd)} exited {proc.returncode}:\n{err.read_text()[-2000:]}")
    own = usage.ru_utime + usage.ru_stime
    capacity = wall * (1 if cpu is not None else NCPU)
    return Run(wall, usage.ru_maxrss / 1024, (b1 - b0) - own, capacity)  # ru_maxrss: KiB on Linux


#: The environment of every command run; PYTHONPATH points at the snapshot (see take_snapshot).
ENV = dict(os.environ)
#: Where the measured claimlint comes from (for the header).
ORIGIN: dict[str, str] = {}


def claimlint_roots(python: str) -> list[Path]:
    """The claimlint package folder and its built-in rules folder, as `python` imports them."""
    code = ("import claimlint, os; from claimlint.loader import builtin_rules_dir; "
            "print(os.path.dirname(claimlint.__file__)); print(builtin_rules_dir())")
    proc = subprocess.run([python, "-c", code], capture_output=True, text=True, env=ENV)
    if proc.returncode != 0:
        raise SystemExit(f"speed: cannot import claimlint with {python}:\n{proc.stderr[-2000:]}")
    return [Path(line) for line in proc.stdout.split()]


def source_digest(python: str) -> str:
    """A hash of the claimlint package and its built-in rules as `python` imports them."""
    import hashlib

    h = hashlib.sha256()
    for root in claimlint_roots(python):
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:12]


def take_snapshot(python: str, dest: Path) -> str:
    """Copy claimlint's source and rules into dest and point PYTHONPATH at the copy, so that
    every run of one benchmark measures the same code even while the work tree is being
    edited (an editable install imports the live tree). Returns the copy's digest."""
    package, rules = claimlint_roots(python)
    for _ in range(5):
        before = source_digest(python)
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(package, dest / "src" / "claimlint", ignore=shutil.ignore_patterns("__pycache__"))
        if not rules.is_relative_to(package):  # a source checkout: rules/ beside src/
            shutil.copytree(rules, dest / "rules")
        if source_digest(python) == before:
            break
    else:
        raise SystemExit("speed: claimlint's source keeps changing; cannot take a consistent copy")
    ENV["PYTHONPATH"] = os.pathsep.join([str(dest / "src")] + ([ENV["PYTHONPATH"]] if ENV.get("PYTHONPATH") else []))
    copied = claimlint_roots(python)
    if not all(p.is_relative_to(dest) for p in copied):
        raise SystemExit(f"speed: the snapshot is not what {python} imports: {copied}")
    return source_digest(python)


def check_help(python: str) -> str:
    return subprocess.run([python, "-m", "claimlint", "check", "--help"], capture_output=True, text=True,
                          env=ENV).stdout


def has_flag(help_text: str, flag: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", help_text) is not None


def claimlint_files(out: Path) -> int:
    return json.loads(out.read_text())["summary"]["files"]


def proselint_files(out: Path) -> int:
    return len(json.loads(out.read_text())["result"])


# --------------------------------------------------------------------------- import profile

IMPORT_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|( *)(\S+)")


def import_profile(python: str, page: Path, cwd: Path, extra: list[str], repeats: int = 3,
                   top: int = 15, max_wait: float = 0) -> tuple[float, float, list[tuple[str, str, float, float]]]:
    """`python -X importtime -m claimlint check page`, `repeats` times; of the run whose total
    import time (the sum of all self times, ms) is the median: that total, the run's wall
    time (ms), and its `top` modules by cumulative time, each as (module, the module that
    imported it, cumulative ms, self ms)."""
    import time

    profiles = []
    for _ in range(repeats):
        if max_wait:
            wait_idle(max_wait)
        t0 = time.perf_counter()
        proc = subprocess.run([python, "-X", "importtime", "-m", "claimlint", "check", "--format", "json",
                               *extra, str(page)], cwd=cwd, capture_output=True, text=True, env=ENV)
        wall = (time.perf_counter() - t0) * 1000
        entries = []
        for line in proc.stderr.splitlines():
            m = IMPORT_LINE.match(line)
            if m:
                entries.append((m.group(4), len(m.group(3)), int(m.group(1)) / 1000, int(m.group(2)) / 1000))
        rows = []
        # -X importtime prints a module after everything it imported: the importer of an entry is
        # the next entry that is one level less deep.
        for i, (name, depth, self_ms, cum_ms) in enumerate(entries):
            by = next((e[0] for e in entries[i + 1:] if e[1] < depth), "(top level)")
            rows.append((name, by, cum_ms, self_ms))
        rows.sort(key=lambda r: -r[2])
        profiles.append((sum(e[2] for e in entries), wall, rows[:top]))
    profiles.sort(key=lambda p: p[0])
    return profiles[len(profiles) // 2]


def print_import_profile(total_ms: float, wall_ms: float, rows, bare_s: float | None = None) -> None:
    rest = wall_ms - total_ms - (bare_s or 0) * 1000
    print(f"imports: {total_ms:.0f} ms of that process's {wall_ms:.0f} ms (the sum of all self times; of 3 runs "
          f"the one with the median total); the other {rest:.0f} ms are "
          + (f"the bare interpreter's start ({bare_s * 1000:.0f} ms), " if bare_s is not None else "the interpreter's start, ")
          + "building the rules and the pipeline, linting and writing the report")
    print("top 15 by cumulative time (a module's time includes what it imports):")
    print(f"{'cumulative ms':>14} {'self ms':>8}  {'module':<34} imported by")
    for name, by, c, s in rows:
        print(f"{c:14.1f} {s:8.1f}  {name:<34} {by}")


# --------------------------------------------------------------------------- report

def machine() -> dict[str, str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {
        "nproc": str(os.cpu_count()),
        "usable cpus": str(len(os.sched_getaffinity(0))),
        "cpu": model,
        "memory": mem,
        "python": platform.python_version(),
        "os": platform.platform(),
    }


def version_of(python: str, module: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({module!r}))"
    proc = subprocess.run([python, "-c", code], capture_output=True, text=True, env=ENV)
    return proc.stdout.strip() or "not installed"


def fmt_num(x: float) -> str:
    return f"{x:,.0f}"


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("**met**" if ok else "**not met**")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("docs", type=Path, help="folder of real pages (only read)")
    ap.add_argument("--target-mb", type=float, default=10.0, help="corpus size in MB (default 10)")
    ap.add_argument("--repeats", type=int, default=3, help="runs per throughput measurement (default 3)")
    ap.add_argument("--cold-runs", type=int, default=9, help="runs per cold-start measurement (default 9)")
    ap.add_argument("--importtime", action="store_true",
                    help="only print where claimlint's cold start goes (top 15 cumulative imports)")
    ap.add_argument("--python", default=sys.executable, help="interpreter with claimlint and proselint installed")
    ap.add_argument("--max-wait", type=float, default=120,
                    help="before each run, wait up to this many seconds for the machine to be idle (default 120)")
    ap.add_argument("--live", action="store_true",
                    help="run the installed claimlint as it is (default: a copy of its source taken at the "
                         "start, so that edits made meanwhile cannot mix versions)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary corpus folder")
    args = ap.parse_args(argv)

    docs = args.docs.resolve()
    pages = read_pages(docs) if docs.is_dir() else []
    if not pages:
        print(f"speed: no pages ({', '.join(sorted(PAGE_SUFFIXES))}) in {args.docs}", file=sys.stderr)
        return 2
    py = args.python
    tmp = Path(tempfile.mkdtemp(prefix="claimlint-speed-"))
    try:
        package = claimlint_roots(py)[0]
        head = subprocess.run(["git", "-C", str(package), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True).stdout.strip()
        ORIGIN["source"] = f"{package}" + (f" (work tree on commit {head})" if head else "")
        if not args.live:
            take_snapshot(py, tmp / "snapshot")
            ORIGIN["source"] = f"a copy of {ORIGIN['source']} taken at the start"
        return run_main(args, py, pages, tmp)
    finally:
        if args.keep:
            print(f"(corpus kept in {tmp})")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def run_main(args, py: str, pages, tmp: Path) -> int:
    help_text = check_help(py)
    if not help_text:
        print(f"speed: `{py} -m claimlint check --help` printed nothing: is claimlint installed?", file=sys.stderr)
        return 2
    has_jobs = has_flag(help_text, "--jobs")
    has_no_cache = has_flag(help_text, "--no-cache")
    has_cache_dir = has_flag(help_text, "--cache-dir")
    no_cache = ["--no-cache"] if has_no_cache else []

    page, page_bytes, page_words = build_page(pages, tmp / "page.txt")
    if args.importtime:
        for _ in range(2):  # warm the OS file cache and write the .pyc files
            subprocess.run([py, "-m", "claimlint", "check", "--format", "json", *no_cache, str(page)],
                           cwd=tmp, capture_output=True, env=ENV)
        print(f"python -X importtime -m claimlint check {page.name} ({page_bytes} bytes)")
        print_import_profile(*import_profile(py, page, tmp, no_cache, max_wait=args.max_wait))
        return 0
    return benchmark(args, py, pages, tmp, page, page_bytes, page_words, has_jobs, has_no_cache, has_cache_dir)


def benchmark(args, py, pages, tmp: Path, page: Path, page_bytes: int, page_words: int,
              has_jobs: bool, has_no_cache: bool, has_cache_dir: bool) -> int:
    no_cache = ["--no-cache"] if has_no_cache else []
    jobs1 = ["--jobs", "1"] if has_jobs else []
    corpus = tmp / "corpus"
    files, size, words = build_corpus(pages, corpus, int(args.target_mb * 1_000_000))
    out = tmp / "out"
    out.mkdir()
    one_cpu = sorted(os.sched_getaffinity(0))[-1]
    wait = args.max_wait

    cl = [py, "-m", "claimlint", "check", "--format", "json"]
    pl = [py, "-m", "proselint", "check", "--output-format", "json"]
    cl_version, pl_version = version_of(py, "claimlint"), version_of(py, "proselint")
    if pl_version == "not installed":
        print("speed: proselint is not installed: pip install -r bench/requirements.txt", file=sys.stderr)
        return 2
    digest = source_digest(py)

    info = machine()
    now = datetime.datetime.now().astimezone()
    print(f"date: {now.isoformat(timespec='seconds')}")
    for k, v in info.items():
        print(f"{k}: {v}")
    print(f"claimlint {cl_version}, source digest {digest}: {ORIGIN.get('source', '?')}")
    print(f"proselint {pl_version}")
    print(f"corpus: {files} files, {size / 1e6:.1f} MB, {words:,} words "
          f"({len(pages)} pages of {args.docs} repeated; built in {tmp}, not timed)")
    print(f"claimlint options: --jobs {'yes' if has_jobs else 'MISSING'}, "
          f"--no-cache {'yes' if has_no_cache else 'MISSING'}, --cache-dir {'yes' if has_cache_dir else 'MISSING'}")
    print(f"one-core runs pinned to CPU {one_cpu}; {args.repeats} runs per throughput figure, "
          f"{args.cold_runs} per cold start; medians; each run waits (up to {wait:.0f} s) until "
          f"other processes use < 20 % of the machine", flush=True)

    # ---- cold start: a fresh process linting one ~5 KB page, as a user runs it (not pinned;
    # claimlint lints a small run in its own process whatever --jobs says). One warm-up each.
    # Two claimlint cold starts: with --no-cache (nothing read or written: a first run ever),
    # and as a pre-commit hook runs after an edit: the default cache (in --cache-dir), kept from
    # earlier runs, and the page changed since (a new first line each run), so its findings are
    # not in the cache and it is linted; what is reused is what earlier runs learned about the
    # rule pack's regexes (claimlint's regex_facts).
    cold_cl, cold_pl, cold_py, hook_cl = Series(), Series(), Series(), Series()
    page_text = page.read_text(encoding="utf-8")
    edited = tmp / "edited-page.txt"
    hook_cache = tmp / "hook-cache"
    edits = iter(range(1, 1_000_000))

    def edit_page() -> None:
        edited.write_text(f"(edit {next(edits)})\n{page_text}", encoding="utf-8")

    hook = cl + (["--cache-dir", str(hook_cache)] if has_cache_dir else []) + [str(edited)]
    run(cl + no_cache + [str(page)], tmp, out / "w.json")
    run(pl + [str(page)], tmp, out / "w.json")
    run(hook, tmp, out / "w.json", prepare=edit_page)
    for _ in range(args.cold_runs):
        cold_cl.runs.append(run(cl + no_cache + [str(page)], tmp, out / "cold-cl.json", max_wait=wait))
        cold_pl.runs.append(run(pl + [str(page)], tmp, out / "cold-pl.json", max_wait=wait))
        cold_py.runs.append(run([py, "-c", "pass"], tmp, out / "cold-py.txt", max_wait=wait))
        hook_cl.runs.append(run(hook, tmp, out / "cold-hook.json", max_wait=wait, prepare=edit_page))
    print(f"cold start: claimlint {cold_cl.median:.3f} s (--no-cache), {hook_cl.median:.3f} s (hook run, "
          f"page edited), proselint {cold_pl.median:.3f} s", flush=True)

    # ---- throughput over the corpus, tools interleaved in each round
    one_cl, one_pl, two_cl = Series(), Series(), Series()
    first, second = Series(), Series()
    cache = has_no_cache and has_cache_dir
    problems: list[str] = []

    def report_of(path: Path) -> dict:
        data = json.loads(path.read_text())
        data.pop("tool", None)
        return data

    for rep in range(1, args.repeats + 1):
        one_cl.runs.append(run(cl + jobs1 + no_cache + [str(corpus)], tmp, out / "one-cl.json", one_cpu, wait,
                              "claimlint one core"))
        n = claimlint_files(out / "one-cl.json")
        if n != files:
            raise SystemExit(f"speed: claimlint linted {n} files, the corpus has {files}")
        one_pl.runs.append(run(pl + [str(corpus)], tmp, out / "one-pl.json", one_cpu, wait, "proselint one core"))
        n = proselint_files(out / "one-pl.json")
        if n != files:
            raise SystemExit(f"speed: proselint linted {n} files, the corpus has {files}")
        msg = (f"round {rep}/{args.repeats}: one core: claimlint {one_cl.runs[-1].wall:.1f} s, "
               f"proselint {one_pl.runs[-1].wall:.1f} s")
        reference = report_of(out / "one-cl.json") if rep == 1 else None
        if has_jobs:
            two_cl.runs.append(run(cl + ["--jobs", "2"] + no_cache + [str(corpus)], tmp, out / "two-cl.json",
                                   max_wait=wait, label="claimlint --jobs 2"))
            if reference is not None and report_of(out / "two-cl.json") != reference:
                problems.append("claimlint --jobs 2 reported other findings than --jobs 1")
            msg += f"; claimlint --jobs 2 {two_cl.runs[-1].wall:.1f} s"
        if cache:
            cache_dir = tmp / f"cache-{rep}"  # a fresh, empty cache for each pair
            cached = cl + jobs1 + ["--cache-dir", str(cache_dir), str(corpus)]
            first.runs.append(run(cached, tmp, out / "first.json", one_cpu, wait, "claimlint cache first run",
                                  prepare=lambda d=cache_dir: shutil.rmtree(d, ignore_errors=True)))
            second.runs.append(run(cached, tmp, out / "second.json", one_cpu, wait, "claimlint cache second run"))
            if reference is not None and (report_of(out / "first.json") != reference
                                          or report_of(out / "second.json") != reference):
                problems.append("claimlint's cached runs reported other findings than the uncached one")
            msg += f"; cache: first {first.runs[-1].wall:.1f} s, second {second.runs[-1].wall:.2f} s"
        print(msg, flush=True)
    if source_digest(py) != digest:
        problems.append("claimlint's source or rules changed during the run (someone edited the work tree; "
                        "--live): the figures mix versions; run again")

    # ---- the table
    def wps(s: Series) -> float:
        return words / s.median

    rows: list[tuple[str, ...]] = []
    one_ok = wps(one_cl) >= TARGETS["one_core_wps"]
    rows.append(("words/s, one core" + (" (`--jobs 1 --no-cache`)" if has_jobs and has_no_cache else ""),
                 fmt_num(wps(one_cl)), fmt_num(wps(one_pl)), f"{wps(one_cl) / wps(one_pl):.2f}",
                 f">= {TARGETS['one_core_wps']:,}", verdict(one_ok)))
    rows.append(("time to lint the corpus, one core, s", f"{one_cl.median:.2f}", f"{one_pl.median:.2f}",
                 f"{one_cl.median / one_pl.median:.2f}", "", ""))
    if has_jobs:
        speedup = wps(two_cl) / wps(one_cl)
        rows.append(("words/s, `--jobs 2 --no-cache`", fmt_num(wps(two_cl)), "(no parallel mode)",
                     f"{wps(two_cl) / wps(one_pl):.2f}", "", ""))
        rows.append(("`--jobs 2` speed-up over one core", f"{speedup:.2f}x", "", "",
                     f">= {TARGETS['jobs2_speedup']}x", verdict(speedup >= TARGETS["jobs2_speedup"])))
    else:
        rows.append(("words/s, `--jobs 2`", "(`--jobs` missing)", "(no parallel mode)", "",
                     f">= {TARGETS['jobs2_speedup']}x one core", "not measured"))
    rows.append(("peak memory per process, one core, MB", f"{one_cl.peak_mb:.0f}", f"{one_pl.peak_mb:.0f}",
                 f"{one_cl.peak_mb / one_pl.peak_mb:.2f}", f"<= {TARGETS['peak_mb']}",
                 verdict(one_cl.peak_mb <= TARGETS["peak_mb"])))
    if has_jobs:
        rows.append(("peak memory per process, `--jobs 2`, MB", f"{two_cl.peak_mb:.0f}", "", "",
                     f"<= {TARGETS['peak_mb']}", verdict(two_cl.peak_mb <= TARGETS["peak_mb"])))
    rows.append((f"cold start, one {page_bytes / 1000:.1f} KB page ({page_words} words), a hook run after an "
                 "edit (cache folder kept, page not in it), s",
                 f"{hook_cl.median:.3f}", f"{cold_pl.median:.3f}", f"{hook_cl.median / cold_pl.median:.2f}",
                 f"<= {TARGETS['cold_start_s']}", verdict(hook_cl.median <= TARGETS["cold_start_s"])))
    rows.append(("cold start, the same page, first run ever (`--no-cache`: nothing read or written), s",
                 f"{cold_cl.median:.3f}", f"{cold_pl.median:.3f}", f"{cold_cl.median / cold_pl.median:.2f}",
                 f"<= {TARGETS['cold_start_s']}", verdict(cold_cl.median <= TARGETS["cold_start_s"])))
    rows.append(("(`python -c pass` alone, s)", f"{cold_py.median:.3f}", f"{cold_py.median:.3f}", "", "", ""))
    if cache:
        ratio = second.median / first.median
        rows.append(("cache: first run (empty cache), one core, s", f"{first.median:.2f}", "(no cache)", "", "", ""))
        rows.append(("cache: second run (unchanged corpus), s", f"{second.median:.2f}", "(no cache)", "", "", ""))
        rows.append(("cache: second ÷ first", f"{ratio:.3f}", "", "", f"<= {TARGETS['cache_ratio']}",
                     verdict(ratio <= TARGETS["cache_ratio"])))
    else:
        rows.append(("cache: second ÷ first", "(no `--cache-dir`/`--no-cache`)", "(no cache)", "",
                     f"<= {TARGETS['cache_ratio']}", "not measured"))

    series = [("claimlint one core", one_cl), ("proselint one core", one_pl)]
    if has_jobs:
        series.append(("claimlint --jobs 2", two_cl))
    if cache:
        series += [("claimlint cache first run", first), ("claimlint cache second run", second)]
    series += [("claimlint cold start (hook run)", hook_cl), ("claimlint cold start (--no-cache)", cold_cl),
               ("proselint cold start", cold_pl)]
    noisy = [f"{name} {s.spread:.2f}" for name, s in series if s.spread > NOISE]
    busy = [f"{name} {s.foreign:.0%}" for name, s in series if s.foreign > 0.1]

    print()
    print(f"Measured {now.date().isoformat()} on {info['nproc']} x {info['cpu']} ({info['memory']}), "
          f"Python {info['python']}; claimlint {cl_version}, proselint {pl_version}; corpus {files} files, "
          f"{size / 1e6:.1f} MB, {words:,} words; medians of {args.repeats} runs ({args.cold_runs} for cold starts).")
    print()
    print(f"| measure | claimlint | proselint {pl_version} | claimlint ÷ proselint | target | |")
    print("|---|---:|---:|---:|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print()
    print("spread (slowest ÷ fastest run): " + ", ".join(f"{name} {s.spread:.2f}" for name, s in series))
    print("other processes' share of the machine's CPU time during the runs: "
          + ", ".join(f"{name} {s.foreign:.0%}" for name, s in series))
    if noisy:
        print(f"WARNING: machine too noisy: spread above {NOISE:.2f} for " + ", ".join(noisy))
    if busy:
        print("WARNING: other processes used more than 10 % of the machine during " + ", ".join(busy))
    if DISCARDED:
        print(f"runs thrown away and run again (others took more than {BUSY:.0%} of their CPUs): "
              + "; ".join(DISCARDED))
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print()
    print(f"where the cold start goes: python -X importtime -m claimlint check {page.name}")
    print_import_profile(*import_profile(py, page, tmp, no_cache, max_wait=wait), cold_py.median)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

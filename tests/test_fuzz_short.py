"""A short fuzz run of ``fuzz/fuzz_readers.py`` inside the suite (the long one is in README).

With atheris installed (the ``test`` extra installs it on Linux x86-64), the harness runs
under libFuzzer in a subprocess for 2000 inputs or 20 seconds, whichever comes first,
from a few seed documents; any exception other than ``InputError`` or a broken offset
contract makes libFuzzer stop with a ``crash-*`` file, and the test fails with its output.
The same harness body also runs under hypothesis on arbitrary bytes, so the properties are
checked where atheris cannot be installed too.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HARNESS = ROOT / "fuzz" / "fuzz_readers.py"

#: The first byte picks how the rest is decoded: 0 as a file is (UTF-8, BOMs, binary refused),
#: 1 UTF-8 with replacement characters, 2 Latin-1, 3 UTF-8 with unpaired surrogates (see the harness).
SEEDS = [
    b"\x00---\ntitle: x\n---\n# Caf\xc3\xa9 *serum*\n\nOur **serum** cures acne &amp; eczema [1].\n\n"
    b"- Turmeric has been shown to ease joint pain.\n\n| a | b |\n|---|---|\n| Balm | It cures rashes |\n\n"
    b"> Clinically proven.\n\n```\ncode cures\n```\n<!-- claimlint-disable-next-line CL501 -- quoted -->\n"
    b"It cures colds.\n\n## References\n\n1. Smith J. (2020) A trial. J Derm.\n",
    b"\x00<html><body><h1>Joint care</h1><p>Turmeric <em>has been</em> shown to ease joint pain&#39;s "
    b"worst&nbsp;days.</p><ul><li>It cures <a href='x'>acne</a></li></ul><table><tr><td>Clinically "
    b"proven</td></tr></table><script>cures</script><img alt='cures acne'><!-- c --></body></html>",
    b"\x00\xff\xfe" + "EXOSOMES\r\nIn mice, resveratrol extended lifespan, so it can help you.\r\n".encode("utf-16-le"),
    b"\x00- No side effects\r\n\xe2\x80\xa2 100% safe\r\n1. Guaranteed results.\r\n",
    b"\x01Our serum cures acne.\n\n\xff\xfe broken \xc3 bytes",
    b"\x02Caf\xe9 cr\xe8me cures acne.",
    b"\x03Our serum \xff cures acne \xc3.",
]


def _load_harness():
    spec = importlib.util.spec_from_file_location("fuzz_readers", HARNESS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_seeds_pass_the_harness(engine):
    harness = _load_harness()
    for seed in SEEDS:
        harness.check_bytes(seed)


def test_a_short_atheris_run_finds_nothing(tmp_path):
    pytest.importorskip("atheris")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, seed in enumerate(SEEDS):
        (corpus / f"seed{i}").write_bytes(seed)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMLINT")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(ROOT / "src"), env.get("PYTHONPATH", "")] if p)
    done = subprocess.run([sys.executable, str(HARNESS), "-runs=2000", "-max_total_time=20", "-max_len=4096",
                           f"-artifact_prefix={tmp_path}/", "-print_final_stats=1", str(corpus)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180)
    log = done.stdout + done.stderr
    crashes = sorted(p.name for p in tmp_path.glob("crash-*"))
    assert done.returncode == 0 and not crashes, log[-6000:]
    runs = re.search(r"Done (\d+) runs in (\d+) second", log)
    assert runs, log[-3000:]
    print(f"\natheris: {runs.group(1)} inputs in {runs.group(2)} s, no failure")
    assert int(runs.group(1)) >= 200  # it really ran


hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.from_type(bytes))
def test_the_harness_body_on_arbitrary_bytes(data):
    _HARNESS.check_bytes(data)


_HARNESS = _load_harness()

"""Runs every script in examples/ in quick mode (TORK_EXAMPLES_QUICK=1).

Each example checks its own results with asserts (shapes, configs, saved/reloaded
predictions, accumulated vs large-batch weights, ...), so running it is the test. They run
in this process, one after another, to share the import of tork and torch; the full
quickstart (accuracy >= 95%, under a minute) runs in a subprocess and is marked slow.
"""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

pytest.importorskip("sklearn", reason="the examples need scikit-learn: pip install -e '.[test]'")

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = REPO_ROOT / "examples"

# One script per pattern the first-run issue asks for.
EXPECTED_EXAMPLES = {
    "quickstart.py",
    "custom_layer.py",
    "residual_block.py",
    "dynamic_depth.py",
    "training_only_behaviour.py",
    "train_step_keras2.py",
    "train_step_keras3.py",
    "gradient_accumulation.py",
    "gradient_tape_loop.py",
    "functional_multi_io.py",
    "small_cnn.py",
    "lstm_text_classifier.py",
    "torch_interop.py",
}


def _scripts() -> list[str]:
    return sorted(p.name for p in EXAMPLES.glob("*.py") if not p.name.startswith("_"))


@pytest.fixture(autouse=True)
def _quick_mode(monkeypatch):
    monkeypatch.setenv("TORK_EXAMPLES_QUICK", "1")
    # One thread: tiny models run faster, and steadily, on a shared 2-core machine.
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _run(name: str, argv: list[str] | None = None) -> int:
    """Runs examples/<name> as __main__; returns its exit status."""
    old_argv = sys.argv
    sys.argv = [str(EXAMPLES / name), *(argv or [])]
    try:
        runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    except SystemExit as exit_:
        return int(exit_.code or 0)
    finally:
        sys.argv = old_argv
    return 0


def test_every_pattern_has_an_example():
    missing = EXPECTED_EXAMPLES - set(_scripts())
    assert not missing, f"examples missing: {sorted(missing)}"


def test_every_example_is_documented():
    index = (EXAMPLES / "README.md").read_text()
    undocumented = [name for name in _scripts() if f"`{name}`" not in index]
    assert not undocumented, f"add these to examples/README.md: {undocumented}"


@pytest.mark.parametrize("name", [n for n in _scripts() if n != "quickstart.py"])
def test_example_runs(name, capsys):
    assert _run(name) == 0
    out = capsys.readouterr().out
    assert out.strip(), f"{name} printed nothing"


def test_quickstart_quick_run(capsys):
    assert _run("quickstart.py", ["--device", "cpu", "--epochs", "1"]) == 0
    out = capsys.readouterr().out
    assert "Epoch 1/1" not in out  # Keras prints "Epoch e/E" only when epochs > 1
    assert re.search(r"test accuracy: \d\.\d{4}", out)
    assert 'Model: "digit_classifier"' in out
    assert "predictions are equal" in out
    # The progress bar ran (tf_keras's text bar, as stdout is captured, with the
    # validation keys at the end).
    assert "val_accuracy" in out and "[=====" in out


def test_quickstart_rejects_unavailable_cuda(capsys):
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    assert _run("quickstart.py", ["--device", "cuda"]) == 2
    assert "torch sees no CUDA GPU" in capsys.readouterr().err


def test_keras3_train_step_logs_compiled_metrics(capsys):
    assert _run("train_step_keras3.py") == 0
    first_logged = re.search(r"logged: (\[.*\])", capsys.readouterr().out).group(1)
    assert "'mae'" in first_logged


@pytest.mark.slow
def test_quickstart_full_run_is_accurate_and_fast():
    env = {k: v for k, v in os.environ.items() if k != "TORK_EXAMPLES_QUICK"}
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "quickstart.py"), "--device", "cpu"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    elapsed = time.perf_counter() - start
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    accuracy = float(re.search(r"test accuracy: (\d\.\d+)", proc.stdout).group(1))
    assert accuracy >= 0.95
    assert "predictions are equal" in proc.stdout
    # The target is under a minute on 2 idle cores; leave room for a busy CI machine.
    assert elapsed < 120, f"quickstart took {elapsed:.0f}s"

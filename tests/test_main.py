"""`python -m tork`: versions, devices, and the one-line self-check."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import numpy as np
import pytest
import torch

import tork
from tork import __main__ as cli


def test_version_is_a_release_string():
    assert re.fullmatch(r"\d+\.\d+\.\d+([.-]?\w+)?", tork.version.TORK_VERSION)
    assert re.fullmatch(r"\d+\.\d+\.\d+", tork.__version__)


def test_main_prints_versions_devices_and_passes_the_self_check(capsys):
    assert cli.main([]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(
        f"tork {tork.version.TORK_VERSION} (TensorFlow API {tork.__version__}"
    )
    assert f"torch {torch.__version__}" in lines[0]
    assert lines[1].startswith("devices: CPU")
    if not torch.cuda.is_available():
        assert "no CUDA" in lines[1]
    assert re.fullmatch(
        r"self-check: ok - built and fitted a Dense model on (cpu|cuda) in \d+\.\d+s "
        r"\(loss \S+ -> \S+\)",
        lines[2],
    )
    assert len(lines) == 3


def test_self_check_really_trains():
    report = cli.self_check()
    first, last = (float(v) for v in re.search(r"loss (\S+) -> (\S+)\)", report).groups())
    # A linear target learned by a linear model: the second epoch's mean loss is far lower.
    assert np.isfinite(last) and last < 0.1 * first


def test_no_check_only_prints_versions(capsys):
    assert cli.main(["--no-check"]) == 0
    out = capsys.readouterr().out
    assert "self-check" not in out and len(out.splitlines()) == 2


def test_a_failing_self_check_is_reported_in_one_line(monkeypatch, capsys):
    def broken():
        raise RuntimeError("training a Dense model on cpu did not reduce the loss (1 -> 2)")

    monkeypatch.setattr(cli, "self_check", broken)
    assert cli.main([]) == 1
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == (
        "self-check: FAILED - RuntimeError: training a Dense model on cpu did not reduce the "
        "loss (1 -> 2)"
    )


@pytest.mark.slow
def test_python_dash_m_tork_runs():
    env = dict(os.environ, OMP_NUM_THREADS="1")
    proc = subprocess.run(
        [sys.executable, "-m", "tork"], capture_output=True, text=True, timeout=300, env=env
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith(f"tork {tork.version.TORK_VERSION} ")
    assert "self-check: ok" in proc.stdout

"""keras.utils.Progbar against hand-written Keras 3 output (a watched stdout)."""

import numpy as np
import pytest
import torch

from tork.keras.utils import Progbar
from tork.keras.utils import progbar as progbar_module

B, R = "\x1b[1m", "\x1b[0m"
G, W = "\x1b[32m", "\x1b[37m"
BAR = "\u2501"


class Clock:
    def __init__(self):
        self.now = 50.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(progbar_module, "_clock", c)
    return c


@pytest.fixture(autouse=True)
def watched(monkeypatch):
    # Keras 3's coloured bar is drawn when someone watches stdout; the plain text written
    # to files and pipes is tested in test_sweep_smallfix24_progbar.py.
    monkeypatch.setattr(progbar_module, "_live_output", lambda: True)


def _last_draw(out):
    return out.rsplit("\r", 1)[-1]


def test_non_stateful_values_are_averaged_over_steps(clock, capsys):
    bar = Progbar(10, interval=0)
    clock.now += 1
    bar.update(1, [("loss", 1.0)])
    clock.now += 2
    bar.update(3, [("loss", 4.0)])
    # Weighted by steps since the last update: (1*1 + 4*2) / 3 = 3.
    assert _last_draw(capsys.readouterr().out).startswith(
        f"{B} 3/10{R} {G}{BAR * 6}{R}{W}{BAR * 14}{R} {B}7s{R} 1s/step - loss: 3.0000"
    )


def test_stateful_values_are_shown_as_given(clock, capsys):
    bar = Progbar(10, interval=0, stateful_metrics=["acc"])
    bar.update(1, [("acc", 0.5)])
    bar.update(2, [("acc", 0.25)])
    assert _last_draw(capsys.readouterr().out).endswith(" - acc: 0.2500")


def test_final_update_is_averaged_too(clock, capsys):
    # tf_keras 2.21 prints "2/2 [====...] - 0s 221us/step - loss: 3.0000" (Keras 3 would
    # show the final value, 5.0).
    bar = Progbar(2, interval=0)
    bar.update(1, [("loss", 1.0)])
    bar.update(2, [("loss", 5.0)])
    assert capsys.readouterr().out.endswith(" - loss: 3.0000\n")


@pytest.mark.parametrize(
    "per_step, expected",
    [
        (2.0, " 8s/epoch - 2s/step"),
        (0.0123, " 49ms/epoch - 12ms/step"),
        (0.0000456, " 182us/epoch - 46us/step"),
        (0.0, " 0s/epoch - 0s/step"),
    ],
)
def test_time_per_step_units(clock, capsys, per_step, expected):
    # verbose=2 prints Keras 2's summary: elapsed, values, epoch time, time per step.
    bar = Progbar(4, verbose=2)
    clock.now += per_step * 4
    bar.update(4)
    assert capsys.readouterr().out == f"4/4 - {per_step * 4:.0f}s -{expected}\n"


def test_verbose2_summary_keras2_layout(clock, capsys):
    # tf_keras 2.21: "8/8 - 0s - loss: 0.7873 - accuracy: 0.5312 - 48ms/epoch - 6ms/step".
    bar = Progbar(8, verbose=2, stateful_metrics=["loss", "accuracy"])
    clock.now += 0.048
    bar.update(8, [("loss", 0.7873), ("accuracy", 0.5312)])
    assert capsys.readouterr().out == (
        "8/8 - 0s - loss: 0.7873 - accuracy: 0.5312 - 48ms/epoch - 6ms/step\n"
    )
    # A reused bar times the next "epoch" from its previous summary.
    clock.now += 2.0
    bar.update(8, [("loss", 0.5), ("accuracy", 0.75)])
    assert capsys.readouterr().out == (
        "8/8 - 2s - loss: 0.5000 - accuracy: 0.7500 - 2s/epoch - 250ms/step\n"
    )


@pytest.mark.parametrize(
    "seconds_per_step, eta",
    [(0.5, "49s"), (1.0, "1:39"), (100.0, "2:45:00")],
)
def test_eta_formats(clock, capsys, seconds_per_step, eta):
    bar = Progbar(100, interval=0)
    clock.now += seconds_per_step
    bar.update(1)
    # ETA = per-step time * 99 remaining steps: 49.5 s, 99 s, 9900 s.
    assert f" {B}{eta}{R} " in capsys.readouterr().out


def test_small_and_negative_values_format(clock, capsys):
    bar = Progbar(1, stateful_metrics=["a", "b", "c"])
    bar.update(1, [("a", 0.0005), ("b", -0.5), ("c", -0.0001)])
    # verbose=1 compares |v| with 1e-3.
    assert capsys.readouterr().out.endswith(" - a: 5.0000e-04 - b: -0.5000 - c: -1.0000e-04\n")


def test_float32_log_values_print_like_keras(clock, capsys):
    # In fit, Keras turns the logs into Python numbers first, so the float32 `lr`
    # logged by LearningRateScheduler, 0.0010000000474974513, is > 1e-3: tf_keras and
    # Keras 3 print "lr: 0.0010". ProgbarLogger feeds the bar in this mode.
    for verbose in (1, 2):
        bar = Progbar(1, verbose=verbose)
        bar._from_logs = True
        bar.update(
            1, {"loss": 0.5, "lr": np.float32(0.001), "m": np.float32(-0.002)}, finalize=True
        )
        out = capsys.readouterr().out
        # verbose=2 compares v itself with 1e-3, so negatives print in %.4e.
        m = "-0.0020" if verbose == 1 else "-2.0000e-03"
        assert f" - loss: 0.5000 - lr: 0.0010 - m: {m}" in out


def test_values_at_1e3_print_like_keras(clock, capsys):
    # Output of Keras 3.15 and tf_keras 2.21 Progbar.update(1, [("a", v)]): a value
    # given straight to the bar is compared as is, so a float32 0.001 equals 1e-3
    # (NumPy 2) and, like the Python float 0.001, prints in %.4e.
    for verbose in (1, 2):
        for value, text in [
            (np.float32(0.001), "1.0000e-03"),
            (0.001, "1.0000e-03"),
            (np.float64(0.001), "1.0000e-03"),
            (np.float32(0.0011), "0.0011"),
        ]:
            bar = Progbar(1, verbose=verbose)
            bar.update(1, [("a", value)])
            out = capsys.readouterr().out
            assert out.endswith(f" - a: {text}\n") or f" - a: {text} - " in out


def test_unknown_target(clock, capsys):
    bar = Progbar(None, interval=0)
    clock.now += 0.5
    bar.update(12, [("loss", 0.5)])
    out = capsys.readouterr().out
    assert out == f"\r     12/Unknown {B}0s{R} 42ms/step - loss: 0.5000"


def test_shorter_line_is_padded_to_previous_width(clock, capsys):
    bar = Progbar(5, interval=0, stateful_metrics=["m"])
    bar.update(1, [("m", 123.0)])
    first = capsys.readouterr().out
    bar.update(2, [("m", 1.0)])
    second = capsys.readouterr().out
    plain_first = first.replace(B, "").replace(R, "").replace(G, "").replace(W, "")
    width = len(plain_first) - 1  # minus the leading "\r"
    assert second.startswith("\b" * width + "\r")
    # " - m: 123.0000" became " - m: 1.0000": two spaces of padding.
    assert second.endswith(" - m: 1.0000  ")


def test_interval_throttles_redraws(clock, capsys):
    bar = Progbar(100, interval=1.0)
    for i in range(1, 11):
        clock.now += 0.3
        bar.update(i)
    # Drawn at t=0.3 (first), 1.5, 2.7 -> 3 draws.
    assert capsys.readouterr().out.count("\r") == 3


def test_add_and_tensor_values(clock, capsys):
    bar = Progbar(4, verbose=2)
    bar.add(2, [("loss", torch.tensor(1.0))])
    bar.add(2, [("loss", torch.tensor(3.0))])
    # Averaged over the 4 steps: tf_keras 2.21 prints "4/4 - 0s - loss: 2.0000 - ...".
    assert " - loss: 2.0000 - " in capsys.readouterr().out


def test_verbose2_is_silent_until_final(clock, capsys):
    bar = Progbar(3, verbose=2)
    bar.update(1, [("loss", 1.0)])
    bar.update(2, [("loss", 1.0)])
    assert capsys.readouterr().out == ""


def test_non_dynamic_display_starts_lines_with_newline(clock, capsys):
    bar = Progbar(2, interval=0)
    bar._dynamic_display = False
    bar.update(1)
    assert capsys.readouterr().out.startswith(f"\n{B}1/2{R}")

"""ProgbarLogger output, checked against hand-written Keras 3 strings (a watched stdout)
and tf_keras 2.21's plain text (files and pipes)."""

import torch

from tork.keras.callbacks import ProgbarLogger

B, R = "\x1b[1m", "\x1b[0m"
G, W = "\x1b[32m", "\x1b[37m"
BAR = "\u2501"


def _line(count, filled, rest, clock_text, step_text, metrics):
    green = f"{G}{BAR * filled}{R}" if filled else ""
    return f"{B}{count}{R} {green}{W}{BAR * rest}{R} {B}{clock_text}{R} {step_text}{metrics}"


def _plain(count, time_text, metrics):
    # tf_keras 2.21's final line of a 30-wide bar, as it writes it into a pipe.
    return f"{count} [{'=' * 30}] - {time_text}{metrics}"


def _logs(e, s):
    return {"accuracy": 0.91, "loss": 0.3}


def test_verbose1_not_a_tty_prints_only_final_lines(helpers, clock, not_live, capsys):
    helpers.run_fit(
        helpers.FakeModel(),
        epochs=2,
        steps=3,
        verbose=1,
        clock=clock,
        train_logs=_logs,
        val_logs=lambda e: {"accuracy": 0.5, "loss": 0.0005},
    )
    # 3 steps of 0.25 s: elapsed 0.75 s -> "1s"; per step (t3 - t1) / 2 = 250 ms.
    final = _plain(
        "3/3",
        "1s 250ms/step",
        " - accuracy: 0.9100 - loss: 0.3000 - val_accuracy: 0.5000 - val_loss: 5.0000e-04",
    )
    expected = f"Epoch 1/2\n\r{final}\nEpoch 2/2\n\r{final}\n"
    assert capsys.readouterr().out == expected


def test_single_epoch_has_no_epoch_header(helpers, clock, not_live, capsys):
    helpers.run_fit(
        helpers.FakeModel(), epochs=1, steps=3, verbose=1, clock=clock, train_logs=_logs
    )
    out = capsys.readouterr().out
    assert "Epoch" not in out
    assert out == "\r" + _plain("3/3", "1s 250ms/step", " - accuracy: 0.9100 - loss: 0.3000") + "\n"


def test_verbose1_live_redraws_with_backspaces(helpers, clock, live, capsys):
    helpers.run_fit(
        helpers.FakeModel(), epochs=1, steps=3, verbose=1, clock=clock, train_logs=_logs
    )
    out = capsys.readouterr().out
    m = " - accuracy: 0.9100 - loss: 0.3000"
    # Step 1: 1/3 -> int(20/3) = 6 green; ETA 0.25 s * 2 -> "0s"; time per step 0.25/1.
    first = _line("1/3", 6, 14, "0s", "250ms/step", m)
    # Visible width: "1/3" + " " + 20 + " " + "0s" + " 250ms/step" + metrics = 72.
    assert len(m) == 34
    width = 3 + 1 + 20 + 1 + 2 + 11 + 34
    second = _line("2/3", 13, 7, "0s", "250ms/step", m)
    third = _line("3/3", 20, 0, "0s", "250ms/step", m)
    final = _line("3/3", 20, 0, "1s", "250ms/step", m)
    expected = (
        "\r"
        + first
        + "\b" * width
        + "\r"
        + second
        + "\b" * width
        + "\r"
        + third
        + "\b" * width
        + "\r"
        + final
        + "\n"
    )
    assert out == expected


def test_live_updates_are_throttled_to_the_interval(helpers, clock, live, capsys):
    # 50 steps of 10 ms: redraws at most every 0.1 s -> 1 (first) + ~5 + final.
    helpers.run_fit(
        helpers.FakeModel(),
        epochs=1,
        steps=50,
        verbose=1,
        clock=clock,
        step_time=0.01,
        train_logs=_logs,
    )
    out = capsys.readouterr().out
    draws = out.count("\r")
    assert 5 <= draws <= 8


def test_values_are_not_read_during_the_epoch_when_not_live(helpers, clock, not_live, capsys):
    reads = []

    class Probe:
        def __format__(self, spec):
            reads.append(spec)
            return "probe"

    helpers.run_fit(
        helpers.FakeModel(),
        epochs=1,
        steps=5,
        verbose=1,
        clock=clock,
        train_logs=lambda e, s: {"x": Probe()},
    )
    assert len(reads) == 1
    assert capsys.readouterr().out.endswith(" - x: probe\n")


def test_verbose2_one_line_per_epoch(helpers, clock, capsys):
    helpers.run_fit(
        helpers.FakeModel(),
        epochs=2,
        steps=3,
        verbose=2,
        clock=clock,
        train_logs=lambda e, s: {"accuracy": 0.35, "loss": -0.5},
        val_logs=lambda e: {"accuracy": 0.0001, "loss": 0.834},
    )
    # verbose=2 prints Keras 2's line (tf_keras 2.21 format): it tests v > 1e-3 without
    # abs, so negatives use %.4e; then the epoch's time and that time per step (0.75 s / 3).
    line = (
        "3/3 - 1s - accuracy: 0.3500 - loss: -5.0000e-01"
        " - val_accuracy: 1.0000e-04 - val_loss: 0.8340 - 750ms/epoch - 250ms/step\n"
    )
    assert capsys.readouterr().out == f"Epoch 1/2\n{line}Epoch 2/2\n{line}"


def test_tensor_logs_are_shown_as_logged(helpers, clock, not_live, capsys):
    helpers.run_fit(
        helpers.FakeModel(),
        epochs=1,
        steps=2,
        verbose=2,
        clock=clock,
        step_time=1.5,
        train_logs=lambda e, s: {"loss": torch.tensor(0.25 + s)},
    )
    # Running value shown as is (not averaged again); 3 s / 2 steps = 1.5 s -> "2s/step".
    assert capsys.readouterr().out == "2/2 - 3s - loss: 1.2500 - 3s/epoch - 2s/step\n"


def test_verbose0_prints_nothing(helpers, clock, capsys):
    cb = ProgbarLogger()
    helpers.run_fit(helpers.FakeModel(), callbacks=[cb], epochs=2, steps=3, verbose=0, clock=clock)
    assert capsys.readouterr().out == ""


def test_unknown_steps_learns_target_from_first_epoch(helpers, clock, live, capsys):
    helpers.run_fit(
        helpers.FakeModel(),
        epochs=2,
        steps=None,
        verbose=1,
        clock=clock,
        step_time=0.5,
        train_logs=lambda e, s: {"loss": 0.5},
    )
    out = capsys.readouterr().out
    first_epoch = out.split("Epoch 2/2\n")[0]
    # While the length is unknown: "%7d/Unknown", no bar and the elapsed time.
    assert first_epoch.startswith(
        f"Epoch 1/2\n\r      1/Unknown {B}0s{R} 500ms/step - loss: 0.5000"
    )
    # Its end, and the second epoch, know 4 steps.
    assert f"{B}4/4{R}" in first_epoch
    assert f"{B}1/4{R}" in out.split("Epoch 2/2\n")[1]


def test_evaluate_and_predict_bars(helpers, clock, not_live, capsys):
    model = helpers.FakeModel()
    from tork.keras.callbacks import CallbackList

    cbs = CallbackList(add_progbar=True, model=model, verbose=1, epochs=1, steps=4)
    cbs.on_test_begin()
    for step in range(4):
        clock.advance(0.03)
        cbs.on_test_batch_end(step, {"loss": 0.5})
    cbs.on_test_end({"loss": 0.5})
    cbs.on_predict_begin()
    for step in range(4):
        clock.advance(0.03)
        cbs.on_predict_batch_end(step, {"outputs": torch.zeros(2, 3)})
    cbs.on_predict_end()
    out = capsys.readouterr().out
    # 0.12 s -> "0s"; (0.12 - 0.03) / 3 = 30 ms per step. Predict shows no values.
    evaluate = "\r" + _plain("4/4", "0s 30ms/step", " - loss: 0.5000") + "\n"
    predict = "\r" + _plain("4/4", "0s 30ms/step", "") + "\n"
    assert out == evaluate + predict


def test_validation_inside_fit_is_silent(helpers, clock, not_live, capsys):
    cb = ProgbarLogger()
    from tork.keras.callbacks import CallbackList

    cbs = CallbackList([cb], model=helpers.FakeModel(), verbose=1, epochs=1, steps=1)
    cbs.on_train_begin()
    cbs.on_epoch_begin(0)
    cbs.on_train_batch_end(0, {"loss": 1.0})
    cbs.on_test_begin()
    cbs.on_test_batch_end(0, {"loss": 2.0})
    cbs.on_test_end({"loss": 2.0})
    cbs.on_epoch_end(0, {"loss": 1.0, "val_loss": 2.0})
    cbs.on_train_end()
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert out.endswith(" - loss: 1.0000 - val_loss: 2.0000\n")


def test_learning_rate_key_added_by_a_callback_comes_last(helpers, clock, not_live, capsys):
    from tork.keras.callbacks import ReduceLROnPlateau

    helpers.run_fit(
        helpers.FakeModel(learning_rate=0.5),
        callbacks=[ReduceLROnPlateau(patience=100)],
        epochs=1,
        steps=1,
        verbose=2,
        clock=clock,
        train_logs=lambda e, s: {"loss": 1.0},
        val_logs=lambda e: {"loss": 2.0},
    )
    out = capsys.readouterr().out
    assert out.endswith(
        " - loss: 1.0000 - val_loss: 2.0000 - lr: 0.5000 - 250ms/epoch - 250ms/step\n"
    )


def test_bad_count_mode_raises():
    import pytest

    with pytest.raises(ValueError, match="unknown `count_mode`: 'rows'"):
        ProgbarLogger(count_mode="rows")

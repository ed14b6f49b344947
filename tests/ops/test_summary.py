"""Tests of tf.summary: event files are read back with TensorBoard's own loader."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np
import pytest
import torch

import tork as tf

pytest.importorskip("tensorboard")
from tensorboard.backend.event_processing.event_file_loader import (  # noqa: E402
    LegacyEventFileLoader,
)
from tensorboard.util.tensor_util import make_ndarray  # noqa: E402


@pytest.fixture(autouse=True)
def _clean_state():
    tf.summary.experimental.set_step(None)
    yield
    tf.summary.experimental.set_step(None)
    from tork.ops import summary

    summary._state.writer = None
    summary._state.recording = True


def _events(logdir: Path) -> list[tuple[int, str, str, np.ndarray]]:
    """(step, tag, plugin, value) for every summary value in the event files of logdir."""
    out = []
    for path in sorted(Path(logdir).glob("events.out.tfevents.*")):
        for event in LegacyEventFileLoader(str(path)).Load():
            for value in event.summary.value:
                out.append(
                    (
                        event.step,
                        value.tag,
                        value.metadata.plugin_data.plugin_name,
                        make_ndarray(value.tensor),
                    )
                )
    return out


def test_scalar_tags_steps_values(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        assert tf.summary.scalar("loss", 0.345, step=1) is True
        assert tf.summary.scalar("loss", tf.constant(0.234), step=2)
        assert tf.summary.scalar("acc", np.float64(0.5), step=tf.constant(3, dtype=tf.int64))
    events = _events(tmp_path)
    assert [(s, t, p) for s, t, p, _ in events] == [
        (1, "loss", "scalars"),
        (2, "loss", "scalars"),
        (3, "acc", "scalars"),
    ]
    values = [v for *_, v in events]
    assert all(v.dtype == np.float32 and v.shape == () for v in values)
    assert [float(v) for v in values] == [np.float32(0.345), np.float32(0.234), 0.5]
    assert list(tmp_path.glob("*"))[0].name.endswith(".v2")


def test_no_default_writer_returns_false(tmp_path):
    assert tf.summary.scalar("loss", 1.0, step=0) is False
    assert tf.summary.histogram("h", [1.0, 2.0], step=0) is False
    assert tf.summary.image("i", np.zeros((1, 2, 2, 1)), step=0) is False
    assert tf.summary.text("t", "hello", step=0) is False
    assert tf.summary.audio("a", np.zeros((1, 4, 1)), 8000, step=0) is False
    # No writer: no step needed either (TF checks the writer first).
    assert tf.summary.scalar("loss", 1.0) is False
    assert tf.summary.should_record_summaries() is False
    # A noop writer leaves no default writer in place.
    with tf.summary.create_noop_writer().as_default():
        assert tf.summary.scalar("loss", 1.0, step=0) is False
    with tf.summary.create_file_writer(None).as_default():
        assert tf.summary.scalar("loss", 1.0, step=0) is False


def test_missing_step_raises(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        with pytest.raises(ValueError, match=r"No step set.*set_step"):
            tf.summary.scalar("loss", 1.0)
        with pytest.raises(ValueError, match=r"No step set"):
            tf.summary.histogram("h", [1.0])


def test_default_step_set_step_and_as_default(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))
    assert tf.summary.experimental.get_step() is None
    with writer.as_default(step=7):
        assert tf.summary.experimental.get_step() == 7
        tf.summary.scalar("a", 1.0)
        tf.summary.experimental.set_step(9)
        tf.summary.scalar("a", 2.0)
        tf.summary.scalar("a", 3.0, step=11)  # an explicit step wins
    # as_default(step=...) restores the previous step on exit.
    assert tf.summary.experimental.get_step() is None
    step = tf.Variable(20, dtype=tf.int64)
    writer.set_as_default(step=step)
    assert tf.summary.experimental.get_step() is step
    tf.summary.scalar("a", 4.0)
    step.assign_add(1)  # a Variable step is read at each write
    tf.summary.scalar("a", 5.0)
    tf.summary.flush()
    got = [(s, float(v)) for s, _, _, v in _events(tmp_path)]
    assert got == [(7, 1.0), (9, 2.0), (11, 3.0), (20, 4.0), (21, 5.0)]


def test_bad_step_and_scalar_data(tmp_path):
    with tf.summary.create_file_writer(str(tmp_path)).as_default():
        with pytest.raises(ValueError, match=r"`step` must be a scalar, got a tensor of shape"):
            tf.summary.scalar("a", 1.0, step=tf.constant([1, 2]))
        with pytest.raises(ValueError, match=r"`step` must be an int64-castable"):
            tf.summary.scalar("a", 1.0, step="one")
        with pytest.raises(ValueError, match=r"must be a scalar, got shape \(3,\)"):
            tf.summary.scalar("a", [1.0, 2.0, 3.0], step=0)


def test_name_scopes_prefix_tags(tmp_path):
    with tf.summary.create_file_writer(str(tmp_path)).as_default(step=0):
        with tf.name_scope("train"):
            tf.summary.scalar("loss", 1.0)
            with tf.name_scope("layer1"):
                tf.summary.histogram("weights", [1.0, 2.0])
        tf.summary.scalar("top", 1.0)
        # write() uses its tag as given.
        with tf.name_scope("scope"):
            tf.summary.write("raw", tf.constant([1, 2], dtype=tf.int32), step=0)
    tags = [t for _, t, _, _ in _events(tmp_path)]
    assert tags == ["train/loss", "train/layer1/weights", "top", "raw"]
    raw = _events(tmp_path)[-1][3]
    np.testing.assert_array_equal(raw, np.array([1, 2], dtype=np.int32))


def test_histogram_counts(tmp_path):
    rng = np.random.default_rng(0)
    data = rng.normal(size=(40, 25)).astype(np.float32)
    with tf.summary.create_file_writer(str(tmp_path)).as_default(step=5):
        assert tf.summary.histogram("w", torch.from_numpy(data))
        tf.summary.histogram("w4", data, buckets=4)
        tf.summary.histogram("same", [2.5, 2.5, 2.5], buckets=3)
        tf.summary.histogram("empty", np.zeros((0,)), buckets=3)
    (_, _, plugin, table), (_, _, _, table4), (_, _, _, same), (_, _, _, empty) = _events(tmp_path)
    assert plugin == "histograms"
    for tab, k in ((table, 30), (table4, 4)):
        values = data.astype(np.float64).ravel()
        counts, edges = np.histogram(values, bins=k, range=(values.min(), values.max()))
        assert tab.shape == (k, 3) and tab.dtype == np.float64
        np.testing.assert_allclose(tab[:, 0], edges[:-1])
        np.testing.assert_allclose(tab[:, 1], edges[1:])
        np.testing.assert_array_equal(tab[:, 2], counts)
    np.testing.assert_array_equal(same, [[2.5, 2.5, 0], [2.5, 2.5, 0], [2.5, 2.5, 3]])
    np.testing.assert_array_equal(empty, np.zeros((3, 3)))


def test_image(tmp_path):
    from PIL import Image

    rng = np.random.default_rng(1)
    floats = rng.uniform(-0.1, 1.1, size=(5, 6, 7, 3)).astype(np.float32)
    gray = rng.integers(0, 256, size=(2, 4, 3, 1), dtype=np.uint8)
    with tf.summary.create_file_writer(str(tmp_path)).as_default(step=2):
        assert tf.summary.image("rgb", floats)  # max_outputs=3 of 5
        tf.summary.image("gray", gray, max_outputs=1)
    (_, tag, plugin, rgb), (_, _, _, g) = _events(tmp_path)
    assert (tag, plugin) == ("rgb", "images")
    # [width, height, png, png, png]
    assert rgb.shape == (5,) and rgb[0] == b"7" and rgb[1] == b"6"
    # TF's float -> uint8 conversion: saturate, then truncate x * 255.5.
    expected = np.clip(floats * 255.5, 0, 255).astype(np.uint8)
    for i in range(3):
        decoded = np.asarray(Image.open(io.BytesIO(rgb[2 + i])))
        assert decoded.shape == (6, 7, 3)
        np.testing.assert_array_equal(decoded, expected[i])
    assert g.shape == (3,) and (g[0], g[1]) == (b"3", b"4")
    np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(g[2]))), gray[0, :, :, 0])


def test_image_errors(tmp_path):
    with tf.summary.create_file_writer(str(tmp_path)).as_default(step=0):
        with pytest.raises(ValueError, match=r"shape \(k, h, w, c\).*got shape \(4, 4, 3\)"):
            tf.summary.image("x", np.zeros((4, 4, 3)))
        with pytest.raises(ValueError, match=r"c in \(1, 3, 4\), got shape \(1, 4, 4, 5\)"):
            tf.summary.image("x", np.zeros((1, 4, 4, 5)))
        with pytest.raises(ValueError, match=r"`max_outputs` must be non-negative, got -1"):
            tf.summary.image("x", np.zeros((1, 4, 4, 1)), max_outputs=-1)


def test_text(tmp_path):
    with tf.summary.create_file_writer(str(tmp_path)).as_default(step=4):
        assert tf.summary.text("notes", "learning rate **0.01**", description="d")
        tf.summary.text("table", [["a", "b"], ["c", "d"]])
        with pytest.raises(TypeError, match=r"must be strings.*type int"):
            tf.summary.text("bad", [1, 2])
    (step, tag, plugin, note), (_, _, _, table) = _events(tmp_path)
    assert (step, tag, plugin) == (4, "notes", "text")
    assert note.shape == () and note.item() == b"learning rate **0.01**"
    assert table.shape == (2, 2) and table[1, 0] == b"c"
    meta = next(iter(_raw_values(tmp_path)))
    assert meta.metadata.summary_description == "d"


def _raw_values(logdir):
    for path in sorted(Path(logdir).glob("events.out.tfevents.*")):
        for event in LegacyEventFileLoader(str(path)).Load():
            yield from event.summary.value


def test_audio(tmp_path):
    t = np.linspace(0, 1, 800, endpoint=False)
    clips = np.stack([np.sin(2 * np.pi * 5 * t), 0.5 * np.ones_like(t)])[:, :, None]
    with tf.summary.create_file_writer(str(tmp_path)).as_default(step=1):
        assert tf.summary.audio("tone", clips.astype(np.float32), 800, max_outputs=2)
        with pytest.raises(ValueError, match=r"unknown encoding 'mp3'"):
            tf.summary.audio("tone", clips, 800, encoding="mp3")
        with pytest.raises(ValueError, match=r"shape \(k, t, c\), got shape \(2, 800\)"):
            tf.summary.audio("tone", clips[:, :, 0], 800)
    ((_, tag, plugin, table),) = _events(tmp_path)
    assert (tag, plugin) == ("tone", "audio") and table.shape == (2, 2)
    with wave.open(io.BytesIO(table[1, 0])) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (800, 1, 2)
        pcm = np.frombuffer(wav.readframes(800), dtype="<i2")
    np.testing.assert_array_equal(pcm, np.full(800, round(0.5 * 32767)))
    assert table[0, 1] == b""


def test_record_if(tmp_path):
    with tf.summary.create_file_writer(str(tmp_path)).as_default():
        assert tf.summary.should_record_summaries() is True
        with tf.summary.record_if(False):
            assert tf.summary.should_record_summaries() is False
            assert tf.summary.scalar("a", 1.0, step=0) is False
        for step in range(6):
            with tf.summary.record_if(lambda: step % 3 == 0):  # noqa: B023
                tf.summary.scalar("a", float(step), step=step)
        with tf.summary.record_if(tf.constant(True)):
            tf.summary.scalar("b", 1.0, step=0)
    assert [(s, t) for s, t, _, _ in _events(tmp_path)] == [(0, "a"), (3, "a"), (0, "b")]


def test_writer_lifecycle(tmp_path):
    writer = tf.summary.create_file_writer(
        tmp_path / "logs", max_queue=5, flush_millis=1000, filename_suffix=".x"
    )
    assert isinstance(writer, tf.summary.SummaryWriter)
    writer.set_as_default(step=0)
    tf.summary.scalar("a", 1.0)
    tf.summary.flush(writer)
    assert len(_events(tmp_path / "logs")) == 1
    writer.close()
    # Closing the default writer leaves no default writer.
    assert tf.summary.scalar("a", 1.0) is False
    with pytest.raises(RuntimeError, match=r"is closed.*writer.init\(\)"):
        writer.as_default().__enter__()
    writer.init()
    with writer.as_default(step=1):
        tf.summary.scalar("a", 2.0)
    assert [float(v) for *_, v in _events(tmp_path / "logs")] == [1.0, 2.0]
    assert all(p.name.endswith(".x") for p in (tmp_path / "logs").iterdir())


def test_summary_scope_is_not_implemented():
    with pytest.raises(NotImplementedError, match=r"tf\.summary\.experimental\.summary_scope"):
        tf.summary.experimental.summary_scope  # noqa: B018


def test_custom_training_loop(tmp_path):
    # Fit y = 3x with one weight; log the loss at each step, as in the TensorBoard guide.
    x = tf.constant([[1.0], [2.0], [3.0]])
    y = 3.0 * x
    w = tf.Variable([[0.0]])
    step = tf.Variable(0, dtype=tf.int64)
    writer = tf.summary.create_file_writer(str(tmp_path / "train"))
    expected = []
    with writer.as_default(step=step):
        for _ in range(5):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
            grad = tape.gradient(loss, w)
            # Independent reference: the loss of the current weight, in NumPy.
            w_now = float(w.numpy()[0, 0])
            expected.append(np.float32(np.mean((np.array([1.0, 2, 3]) * (w_now - 3.0)) ** 2)))
            assert tf.summary.scalar("loss", loss)
            w.assign_sub(0.05 * grad)
            step.assign_add(1)
    events = _events(tmp_path / "train")
    assert [(s, t) for s, t, _, _ in events] == [(i, "loss") for i in range(5)]
    np.testing.assert_allclose([float(v) for *_, v in events], expected, rtol=1e-6)
    assert float(events[-1][3]) < float(events[0][3])


def test_optimizer_iterations_as_step(tmp_path):
    optimizer = tf.keras.optimizers.SGD(learning_rate=0.1)
    w = tf.Variable(2.0)
    with tf.summary.create_file_writer(str(tmp_path)).as_default(step=optimizer.iterations):
        for _ in range(3):
            with tf.GradientTape() as tape:
                loss = w * w
            optimizer.apply_gradients(zip(tape.gradient(loss, [w]), [w]))
            tf.summary.scalar("loss", loss)
    # w: 2 -> 1.6 -> 1.28 (w -= 0.1 * 2w); losses logged after each update's step increment.
    got = [(s, float(v)) for s, _, _, v in _events(tmp_path)]
    assert [s for s, _ in got] == [1, 2, 3]
    np.testing.assert_allclose([v for _, v in got], [4.0, 2.56, 1.6384], rtol=1e-6)

"""`tf.keras.callbacks.TensorBoard` writes tf_keras 2.21's event files, without `tensorboard`.

The reference values are what tf_keras 2.21 (TF 2.21, `TF_USE_LEGACY_KERAS=1`, with the
`tensorboard` package) wrote for the same fit (`_fit` below: same weights, data, optimizer),
read back with `tf.compat.v1.train.summary_iterator` and `tf.make_ndarray`. The event files
are read here with an independent reader: TFRecord framing with its masked CRC-32C checked,
and the protobuf fields of `Event`, `Summary`, `SummaryMetadata` and `TensorProto` decoded
by hand.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import numpy as np
import pytest

import tork as tf
from tork.ops import _summary_proto, summary


def _hide_tensorboard(monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorboard", None)
    for name in list(sys.modules):
        if name.startswith("torch.utils.tensorboard"):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "torch.utils.tensorboard", None)
    monkeypatch.setattr(summary, "_TB", None)


@pytest.fixture(autouse=True)
def _without_tensorboard(monkeypatch):
    """Writes as where the `tensorboard` package is missing (the main env has none)."""
    _hide_tensorboard(monkeypatch)
    yield
    summary._state.writer = None
    summary._state.step = None
    summary._state.recording = True


# -- an independent event-file reader ----------------------------------------------------


def _crc32c(data: bytes) -> int:
    # CRC-32C (Castagnoli), reflected polynomial 0x82F63B78, bit by bit.
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def _masked(data: bytes) -> int:
    crc = _crc32c(data)
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def _records(path: Path) -> list[bytes]:
    data, out, pos = path.read_bytes(), [], 0
    while pos < len(data):
        header = data[pos : pos + 8]
        (length,) = struct.unpack("<Q", header)
        (header_crc,) = struct.unpack("<I", data[pos + 8 : pos + 12])
        assert header_crc == _masked(header), f"bad length CRC in {path}"
        payload = data[pos + 12 : pos + 12 + length]
        (payload_crc,) = struct.unpack("<I", data[pos + 12 + length : pos + 16 + length])
        assert payload_crc == _masked(payload), f"bad data CRC in {path}"
        out.append(payload)
        pos += 16 + length
    assert pos == len(data)
    return out


def _fields(data: bytes) -> list[tuple[int, object]]:
    """(field number, value) of a protobuf message: ints for varints, bytes otherwise."""
    out, pos = [], 0

    def varint():
        nonlocal pos
        value = shift = 0
        while True:
            byte = data[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    while pos < len(data):
        key = varint()
        field, wire = key >> 3, key & 7
        if wire == 0:
            out.append((field, varint()))
        elif wire == 1:
            out.append((field, data[pos : pos + 8]))
            pos += 8
        elif wire == 2:
            size = varint()
            out.append((field, data[pos : pos + size]))
            pos += size
        elif wire == 5:
            out.append((field, data[pos : pos + 4]))
            pos += 4
        else:
            raise AssertionError(f"unexpected wire type {wire}")
    return out


_DTYPES = {1: np.float32, 2: np.float64, 3: np.int32, 9: np.int64}


def _tensor(data: bytes):
    fields = _fields(data)
    dtype = next((v for f, v in fields if f == 1), 0)
    shape = [
        next((v for f, v in _fields(dim) if f == 1), 0)
        for f, shape in fields
        if f == 2
        for g, dim in _fields(shape)
        if g == 2
    ]
    if dtype == 7:  # DT_STRING
        return dtype, [v for f, v in fields if f == 8]
    content = next((v for f, v in fields if f == 4), b"")
    return dtype, np.frombuffer(content, _DTYPES[dtype]).reshape(shape)


def _events(directory: Path) -> list[tuple[int, str, str, int, object]]:
    """(step, tag, plugin name, dtype, value) of every summary in `directory`'s event file."""
    (path,) = directory.glob("events.out.tfevents.*.v2")
    records = _records(path)
    first = dict(_fields(records[0]))
    assert first[3] == b"brain.Event:2"
    out = []
    for record in records[1:]:
        event = _fields(record)
        step = next((v for f, v in event if f == 2), 0)
        for _, summary_bytes in (fv for fv in event if fv[0] == 5):
            for _, value in (fv for fv in _fields(summary_bytes) if fv[0] == 1):
                value = dict(_fields(value))
                plugin = dict(_fields(dict(_fields(value[9]))[1]))
                dtype, tensor = _tensor(value[8])
                out.append((step, value[1].decode(), plugin[1].decode(), dtype, tensor))
                assert plugin.get(2, b"") == (b"1" if plugin[1] == b"graph_keras_model" else b"")
    return out


def _scalars(events) -> list[tuple[int, str, float]]:
    return [(s, t, round(float(v), 6)) for s, t, p, d, v in events if p == "scalars"]


# -- the fit tf_keras was run on ----------------------------------------------------------


def _fit(log_dir, verbose=0, learning_rate=0.1, **kwargs):
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(3, activation="relu", input_shape=(4,), name="d1"),
            tf.keras.layers.Dense(1, name="d2"),
        ],
        name="seq",
    )
    rng = np.random.RandomState(0)
    model.set_weights(
        [
            rng.uniform(-1, 1, (4, 3)).astype("float32"),
            np.array([0.1, -0.2, 0.3], "float32"),
            rng.uniform(-1, 1, (3, 1)).astype("float32"),
            np.array([0.05], "float32"),
        ]
    )
    x = rng.uniform(-1, 1, (8, 4)).astype("float32")
    y = rng.uniform(-1, 1, (8, 1)).astype("float32")
    xv = rng.uniform(-1, 1, (4, 4)).astype("float32")
    yv = rng.uniform(-1, 1, (4, 1)).astype("float32")
    model.compile(tf.keras.optimizers.SGD(learning_rate), "mse", metrics=["mae"])
    callback = tf.keras.callbacks.TensorBoard(str(log_dir), **kwargs)
    model.fit(
        x,
        y,
        batch_size=4,
        epochs=2,
        validation_data=(xv, yv),
        shuffle=False,
        verbose=verbose,
        callbacks=[callback],
    )
    return model


# tf_keras 2.21, TensorBoard(log_dir): train/ then validation/ scalars, in file order.
_TF_TRAIN = [
    (0, "epoch_loss", 0.312447),
    (0, "epoch_mae", 0.440525),
    (1, "epoch_loss", 0.259213),
    (1, "epoch_mae", 0.380048),
]
_TF_VALIDATION = [
    (2, "evaluation_loss_vs_iterations", 0.256192),
    (2, "evaluation_mae_vs_iterations", 0.402669),
    (0, "epoch_loss", 0.256192),
    (0, "epoch_mae", 0.402669),
    (4, "evaluation_loss_vs_iterations", 0.259605),
    (4, "evaluation_mae_vs_iterations", 0.405135),
    (1, "epoch_loss", 0.259605),
    (1, "epoch_mae", 0.405135),
]


def test_fit_writes_tf_keras_directories_tags_steps_and_values(tmp_path):
    _fit(tmp_path, write_graph=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["train", "validation"]
    train = _events(tmp_path / "train")
    validation = _events(tmp_path / "validation")
    assert [(s, t) for s, t, _ in _scalars(train)] == [(s, t) for s, t, _ in _TF_TRAIN]
    np.testing.assert_allclose([v for *_, v in _scalars(train)], [v for *_, v in _TF_TRAIN])
    assert [(s, t) for s, t, _ in _scalars(validation)] == [(s, t) for s, t, _ in _TF_VALIDATION]
    np.testing.assert_allclose(
        [v for *_, v in _scalars(validation)], [v for *_, v in _TF_VALIDATION], atol=2e-6
    )
    # tf.summary.scalar's records: float32 scalars under the `scalars` plugin.
    assert {(p, d, np.shape(v)) for _, _, p, d, v in train + validation} == {("scalars", 1, ())}
    # A constant learning rate is not logged by tf_keras (only a LearningRateSchedule's).
    assert not any(t == "epoch_learning_rate" for _, t, _ in _scalars(train))


def test_batch_scalars_every_update_freq(tmp_path):
    # tf_keras 2.21 with update_freq="batch" (verbose=1): steps 1..4 of the fit.
    _fit(tmp_path, update_freq="batch", write_graph=False)
    batch = [e for e in _scalars(_events(tmp_path / "train")) if e[1].startswith("batch_")]
    expected = [
        (1, "batch_loss", 0.184684),
        (1, "batch_mae", 0.341111),
        (2, "batch_loss", 0.312447),
        (2, "batch_mae", 0.440525),
        (3, "batch_loss", 0.109642),
        (3, "batch_mae", 0.242223),
        (4, "batch_loss", 0.259213),
        (4, "batch_mae", 0.380048),
    ]
    assert [e[:2] for e in batch] == [e[:2] for e in expected]
    np.testing.assert_allclose([e[2] for e in batch], [e[2] for e in expected], atol=2e-6)


def test_schedule_learning_rate_and_steps_per_second(tmp_path):
    # tf_keras 2.21, SGD(ExponentialDecay(0.1, 2, 0.5)), update_freq=2,
    # write_steps_per_second=True: epoch_learning_rate is the schedule at the iterations.
    schedule = tf.keras.optimizers.schedules.ExponentialDecay(0.1, 2, 0.5)
    _fit(tmp_path, learning_rate=schedule, update_freq=2, write_steps_per_second=True)
    train = _scalars(_events(tmp_path / "train"))
    assert [(s, t) for s, t, _ in train] == [
        (2, "batch_steps_per_second"),
        (2, "batch_loss"),
        (2, "batch_mae"),
        (0, "epoch_loss"),
        (0, "epoch_mae"),
        (0, "epoch_learning_rate"),
        (0, "epoch_steps_per_second"),
        (4, "batch_steps_per_second"),
        (4, "batch_loss"),
        (4, "batch_mae"),
        (1, "epoch_loss"),
        (1, "epoch_mae"),
        (1, "epoch_learning_rate"),
        (1, "epoch_steps_per_second"),
    ]
    values = {(s, t): v for s, t, v in train}
    assert values[(0, "epoch_learning_rate")] == pytest.approx(0.05)
    assert values[(1, "epoch_learning_rate")] == pytest.approx(0.025)
    np.testing.assert_allclose(
        [values[(0, "epoch_loss")], values[(1, "epoch_loss")]], [0.312447, 0.260983], atol=2e-6
    )
    assert all(v > 0 for (s, t), v in values.items() if t.endswith("steps_per_second"))


def test_weight_histograms_and_images_as_tf_keras(tmp_path):
    _fit(tmp_path, histogram_freq=1, write_images=True, write_graph=False)
    events = _events(tmp_path / "train")
    weights = [(s, t, p) for s, t, p, _, _ in events if p != "scalars"]
    names = []
    for name in ("d1/kernel_0", "d1/bias_0", "d2/kernel_0", "d2/bias_0"):
        names.append((f"{name}/histogram", "histograms"))
        if name != "d2/bias_0":  # a (1,) bias squeezes to a scalar: no image
            names.append((f"{name}/image", "images"))
    assert weights == [(s, t, p) for s in (0, 1) for t, p in names]
    values = {(s, t): (d, v) for s, t, _, d, v in events}
    # tf_keras's tables (left edge, right edge, count), float64, 30 buckets.
    dtype, bias = values[(0, "d1/bias_0/histogram")]
    assert dtype == 2 and bias.shape == (30, 3)
    np.testing.assert_allclose(
        bias[[0, 18, 29]],
        [[-0.205396, -0.188725, 1.0], [0.094693, 0.111365, 1.0], [0.278082, 0.294753, 1.0]],
        atol=2e-6,
    )
    assert bias[:, 2].sum() == 3
    _, kernel = values[(0, "d1/kernel_0/histogram")]
    assert kernel[:, 2].astype(int).tolist() == [
        1, 0, 1, 1, 0, 0, 0, 1, 2, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1
    ]  # fmt: skip
    np.testing.assert_allclose([kernel[0, 0], kernel[-1, 1]], [-0.236564, 0.930017], atol=2e-6)
    # All values equal: every bucket is [v, v], the last one counts them.
    _, single = values[(0, "d2/bias_0/histogram")]
    np.testing.assert_allclose(single[:, :2], 0.056206, atol=2e-6)
    assert single[:, 2].tolist() == [0.0] * 29 + [1.0]
    # Images: [width, height, PNG...], as tf.summary.image writes them.
    _, image = values[(0, "d1/kernel_0/image")]
    assert image[:2] == [b"4", b"3"] and image[2][:8] == b"\x89PNG\r\n\x1a\n"
    pixels = tf.io.decode_png(image[2]).numpy()[..., 0].tolist()
    assert pixels == [[25, 23, 0, 0], [118, 0, 200, 151], [37, 59, 237, 14]]
    _, image = values[(0, "d1/bias_0/image")]
    assert image[:2] == [b"1", b"3"]
    assert tf.io.decode_png(image[2]).numpy()[..., 0].tolist() == [[25], [0], [75]]


def test_write_graph_writes_the_keras_model_config(tmp_path):
    # tf_keras writes the model's JSON config at step 0, tag "keras", plugin
    # "graph_keras_model" (content b"1"), as a string scalar (TensorBoard's Graphs tab).
    model = _fit(tmp_path)
    events = _events(tmp_path / "train")
    step, tag, plugin, dtype, value = events[0]
    assert (step, tag, plugin, dtype) == (0, "keras", "graph_keras_model", 7)
    assert value == [model.to_json().encode()]
    assert sum(p == "graph_keras_model" for _, _, p, _, _ in events) == 1


def test_subclassed_model_has_no_graph_and_named_weights(tmp_path):
    class Net(tf.keras.Model):
        def __init__(self):
            super().__init__(name="net")
            self.dense = tf.keras.layers.Dense(2, name="inner")

        def call(self, x):
            return self.dense(x)

    model = Net()
    model.compile("sgd", "mse")
    x = np.ones((4, 3), "float32")
    model.fit(
        x,
        x[:, :2],
        verbose=0,
        callbacks=[tf.keras.callbacks.TensorBoard(str(tmp_path), histogram_freq=1)],
    )
    events = _events(tmp_path / "train")
    # tf_keras 2.21 names them `net/inner/kernel:0` (built inside the model's scope).
    assert [t for _, t, p, _, _ in events if p != "scalars"] == [
        "net/inner/kernel_0/histogram",
        "net/inner/bias_0/histogram",
    ]
    assert not (tmp_path / "validation").exists()


def test_custom_summaries_in_train_step_go_to_the_train_writer(tmp_path):
    # As in tf_keras: with update_freq, the callback's writers are the default ones, and
    # record every update_freq batches (tf_keras 2.21 records the same batches; it writes
    # them all at step 0, tork at the count of finished batches).
    class Custom(tf.keras.Model):
        def train_step(self, data):
            logs = super().train_step(data)
            tf.summary.scalar("custom", 1.0)
            return logs

        def test_step(self, data):
            logs = super().test_step(data)
            tf.summary.scalar("custom_val", 2.0)
            return logs

    inputs = tf.keras.Input((2,))
    model = Custom(inputs, tf.keras.layers.Dense(1)(inputs))
    model.compile("sgd", "mse")
    x = np.ones((8, 2), "float32")
    callback = tf.keras.callbacks.TensorBoard(str(tmp_path), update_freq=2, write_graph=False)
    model.fit(x, x[:, :1], batch_size=2, epochs=2, verbose=0, validation_data=(x, x[:, :1]),
              callbacks=[callback])  # fmt: skip
    train = [(s, t) for s, t, _ in _scalars(_events(tmp_path / "train")) if t == "custom"]
    assert train == [(0, "custom"), (2, "custom"), (4, "custom"), (6, "custom")]
    val = [(s, t) for s, t, _ in _scalars(_events(tmp_path / "validation")) if t == "custom_val"]
    assert val == [(0, "custom_val"), (2, "custom_val")] * 2
    # After fit, the default writer is gone again.
    assert not tf.summary.should_record_summaries()


def test_default_writer_is_restored_after_fit(tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path / "mine"))
    with writer.as_default(step=7):
        _fit(tmp_path / "logs", update_freq=1, write_graph=False)
        assert tf.summary.scalar("after", 3.0)
    writer.close()
    assert _scalars(_events(tmp_path / "mine")) == [(7, "after", 3.0)]


def test_profile_batch_is_checked_then_ignored_with_a_warning(tmp_path):
    with pytest.warns(UserWarning, match=r"profile_batch=\(2, 4\)\) is ignored.*torch.profiler"):
        tf.keras.callbacks.TensorBoard(str(tmp_path), profile_batch=(2, 4))
    with pytest.warns(UserWarning, match="profile_batch='3,5'"):
        tf.keras.callbacks.TensorBoard(str(tmp_path), profile_batch="3,5")
    # tf_keras 2.21's message for bad values.
    for bad in (-1, (5, 2), "a,b", 1.5):
        with pytest.raises(ValueError, match="profile_batch must be a non-negative integer"):
            tf.keras.callbacks.TensorBoard(str(tmp_path), profile_batch=bad)


def test_subclass_writes_with_keras2_private_writers(tmp_path):
    # A common user pattern: a TensorBoard subclass that adds the learning rate to the logs
    # and writes its own summaries with Keras 2's `_train_writer`/`_val_writer` (and TF
    # 2.0-2.2's `_get_writer(self._train_run_name)`). tf_keras 2.21 wrote (verbose=1):
    # train: epoch_loss, epoch_lr, lr_direct at steps 0, 1; validation: the evaluation and
    # epoch losses, then the `w` histogram.
    class LRTensorBoard(tf.keras.callbacks.TensorBoard):
        def on_epoch_end(self, epoch, logs=None):
            logs = logs or {}
            logs.update({"lr": tf.keras.backend.get_value(self.model.optimizer.lr)})
            super().on_epoch_end(epoch, logs)
            with self._train_writer.as_default():
                tf.summary.scalar("lr_direct", self.model.optimizer.learning_rate, step=epoch)
            with self._val_writer.as_default():
                tf.summary.histogram("w", self.model.weights[0], step=epoch)

        def on_train_batch_end(self, batch, logs=None):
            super().on_train_batch_end(batch, logs)
            with self._get_writer(self._train_run_name).as_default():
                tf.summary.scalar("seen", tf.cast(self._train_step, tf.float32), step=batch)

    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,), name="d")])
    model.set_weights([np.array([[0.5], [-0.3]], "float32"), np.array([0.1], "float32")])
    model.compile(tf.keras.optimizers.SGD(0.1), "mse")
    x = np.array([[1, 2], [3, 4], [5, 6], [7, 8]], "float32") / 8
    callback = LRTensorBoard(str(tmp_path), write_graph=False)
    model.fit(x, x[:, :1] * 2, batch_size=2, epochs=2, shuffle=False, verbose=0,
              validation_data=(x, x[:, :1] * 2), callbacks=[callback])  # fmt: skip
    train = _scalars(_events(tmp_path / "train"))
    # The subclass's own batch hook runs with update_freq="epoch" and verbose=0 too.
    assert [e for e in train if e[1] == "seen"] == [
        (0, "seen", 1.0), (1, "seen", 2.0), (0, "seen", 3.0), (1, "seen", 4.0)
    ]  # fmt: skip
    expected = [
        (0, "epoch_loss", 0.797895),
        (0, "epoch_lr", 0.1),
        (0, "lr_direct", 0.1),
        (1, "epoch_loss", 0.225467),
        (1, "epoch_lr", 0.1),
        (1, "lr_direct", 0.1),
    ]
    train = [e for e in train if e[1] != "seen"]
    assert [e[:2] for e in train] == [e[:2] for e in expected]
    np.testing.assert_allclose([e[2] for e in train], [e[2] for e in expected], atol=2e-6)
    validation = _events(tmp_path / "validation")
    assert [(s, t, p) for s, t, p, _, _ in validation] == [
        (2, "evaluation_loss_vs_iterations", "scalars"),
        (0, "epoch_loss", "scalars"),
        (0, "w", "histograms"),
        (4, "evaluation_loss_vs_iterations", "scalars"),
        (1, "epoch_loss", "scalars"),
        (1, "w", "histograms"),
    ]
    np.testing.assert_allclose(
        [float(v) for _, _, p, _, v in validation if p == "scalars"],
        [0.217628, 0.217628, 0.10334, 0.10334],
        atol=2e-6,
    )
    # tf_keras's `w` tables sum (edges and counts) to 21.435692 and 27.786732.
    np.testing.assert_allclose(
        [v.sum() for _, _, p, _, v in validation if p == "histograms"],
        [21.435692, 27.786732],
        atol=1e-5,
    )


def test_histogram_freq_none_and_numpy_integers(tmp_path):
    # tf_keras accepts None (e.g. from a config dict's .get("histogram_freq")).
    callback = tf.keras.callbacks.TensorBoard(str(tmp_path), histogram_freq=None)
    assert callback.histogram_freq == 0
    # NumPy integers (read from configs or arrays) are integers too.
    callback = tf.keras.callbacks.TensorBoard(
        str(tmp_path), histogram_freq=np.int32(2), update_freq=np.int64(3)
    )
    assert (callback.histogram_freq, callback.update_freq) == (2, 3)
    assert type(callback.update_freq) is int


def test_embeddings_freq_is_ignored_with_a_warning(tmp_path):
    with pytest.warns(UserWarning, match=r"embeddings_freq=1\) is ignored.*Projector"):
        callback = tf.keras.callbacks.TensorBoard(str(tmp_path), embeddings_freq=1)
    assert callback.embeddings_freq == 1


def test_writes_through_tf_summary_writer_when_tensorboard_is_installed(tmp_path, monkeypatch):
    # With the `tensorboard` package, tf.summary writes through torch's event writer: the
    # callback uses the same path (one writer implementation), so it does too.
    written = []

    class FileWriter:
        def __init__(self, log_dir):
            self.log_dir = Path(log_dir).name

        def add_summary(self, summary_message, step, walltime):
            written.append((self.log_dir, step, [v.tag for v in summary_message.value]))

    class TorchWriter:
        def __init__(self, log_dir, max_queue, flush_secs, filename_suffix):
            self.log_dir = log_dir

        def _get_file_writer(self):
            return FileWriter(self.log_dir)

        def flush(self):
            pass

        def close(self):
            pass

    monkeypatch.setattr(summary, "_import_writer_class", lambda: TorchWriter)
    monkeypatch.setattr(summary, "_TB", _summary_proto.protos())
    _fit(tmp_path, write_graph=False)
    train = [(s, t) for d, s, (t,) in written if d == "train"]
    assert train == [(s, t) for s, t, _ in _TF_TRAIN]
    validation = [(s, t) for d, s, (t,) in written if d == "validation"]
    assert validation == [(s, t) for s, t, _ in _TF_VALIDATION]
    assert not list(tmp_path.glob("*/events*"))


def test_same_events_with_and_without_the_tensorboard_package(tmp_path, monkeypatch):
    # With `tensorboard` installed, tf.summary (and so the callback) writes through torch's
    # event writer and TensorBoard's protos: the decoded records are the same.
    monkeypatch.undo()  # the package as it is in this environment
    pytest.importorskip("torch.utils.tensorboard")
    monkeypatch.setattr(summary, "_TB", None)
    _fit(tmp_path / "with", histogram_freq=1, write_images=True, update_freq=1)
    with monkeypatch.context() as patch:
        _hide_tensorboard(patch)
        _fit(tmp_path / "without", histogram_freq=1, write_images=True, update_freq=1)
    for run in ("train", "validation"):
        with_tb = _events(tmp_path / "with" / run)
        without = _events(tmp_path / "without" / run)
        assert [e[:4] for e in with_tb] == [e[:4] for e in without]
        for a, b in zip(with_tb, without):
            if isinstance(a[4], np.ndarray):
                np.testing.assert_allclose(a[4], b[4], atol=1e-6)
            else:
                assert a[4] == b[4]

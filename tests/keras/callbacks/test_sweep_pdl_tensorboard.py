"""Keras 1 keyword arguments of TensorBoard, accepted with a warning as tf_keras 2.21 does."""

import warnings

import numpy as np
import pytest
import torch

from tork.keras.callbacks import tensorboard as tb_module
from tork.ops import summary


@pytest.fixture
def no_tensorboard_needed():
    # The callback writes through tf.summary, which needs no `tensorboard` package.
    return None


def test_write_grads_and_batch_size_are_ignored_with_warnings(no_tensorboard_needed, tmp_path):
    # From PracticalDL chapter 5: TensorBoard(LOG_DIR, histogram_freq=1, write_graph=True,
    # write_grads=True, batch_size=BATCH_SIZE).
    with pytest.warns(UserWarning) as record:
        cb = tb_module.TensorBoard(
            str(tmp_path), histogram_freq=1, write_graph=True, write_grads=True, batch_size=32
        )
    messages = [str(w.message) for w in record]
    assert messages == [
        "`write_grads` will be ignored in TensorFlow 2.0 for the `TensorBoard` Callback.",
        "`batch_size` is no longer needed in the `TensorBoard` Callback and will be ignored "
        "in TensorFlow 2.0.",
    ]
    assert cb.histogram_freq == 1
    assert not hasattr(cb, "batch_size")


def test_false_legacy_values_do_not_warn(no_tensorboard_needed, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tb_module.TensorBoard(str(tmp_path), write_grads=False, embeddings_data=None)


def test_embeddings_legacy_arguments_warn(no_tensorboard_needed, tmp_path):
    with pytest.warns(UserWarning, match="`embeddings_layer_names` is not supported"):
        tb_module.TensorBoard(str(tmp_path), embeddings_layer_names=["emb"])
    with pytest.warns(UserWarning, match="`embeddings_data` is not supported"):
        tb_module.TensorBoard(str(tmp_path), embeddings_data=[1, 2])


def test_unknown_keyword_is_a_value_error(no_tensorboard_needed, tmp_path):
    with pytest.raises(ValueError) as info:
        tb_module.TensorBoard(str(tmp_path), write_grad=True)
    text = str(info.value)
    assert text.startswith("Unrecognized arguments in `TensorBoard` Callback: {'write_grad'}.")
    assert "Supported kwargs are:" in text and "'write_grads'" in text


class _Recorder:
    """Stands in for tf.summary's histogram and image: records what would be written."""

    def __init__(self, monkeypatch):
        self.calls = []
        monkeypatch.setattr(summary, "histogram", self.histogram)
        monkeypatch.setattr(summary, "image", self.image)

    def histogram(self, name, data, step=None):
        self.calls.append(("histogram", name, tuple(data.shape), step))

    def image(self, name, data, step=None):
        self.calls.append(("images", name, data.numpy().copy(), step))


def _named(value, path):
    t = torch.tensor(value, dtype=torch.float32)
    t.path = path
    return t


def test_write_images_logs_weights_as_keras2_images(helpers, monkeypatch, tmp_path):
    # tf_keras 2.21 `_log_weight_as_image`: a bias becomes a (1, n, 1, 1) column; a Dense
    # kernel is transposed when taller than wide, then (1, h, w, 1); a squeezed rank-3
    # kernel (kh, kw, out) becomes `out` images (kh, kw, 1); a full rank-4 conv kernel whose
    # last axis is not 1, 3 or 4 is skipped. tf.summary.image keeps the first 3 images.
    recorder = _Recorder(monkeypatch)
    bias = np.array([1.0, 2.0, 3.0])
    kernel = np.arange(6.0).reshape(3, 2)  # taller than wide
    conv = np.arange(2 * 2 * 1 * 5.0).reshape(2, 2, 1, 5)  # squeezes to (2, 2, 5)
    conv4 = np.zeros((3, 3, 2, 8))
    model = helpers.FakeModel()
    model.weights = [
        _named(bias, "dense/bias"),
        _named(kernel, "dense/kernel"),
        _named(conv, "conv/kernel"),
        _named(conv4, "conv2/kernel"),
    ]
    cb = tb_module.TensorBoard(log_dir=str(tmp_path), histogram_freq=1, write_images=True)
    cb.set_model(model)
    cb.on_epoch_end(0, {"loss": 1.0})
    images = {c[1]: c for c in recorder.calls if c[0] == "images"}
    assert sorted(images) == ["conv/kernel/image", "dense/bias/image", "dense/kernel/image"]
    np.testing.assert_array_equal(images["dense/bias/image"][2], bias.reshape(1, 3, 1, 1))
    np.testing.assert_array_equal(images["dense/kernel/image"][2], kernel.T.reshape(1, 2, 3, 1))
    expected_conv = np.transpose(conv[:, :, 0, :], (2, 0, 1))[:, :, :, None]
    np.testing.assert_array_equal(images["conv/kernel/image"][2], expected_conv)
    assert all(c[3] == 0 for c in images.values())
    histograms = [c[1] for c in recorder.calls if c[0] == "histogram"]
    assert histograms == [
        "dense/bias/histogram",
        "dense/kernel/histogram",
        "conv/kernel/histogram",
        "conv2/kernel/histogram",
    ]


def test_without_write_images_no_image_is_written(helpers, monkeypatch, tmp_path):
    recorder = _Recorder(monkeypatch)
    model = helpers.FakeModel()
    model.weights = [_named(np.ones(3), "dense/bias")]
    cb = tb_module.TensorBoard(log_dir=str(tmp_path), histogram_freq=1)
    cb.set_model(model)
    cb.on_epoch_end(0, {"loss": 1.0})
    assert [c[0] for c in recorder.calls] == ["histogram"]

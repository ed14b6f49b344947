"""model.export(format='torch') of models that read the dynamic batch size with tf.shape."""

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras
from tork._backend.device import current_device


def _lambda_model(function):
    inputs = keras.Input((4,))
    outputs = keras.layers.Lambda(function)(inputs)
    return keras.Model(inputs, outputs)


@pytest.mark.slow
def test_batch_size_read_with_tf_shape_stays_dynamic(tmp_path):
    # x * batch_size: the batch is read as a value, in arithmetic only.
    model = _lambda_model(lambda x: x * tf.cast(tf.shape(x)[0], x.dtype) + 1.0)
    path = tmp_path / "m.pt2"
    model.export(path, format="torch")
    program = torch.export.load(str(path)).module()
    for batch in (5, 7, 1):
        x = np.arange(batch * 4, dtype="float32").reshape(batch, 4)
        out = program(torch.tensor(x, device=current_device()))
        np.testing.assert_allclose(out.cpu().numpy(), x * batch + 1.0, rtol=1e-6)


def test_tf_shape_under_export_is_not_a_constant():
    # torch.export with a dynamic batch: tf.shape's value must follow the input's size.
    class Module(torch.nn.Module):
        def forward(self, x):
            return tf.shape(x).to(x.dtype) + x[:, :2]

    batch = torch.export.Dim.AUTO
    program = torch.export.export(
        Module(), (torch.zeros(3, 4),), dynamic_shapes=({0: batch},), strict=False
    ).module()
    out = program(torch.zeros(6, 4))
    np.testing.assert_array_equal(out.numpy(), np.tile([[6.0, 4.0]], (6, 1)))


@pytest.mark.slow
def test_size_built_from_tf_shape_gives_clear_error(tmp_path):
    model = _lambda_model(lambda x: x + tf.zeros((tf.shape(x)[0], 4)))
    with pytest.raises(ValueError) as info:
        model.export(tmp_path / "m.pt2", format="torch")
    message = str(info.value)
    assert "Cannot export model 'model" in message
    assert "with dynamic sizes (None in its input shapes [(None, 4)])" in message
    assert "input_signature=[keras.InputSpec(shape=(32, 4), dtype='float32')]" in message
    assert "tf.zeros_like(x)" in message
    # The fix the message names works.
    path = tmp_path / "fixed.pt2"
    model.export(
        path,
        format="torch",
        input_signature=[keras.InputSpec(shape=(32, 4), dtype="float32")],
    )
    program = torch.export.load(str(path)).module()
    x = np.random.default_rng(0).normal(size=(32, 4)).astype("float32")
    out = program(torch.tensor(x, device=current_device()))
    np.testing.assert_allclose(out.cpu().numpy(), x, rtol=1e-6)

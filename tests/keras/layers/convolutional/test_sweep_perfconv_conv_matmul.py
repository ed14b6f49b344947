"""Conv1D/2D/3D that are a product over the channel axis (run as F.linear).

A channels-last 1x1 kernel with stride 1, and a 'same' kernel on a 1x1 map, are
checked against a NumPy correlation with TensorFlow's 'same' padding.
"""

import itertools

import numpy as np
import pytest
import torch

from tork import keras


def _numpy_conv(x, kernel, bias, strides, padding):
    """NumPy N-D correlation, channels last; kernel (*k, in, out); TF's padding rules."""
    spatial = x.shape[1:-1]
    ks = kernel.shape[:-2]
    pads, outs = [], []
    for n, k, s in zip(spatial, ks, strides):
        if padding == "same":
            out = -(-n // s)
            total = max((out - 1) * s + k - n, 0)
            pads.append((total // 2, total - total // 2))
        else:
            out = (n - k) // s + 1
            pads.append((0, 0))
        outs.append(out)
    xp = np.pad(x.astype("float64"), [(0, 0), *pads, (0, 0)])
    y = np.zeros((x.shape[0], *outs, kernel.shape[-1]))
    for index in itertools.product(*(range(o) for o in outs)):
        window = tuple(slice(i * s, i * s + k) for i, s, k in zip(index, strides, ks))
        patch = xp[(slice(None), *window)]  # (batch, *k, in)
        y[(slice(None), *index)] = np.tensordot(
            patch, kernel, axes=(list(range(1, len(ks) + 2)), list(range(len(ks) + 1)))
        )
    return y + bias


def _layer(rank, filters, kernel_size, **kwargs):
    return {1: keras.layers.Conv1D, 2: keras.layers.Conv2D, 3: keras.layers.Conv3D}[rank](
        filters, kernel_size, **kwargs
    )


@pytest.mark.parametrize(
    "rank,in_shape,kernel_size,strides,padding",
    [
        (2, (2, 5, 4, 6), 1, 1, "valid"),  # pointwise
        (2, (2, 5, 4, 6), 1, 1, "same"),
        (1, (2, 7, 6), 1, 1, "causal"),
        (3, (2, 3, 2, 4, 6), 1, 1, "valid"),
        (2, (2, 5, 4, 256), 1, 2, "same"),  # strided, 256 channels: sliced, then a product
        (2, (2, 5, 5, 256), 1, (2, 3), "valid"),
        (1, (2, 7, 256), 1, 3, "causal"),
        (2, (2, 5, 4, 6), 1, 2, "same"),  # strided, few channels: torch's convolution
        (2, (2, 1, 1, 6), 3, 1, "same"),  # 'same' on a 1x1 map: one tap
        (2, (2, 1, 1, 6), 4, 2, "same"),  # even kernel: tap (4 - 1) // 2 = 1
        (2, (2, 1, 1, 6), (1, 3), 1, "same"),
        (1, (2, 1, 6), 5, 3, "same"),
        (3, (2, 1, 1, 1, 6), 3, 1, "same"),
        (2, (2, 3, 3, 6), 3, 1, "same"),  # not 1x1: torch's convolution
    ],
)
def test_values_and_gradients_match_numpy(rank, in_shape, kernel_size, strides, padding):
    rng = np.random.default_rng(0)
    layer = _layer(rank, 5, kernel_size, strides=strides, padding=padding)
    layer.build(in_shape)
    kernel = rng.normal(size=tuple(layer.kernel.shape)).astype("float32")
    bias = rng.normal(size=(5,)).astype("float32")
    layer.set_weights([kernel, bias])
    x = rng.normal(size=in_shape).astype("float32")
    np_padding = "valid" if padding == "causal" else padding  # kernel 1: no padding at all
    expected = _numpy_conv(x, kernel, bias, layer.strides, np_padding)
    inputs = torch.tensor(x, requires_grad=True)
    out = layer(inputs)
    assert tuple(out.shape) == expected.shape
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-5, atol=1e-5)
    # Gradients: of sum(out * upstream), by central differences' exact linear counterpart:
    # d/dbias = sum of upstream; d/dx and d/dkernel through NumPy's correlation.
    upstream = rng.normal(size=expected.shape)
    out.backward(torch.tensor(upstream, dtype=torch.float32))
    np.testing.assert_allclose(
        layer.bias.grad.numpy(), upstream.sum(axis=tuple(range(rank + 1))), rtol=1e-4, atol=1e-4
    )
    # The output is linear in x: grad_x[i] = sum(upstream * conv(e_i)) (checked on a few cells).
    zero_bias = np.zeros(5)
    flat = inputs.grad.numpy().reshape(-1)
    for cell in (0, flat.size // 2, flat.size - 1):
        basis = np.zeros(x.size)
        basis[cell] = 1.0
        response = _numpy_conv(basis.reshape(x.shape), kernel, zero_bias, layer.strides, np_padding)
        np.testing.assert_allclose(flat[cell], (response * upstream).sum(), rtol=1e-4, atol=1e-4)


def test_float64_and_integer_inputs_are_cast_as_by_the_convolution():
    layer = keras.layers.Conv2D(3, 1)
    x = np.random.default_rng(1).normal(size=(2, 3, 3, 4))
    out = layer(torch.tensor(x))
    assert out.dtype == torch.float32  # Keras casts float inputs to the compute dtype
    ints = layer(torch.tensor(np.arange(36).reshape(1, 3, 3, 4)))
    assert ints.dtype == torch.float32
    kernel, bias = layer.get_weights()
    np.testing.assert_allclose(
        ints.detach().numpy(),
        np.arange(36).reshape(1, 3, 3, 4) @ kernel[0, 0] + bias,
        rtol=1e-5,
        atol=1e-5,  # float32 against float64 on random weights: near-zero outputs
    )
    kernel, bias = layer.get_weights()
    np.testing.assert_allclose(out.detach().numpy(), x @ kernel[0, 0] + bias, rtol=1e-5, atol=1e-6)


def test_activation_applies_and_channels_mismatch_is_explained():
    layer = keras.layers.Conv2D(3, 3, padding="same", activation="relu")
    layer.build((None, 1, 1, 4))
    kernel = np.zeros((3, 3, 4, 3), "float32")
    kernel[1, 1] = np.arange(12, dtype="float32").reshape(4, 3) - 6.0
    layer.set_weights([kernel, np.zeros(3, "float32")])
    x = np.ones((1, 1, 1, 4), "float32")
    out = layer(torch.tensor(x)).detach().numpy()
    np.testing.assert_allclose(out.reshape(-1), np.maximum(x.reshape(1, 4) @ kernel[1, 1], 0)[0])
    with pytest.raises(ValueError, match="was built for inputs with 4 channels"):
        layer(torch.ones(1, 1, 1, 5))
    pointwise = keras.layers.Conv2D(3, 1)
    pointwise.build((None, 2, 2, 4))
    with pytest.raises(ValueError, match="was built for inputs with 4 channels"):
        pointwise(torch.ones(1, 2, 2, 5))

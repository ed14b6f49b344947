"""Conv*DTranspose adds its bias after torch's kernel in training and when it crops.

The reference is a NumPy scatter: each input cell adds `cell * kernel` into the
full output, which Keras crops by `(kernel - stride) // 2` on the left for 'same'.
"""

import numpy as np
import pytest
import torch

from tork import keras


def _reference(x, kernel, bias, stride, padding):
    """NumPy transposed 2D convolution, channels last; kernel (kh, kw, out, in)."""
    batch, height, width, _ = x.shape
    kh, kw, out_channels, _ = kernel.shape
    full = np.zeros(
        (batch, (height - 1) * stride + kh, (width - 1) * stride + kw, out_channels), "float64"
    )
    for i in range(height):
        for j in range(width):
            # (b, in) x (kh, kw, out, in) -> (b, kh, kw, out)
            full[:, i * stride : i * stride + kh, j * stride : j * stride + kw] += np.einsum(
                "bc,hwoc->bhwo", x[:, i, j], kernel
            )
    if padding == "same":
        top, left = (kh - stride) // 2, (kw - stride) // 2
        full = full[:, top : top + height * stride, left : left + width * stride]
    return full + bias


def _input_gradient(upstream, kernel, stride, padding, in_shape):
    """NumPy gradient of sum(output * upstream) with respect to the input."""
    _, height, width, _ = in_shape
    kh, kw, _, _ = kernel.shape
    full_shape = (upstream.shape[0], (height - 1) * stride + kh, (width - 1) * stride + kw)
    full = np.zeros(full_shape + upstream.shape[3:], "float64")
    top = left = 0
    if padding == "same":
        top, left = (kh - stride) // 2, (kw - stride) // 2
    full[:, top : top + upstream.shape[1], left : left + upstream.shape[2]] = upstream
    grad = np.zeros(in_shape, "float64")
    for i in range(height):
        for j in range(width):
            window = full[:, i * stride : i * stride + kh, j * stride : j * stride + kw]
            grad[:, i, j] = np.einsum("bhwo,hwoc->bc", window, kernel)
    return grad


@pytest.mark.parametrize(
    "kernel_size,strides,padding",
    [(3, 2, "same"), (4, 2, "same"), (3, 1, "same"), (2, 2, "valid"), (3, 2, "valid")],
)
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_values_and_gradients_match_numpy(kernel_size, strides, padding, data_format):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 5, 4, 3)).astype("float32")
    kernel = rng.normal(size=(kernel_size, kernel_size, 6, 3)).astype("float32")
    bias = rng.normal(size=(6,)).astype("float32")
    layer = keras.layers.Conv2DTranspose(
        6, kernel_size, strides=strides, padding=padding, data_format=data_format
    )
    first = data_format == "channels_first"
    to_layer = (lambda a: np.transpose(a, (0, 3, 1, 2))) if first else (lambda a: a)
    from_layer = (lambda a: np.transpose(a, (0, 2, 3, 1))) if first else (lambda a: a)
    layer.build(to_layer(x).shape)
    layer.set_weights([kernel, bias])
    expected = _reference(x.astype("float64"), kernel, bias, strides, padding)

    with torch.no_grad():  # inference: the bias goes to torch's kernel unless it crops
        out = layer(torch.tensor(to_layer(x)))
    np.testing.assert_allclose(from_layer(out.numpy()), expected, rtol=1e-4, atol=1e-4)

    # Training: the bias is added afterwards; its gradient and the input's must follow.
    inputs = torch.tensor(to_layer(x), requires_grad=True)
    out = layer(inputs)
    np.testing.assert_allclose(from_layer(out.detach().numpy()), expected, rtol=1e-4, atol=1e-4)
    upstream = rng.normal(size=expected.shape).astype("float32")
    out.backward(torch.tensor(to_layer(upstream)))
    np.testing.assert_allclose(
        layer.bias.grad.numpy(), upstream.sum(axis=(0, 1, 2)), rtol=1e-4, atol=1e-4
    )
    np.testing.assert_allclose(
        from_layer(inputs.grad.numpy()),
        _input_gradient(upstream.astype("float64"), kernel, strides, padding, x.shape),
        rtol=1e-4,
        atol=1e-4,
    )


def test_conv1d_transpose_channels_first_bias_in_training():
    # kernel 3, stride 2, 'same': the cropped case, with the bias added on axis 1.
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 5, 3)).astype("float32")  # (batch, steps, channels)
    kernel = rng.normal(size=(3, 4, 3)).astype("float32")  # (k, out, in)
    bias = rng.normal(size=(4,)).astype("float32")
    layer = keras.layers.Conv1DTranspose(
        4, 3, strides=2, padding="same", data_format="channels_first"
    )
    layer.build((2, 3, 5))
    layer.set_weights([kernel, bias])
    out = layer(torch.tensor(np.transpose(x, (0, 2, 1)), requires_grad=True))
    full = np.zeros((2, 4 * 2 + 3, 4))
    for i in range(5):
        full[:, i * 2 : i * 2 + 3] += np.einsum("bc,koc->bko", x[:, i], kernel)
    expected = full[:, 0:10] + bias  # crop (3 - 2) // 2 = 0 on the left, 10 = 5 * 2 kept
    np.testing.assert_allclose(
        np.transpose(out.detach().numpy(), (0, 2, 1)), expected, rtol=1e-4, atol=1e-4
    )

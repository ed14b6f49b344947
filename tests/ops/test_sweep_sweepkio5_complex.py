"""tf.complex (keras.io speaker recognition's audio_to_fft), values checked with NumPy."""

import numpy as np
import pytest
import torch

import tork as tf


def test_complex_float32_gives_complex64():
    out = tf.complex([1.0, 2.0], [3.0, 4.0])
    assert out.dtype == torch.complex64
    np.testing.assert_array_equal(out.numpy(), np.array([1 + 3j, 2 + 4j], np.complex64))


def test_complex_float64_gives_complex128_and_broadcasts():
    real = np.array([[1.0], [2.0]])
    imag = np.array([1.0, 2.0, 3.0])
    out = tf.complex(real, imag)
    assert out.dtype == torch.complex128
    np.testing.assert_array_equal(out.numpy(), real + 1j * imag)


def test_complex_then_fft_matches_numpy():
    audio = np.random.RandomState(0).randn(2, 16).astype("float32")
    x = tf.constant(audio)
    fft = tf.signal.fft(tf.cast(tf.complex(real=x, imag=tf.zeros_like(x)), tf.complex64))
    np.testing.assert_allclose(tf.math.abs(fft).numpy(), np.abs(np.fft.fft(audio)), atol=1e-4)


def test_complex_gradient_reaches_both_parts():
    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.abs(tf.complex(x, 2 * x)))
    # |x + 2xi| = sqrt(5) x, so the gradient is sqrt(5) (TF 2.21 gives 2.236068).
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [np.sqrt(5)] * 2, rtol=1e-6)


@pytest.mark.parametrize(
    "real, imag, names",
    [
        ([1, 2], [3, 4], "int32 int32"),
        (np.array([1.0], "float16"), np.array([1.0], "float16"), "float16 float16"),
        (np.array([1.0]), np.array([1.0], "float32"), "float64 float32"),
    ],
)
def test_complex_rejects_other_dtypes_with_tf_message(real, imag, names):
    with pytest.raises(TypeError) as info:
        tf.complex(real, imag)
    assert str(info.value) == (
        f"The `real` and `imag` components have incorrect types: {names}. They must be "
        "consistent, and one of [tf.float32, tf.float64]"
    )

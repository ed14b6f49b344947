"""FFTs and STFTs of an empty batch (a signal shorter than one STFT frame).

Pattern from TensorSpeech/TensorFlowTTS (tensorflow_tts/losses/stft.py): a multi-resolution
STFT loss takes `tf.abs(tf.signal.stft(signals, frame_length, frame_step, fft_length))` of
the generated audio at several frame lengths; a short clip gives no frame at the longest.
torch's CPU FFTs refuse tensors without elements (an MKL error); TF returns an empty result.
Expected shapes, dtypes and gradient: tensorflow 2.21 in the reference env.
"""

import numpy as np

import tork as tf


def test_stft_of_signal_shorter_than_a_frame_is_empty():
    out = tf.signal.stft(tf.zeros((2, 64)), 128, 24, 128)
    # tensorflow 2.21: shape (2, 0, 65), complex64.
    assert tuple(out.shape) == (2, 0, 65)
    assert out.dtype == tf.complex64
    assert tuple(tf.abs(out).shape) == (2, 0, 65)


def test_ffts_of_empty_batches():
    # tensorflow 2.21 shapes: (0, 5), (3, 0, 4), (0, 8), (0, 4, 4).
    assert tuple(tf.signal.rfft(tf.zeros((0, 8))).shape) == (0, 5)
    assert tuple(tf.signal.fft(tf.zeros((3, 0, 4), tf.complex64)).shape) == (3, 0, 4)
    irfft = tf.signal.irfft(tf.zeros((0, 5), tf.complex64))
    assert tuple(irfft.shape) == (0, 8) and irfft.dtype == tf.float32
    assert tuple(tf.signal.rfft2d(tf.zeros((0, 4, 6))).shape) == (0, 4, 4)


def test_gradient_through_empty_stft_is_zero_not_none():
    x = tf.Variable(tf.ones((2, 64)))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.abs(tf.signal.stft(x, 128, 24, 128))) + tf.reduce_sum(x)
    grad = tape.gradient(y, x)
    # tensorflow 2.21: a gradient of ones (from reduce_sum only), summing to 128.
    np.testing.assert_allclose(grad.numpy(), np.ones((2, 64), np.float32))


def test_multi_resolution_stft_loss_with_a_short_clip():
    # The longest resolution gives no frames (the loss term is NaN there, as TF's
    # reduce_mean of an empty tensor); the others are unaffected.
    y = tf.constant(np.sin(np.arange(2 * 100, dtype=np.float32) / 3).reshape(2, 100))
    x = y * 0.5
    mags = [tf.abs(tf.signal.stft(s, 128, 24, 128)) for s in (y, x)]
    assert tuple(mags[0].shape) == (2, 0, 65)
    short = tf.abs(tf.signal.stft(x, 32, 8, 32))
    # numpy reference: the first frame's DFT magnitude with a periodic Hann window.
    frame = x.numpy()[0, :32] * (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(32) / 32))
    np.testing.assert_allclose(short.numpy()[0, 0], np.abs(np.fft.rfft(frame)), atol=1e-4)

"""tf.signal differences found by differential fuzzing against TensorFlow (helper fuzznn).

Reference values come from TensorFlow 2.21 (CPU), printed by the fuzzing session's
/tmp/fuzznn/ref_numbers.py; each is quoted next to its assertion.
"""

import numpy as np

import tork as tf


def test_inverse_stft_window_is_zero_where_the_overlap_sum_is_zero():
    # frame_step == frame_length: the Hann window's first sample is 0 and so is the sum of
    # overlapped squares there. TF gives 0 (tork gave 0/0 = nan, so inverse_stft had nans).
    # TF: tf.signal.inverse_stft_window_fn(4)(4, tf.float32) -> [0.0, 2.0, 1.0, 2.0]
    w = tf.signal.inverse_stft_window_fn(4)(4)
    np.testing.assert_array_equal(w.numpy(), [0.0, 2.0, 1.0, 2.0])
    sig = np.sin(np.arange(16, dtype=np.float32))
    spec = tf.signal.stft(sig, 4, 4)
    out = tf.signal.inverse_stft(spec, 4, 4, window_fn=tf.signal.inverse_stft_window_fn(4))
    # TF's values: the samples under the window's zero are 0, the others the signal.
    expected = np.where(np.arange(16) % 4 == 0, 0.0, sig)
    np.testing.assert_allclose(out.numpy(), expected, atol=1e-5)


def test_kaiser_bessel_derived_window():
    # TF: tf.signal.kaiser_bessel_derived_window(6) and (5, beta=2.0).
    w = tf.signal.kaiser_bessel_derived_window(6)
    tf_w = [0.0071310256607830524, 0.7071067690849304, 0.9999745488166809]
    np.testing.assert_allclose(w.numpy(), tf_w + tf_w[::-1], rtol=1e-5)
    w = tf.signal.kaiser_bessel_derived_window(5, beta=2.0)
    tf_w = [0.483391672372818, 0.8754041790962219]
    np.testing.assert_allclose(w.numpy(), tf_w + tf_w[::-1], rtol=1e-5)
    # Power complementary: w[n]^2 + w[n + N/2]^2 == 1.
    w = tf.signal.kaiser_bessel_derived_window(8, dtype=tf.float64).numpy()
    np.testing.assert_allclose(w[:4] ** 2 + w[4:] ** 2, 1.0)

"""Complex inputs to tf.linalg.slogdet/eigh/eigvalsh and tf.math.l2_normalize (helper
fuzzops3; goes with fuzzops3_linalg_complex.patch; suggested location
tests/ops/test_sweep_fuzzops3_linalg.py).

Expected values printed by TF 2.21 (CPU) for a = [[2+1j, 1], [0, 3-1j]] (complex64).
"""

import numpy as np

import tork as tf

_A = np.array([[2 + 1j, 1], [0, 3 - 1j]], np.complex64)


def test_slogdet_of_complex_keeps_the_dtype():
    # TF: sign (0.98995+0.14142j) complex64, log_abs_determinant (1.956012+0j) complex64
    sign, logdet = tf.linalg.slogdet(tf.constant(_A))
    assert sign.dtype == tf.complex64 and logdet.dtype == tf.complex64
    np.testing.assert_allclose(sign.numpy(), 0.9899495 + 0.14142135j, rtol=1e-5)
    np.testing.assert_allclose(logdet.numpy(), 1.9560115 + 0j, rtol=1e-5)


def test_eigh_of_complex_gives_complex_eigenvalues():
    # TF: eigenvalues of a @ a^H: [4.2583427+0j, 11.741656+0j] complex64
    h = tf.constant(_A) @ tf.linalg.adjoint(tf.constant(_A))
    values, _ = tf.linalg.eigh(h)
    assert values.dtype == tf.complex64
    np.testing.assert_allclose(values.numpy(), [4.2583427, 11.741656], rtol=1e-5)
    values = tf.linalg.eigvalsh(h)
    assert values.dtype == tf.complex64
    np.testing.assert_allclose(values.numpy(), [4.2583427, 11.741656], rtol=1e-5)
    real_values, _ = tf.linalg.eigh(tf.constant([[2.0, 0.0], [0.0, 1.0]]))
    assert real_values.dtype == tf.float32


def test_l2_normalize_of_complex():
    # TF: [[0.5+0.25j, 0.25+0j], [0+0j, 0.75-0.25j]] complex64
    out = tf.math.l2_normalize(tf.constant(_A))
    assert out.dtype == tf.complex64
    np.testing.assert_allclose(out.numpy(), [[0.5 + 0.25j, 0.25], [0, 0.75 - 0.25j]], rtol=1e-6)

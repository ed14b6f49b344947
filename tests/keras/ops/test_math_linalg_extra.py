"""keras.ops math/linalg/core additions of Keras 3.15 (FFT, STFT, segment_min, pinv, jvp,
associative_scan, rearrange...): NumPy/SciPy references and values printed by Keras 3.15."""

import numpy as np
import pytest
import scipy.special
import torch

from tork import keras

ops = keras.ops
RNG = np.random.default_rng(3)
M = np.arange(12, dtype="float32").reshape(3, 4)
SIG = np.arange(16, dtype="float32")


def _np(t):
    return t.detach().cpu().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)


def _close(out, expected, atol=1e-4):
    np.testing.assert_allclose(_np(out), np.asarray(expected), atol=atol, rtol=1e-5)


def test_erfc_cdist():
    x = np.array([-2.0, 0.0, 1.0, 5.0], "float32")
    _close(ops.erfc(x), scipy.special.erfc(x), atol=1e-6)
    assert ops.erfc(np.array([1, 2], "int32")).dtype == torch.float32
    a = np.array([[0.0, 0.0], [3.0, 4.0]], "float32")
    b = np.array([[1.0, 1.0], [0.0, 0.0], [6.0, 8.0]], "float32")
    _close(ops.cdist(a, b), [[1.4142, 0.0, 10.0], [3.6056, 5.0, 5.0]])
    batched = ops.cdist(np.arange(12.0).reshape(2, 3, 2), np.arange(8.0).reshape(2, 2, 2))
    assert tuple(batched.shape) == (2, 3, 2)


def test_segment_min_and_prod_match_keras():
    data = np.array([1.0, 5.0, 3.0, 2.0], "float32")
    _close(ops.segment_min(data, np.array([0, 0, 1, 1])), [1.0, 2.0])
    _close(ops.segment_min(data, np.array([0, 0, 2, 2]), num_segments=4), [1, np.inf, 2, np.inf])
    _close(ops.segment_prod(data, np.array([0, 0, 2, 2]), num_segments=4), [5, 1, 6, 1])
    ints = ops.segment_prod(np.array([[1, 5], [3, 2]], "int32"), np.array([1, 1]))
    assert ints.dtype == torch.int32
    np.testing.assert_array_equal(_np(ints), [[1, 1], [3, 10]])
    mins = ops.segment_min(np.array([1, 5, 3, 2], "int32"), np.array([0, 0, 2, 2]))
    np.testing.assert_array_equal(_np(mins), [1, 2147483647, 2])


def test_view_as_complex_and_real():
    z = ops.view_as_complex(np.array([[1.0, 2.0], [3.0, 4.0]], "float32"))
    assert z.dtype == torch.complex64
    np.testing.assert_array_equal(_np(z), [1 + 2j, 3 + 4j])
    np.testing.assert_array_equal(_np(ops.view_as_real(z)), [[1, 2], [3, 4]])
    with pytest.raises(ValueError, match="Last dimension of input must be size 2"):
        ops.view_as_complex(np.array([1.0, 2.0, 3.0]))


def test_ffts_match_numpy():
    re, im = RNG.normal(size=(3, 8)).astype("float32"), RNG.normal(size=(3, 8)).astype("float32")
    z = re + 1j * im
    for name, ref in (("fft", np.fft.fft), ("fft2", np.fft.fft2), ("ifft2", np.fft.ifft2)):
        out_re, out_im = getattr(ops, name)((re, im))
        assert out_re.dtype == torch.float32
        _close(out_re, ref(z).real, atol=1e-4)
        _close(out_im, ref(z).imag, atol=1e-4)
    for n in (None, 6, 11):
        out_re, out_im = ops.rfft(re, fft_length=n)
        _close(out_re, np.fft.rfft(re, n=n).real, atol=1e-4)
        _close(out_im, np.fft.rfft(re, n=n).imag, atol=1e-4)
    spec = np.fft.rfft(re)
    back = ops.irfft((spec.real.astype("float32"), spec.imag.astype("float32")))
    _close(back, re, atol=1e-5)
    # Keras 3.15 on the same input.
    _close(
        ops.irfft((np.array([1.0, 2, 3], "float32"), np.array([0.0, 1, 0], "float32")), 5),
        [2.2, -0.904, -0.3115, 0.1587, -0.1432],
    )


def test_fft_errors():
    with pytest.raises(ValueError, match="should be a tuple of two tensors - real and imaginary"):
        ops.fft(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="the real and imaginary parts should have the same shape"):
        ops.fft((np.array([1.0, 2.0]), np.array([1.0, 2.0, 3.0])))
    with pytest.raises(ValueError, match="at least one tensor in input `x` is not of type float"):
        ops.fft((np.array([1, 2]), np.array([1, 2])))


def test_stft_matches_keras():
    re, im = ops.stft(SIG, 4, 2, 4)
    assert tuple(re.shape) == (9, 3)
    _close(re[:2], [[1.0, 0.0, -1.0], [4.0, -2.0, 0.0]])
    _close(re[-1], [28.0, -14.0, 0.0])
    _close(im[:, 1], [0, 1, 1, 1, 1, 1, 1, 1, -1])
    re, im = ops.stft(SIG, 4, 3, 8, window="hamming", center=False)
    _close(re[0], [8.48, -7.0547, 3.84, -0.9453, -0.16])
    _close(im[2], [0.0, 0.1237, -1.08, 1.4037, 0.0])
    re, im = ops.stft(SIG.reshape(2, 8), 4, 2, 4, window=None)
    _close(re[1], [[36, 2, 0], [38, -2, -2], [46, -2, -2], [54, -2, -2], [56, 0, 0]])
    re, im = ops.stft(SIG, 4, 2, 4, window=np.array([1.0, 2.0, 2.0, 1.0], "float32"))
    _close(re[-1], [85, -14, -1])
    _close(im[-1], [0, -17, 0])
    # No window: plain fft_length-long frames (Keras 3.15 values).
    re, im = ops.stft(SIG, 4, 2, 8, window=None)
    assert tuple(re.shape) == (9, 5)
    _close(re[:2], [[16.0, 6.8284, 0.0, 1.1716, 0.0], [18.0, 1.4142, 0.0, -1.4142, -2.0]])
    _close(im[1], [0.0, 8.2426, 2.0, 0.2426, 0.0])
    _close(
        ops.istft((re, im), 4, 2, 8, window=None),
        [0, 3, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 42, 45],
    )
    with pytest.raises(ValueError, match='it must be one of `"hann"`, `"hamming"`'):
        ops.stft(SIG, 4, 2, 4, window="foo")
    with pytest.raises(
        ValueError, match="`fft_length` must equal or larger than `sequence_length`"
    ):
        ops.stft(SIG, 8, 2, 4)
    with pytest.raises(
        TypeError, match="Expected `float32` or `float64`. Received: input type=int32"
    ):
        ops.stft(SIG.astype("int32"), 4, 2, 4)
    with pytest.raises(
        ValueError, match="The shape of `window` must be equal to \\[sequence_length\\]"
    ):
        ops.stft(SIG, 4, 2, 4, window=np.ones(3, "float32"))


def test_istft_matches_keras():
    _close(ops.istft(ops.stft(SIG, 4, 2, 4), 4, 2, 4), SIG)
    out = ops.istft(ops.stft(SIG, 8, 2, 8), 8, 2, 8, length=16)
    _close(out[:2], [0.0, 0.9857])
    _close(out[-2:], [14.0, 14.7855])
    spec = ops.stft(SIG, 4, 1, 4, center=False, window="hamming")
    out = ops.istft(spec, 4, 1, 4, center=False, window="hamming")
    _close(out[:3], [0.0, 0.1875, 1.6331])
    _close(out[-3:], [12.9477, 11.3754, 2.7516])


def test_linalg_additions():
    chol = np.array([[2.0, 0.0], [1.0, 3.0]], "float32")
    _close(ops.cholesky_inverse(chol), np.linalg.inv(chol @ chol.T))
    _close(ops.cholesky_inverse(chol.T, upper=True), np.linalg.inv(chol @ chol.T))
    lu, perm = ops.lu_factor(np.array([[0.0, 2, 1], [3, 4, 1], [1, 1, 5]], "float32"))
    _close(lu, [[3, 4, 1], [0, 2, 1], [0.3333, -0.1667, 4.8333]])
    assert perm.dtype == torch.int32
    np.testing.assert_array_equal(_np(perm), [1, 0, 2])  # Keras 3.15 (a permutation)
    assert int(ops.matrix_rank(np.array([[1.0, 2.0], [2.0, 4.0]]))) == 1
    assert int(ops.matrix_rank(np.eye(3, dtype="float32"))) == 3
    assert int(ops.matrix_rank(np.array([[1.0, 2.0], [2.0, 4.001]]), tol=0.01)) == 1
    assert ops.matrix_rank(np.eye(2)).dtype == torch.int32
    a = RNG.normal(size=(4, 3)).astype("float32")
    _close(ops.pinv(a), np.linalg.pinv(a), atol=1e-5)
    _close(ops.pinv(np.array([[1.0, 2.0], [2.0, 4.0]])), [[0.04, 0.08], [0.08, 0.16]])
    b = np.array([[1.0, 2, 3], [4, 5, 6]], "float32")
    _close(ops.pinv(b, rcond=0.5), np.linalg.pinv(b, rcond=0.5), atol=1e-5)


def test_jvp():
    x = np.array([1.0, 2.0], "float32")
    out, tangent = ops.jvp(lambda v: v**2, (x,), (np.ones(2, "float32"),))
    _close(out, [1, 4])
    _close(tangent, [2, 4])
    out, tangent = ops.jvp(
        lambda a, b: a * b, (x, np.array([3.0, 4.0])), (np.array([1.0, 0.0]), np.array([0.0, 1.0]))
    )
    _close(out, [3, 8])
    _close(tangent, [3, 2])
    out, tangent, aux = ops.jvp(lambda v: (v**2, v + 1), (x,), (np.ones(2),), has_aux=True)
    _close(aux, [2, 3])
    with pytest.raises(ValueError, match="got 2 primals but 1 tangents"):
        ops.jvp(lambda a, b: a, (x, x), (x,))


def test_associative_scan():
    _close(
        ops.associative_scan(lambda a, b: a + b, np.arange(1.0, 8.0)),
        np.cumsum(np.arange(1.0, 8.0)),
    )
    out = ops.associative_scan(lambda a, b: a * b, np.array([1, 2, 3, 4], "int32"), reverse=True)
    np.testing.assert_array_equal(_np(out), [24, 24, 12, 4])
    _close(ops.associative_scan(lambda a, b: a + b, M, axis=1), np.cumsum(M, axis=1))
    pair = ops.associative_scan(
        lambda a, b: (a[0] + b[0], a[1] * b[1]),
        (np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 2.0])),
    )
    _close(pair[0], [1, 3, 6])
    _close(pair[1], [2, 4, 8])
    # Order matters for non-commutative ops: 2x2 matrix products along the scan.
    mats = RNG.normal(size=(5, 2, 2)).astype("float32")
    out = ops.associative_scan(lambda a, b: a @ b, mats)
    ref = [mats[0]]
    for m in mats[1:]:
        ref.append(ref[-1] @ m)
    _close(out, np.stack(ref), atol=1e-4)
    with pytest.raises(ValueError, match="the same size along axis 0"):
        ops.associative_scan(lambda a, b: a, (np.ones(3), np.ones(4)))


def test_rearrange():
    x = np.arange(24, dtype="float32").reshape(2, 3, 4)
    _close(ops.rearrange(M, "h w -> w h"), M.T)
    _close(ops.rearrange(x, "b h w -> b (h w)"), x.reshape(2, 12))
    _close(ops.rearrange(x.reshape(2, 12), "b (h w) -> b h w", h=3), x)
    _close(ops.rearrange(x, "b h w -> (b h) w"), x.reshape(6, 4))
    _close(
        ops.rearrange(x, "b h (w c) -> b c h w", c=2), x.reshape(2, 3, 2, 2).transpose(0, 3, 1, 2)
    )
    with pytest.raises(ValueError, match="both sides must name the same axes"):
        ops.rearrange(M, "h w -> h")
    with pytest.raises(ValueError, match="pass the sizes of all but one of"):
        ops.rearrange(x.reshape(2, 12), "b (h w) -> b h w")
    with pytest.raises(ValueError, match="the pattern's left side has 2 axes"):
        ops.rearrange(x, "a b -> b a")
    with pytest.raises(ValueError, match="the pattern needs '->'"):
        ops.rearrange(x, "a b c")


def test_math_ops_in_a_functional_model():
    inp = keras.Input((16,))
    re, im = ops.rfft(inp)
    model = keras.Model(inp, ops.sqrt(re**2 + im**2))
    x = RNG.normal(size=(2, 16)).astype("float32")
    _close(model(x), np.abs(np.fft.rfft(x)), atol=1e-4)

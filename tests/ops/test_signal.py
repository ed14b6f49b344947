"""tf.signal against NumPy implementations of TensorFlow's documented definitions."""

import math

import numpy as np
import pytest
import torch

import tork as tf

RNG = np.random.default_rng(7)


# ------------------------------------------------------------ NumPy references


def np_window(n, periodic=True, a=0.5, b=0.5):
    if n == 1:
        return np.ones(1)
    # TF: only even lengths get the periodic denominator.
    denom = n if periodic and n % 2 == 0 else n - 1
    return a - b * np.cos(2 * np.pi * np.arange(n) / denom)


def np_frame(x, length, step, pad_end=False, pad_value=0.0):
    """Frames of the last axis, by explicit slicing."""
    n = x.shape[-1]
    if pad_end:
        count = -(-n // step)
        needed = (count - 1) * step + length
        if needed > n:
            pad = np.full(x.shape[:-1] + (needed - n,), pad_value, dtype=x.dtype)
            x = np.concatenate([x, pad], -1)
    else:
        count = max(0, (n - length) // step + 1)
    return np.stack([x[..., i * step : i * step + length] for i in range(count)], -2)


def np_stft(x, length, step, n_fft, window=None, pad_end=False):
    frames = np_frame(x.astype(np.float64), length, step, pad_end)
    if window is not None:
        frames = frames * window
    return np.fft.rfft(frames, n=n_fft)


def np_overlap_add(frames, step):
    count, length = frames.shape[-2:]
    out = np.zeros(frames.shape[:-2] + ((count - 1) * step + length,), frames.dtype)
    for i in range(count):
        out[..., i * step : i * step + length] += frames[..., i, :]
    return out


def np_dct(x, kind, ortho=False):
    """Direct sums of the DCT definitions (SciPy's conventions, which TF follows)."""
    n = x.shape[-1]
    y = np.zeros_like(x, dtype=np.float64)
    for k in range(n):
        acc = 0.0
        for j in range(n):
            if kind == 1:
                c = 1.0 if j in (0, n - 1) else 2.0
                acc = acc + c * x[..., j] * math.cos(math.pi * j * k / (n - 1))
            elif kind == 2:
                acc = acc + 2 * x[..., j] * math.cos(math.pi * k * (2 * j + 1) / (2 * n))
            elif kind == 3:
                if j == 0:
                    acc = acc + x[..., 0] * (1 / math.sqrt(n) if ortho else 1.0)
                else:
                    scale = math.sqrt(2 / n) if ortho else 2.0
                    acc = acc + scale * x[..., j] * math.cos(math.pi * j * (2 * k + 1) / (2 * n))
            else:
                acc = acc + 2 * x[..., j] * math.cos(math.pi * (2 * k + 1) * (2 * j + 1) / (4 * n))
        if ortho and kind == 2:
            acc = acc * (math.sqrt(1 / (4 * n)) if k == 0 else math.sqrt(1 / (2 * n)))
        if ortho and kind == 4:
            acc = acc * math.sqrt(1 / (2 * n))
        y[..., k] = acc
    return y


# ------------------------------------------------------------ frame / overlap_and_add


def test_frame_last_axis_matches_slicing():
    x = RNG.standard_normal((2, 3, 23)).astype(np.float32)
    for length, step in ((5, 2), (5, 5), (4, 7), (23, 1)):
        out = tf.signal.frame(x, length, step)
        np.testing.assert_array_equal(out.numpy(), np_frame(x, length, step))
        padded = tf.signal.frame(x, length, step, pad_end=True, pad_value=-3)
        np.testing.assert_array_equal(
            padded.numpy(), np_frame(x, length, step, pad_end=True, pad_value=-3.0)
        )


def test_frame_other_axis_and_short_signals():
    x = RNG.standard_normal((11, 3)).astype(np.float32)
    out = tf.signal.frame(x, 4, 3, axis=0)  # frames then frame_length, then the rest
    assert tuple(out.shape) == (3, 4, 3)
    np.testing.assert_array_equal(out.numpy(), np_frame(x.T, 4, 3).transpose(1, 2, 0))
    assert tf.signal.frame(tf.range(5), 3, 2).tolist() == [[0, 1, 2], [2, 3, 4]]
    assert tuple(tf.signal.frame(tf.ones([2, 3]), 5, 1).shape) == (2, 0, 5)
    assert tf.signal.frame(tf.range(3), 5, 2, pad_end=True).tolist() == [
        [0, 1, 2, 0, 0],
        [2, 0, 0, 0, 0],
    ]
    assert tuple(tf.signal.frame(tf.zeros([0]), 3, 2, pad_end=True).shape) == (0, 3)


def test_frame_errors():
    with pytest.raises(ValueError, match=r"frame_length` must be >= 1, got 0"):
        tf.signal.frame(tf.ones([5]), 0, 1)
    with pytest.raises(TypeError, match=r"frame_step` must be an integer, got 1.5"):
        tf.signal.frame(tf.ones([5]), 2, 1.5)
    with pytest.raises(ValueError, match=r"axis 2 is out of range for a signal of shape \(5,\)"):
        tf.signal.frame(tf.ones([5]), 2, 1, axis=2)
    with pytest.raises(ValueError, match="rank >= 1, got a scalar"):
        tf.signal.frame(tf.constant(1.0), 2, 1)


def test_overlap_and_add_matches_loop():
    frames = RNG.standard_normal((2, 6, 8))
    for step in (1, 3, 8):
        out = tf.signal.overlap_and_add(frames, step)
        np.testing.assert_allclose(out.numpy(), np_overlap_add(frames, step), atol=1e-12)
    cplx = frames + 1j * RNG.standard_normal(frames.shape)
    np.testing.assert_allclose(
        tf.signal.overlap_and_add(torch.from_numpy(cplx), 3).numpy(),
        np_overlap_add(cplx, 3),
        atol=1e-12,
    )
    ints = tf.signal.overlap_and_add(tf.ones([3, 4], dtype=tf.int32), 2)
    assert ints.dtype == tf.int32 and ints.tolist() == [1, 1, 2, 2, 2, 2, 1, 1]


def test_overlap_and_add_step_longer_than_frames():
    # TF 2.21 leaves zero gaps between frames shorter than frame_step.
    frames = torch.arange(1, 7, dtype=torch.float32).reshape(3, 2)
    assert tf.signal.overlap_and_add(frames, 3).tolist() == [1, 2, 0, 3, 4, 0, 5, 6]
    out = tf.signal.overlap_and_add(frames.reshape(1, 3, 2), 4)
    assert out.tolist() == [[1, 2, 0, 0, 3, 4, 0, 0, 5, 6]]


def test_overlap_and_add_errors():
    with pytest.raises(ValueError, match=r"`signal` must have rank >= 2, got shape \(4,\)"):
        tf.signal.overlap_and_add(tf.ones([4]), 2)


# ------------------------------------------------------------ windows


def test_windows_match_formulas():
    for n in (1, 2, 7, 16):
        for periodic in (True, False):
            np.testing.assert_allclose(
                tf.signal.hann_window(n, periodic).numpy(), np_window(n, periodic), atol=1e-6
            )
            np.testing.assert_allclose(
                tf.signal.hamming_window(n, periodic=periodic).numpy(),
                np_window(n, periodic, 0.54, 0.46),
                atol=1e-6,
            )
    assert tf.signal.hann_window(4).tolist() == [0.0, 0.5, 1.0, 0.5]
    # TF 2.21: an odd-length "periodic" window is the symmetric one.
    np.testing.assert_allclose(
        tf.signal.hann_window(7).numpy(),
        [0.0, 0.25, 0.75, 1.0, 0.7499999403953552, 0.24999982118606567, 0.0],
        rtol=1e-6,
        atol=1e-7,
    )
    np.testing.assert_allclose(
        tf.signal.hamming_window(5).numpy(),
        [0.08000001311302185, 0.5400000214576721, 1.0, 0.5400000214576721, 0.08000001311302185],
        rtol=1e-6,
    )
    assert tf.signal.hann_window(8, dtype=tf.float64).dtype == torch.float64
    np.testing.assert_allclose(
        tf.signal.kaiser_window(9, beta=5.0).numpy(), np.kaiser(9, 5.0), rtol=1e-6
    )
    n = np.arange(6)
    vorbis = np.sin(np.pi / 2 * np.sin(np.pi * (n + 0.5) / 6) ** 2)
    np.testing.assert_allclose(tf.signal.vorbis_window(6).numpy(), vorbis, atol=1e-6)


def test_window_errors():
    with pytest.raises(ValueError, match="dtype must be a floating point type, got int32"):
        tf.signal.hann_window(4, dtype=tf.int32)
    with pytest.raises(ValueError, match=r"window_length` must be >= 0, got -1"):
        tf.signal.hamming_window(-1)


# ------------------------------------------------------------ stft / inverse_stft


def test_stft_matches_tf_definition():
    x = RNG.standard_normal((3, 1000)).astype(np.float32)
    # The tutorial's call: fft_length defaults to 256, the power of 2 enclosing 255.
    out = tf.signal.stft(x, frame_length=255, frame_step=128)
    assert out.dtype == tf.complex64 and tuple(out.shape) == (3, 6, 129)
    ref = np_stft(x, 255, 128, 256, np_window(255))
    np.testing.assert_allclose(out.numpy(), ref, atol=2e-4)
    cases = [
        dict(frame_length=64, frame_step=16, fft_length=64),
        dict(frame_length=50, frame_step=20, fft_length=128, pad_end=True),
        dict(frame_length=64, frame_step=32, fft_length=32),  # crops each frame
    ]
    for kw in cases:
        got = tf.signal.stft(x, **kw)
        want = np_stft(
            x, kw["frame_length"], kw["frame_step"], kw["fft_length"],
            np_window(kw["frame_length"]), kw.get("pad_end", False),
        )  # fmt: skip
        np.testing.assert_allclose(got.numpy(), want, atol=2e-4)


def test_stft_windows_dtypes_and_tutorial_ops():
    x = RNG.standard_normal(300)
    no_window = tf.signal.stft(torch.from_numpy(x), 32, 8, window_fn=None)
    assert no_window.dtype == tf.complex128
    np.testing.assert_allclose(no_window.numpy(), np_stft(x, 32, 8, 32), atol=1e-10)
    hamming = tf.signal.stft(x.astype(np.float32), 32, 8, window_fn=tf.signal.hamming_window)
    ref = np_stft(x, 32, 8, 32, np_window(32, True, 0.54, 0.46))
    np.testing.assert_allclose(hamming.numpy(), ref, atol=1e-4)
    # The tutorial's get_spectrogram: abs of complex, a new channel axis, log.
    waveform = tf.squeeze(tf.constant(x.astype(np.float32))[:, None], axis=-1)
    spectrogram = tf.abs(tf.signal.stft(waveform, frame_length=255, frame_step=128 // 4))
    assert spectrogram.dtype == tf.float32
    image = spectrogram[..., tf.newaxis]
    assert tuple(image.shape) == (2, 129, 1)
    np.testing.assert_allclose(
        tf.math.log(image + 1e-6).numpy()[..., 0],
        np.log(np.abs(np_stft(x, 255, 32, 256, np_window(255))) + 1e-6),
        rtol=1e-3,
        atol=1e-3,
    )


def test_stft_gradient_matches_finite_differences():
    x = torch.randn(40, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda s: tf.abs(tf.signal.stft(s, 16, 8)).sum(), (x,))


def test_inverse_stft_matches_definition_and_reconstructs():
    x = RNG.standard_normal(1200).astype(np.float32)
    s = tf.signal.stft(x, 200, 50, fft_length=256)
    got = tf.signal.inverse_stft(s, 200, 50, fft_length=256)
    frames = np.fft.irfft(s.numpy().astype(np.complex128), n=256)[..., :200] * np_window(200)
    np.testing.assert_allclose(got.numpy(), np_overlap_add(frames, 50), atol=1e-4)
    inverse_window = tf.signal.inverse_stft_window_fn(50)
    y = tf.signal.inverse_stft(s, 200, 50, fft_length=256, window_fn=inverse_window)
    np.testing.assert_allclose(y.numpy()[200:-200], x[200 : len(y) - 200], atol=1e-5)
    # The window itself: forward window / sum of overlapping squared windows.
    w = np_window(8)
    denom = np.tile((w**2).reshape(4, 2).sum(0), 4)
    np.testing.assert_allclose(tf.signal.inverse_stft_window_fn(2)(8).numpy(), w / denom, rtol=1e-6)


def test_stft_errors():
    with pytest.raises(TypeError, match=r"`signals` must be a float tensor.*got int32.*tf.cast"):
        tf.signal.stft(tf.range(100), 16, 8)
    with pytest.raises(ValueError, match=r"`signals` must have rank >= 1, got shape \(\)"):
        tf.signal.stft(tf.constant(1.0), 16, 8)
    with pytest.raises(ValueError, match="frame_step` must be >= 1, got 0"):
        tf.signal.stft(tf.ones([100]), 16, 0)
    with pytest.raises(TypeError, match=r"`stfts` must be a complex tensor.*got float32"):
        tf.signal.inverse_stft(tf.ones([3, 9]), 16, 8)


# ------------------------------------------------------------ FFTs


def test_ffts_match_numpy():
    c = RNG.standard_normal((2, 3, 4, 6)) + 1j * RNG.standard_normal((2, 3, 4, 6))
    c64 = torch.from_numpy(c.astype(np.complex64))
    pairs = [
        (tf.signal.fft, np.fft.fft),
        (tf.signal.ifft, np.fft.ifft),
        (tf.signal.fft2d, np.fft.fft2),
        (tf.signal.ifft2d, np.fft.ifft2),
        (tf.signal.fft3d, lambda a: np.fft.fftn(a, axes=(-3, -2, -1))),
        (tf.signal.ifft3d, lambda a: np.fft.ifftn(a, axes=(-3, -2, -1))),
    ]
    for ours, ref in pairs:
        out = ours(c64)
        assert out.dtype == tf.complex64
        np.testing.assert_allclose(out.numpy(), ref(c), rtol=1e-4, atol=1e-4)


def test_real_ffts_match_numpy():
    r = RNG.standard_normal((2, 4, 6))
    r32 = r.astype(np.float32)
    out = tf.signal.rfft(r32)
    assert out.dtype == tf.complex64
    np.testing.assert_allclose(out.numpy(), np.fft.rfft(r), atol=1e-4)
    np.testing.assert_allclose(tf.signal.rfft(r32, [10]).numpy(), np.fft.rfft(r, 10), atol=1e-4)
    np.testing.assert_allclose(tf.signal.rfft(r32, 4).numpy(), np.fft.rfft(r, 4), atol=1e-4)
    spec = np.fft.rfft(r)
    back = tf.signal.irfft(torch.from_numpy(spec.astype(np.complex64)))
    assert back.dtype == tf.float32
    np.testing.assert_allclose(back.numpy(), r, atol=1e-5)
    np.testing.assert_allclose(
        tf.signal.irfft(torch.from_numpy(spec), tf.constant([7])).numpy(),
        np.fft.irfft(spec, 7),
        atol=1e-10,
    )
    np.testing.assert_allclose(tf.signal.rfft2d(r32).numpy(), np.fft.rfft2(r), atol=1e-4)
    np.testing.assert_allclose(
        tf.signal.irfft2d(torch.from_numpy(np.fft.rfft2(r)), [4, 6]).numpy(), r, atol=1e-10
    )
    np.testing.assert_allclose(
        tf.signal.rfft3d(r32).numpy(), np.fft.rfftn(r, axes=(0, 1, 2)), atol=1e-3
    )
    np.testing.assert_allclose(
        tf.signal.irfft3d(torch.from_numpy(np.fft.rfftn(r, axes=(0, 1, 2)))).numpy(), r, atol=1e-10
    )
    x = np.arange(10).reshape(2, 5)
    np.testing.assert_array_equal(tf.signal.fftshift(x).numpy(), np.fft.fftshift(x))
    np.testing.assert_array_equal(tf.signal.ifftshift(x, axes=1).numpy(), np.fft.ifftshift(x, 1))


def test_ffts_convert_numpy_and_lists_like_tf():
    # TF 2.21 converts non-tensor inputs with a dtype hint that casts NumPy arrays:
    # rfft* -> float32, irfft* and fft* -> complex64. Tensors keep their dtype.
    r = np.arange(8, dtype=np.float64).reshape(2, 4) / 3
    for value in (r, r.tolist(), np.arange(8).reshape(2, 4), np.arange(8, dtype=np.int32)):
        out = tf.signal.rfft(value)
        assert out.dtype == tf.complex64, value
        np.testing.assert_allclose(out.numpy(), np.fft.rfft(np.asarray(value)), atol=1e-5)
    assert tf.signal.rfft(r, fft_length=[6]).dtype == tf.complex64
    assert tf.signal.rfft2d(r).dtype == tf.complex64
    np.testing.assert_allclose(tf.signal.rfft2d(r).numpy(), np.fft.rfft2(r), atol=1e-5)
    assert tf.signal.rfft3d(r[None]).dtype == tf.complex64
    # A float64 tensor still gives complex128.
    assert tf.signal.rfft(tf.constant(r)).dtype == tf.complex128
    spec = np.fft.rfft(r)  # complex128
    back = tf.signal.irfft(spec)
    assert back.dtype == tf.float32
    np.testing.assert_allclose(back.numpy(), np.fft.irfft(spec), atol=1e-6)
    assert tf.signal.irfft2d(np.fft.rfft2(r)).dtype == tf.float32
    assert tf.signal.irfft(r).dtype == tf.float32  # TF casts real NumPy input to complex64
    out = tf.signal.fft(r)
    assert out.dtype == tf.complex64
    np.testing.assert_allclose(out.numpy(), np.fft.fft(r), atol=1e-5)
    assert tf.signal.ifft(np.fft.fft(r)).dtype == tf.complex64
    assert tf.signal.fft2d(r.tolist()).dtype == tf.complex64
    # stft has no hint in TF: a float64 NumPy signal gives complex128.
    assert tf.signal.stft(np.arange(16, dtype=np.float64), 4, 2).dtype == tf.complex128
    assert tf.signal.stft(np.arange(16, dtype=np.float32), 4, 2).dtype == tf.complex64
    # Complex data is not silently made real (TF drops the imaginary part here).
    with pytest.raises(TypeError, match=r"tf.signal.rfft: input must be float32.*got complex128"):
        tf.signal.rfft(np.array([1 + 1j, 2]))


def test_fft_errors():
    with pytest.raises(TypeError, match=r"tf.signal.fft: input must be complex64.*got float32"):
        tf.signal.fft(tf.ones([4]))
    with pytest.raises(TypeError, match=r"tf.signal.rfft: input must be float32.*got int32"):
        tf.signal.rfft(tf.range(4))
    with pytest.raises(TypeError, match=r"tf.signal.irfft: input must be complex64"):
        tf.signal.irfft(tf.ones([4]))
    with pytest.raises(ValueError, match=r"fft_length must hold 2 length\(s\).*got \[4\]"):
        tf.signal.rfft2d(tf.ones([4, 4]), [4])
    with pytest.raises(ValueError, match=r"`input` must have rank >= 2, got shape \(4,\)"):
        tf.signal.fft2d(tf.ones([4], dtype=tf.complex64))


# ------------------------------------------------------------ DCT, mel, MFCC


def test_dct_matches_definitions():
    x = RNG.standard_normal((3, 7))
    for kind in (1, 2, 3, 4):
        out = tf.signal.dct(torch.from_numpy(x), type=kind)
        np.testing.assert_allclose(out.numpy(), np_dct(x, kind), atol=1e-10)
    for kind in (2, 3, 4):
        out = tf.signal.dct(x.astype(np.float32), type=kind, norm="ortho")
        np.testing.assert_allclose(out.numpy(), np_dct(x, kind, ortho=True), atol=1e-5)
    np.testing.assert_allclose(
        tf.signal.dct(torch.from_numpy(x), n=4).numpy(), np_dct(x[:, :4], 2), atol=1e-10
    )
    padded = np.concatenate([x, np.zeros((3, 2))], 1)
    np.testing.assert_allclose(
        tf.signal.dct(torch.from_numpy(x), n=9).numpy(), np_dct(padded, 2), atol=1e-10
    )
    # idct is the inverse type, unscaled (TF): idct(dct(x)) == 2N x for type II.
    back = tf.signal.idct(tf.signal.dct(torch.from_numpy(x)))
    np.testing.assert_allclose(back.numpy(), 2 * 7 * x, atol=1e-10)
    ortho = tf.signal.idct(tf.signal.dct(torch.from_numpy(x), norm="ortho"), norm="ortho")
    np.testing.assert_allclose(ortho.numpy(), x, atol=1e-12)


def test_dct_errors():
    with pytest.raises(ValueError, match="type must be 1, 2, 3 or 4, got 5"):
        tf.signal.dct(tf.ones([4]), type=5)
    with pytest.raises(ValueError, match="norm must be None or 'ortho', got 'l2'"):
        tf.signal.dct(tf.ones([4]), norm="l2")
    with pytest.raises(ValueError, match="not supported for the type-I DCT"):
        tf.signal.dct(tf.ones([4]), type=1, norm="ortho")
    with pytest.raises(NotImplementedError, match=r"tf.signal.dct\(axis=0\)"):
        tf.signal.dct(tf.ones([4]), axis=0)
    with pytest.raises(TypeError, match="input must be float32 or float64, got int32"):
        tf.signal.dct(tf.range(4))
    with pytest.raises(ValueError, match="type-I DCT needs at least 2 samples, got 1"):
        tf.signal.dct(tf.ones([1]), type=1)
    with pytest.raises(ValueError, match="type must be 1, 2, 3 or 4, got 0"):
        tf.signal.idct(tf.ones([4]), type=0)


def _mel(f):
    return 2595.0 * math.log10(1.0 + f / 700.0)


def _triangle(bin_index, band, num_bins, num_mel, rate, lo, hi):
    """One weight by hand: triangle of band `band` evaluated at spectrogram bin `bin_index`."""
    if bin_index == 0:
        return 0.0
    freq = bin_index * (rate / 2) / (num_bins - 1)
    edges = [_mel(lo) + i * (_mel(hi) - _mel(lo)) / (num_mel + 1) for i in range(num_mel + 2)]
    left, center, right = edges[band], edges[band + 1], edges[band + 2]
    m = _mel(freq)
    return max(0.0, min((m - left) / (center - left), (right - m) / (right - center)))


def test_linear_to_mel_weight_matrix_points():
    matrix = tf.signal.linear_to_mel_weight_matrix().numpy()  # 20 bands, 129 bins, 8 kHz
    assert matrix.shape == (129, 20) and matrix.dtype == np.float32
    assert not matrix[0].any()  # the DC bin carries no weight
    for b, m in ((5, 0), (10, 2), (40, 9), (64, 12), (100, 17), (118, 19), (128, 19), (7, 3)):
        assert matrix[b, m] == pytest.approx(_triangle(b, m, 129, 20, 8000, 125.0, 3800.0), 1e-5)
    assert matrix.max() <= 1.0 and (matrix >= 0).all()
    big = tf.signal.linear_to_mel_weight_matrix(80, 513, 16000, 80.0, 7600.0, dtype=tf.float64)
    assert tuple(big.shape) == (513, 80) and big.dtype == torch.float64
    for b, m in ((3, 0), (200, 50), (480, 79)):
        want = _triangle(b, m, 513, 80, 16000, 80.0, 7600.0)
        assert big[b, m].item() == pytest.approx(want, abs=1e-9)


def test_linear_to_mel_weight_matrix_errors():
    fn = tf.signal.linear_to_mel_weight_matrix
    with pytest.raises(ValueError, match="num_mel_bins` must be >= 1, got 0"):
        fn(num_mel_bins=0)
    with pytest.raises(ValueError, match="sample_rate must be positive, got 0.0"):
        fn(sample_rate=0)
    with pytest.raises(ValueError, match="lower_edge_hertz must be non-negative, got -1.0"):
        fn(lower_edge_hertz=-1.0)
    with pytest.raises(ValueError, match=r"lower_edge_hertz \(500.0\) must be below"):
        fn(lower_edge_hertz=500.0, upper_edge_hertz=400.0)
    with pytest.raises(ValueError, match=r"must not be above the Nyquist frequency .*\(4000.0\)"):
        fn(upper_edge_hertz=5000.0)
    with pytest.raises(ValueError, match="dtype must be a floating point type, got int32"):
        fn(dtype=tf.int32)


def test_mfccs_from_log_mel_spectrograms():
    x = RNG.standard_normal((2, 5, 13))
    out = tf.signal.mfccs_from_log_mel_spectrograms(torch.from_numpy(x))
    np.testing.assert_allclose(out.numpy(), np_dct(x, 2) / math.sqrt(2 * 13), atol=1e-10)
    with pytest.raises(ValueError, match=r"num_mel_bins \(the last dimension\) must be positive"):
        tf.signal.mfccs_from_log_mel_spectrograms(tf.ones([3, 0]))


def test_missing_name_raises_not_implemented():
    with pytest.raises(NotImplementedError, match="tf.signal.mdct"):
        tf.signal.mdct  # noqa: B018

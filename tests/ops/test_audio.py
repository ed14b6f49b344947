"""tf.audio WAV codecs, checked against files written and read by Python's `wave` module."""

import io
import wave

import numpy as np
import pytest

import tork as tf

RNG = np.random.default_rng(3)


def _wav(samples: np.ndarray, rate: int = 16000, width: int = 2) -> bytes:
    """A WAV file written independently of tork. `samples`: (frames, channels) ints."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(samples.shape[1])
        writer.setsampwidth(width)
        writer.setframerate(rate)
        dtype = {1: "u1", 2: "<i2", 4: "<i4"}[width]
        writer.writeframes(samples.astype(dtype).tobytes())
    return buffer.getvalue()


def _parse(data: bytes):
    with wave.open(io.BytesIO(data), "rb") as reader:
        params = reader.getnchannels(), reader.getsampwidth(), reader.getframerate()
        frames = np.frombuffer(reader.readframes(reader.getnframes()), "<i2")
    return params, frames.reshape(-1, params[0])


class _StringScalar:
    def __init__(self, value: bytes):
        self.value = value

    def numpy(self):
        return self.value


def test_decode_scales_int16_to_unit_range():
    pcm = np.array([[0, -32768], [32767, 16384], [-1, 1]])
    audio, rate = tf.audio.decode_wav(_wav(pcm, rate=22050))
    assert audio.dtype == tf.float32 and tuple(audio.shape) == (3, 2)
    np.testing.assert_array_equal(audio.numpy(), pcm / 32768.0)
    assert rate.dtype == tf.int32 and rate.dim() == 0 and int(rate) == 22050
    result = tf.audio.decode_wav(_wav(pcm))
    assert result.audio is not None and int(result.sample_rate) == 16000


def test_decode_desired_channels_and_samples():
    stereo = RNG.integers(-32768, 32768, (10, 2))
    data = _wav(stereo)
    first, _ = tf.audio.decode_wav(data, desired_channels=1)
    np.testing.assert_array_equal(first.numpy(), stereo[:, :1] / 32768.0)
    # Fewer channels than asked: the last channel is repeated.
    four, _ = tf.audio.decode_wav(data, desired_channels=4)
    want = np.concatenate([stereo, stereo[:, 1:], stereo[:, 1:]], 1) / 32768.0
    np.testing.assert_array_equal(four.numpy(), want)
    cropped, _ = tf.audio.decode_wav(data, desired_samples=4)
    np.testing.assert_array_equal(cropped.numpy(), stereo[:4] / 32768.0)
    padded, _ = tf.audio.decode_wav(data, desired_channels=1, desired_samples=16)
    assert tuple(padded.shape) == (16, 1)
    np.testing.assert_array_equal(padded.numpy()[:10, 0], stereo[:, 0] / 32768.0)
    assert not padded.numpy()[10:].any()


def test_decode_accepts_tensors_and_files(tmp_path):
    pcm = RNG.integers(-32768, 32768, (50, 1))
    data = _wav(pcm, rate=8000)
    path = tmp_path / "clip.wav"
    path.write_bytes(data)
    for contents in (tf.io.read_file(str(path)), _StringScalar(data), tf.constant(data)):
        audio, rate = tf.audio.decode_wav(contents, desired_channels=1, desired_samples=50)
        np.testing.assert_array_equal(audio.numpy(), pcm / 32768.0)
        assert int(rate) == 8000
    # The tutorial squeezes the channel axis away.
    audio, _ = tf.audio.decode_wav(data, desired_channels=1)
    assert tuple(tf.squeeze(audio, axis=-1).shape) == (50,)


def test_encode_writes_16_bit_pcm():
    audio = np.array(
        [[0.0, 1.0], [-1.0, 0.5], [2.0, -3.0], [1.5 / 32768, -1.5 / 32768], [0.25, -0.25]],
        dtype=np.float32,
    )
    data = tf.audio.encode_wav(audio, 44100)
    assert isinstance(data, bytes)
    (channels, width, rate), frames = _parse(data)
    assert (channels, width, rate) == (2, 2, 44100)
    # x * 32768, rounded half away from zero, clamped to int16 (values beyond [-1, 1] clamp).
    want = [[0, 32767], [-32768, 16384], [32767, -32768], [2, -2], [8192, -8192]]
    np.testing.assert_array_equal(frames, want)
    (channels, _, rate), _ = _parse(tf.audio.encode_wav(tf.zeros([3, 1]), tf.constant(8000)))
    assert (channels, rate) == (1, 8000)


def test_round_trip_is_exact():
    pcm = RNG.integers(-32768, 32768, (1000, 2)).astype(np.int16)
    pcm[:2] = [[-32768, 32767], [0, -1]]
    original = _wav(pcm, rate=16000)
    audio, rate = tf.audio.decode_wav(original)
    again = tf.audio.encode_wav(audio, rate)
    assert again == original
    _, frames = _parse(again)
    np.testing.assert_array_equal(frames, pcm)


def test_decode_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="not a readable PCM WAV file"):
        tf.audio.decode_wav(b"definitely not a wav file")
    eight_bit = _wav(np.full((4, 1), 128), width=1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="only read 16-bit.*got 8-bit"):
        tf.audio.decode_wav(eight_bit)
    with pytest.raises(ValueError, match="desired_channels must be positive or -1"):
        tf.audio.decode_wav(_wav(np.zeros((4, 1))), desired_channels=0)
    with pytest.raises(TypeError, match="`desired_samples` must be an integer, got 2.5"):
        tf.audio.decode_wav(_wav(np.zeros((4, 1))), desired_samples=2.5)
    with pytest.raises(TypeError, match="`contents` must be a scalar string"):
        tf.audio.decode_wav(123)


def test_encode_errors():
    with pytest.raises(ValueError, match=r"must be 2-D \(samples, channels\), got shape \(5,\)"):
        tf.audio.encode_wav(tf.zeros([5]), 16000)
    with pytest.raises(TypeError, match="must be a float tensor.*got int32"):
        tf.audio.encode_wav(tf.zeros([5, 1], dtype=tf.int32), 16000)
    with pytest.raises(ValueError, match="sample_rate must be positive, got 0"):
        tf.audio.encode_wav(tf.zeros([5, 1]), 0)
    with pytest.raises(TypeError, match="`sample_rate` must be an integer"):
        tf.audio.encode_wav(tf.zeros([5, 1]), 16000.0)
    with pytest.raises(ValueError, match="at least one channel"):
        tf.audio.encode_wav(tf.zeros([5, 0]), 16000)


def test_missing_name_raises_not_implemented():
    with pytest.raises(NotImplementedError, match="tf.audio.decode_mp3"):
        tf.audio.decode_mp3  # noqa: B018

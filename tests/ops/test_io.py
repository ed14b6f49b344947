"""tf.io file and image codec ops, checked against Pillow and exact round trips."""

import io

import numpy as np
import pytest
import torch
from PIL import Image

import tork as tf

RNG = np.random.default_rng(1)


def _pixels(shape, dtype=np.uint8, high=256):
    return RNG.integers(0, high, shape).astype(dtype)


class _StringScalar:
    """Stands in for a scalar string tensor: `.numpy()` returns bytes."""

    def __init__(self, value: bytes):
        self.value = value

    def numpy(self):
        return self.value


def test_read_and_write_file(tmp_path):
    path = tmp_path / "sub" / "dir" / "data.bin"
    tf.io.write_file(str(path), b"\x00\x01hello")  # creates missing directories
    assert tf.io.read_file(str(path)) == b"\x00\x01hello"
    assert tf.io.read_file(path) == b"\x00\x01hello"
    assert tf.io.read_file(_StringScalar(str(path).encode())) == b"\x00\x01hello"
    tf.io.write_file(_StringScalar(str(path).encode()), "text")
    assert path.read_bytes() == b"text"
    with pytest.raises(tf.errors.NotFoundError, match="No such file"):
        tf.io.read_file(str(tmp_path / "missing"))
    with pytest.raises(TypeError, match="must be a scalar string"):
        tf.io.write_file(str(path), 3)


@pytest.mark.parametrize("channels", [1, 2, 3, 4])
def test_png_round_trip_is_exact(channels):
    array = _pixels((5, 7, channels))
    data = tf.io.encode_png(torch.from_numpy(array))
    assert data.numpy().startswith(b"\x89PNG")
    decoded = tf.io.decode_png(data)
    assert decoded.dtype == torch.uint8
    np.testing.assert_array_equal(decoded.numpy(), array)
    np.testing.assert_array_equal(tf.io.decode_image(data).numpy(), array)


def test_png_uint16():
    array = _pixels((4, 3, 1), np.uint16, 65536)
    data = tf.io.encode_png(torch.from_numpy(array))
    np.testing.assert_array_equal(tf.io.decode_png(data, dtype=torch.uint16).numpy(), array)
    eight = tf.io.encode_png(torch.tensor([[[1], [255]]], dtype=torch.uint8))
    np.testing.assert_array_equal(
        tf.io.decode_png(eight, dtype=torch.uint16).numpy()[..., 0], [[257, 65535]]
    )


def test_decode_png_channel_conversion_matches_libpng():
    array = _pixels((4, 4, 3))
    data = tf.io.encode_png(torch.from_numpy(array))
    # TF decodes through libpng, whose gray weights are not Pillow's (convert("L")).
    wide = array.astype(np.int64)
    gray = (wide[..., 0] * 9797 + wide[..., 1] * 19234 + wide[..., 2] * 3737) >> 15
    np.testing.assert_array_equal(tf.io.decode_png(data, channels=1).numpy()[..., 0], gray)
    rgba = tf.io.decode_png(data, channels=4).numpy()
    np.testing.assert_array_equal(rgba[..., :3], array)
    assert (rgba[..., 3] == 255).all()


def test_jpeg_encode_decode_matches_pillow():
    array = _pixels((16, 16, 3))
    data = tf.io.encode_jpeg(torch.from_numpy(array), quality=90)
    assert bool(tf.io.is_jpeg(data)) and not bool(tf.io.is_jpeg(b"\x89PNG"))
    expected = np.asarray(Image.open(io.BytesIO(data.numpy())).convert("RGB"))
    decoded = tf.io.decode_jpeg(data)
    assert decoded.dtype == torch.uint8 and decoded.shape == (16, 16, 3)
    np.testing.assert_array_equal(decoded.numpy(), expected)
    ramp = np.broadcast_to(np.arange(0, 256, 16, dtype=np.uint8)[None, :, None], (16, 16, 3))
    lossy = tf.io.decode_jpeg(tf.io.encode_jpeg(torch.from_numpy(ramp.copy())))
    assert np.abs(lossy.numpy().astype(int) - ramp).max() <= 4  # lossy but close
    assert tf.io.decode_jpeg(data, channels=1).shape == (16, 16, 1)
    assert tf.io.decode_jpeg(data, ratio=2).shape == (8, 8, 3)
    smooth = np.full((8, 8, 1), 100, np.uint8)
    gray = tf.io.decode_jpeg(tf.io.encode_jpeg(torch.from_numpy(smooth)))
    assert gray.shape == (8, 8, 1) and np.abs(gray.numpy().astype(int) - 100).max() <= 1


def test_decode_image_formats_and_dtype():
    array = _pixels((3, 4, 3))
    for fmt in ["BMP", "GIF"]:
        buffer = io.BytesIO()
        Image.fromarray(array).save(buffer, fmt)
        data = buffer.getvalue()
        expected = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
        out = tf.io.decode_image(data)
        if fmt == "GIF":
            assert out.shape == (1, 3, 4, 3)
            assert tf.io.decode_image(data, expand_animations=False).shape == (3, 4, 3)
            np.testing.assert_array_equal(tf.io.decode_gif(data).numpy()[0], expected)
        else:
            np.testing.assert_array_equal(out.numpy(), expected)
            np.testing.assert_array_equal(tf.io.decode_bmp(data).numpy(), expected)
    png = tf.io.encode_png(torch.from_numpy(array))
    as_float = tf.io.decode_image(png, dtype=tf.float32)
    assert as_float.dtype == torch.float32
    np.testing.assert_allclose(as_float.numpy(), array / 255.0, atol=1e-6)
    assert tf.image.decode_png is tf.io.decode_png


def test_animated_gif_frames():
    frames = [Image.fromarray(np.full((2, 3, 3), v, np.uint8)) for v in (0, 255)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    out = tf.io.decode_gif(buffer.getvalue())
    assert out.shape == (2, 2, 3, 3)
    assert int(out[0].max()) == 0 and int(out[1].min()) == 255


def test_io_errors():
    png = tf.io.encode_png(torch.zeros((2, 2, 3), dtype=torch.uint8))
    with pytest.raises(ValueError, match="channels must be one of 0, 1, 3, 4"):
        tf.io.decode_png(png, channels=2)
    with pytest.raises(ValueError, match="channels must be one of 0, 1, 3"):
        tf.io.decode_jpeg(b"", channels=4)
    with pytest.raises(ValueError, match="dtype must be tf.uint8 or tf.uint16"):
        tf.io.decode_png(png, dtype=tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="unknown image file format"):
        tf.io.decode_image(b"not an image")
    with pytest.raises(tf.errors.InvalidArgumentError, match="could not decode"):
        tf.io.decode_png(b"\x89PNG\r\n\x1a\ngarbage")
    with pytest.raises(TypeError, match="expects a uint8 image"):
        tf.io.encode_jpeg(torch.zeros((2, 2, 3)))
    with pytest.raises(ValueError, match="3-D image"):
        tf.io.encode_png(torch.zeros((2, 2), dtype=torch.uint8))
    with pytest.raises(ValueError, match="must have 1, 3 channels"):
        tf.io.encode_jpeg(torch.zeros((2, 2, 4), dtype=torch.uint8))
    with pytest.raises(ValueError, match="compression must be in \\[-1, 9\\]"):
        tf.io.encode_png(torch.zeros((2, 2, 3), dtype=torch.uint8), compression=10)
    with pytest.raises(ValueError, match="ratio must be 1, 2, 4 or 8"):
        tf.io.decode_jpeg(b"", ratio=3)
    # tf.io.serialize_tensor exists now: see test_sweep_geronb_serialize_tensor.py.


def test_decode_png_channel_and_depth_conversions_as_tf():
    # The first samples TF 2.21 decodes from these (lossless) PNGs, and libpng's rules:
    # colour -> gray (9797 R + 19234 G + 3737 B) >> 15, gray -> colour copied, 16 -> 8
    # bits the high byte, 8 -> 16 bits x257.
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, (5, 7, 3)).astype(np.uint8)
    rgba = rng.integers(0, 256, (5, 7, 4)).astype(np.uint8)
    g16 = rng.integers(0, 65536, (4, 5, 1)).astype(np.uint16)
    png = {name: tf.io.encode_png(a) for name, a in [("rgb", rgb), ("rgba", rgba), ("g16", g16)]}

    def decode(name, channels, dtype):
        return np.asarray(tf.io.decode_png(png[name], channels=channels, dtype=dtype))

    wide = rgb.astype(np.int64)
    gray = (wide[..., 0] * 9797 + wide[..., 1] * 19234 + wide[..., 2] * 3737) >> 15
    np.testing.assert_array_equal(decode("rgb", 1, tf.uint8)[..., 0], gray)
    assert decode("rgb", 1, tf.uint8).reshape(-1)[:6].tolist() == [175, 67, 13, 186, 157, 165]
    assert decode("rgba", 1, tf.uint16).reshape(-1)[:6].tolist() == [
        20560, 29555, 49087, 34438, 47802, 30069
    ]  # fmt: skip
    assert decode("g16", 0, tf.uint8).reshape(-1)[:6].tolist() == [247, 36, 143, 194, 66, 69]
    np.testing.assert_array_equal(decode("g16", 0, tf.uint8), g16 >> 8)
    assert decode("g16", 3, tf.uint8).reshape(-1)[:6].tolist() == [247, 247, 247, 36, 36, 36]
    assert decode("g16", 4, tf.uint16).reshape(-1)[:6].tolist() == [
        63311, 63311, 63311, 65535, 9244, 9244
    ]  # fmt: skip
    image = tf.io.decode_image(png["rgba"], channels=1, expand_animations=False)
    assert np.asarray(image).dtype == np.uint8 and tuple(image.shape) == (5, 7, 1)

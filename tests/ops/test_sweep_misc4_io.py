"""tf.io.read_file / encode_jpeg / encode_png return scalar tf.string tensors, as in TF 2.21."""

import numpy as np
import torch

import tork as tf


def _image():
    return torch.arange(4 * 5 * 3, dtype=torch.uint8).reshape(4, 5, 3)


def test_encoders_return_scalar_string_tensors():
    png = tf.io.encode_png(_image())
    jpeg = tf.io.encode_jpeg(_image())
    for t in (png, jpeg):
        assert t.dtype == tf.string
        assert tuple(t.shape) == ()
        assert isinstance(t.numpy(), bytes)
    assert png.numpy()[:8] == b"\x89PNG\r\n\x1a\n"
    assert jpeg.numpy()[:3] == b"\xff\xd8\xff"


def test_read_file_returns_string_tensor_and_round_trips(tmp_path):
    png = tf.io.encode_png(_image())
    # write_file takes the tensor or its bytes.
    tf.io.write_file(str(tmp_path / "a.png"), png)
    tf.io.write_file(str(tmp_path / "b.png"), png.numpy())
    a = tf.io.read_file(str(tmp_path / "a.png"))
    assert a.dtype == tf.string and tuple(a.shape) == ()
    assert a.numpy() == png.numpy()
    assert tf.io.read_file(tf.constant(str(tmp_path / "b.png"))).numpy() == png.numpy()
    assert (tmp_path / "a.png").read_bytes() == png.numpy()


def test_string_tensor_contents_feed_decoders_and_string_ops(tmp_path):
    img = _image()
    png = tf.io.encode_png(img)
    tf.io.write_file(str(tmp_path / "x.png"), png)
    contents = tf.io.read_file(str(tmp_path / "x.png"))
    np.testing.assert_array_equal(tf.io.decode_png(contents).numpy(), img.numpy())
    np.testing.assert_array_equal(tf.io.decode_image(contents).numpy(), img.numpy())
    np.testing.assert_array_equal(tf.image.decode_png(png, channels=3).numpy(), img.numpy())
    jpeg = tf.io.encode_jpeg(img)
    assert tuple(tf.io.decode_jpeg(jpeg).shape) == (4, 5, 3)
    assert tuple(tf.image.decode_image(jpeg, channels=3).shape) == (4, 5, 3)
    assert bool(tf.io.is_jpeg(jpeg)) and not bool(tf.io.is_jpeg(png))
    assert int(tf.strings.length(png)) == len(png.numpy())
    assert tf.io.decode_raw(png, tf.uint8)[:4].tolist() == [137, 80, 78, 71]
    ds = tf.data.Dataset.from_tensor_slices([str(tmp_path / "x.png")])
    shapes = [tuple(x.shape) for x in ds.map(lambda f: tf.io.decode_png(tf.io.read_file(f)))]
    assert shapes == [(4, 5, 3)]


def test_summary_image_encodes_png_bytes(monkeypatch):
    from tork.ops import summary

    captured = {}
    monkeypatch.setattr(summary, "_active_writer", lambda step: ("w", 0))
    monkeypatch.setattr(summary, "_tensor_proto", lambda arr: captured.setdefault("arr", arr))
    monkeypatch.setattr(summary, "_metadata", lambda *a: None)
    monkeypatch.setattr(summary, "_emit", lambda *a: True)
    assert tf.summary.image("img", tf.zeros((1, 2, 2, 3)), step=0)
    encoded = captured["arr"]
    assert isinstance(encoded[2], bytes) and encoded[2][:4] == b"\x89PNG"

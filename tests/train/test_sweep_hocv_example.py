"""tf.train.BytesList takes scalar string tensors (hocv sweep).

The TFRecord tutorial's `_bytes_feature` unwraps only values of type
`type(tf.constant(0))`, which in tork is torch.Tensor, so the string tensors that
tf.io.serialize_tensor / tf.io.encode_png return reach BytesList unchanged. Expected
bytes were printed by TF 2.21.
"""

import pytest

import tork as tf


def _bytes_feature(value):
    # Verbatim from the TFRecord tutorial (and Hands-On Computer Vision, ch. 7).
    if isinstance(value, type(tf.constant(0))):
        value = value.numpy()
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=[value]))


def test_bytes_list_accepts_scalar_string_tensors():
    serialized = tf.io.serialize_tensor(tf.constant([1, 2], tf.int32))
    assert tf.train.BytesList(value=[serialized]).value == [
        b'\x08\x03\x12\x04\x12\x02\x08\x02"\x08\x01\x00\x00\x00\x02\x00\x00\x00'
    ]
    assert tf.train.BytesList(value=[tf.constant("h\u00e9llo")]).value == [b"h\xc3\xa9llo"]


def test_tutorial_bytes_feature_round_trips():
    features = tf.train.Features(
        feature={
            "t": _bytes_feature(tf.io.serialize_tensor(tf.constant([1, 2], tf.int32))),
            "s": _bytes_feature(tf.constant("h\u00e9llo")),
        }
    )
    data = tf.train.Example(features=features).SerializeToString()
    # (protobuf leaves the order of map entries open, so compare the parsed values)
    spec = {"s": tf.io.FixedLenFeature([], tf.string), "t": tf.io.FixedLenFeature([], tf.string)}
    parsed = tf.io.parse_single_example(data, spec)
    assert parsed["s"].numpy() == b"h\xc3\xa9llo"
    assert tf.io.parse_tensor(parsed["t"], tf.int32).numpy().tolist() == [1, 2]


def test_bytes_list_still_rejects_numbers():
    with pytest.raises(TypeError, match="every value must be bytes"):
        tf.train.BytesList(value=[tf.constant(3)])

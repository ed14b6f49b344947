"""`tf.strings.unicode_script` against TF 2.21 (ICU script codes)."""

import numpy as np
import pytest

import tork as tf
from tork._backend.errors import InvalidArgumentError


def test_named_code_points_as_tf():
    assert tf.strings.unicode_script([1, 0x0410, 0x4E2D, 65]).tolist() == [0, 8, 17, 25]
    points = [0x05D0, 0x0627, 0x0915, 0x0E01, 0x3042, 0x30A2, 0xAC00, 0x1F600, 0x0301, 0x10400]
    # Hebrew, Arabic, Devanagari, Thai, Hiragana, Katakana, Hangul, Common, Inherited, Deseret
    assert tf.strings.unicode_script(points).tolist() == [19, 2, 10, 38, 20, 22, 18, 0, 1, 9]
    # Not code points: -1; unassigned and private use: 103 (Unknown).
    assert tf.strings.unicode_script([-1, 0x110000, 0x10FFFF, 0xE000, 0x378]).tolist() == [
        -1,
        -1,
        103,
        103,
        103,
    ]


def test_every_code_point_matches_tf_checksum():
    points = np.arange(-5, 0x110005, dtype=np.int32)
    codes = np.asarray(tf.strings.unicode_script(points)).astype(np.int64)
    assert int(codes.sum()) == 104480852
    assert int((codes * (np.arange(points.size) % 997 + 1)).sum()) == 52117252014


def test_shapes_ragged_and_dtype():
    out = tf.strings.unicode_script(tf.constant([[65, 0x3042]]))
    assert out.shape == (1, 2) and out.dtype == tf.int32
    assert int(tf.strings.unicode_script(tf.constant(65))) == 25
    decoded = tf.strings.unicode_decode(tf.constant(["aЖ", "中"]), "UTF-8")
    assert tf.strings.unicode_script(decoded).to_list() == [[25, 8], [17]]
    with pytest.raises(InvalidArgumentError, match="expected an int32 tensor of code points"):
        tf.strings.unicode_script(tf.constant([65], tf.int64))

"""tf.strings differences found by differential fuzzing, round 4 (helper fuzzops4).

Expected values printed by TF 2.21 (CPU) for the same calls (/tmp/fuzzops4/p4/probe6.py).
"""

import numpy as np
import pytest

import tork as tf


@pytest.mark.parametrize(
    "text, pos, length, expected",
    [
        ("héllo", 0, -1, "héllo".encode()),
        ("héllo", 1, -3, b"\xc3\xa9llo"),
        ("héllo", -2, -1, b"lo"),
        ("héllo", 2, -1, b"\xa9llo"),
        ("ab", -1, -1, b"b"),
        ("ab", 1, 10, b"b"),
    ],
)
def test_substr_bytes_with_a_negative_len_runs_to_the_end(text, pos, length, expected):
    # TF: a negative len is "to the end" for unit BYTE (tork gave b'')
    assert tf.strings.substr(text, pos, length).numpy() == expected


def test_substr_utf8_with_a_negative_len():
    # TF: UTF8_CHAR with pos >= 0 and a negative len gives b''; a negative pos with a
    # negative len raises InvalidArgumentError ("pos -2 out of range")
    assert tf.strings.substr("héllo", 1, -1, unit="UTF8_CHAR").numpy() == b""
    assert tf.strings.substr("héllo", -2, 1, unit="UTF8_CHAR").numpy() == b"l"
    with pytest.raises(tf.errors.InvalidArgumentError, match="out of range"):
        tf.strings.substr("héllo", -2, -1, unit="UTF8_CHAR")


def test_substr_vector_arguments():
    # TF: substr(["héllo", "ab"], [1, -1], [-1, 5]) -> [b'\xc3\xa9llo', b'b']
    out = tf.strings.substr(["héllo", "ab"], [1, -1], [-1, 5]).numpy()
    np.testing.assert_array_equal(out, np.array([b"\xc3\xa9llo", b"b"], dtype=object))


def test_substr_pos_out_of_range_raises_invalid_argument():
    with pytest.raises(tf.errors.InvalidArgumentError, match="out of range"):
        tf.strings.substr("héllo", 7, 1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="out of range"):
        tf.strings.substr("héllo", 6, 1, unit="UTF8_CHAR")


def test_ngrams_padding_width_needs_pad_values():
    # TF: ValueError "pad_values must be provided if padding_width is set."
    with pytest.raises(ValueError, match="pad_values must be provided"):
        tf.strings.ngrams(["a", "b", "c"], 2, padding_width=1)

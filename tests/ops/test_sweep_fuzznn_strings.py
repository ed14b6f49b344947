"""tf.strings differences found by differential fuzzing against TensorFlow (helper fuzznn).

Reference values come from TensorFlow 2.21 (CPU), printed by the fuzzing session's
/tmp/fuzznn/ref_numbers.py; each is quoted next to its assertion.
"""

import pytest

import tork as tf
from tork._backend.errors import InvalidArgumentError


def test_whitespace_split_adds_empty_rest_after_maxsplit_splits():
    # TF: [[b'hello', b''], [b'a', b'b'], [b'42', b''], [b'a', b'b c']]
    out = tf.strings.split(["hello", "a b", " 42 ", "a b c"], maxsplit=1).to_list()
    assert out == [[b"hello", b""], [b"a", b"b"], [b"42", b""], [b"a", b"b c"]]
    # TF: [[b'a', b'b', b''], [b'a', b'b', b'c']]
    out = tf.strings.split(["a b", "a  b c"], maxsplit=2).to_list()
    assert out == [[b"a", b"b", b""], [b"a", b"b", b"c"]]
    # An explicit separator is Python's rule in TF too.
    assert tf.strings.split(["hello"], sep=" ", maxsplit=1).to_list() == [[b"hello"]]


def test_as_string_fill_is_a_printf_flag():
    # TF: [b' 7', b'-3'] and [b'+7', b'-3'] (no width needed).
    assert tf.strings.as_string([7, -3], fill=" ").numpy().tolist() == [b" 7", b"-3"]
    assert tf.strings.as_string([7, -3], fill="+").numpy().tolist() == [b"+7", b"-3"]
    # TF: [b'3.5   '] (left-justified) and [b'  +3.50'].
    out = tf.strings.as_string([3.5], width=6, fill="-", precision=1)
    assert out.numpy().tolist() == [b"3.5   "]
    out = tf.strings.as_string([3.5], width=7, fill="+", precision=2)
    assert out.numpy().tolist() == [b"  +3.50"]


def test_as_string_bad_fill_raises():
    # TF: InvalidArgumentError "Fill argument not supported: "x"".
    with pytest.raises(InvalidArgumentError, match="fill argument not supported: 'x'"):
        tf.strings.as_string([1.0], fill="x")
    with pytest.raises(InvalidArgumentError, match="fill must be one or fewer characters"):
        tf.strings.as_string([1.0], fill="00")


def test_ragged_reduce_join_and_segment_join_skip_leading_empty_strings():
    # TF's segment join adds the separator only after a non-empty partial result, and the
    # ragged reduce_join is built on it (tork joined with str.join: b"|a b").
    rt = tf.ragged.constant([["", "a b"], ["x", "", "y"], ["", ""], ["a", ""]])
    out = tf.strings.reduce_join(rt, axis=-1, separator="|")
    # TF: [b'a b', b'x||y', b'', b'a|']
    assert out.numpy().tolist() == [b"a b", b"x||y", b"", b"a|"]
    out = tf.strings.reduce_join(
        tf.ragged.constant([["", "a"], ["", "b"], [""]]), axis=0, separator="|"
    )
    assert out.numpy().tolist() == [b"", b"a|b"]  # TF
    out = tf.strings.unsorted_segment_join(
        ["", "a", "", "b", "c"], [0, 0, 1, 1, 1], 2, separator="|"
    )
    assert out.numpy().tolist() == [b"a", b"b|c"]  # TF
    # A dense reduce_join joins plainly, in TF too.
    assert tf.strings.reduce_join([["", "a"]], axis=-1, separator="|").numpy().tolist() == [b"|a"]


def test_utf8_length_of_invalid_bytes():
    # TF counts the bytes that are not continuation bytes (tork raised UnicodeDecodeError).
    data = [b"\x80a", b"\xe6\x97", b"\xe6\x97a", b"\xff\xfeabc", b"\xc3", b"\x80\x80"]
    out = tf.strings.length(data, unit="UTF8_CHAR")
    assert out.numpy().tolist() == [1, 1, 2, 5, 1, 0]  # TF


def test_as_string_refuses_float_options_on_ints_and_two_notations():
    # TF: "precision not supported for datatype int32", "Cannot select both scientific and
    # shortest notation".
    with pytest.raises(InvalidArgumentError, match="precision not supported for datatype int32"):
        tf.strings.as_string([1, 2], precision=2)
    with pytest.raises(InvalidArgumentError, match="scientific not supported for datatype bool"):
        tf.strings.as_string([True], scientific=True)
    with pytest.raises(InvalidArgumentError, match="both scientific and shortest"):
        tf.strings.as_string([1.0], scientific=True, shortest=True)

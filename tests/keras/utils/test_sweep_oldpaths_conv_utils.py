"""`keras.utils.conv_utils` (Keras 2 custom conv layers import it).

Expected values come from `tf_keras.src.utils.conv_utils` (tf_keras 2.21) in the reference
env, called with the same arguments.
"""

import pytest

from tork.keras.utils import conv_utils


def test_conv_output_length_matches_tf_keras():
    got = [
        conv_utils.conv_output_length(10, 3, padding, 2, dilation)
        for padding in ("same", "valid", "full", "causal")
        for dilation in (1, 2)
    ]
    assert got == [5, 5, 4, 3, 6, 7, 5, 5]
    assert conv_utils.conv_output_length(None, 3, "same", 1) is None


def test_conv_input_and_deconv_output_length_match_tf_keras():
    assert [conv_utils.conv_input_length(5, 3, p, 2) for p in ("same", "valid", "full")] == [
        9,
        11,
        7,
    ]
    got = [
        conv_utils.deconv_output_length(5, 3, padding, output_padding, 2, dilation)
        for padding in ("same", "valid", "full")
        for output_padding in (None, 1)
        for dilation in (1, 2)
    ]
    assert got == [10, 10, 10, 10, 11, 13, 12, 14, 7, 5, 8, 6]


def test_normalizers_match_tf_keras():
    assert conv_utils.normalize_tuple(3, 2, "kernel_size") == (3, 3)
    assert conv_utils.normalize_tuple([1, 2], 2, "kernel_size") == (1, 2)
    assert conv_utils.normalize_tuple(0, 2, "padding", allow_zero=True) == (0, 0)
    assert conv_utils.normalize_data_format("Channels_Last") == "channels_last"
    assert conv_utils.normalize_data_format(None) == "channels_last"
    assert conv_utils.normalize_padding("SAME") == "same"


def test_bad_arguments_raise_the_tf_keras_messages():
    with pytest.raises(ValueError, match=r"`kernel_size` argument must be a tuple of 2 integers"):
        conv_utils.normalize_tuple((1, 2, 3), 2, "kernel_size")
    with pytest.raises(ValueError, match=r"`strides` argument .* Received: 0 including \{0\}"):
        conv_utils.normalize_tuple(0, 2, "strides")
    with pytest.raises(ValueError, match=r"`x` argument must be a tuple of 2 integers"):
        conv_utils.normalize_tuple(None, 2, "x")
    with pytest.raises(ValueError, match=r"`data_format` argument must be one of"):
        conv_utils.normalize_data_format("nhwc")
    with pytest.raises(ValueError, match=r"`padding` argument must be .*Received: zero"):
        conv_utils.normalize_padding("zero")
    with pytest.raises(ValueError, match=r"conv_output_length: padding must be"):
        conv_utils.conv_output_length(10, 3, "reflect", 1)


def test_old_paths_reach_conv_utils():
    from tork.python.keras.utils import conv_utils as python_keras

    from tork.keras.utils import conv_utils as modern

    assert python_keras is modern is conv_utils

"""`_obtain_input_shape` with Keras 2.0's `include_top=` keyword and `require_flatten=None`.

titu1994/DenseNet (densenet.py) calls `_obtain_input_shape(input_shape, default_size=32,
min_size=8, data_format=K.image_data_format(), include_top=include_top)` (Keras 2.0.0-2.0.7's
name of the flag), and titu1994/MobileNetworks passes `require_flatten=include_top or weights`,
which is None for `include_top=False, weights=None`. Expected shapes come from tf_keras 2.21's
`obtain_input_shape` with the same values (reference env).
"""

import pytest

from tork.keras.applications.imagenet_utils import _obtain_input_shape


def test_include_top_is_the_old_name_of_require_flatten():
    assert _obtain_input_shape((16, 16, 3), 32, 8, "channels_last", include_top=True) == (
        16,
        16,
        3,
    )
    assert _obtain_input_shape(
        None, default_size=32, min_size=8, data_format="channels_last", include_top=True
    ) == (32, 32, 3)
    assert _obtain_input_shape(None, 32, 8, "channels_first", include_top=False) == (
        3,
        None,
        None,
    )


def test_require_flatten_none_counts_as_false():
    assert _obtain_input_shape(None, 32, 8, "channels_last", None) == (None, None, 3)


def test_argument_errors():
    with pytest.raises(TypeError, match="not both"):
        _obtain_input_shape(None, 32, 8, "channels_last", True, include_top=True)
    with pytest.raises(TypeError, match="missing required argument: 'require_flatten'"):
        _obtain_input_shape(None, 32, 8, "channels_last")
    with pytest.raises(ValueError, match="at least 8x8"):
        _obtain_input_shape((4, 4, 3), 32, 8, "channels_last", include_top=False)

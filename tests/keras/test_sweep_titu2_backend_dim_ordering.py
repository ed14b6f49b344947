"""Standalone Keras 2.0-2.2 backend names that 2017 model code still calls.

titu1994/Wide-Residual-Networks writes `channel_axis = 1 if K.image_dim_ordering() == "th"
else -1`; titu1994/DenseNet's subpixel.py takes `from keras.backend import
normalize_data_format`. Keras 2.2.4 documents `image_dim_ordering()` as the legacy getter of
`image_data_format()` ('th' for channels_first, else 'tf'), `set_image_dim_ordering('th'|'tf')`
as its setter (ValueError otherwise) and `normalize_data_format(None)` as
`image_data_format()`, a lower-cased value otherwise (ValueError outside the two formats).
tf_keras dropped them; tork raised NotImplementedError.
"""

import pytest

from tork import keras

K = keras.backend


@pytest.fixture(autouse=True)
def _restore_format():
    before = K.image_data_format()
    yield
    K.set_image_data_format(before)


def test_image_dim_ordering_follows_image_data_format():
    K.set_image_data_format("channels_last")
    assert K.image_dim_ordering() == "tf"
    K.set_image_data_format("channels_first")
    assert K.image_dim_ordering() == "th"


def test_set_image_dim_ordering():
    K.set_image_dim_ordering("th")
    assert K.image_data_format() == "channels_first"
    K.set_image_dim_ordering("tf")
    assert K.image_data_format() == "channels_last"
    with pytest.raises(ValueError, match="unknown dim_ordering 'channels_last'.*'tf'"):
        K.set_image_dim_ordering("channels_last")


def test_normalize_data_format():
    from tork.keras.backend import normalize_data_format

    K.set_image_data_format("channels_first")
    assert normalize_data_format(None) == "channels_first"
    assert normalize_data_format("Channels_Last") == "channels_last"
    with pytest.raises(ValueError, match="normalize_data_format.*received 'NHWC'"):
        normalize_data_format("NHWC")

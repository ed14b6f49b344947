"""errfuzz2: keras.utils mistakes: pad_sequences with a negative maxlen, to_categorical of strings.

TF 2.21 + tf_keras gives numpy's "negative dimensions are not allowed" (naming no argument)
for the first; tork now names `maxlen`. For the second it keeps TF's message and adds the fix.
"""

import pytest

import tork as tf


def test_negative_maxlen_names_the_argument():
    with pytest.raises(
        ValueError, match=r"pad_sequences: `maxlen` must be a non-negative integer.*maxlen=-1"
    ):
        tf.keras.utils.pad_sequences([[1, 2], [3]], maxlen=-1)


def test_positive_maxlen_still_pads_and_truncates():
    # Hand-computed: 'pre' padding and 'pre' truncation (Keras defaults).
    out = tf.keras.utils.pad_sequences([[1, 2, 3], [4]], maxlen=2)
    assert out.tolist() == [[2, 3], [0, 4]]


def test_to_categorical_of_strings_says_how_to_map_them():
    # TF 2.21 + tf_keras: ValueError "invalid literal for int() with base 10: 'a'".
    with pytest.raises(ValueError, match=r"invalid literal for int\(\).*'a'.*StringLookup"):
        tf.keras.utils.to_categorical(["a", "b"])

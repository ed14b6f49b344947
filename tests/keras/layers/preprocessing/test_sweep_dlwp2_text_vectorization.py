"""TextVectorization with a custom split callable (Deep Learning with Python, ch. 11).

Expected vocabularies and encodings were produced by TF 2.21 / tf_keras 2.21.
"""

import re
import string

import numpy as np

import tork as tf
from tork import keras


def _standardize(string_tensor):
    lowercase = tf.strings.lower(string_tensor)
    return tf.strings.regex_replace(lowercase, f"[{re.escape(string.punctuation)}]", "")


def _split(string_tensor):
    return tf.strings.split(string_tensor)


def test_custom_standardize_and_split_adapt_and_call():
    layer = keras.layers.TextVectorization(
        output_mode="int", standardize=_standardize, split=_split
    )
    layer.adapt(["I write, erase, rewrite", "Erase again, and then", "A poppy blooms."])
    vocabulary = layer.get_vocabulary()
    assert vocabulary == [
        "",
        "[UNK]",
        "erase",
        "write",
        "then",
        "rewrite",
        "poppy",
        "i",
        "blooms",
        "and",
        "again",
        "a",
    ]
    encoded = layer("I write, rewrite, and still rewrite again")
    np.testing.assert_array_equal(np.asarray(encoded), [7, 3, 5, 9, 1, 5, 10])
    assert encoded.dtype == tf.int64


def test_custom_split_with_bigrams_counts_tokens_as_strings():
    layer = keras.layers.TextVectorization(output_mode="count", split=_split, ngrams=2)
    layer.adapt(["a b a", "b a"])
    # Counts: a 3, "b a" 2, b 2, "a b" 1 (TF 2.21's order for the ties).
    assert layer.get_vocabulary() == ["[UNK]", "a", "b a", "b", "a b"]
    out = np.asarray(layer(["a b a"]))
    np.testing.assert_array_equal(out, [[0, 2, 1, 1, 1]])

"""TextVectorization standardize/split on non-ASCII text, as tf_keras does it.

tf_keras standardizes with tf.strings.lower (ASCII letters only) and splits with
tf.strings.split (ASCII whitespace only). Expected values below come from
tf_keras 2.21 (TF_USE_LEGACY_KERAS=1, tensorflow-cpu 2.21) on the same inputs.
"""

import numpy as np
import pytest

import tork as tf

TEXTS = np.array(
    [
        "Über ÀB café",
        "a\u00a0b c\x1cd e\u3000f",
        "x\u2028y ¿QUÉ? «hola» naïve—dash",
        "İstanbul ΣΟΦΙΑ",
    ]
)

# Vocabulary after the two reserved tokens, most frequent first (all counts are 1 here).
TF_VOCAB = {
    "lower_and_strip_punctuation": [
        "ΣΟΦΙΑ", "İstanbul", "Über", "Àb", "¿quÉ", "«hola»", "x\u2028y", "naïve—dash",
        "e\u3000f", "café", "c\x1cd", "a\xa0b",
    ],
    "lower": [
        "ΣΟΦΙΑ", "İstanbul", "Über", "Àb", "¿quÉ?", "«hola»", "x\u2028y", "naïve—dash",
        "e\u3000f", "café", "c\x1cd", "a\xa0b",
    ],
    "strip_punctuation": [
        "ΣΟΦΙΑ", "İstanbul", "Über", "ÀB", "¿QUÉ", "«hola»", "x\u2028y", "naïve—dash",
        "e\u3000f", "café", "c\x1cd", "a\xa0b",
    ],
    None: [
        "ΣΟΦΙΑ", "İstanbul", "Über", "ÀB", "¿QUÉ?", "«hola»", "x\u2028y", "naïve—dash",
        "e\u3000f", "café", "c\x1cd", "a\xa0b",
    ],
}  # fmt: skip
TF_IDS = [[4, 5, 11, 0], [13, 12, 10, 0], [8, 6, 7, 9], [3, 2, 0, 0]]


@pytest.mark.parametrize("standardize", list(TF_VOCAB))
def test_lower_is_ascii_only_and_split_on_ascii_whitespace(standardize):
    tv = tf.keras.layers.TextVectorization(standardize=standardize)
    tv.adapt(TEXTS)
    assert tv.get_vocabulary() == ["", "[UNK]"] + TF_VOCAB[standardize]
    np.testing.assert_array_equal(tv(TEXTS).numpy(), TF_IDS)


def test_character_split_keeps_non_ascii_case():
    tv = tf.keras.layers.TextVectorization(split="character", output_sequence_length=4)
    tv.adapt(np.array(["ÜÜü a", "Ab"]))
    # tf_keras: "Ü" is not lowercased; equal counts in descending byte order.
    assert tv.get_vocabulary() == ["", "[UNK]", "Ü", "a", "ü", "b", " "]
    np.testing.assert_array_equal(
        tv(np.array(["ÜÜü a", "Ab"])).numpy(), [[2, 2, 4, 6], [3, 5, 0, 0]]
    )

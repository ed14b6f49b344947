"""errfuzz2: preprocessing layers used before adapt() or adapted on bad data.

Reference behaviour from TF 2.21 + tf_keras (TF_USE_LEGACY_KERAS=1):
- StringLookup()/IntegerLookup()/TextVectorization() called with no vocabulary raise
  FailedPreconditionError ("Table not initialized") instead of mapping every term to OOV.
- Normalization().adapt(np.zeros((0, 3))) raises ValueError "Expected input data to be
  non-empty." (tork gave NaN statistics); adapt() of strings raises (a Cast error in TF).
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras
L = keras.layers


@pytest.mark.parametrize(
    "make, data",
    [
        (lambda: L.StringLookup(name="sl"), np.array(["a", "b"])),
        (lambda: L.IntegerLookup(name="sl"), np.array([1, 2])),
        (lambda: L.StringLookup(name="sl", invert=True), np.array([1, 0])),
        (lambda: L.TextVectorization(name="sl"), np.array(["a b", "c"])),
    ],
)
def test_lookup_without_vocabulary_raises_like_tf(make, data):
    with pytest.raises(
        tf.errors.FailedPreconditionError,
        match=r"layer 'sl' has no vocabulary yet .*Table not initialized.*adapt",
    ):
        make()(data)


def test_lookup_after_adapt_or_with_vocabulary_still_works():
    # Indices by hand: index 0 is the OOV token, then the vocabulary in order.
    layer = L.StringLookup(vocabulary=["a", "b"])
    assert layer(np.array(["b", "a", "z"])).numpy().tolist() == [2, 1, 0]
    text = L.TextVectorization()
    text.adapt(np.array(["a b b"]))  # vocabulary: '', [UNK], b, a
    assert text(np.array(["a c b"])).numpy().tolist() == [[3, 1, 2]]


def test_lookup_built_symbolically_before_adapt_is_fine():
    # The functional API traces the layer before the vocabulary exists (tf_keras does too).
    inp = keras.Input((1,), dtype="string")
    layer = L.StringLookup()
    out = layer(inp)
    layer.adapt(np.array(["x", "y", "x"]))  # vocabulary: [UNK], x, y
    model = keras.Model(inp, out)
    assert model(np.array([["x"], ["z"], ["y"]])).numpy().tolist() == [[1], [0], [2]]


def test_normalization_adapt_empty_raises():
    layer = L.Normalization(name="norm")
    with pytest.raises(
        ValueError, match=r"layer 'norm': adapt\(\) expected input data to be non-empty"
    ):
        layer.adapt(np.zeros((0, 3), "float32"))


def test_normalization_adapt_strings_names_dtype():
    layer = L.Normalization(name="norm")
    with pytest.raises(
        ValueError, match=r"layer 'norm': adapt\(\) expects numeric data.*dtype <U1"
    ):
        layer.adapt(np.array([["a"], ["b"]]))


def test_normalization_adapt_nonempty_still_matches_numpy():
    data = np.array([[1.0, 2.0], [3.0, 6.0]], "float32")
    layer = L.Normalization()
    layer.adapt(data)
    expected = (data - data.mean(0)) / np.sqrt(data.var(0))
    np.testing.assert_allclose(layer(data).numpy(), expected, rtol=1e-5)


def test_empty_vocabulary_raises_like_tf(tmp_path):
    # TF: ValueError "Cannot set an empty vocabulary, you passed []." and, for an empty
    # vocabulary file, OutOfRangeError "Read less bytes than requested".
    with pytest.raises(
        ValueError, match=r"layer 'sl': cannot set an empty vocabulary \(got \[\]\)"
    ):
        L.StringLookup(vocabulary=[], name="sl")
    path = tmp_path / "vocab.txt"
    path.write_text("")
    with pytest.raises(
        ValueError, match=r"cannot set an empty vocabulary \(the vocabulary file is empty\)"
    ):
        L.StringLookup(vocabulary=str(path), name="sl")


def test_unadapted_lookup_survives_a_keras_file_round_trip(tmp_path):
    inp = keras.Input((1,), dtype="string")
    model = keras.Model(inp, L.StringLookup(name="sl")(inp))
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    with pytest.raises(tf.errors.FailedPreconditionError, match="has no vocabulary yet"):
        loaded(np.array([["a"]]))

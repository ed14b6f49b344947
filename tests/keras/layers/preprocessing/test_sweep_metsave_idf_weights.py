"""tf_idf lookups track their idf weights as a weight, as tf_keras 2.21 does.

Reference values: the same layers in tf_keras (TF_USE_LEGACY_KERAS=1). tf_keras lists one
non-trainable float32 variable `Variable:0` of shape (None,): the OOV indices' weight (the
mean idf) first, then one per term, zero-padded to `max_tokens` with `pad_to_max_tokens`.
Its `.keras` files keep it as `vars/idf_weights`, its `.h5` files as `<layer>/Variable:0`;
it counts 0 parameters in `summary()`.
"""

import contextlib
import io
import zipfile

import h5py
import numpy as np
import pytest

from tork import keras
from tork.keras.utils import layer_utils

_VOCAB = ["a", "b", "c"]
_IDF = [0.5, 1.0, 2.0]
# tf_keras get_weights() for the layers below: the OOV weight is mean(_IDF).
_TF_KERAS_WEIGHTS = [7.0 / 6.0, 0.5, 1.0, 2.0]


@pytest.mark.parametrize(
    "make",
    [
        lambda: keras.layers.StringLookup(
            vocabulary=_VOCAB, output_mode="tf_idf", idf_weights=_IDF
        ),
        lambda: keras.layers.IntegerLookup(
            vocabulary=[7, 8, 9], output_mode="tf_idf", idf_weights=_IDF
        ),
        lambda: keras.layers.TextVectorization(
            vocabulary=_VOCAB, output_mode="tf_idf", idf_weights=_IDF
        ),
    ],
    ids=["StringLookup", "IntegerLookup", "TextVectorization"],
)
def test_idf_weights_are_a_non_trainable_weight(make):
    layer = make()
    assert len(layer.weights) == 1 and layer.trainable_weights == []
    weight = layer.non_trainable_weights[0]
    assert weight.name == "Variable:0"
    np.testing.assert_allclose(layer.get_weights()[0], _TF_KERAS_WEIGHTS, rtol=1e-6)


def test_set_weights_changes_the_encoding():
    layer = keras.layers.StringLookup(vocabulary=_VOCAB, output_mode="tf_idf", idf_weights=_IDF)
    np.testing.assert_allclose(layer(np.array([["a", "b", "a"]])).numpy(), [[0, 1, 1, 0]])
    layer.set_weights([np.array([9.0, 8.0, 7.0, 6.0], "float32")])
    # tf_keras: [[0, 16, 7, 0]] (a twice at 8, b once at 7).
    np.testing.assert_allclose(layer(np.array([["a", "b", "a"]])).numpy(), [[0, 16, 7, 0]])
    # tf_keras's config keeps the constructor's idf_weights (the files keep the weight).
    assert layer.get_config()["idf_weights"] == [0.5, 1.0, 2.0]


def test_adapt_fills_the_weight():
    layer = keras.layers.StringLookup(output_mode="tf_idf")
    np.testing.assert_array_equal(layer.get_weights()[0], [0.0])  # tf_keras before adapt
    layer.adapt(np.array([["a", "b"], ["a", "c"]]))
    # tf_keras 2.21: the idf weight (its vocabulary handler and document count aside).
    np.testing.assert_allclose(
        layer.get_weights()[0], [0.63237333, 0.51082563, 0.6931472, 0.6931472], rtol=1e-6
    )


def test_padded_and_several_oov_indices_layouts():
    padded = keras.layers.StringLookup(
        vocabulary=_VOCAB,
        output_mode="tf_idf",
        idf_weights=_IDF,
        pad_to_max_tokens=True,
        max_tokens=6,
    )
    np.testing.assert_allclose(padded.get_weights()[0], [*_TF_KERAS_WEIGHTS, 0.0, 0.0], rtol=1e-6)
    two_oov = keras.layers.StringLookup(
        vocabulary=_VOCAB, output_mode="tf_idf", idf_weights=_IDF, num_oov_indices=2
    )
    np.testing.assert_allclose(
        two_oov.get_weights()[0], [7.0 / 6.0, 7.0 / 6.0, 0.5, 1.0, 2.0], rtol=1e-6
    )


def _model():
    inputs = keras.Input((1,), dtype="string")
    outputs = keras.layers.StringLookup(
        vocabulary=_VOCAB, output_mode="tf_idf", idf_weights=_IDF, name="sl"
    )(inputs)
    return keras.Model(inputs, outputs, name="m")


def test_summary_counts_no_parameters():
    model = _model()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        model.summary()
    # tf_keras: "Total params: 0 (0.00 Byte)" (the weight's shape is (None,)).
    assert "Total params: 0 (0.00 Byte)" in out.getvalue()
    assert layer_utils.count_params(model.weights) == 0


_X = np.array([["a"], ["c"]])


def test_keras_archive_layout_and_round_trip(tmp_path):
    model = _model()
    model.set_weights([np.array([4.0, 3.0, 2.0, 1.0], "float32")])
    path = tmp_path / "m.keras"
    model.save(str(path))
    with zipfile.ZipFile(path) as archive:
        archive.extract("model.weights.h5", tmp_path)
    with h5py.File(tmp_path / "model.weights.h5", "r") as f:
        # tf_keras 2.21 writes the same group and key.
        assert list(f["layers/string_lookup/vars"].keys()) == ["idf_weights"]
        np.testing.assert_array_equal(f["layers/string_lookup/vars/idf_weights"][()], [4, 3, 2, 1])
    loaded = keras.models.load_model(str(path))
    # tf_keras: [[0, 3, 0, 0], [0, 0, 0, 1]] (the file's weights, not the config's).
    np.testing.assert_allclose(loaded.predict(_X, verbose=0), [[0, 3, 0, 0], [0, 0, 0, 1]])


def test_reads_tf_keras_keras_archive_weights_over_config(tmp_path):
    # A tf_keras `.keras` file's weights: its config still says idf_weights=_IDF.
    path = tmp_path / "w.weights.h5"
    with h5py.File(path, "w") as f:
        f.require_group("layers/input_layer/vars")
        f["layers/string_lookup/vars/idf_weights"] = np.float32([4, 3, 2, 1])
        f.require_group("vars")
    model = _model()
    model.load_weights(str(path))
    np.testing.assert_allclose(model.predict(_X, verbose=0), [[0, 3, 0, 0], [0, 0, 0, 1]])


def test_legacy_h5_weights_round_trip(tmp_path):
    model = _model()
    model.set_weights([np.array([4.0, 3.0, 2.0, 1.0], "float32")])
    path = tmp_path / "w.h5"
    model.save_weights(str(path))
    with h5py.File(path, "r") as f:
        # tf_keras 2.21's save_weights('w.h5'): `sl/Variable:0`.
        np.testing.assert_array_equal(f["sl/Variable:0"][()], [4, 3, 2, 1])
    other = _model()
    other.load_weights(str(path))
    np.testing.assert_allclose(other.predict(_X, verbose=0), [[0, 3, 0, 0], [0, 0, 0, 1]])


def test_set_weights_of_another_length_names_the_shapes():
    layer = keras.layers.StringLookup(vocabulary=_VOCAB, output_mode="tf_idf", idf_weights=_IDF)
    with pytest.raises(ValueError, match=r"'Variable' has shape \(4,\).*has shape \(5,\)"):
        layer.set_weights([np.zeros(5, "float32")])

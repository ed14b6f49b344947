"""`tf.RaggedTensor.from_tensor` on functional-API tensors (tf_keras's ClassMethod layer).

Found by differential fuzzing against tf_keras (helper fuzzsym); shapes and values were
printed by tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) for the same code.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras

_X = np.arange(48, dtype="float32").reshape(2, 8, 3)
_LENGTHS = np.array([2, 5], "int32")


def _model():
    w = keras.Input((8, 3), name="w")
    lengths = keras.Input((), dtype="int32", name="lengths")
    ragged = tf.RaggedTensor.from_tensor(w, lengths=lengths)
    return keras.Model([w, lengths], [tf.reduce_sum(ragged, axis=1), ragged.to_tensor()]), ragged


def test_from_tensor_of_a_keras_input_is_a_ragged_symbolic_tensor():
    # Before: "Attempt to convert a value (<KerasTensor ...>) ... to a Tensor".
    model, ragged = _model()
    assert ragged.ragged and tuple(ragged.shape) == (None, None, 3)
    # tf_keras: [(None, 3), (None, None, 3)]; the padded length is unknown, not 0.
    assert model.output_shape == [(None, 3), (None, None, 3)]
    assert "tf.RaggedTensor.from_tensor" in [layer.name for layer in model.layers]


def test_from_tensor_model_values():
    model, _ = _model()
    sums, padded = model.predict([_X, _LENGTHS], verbose=0)
    # tf_keras: [[3, 5, 7], [150, 155, 160]] and a (2, 5, 3) padded tensor.
    np.testing.assert_allclose(sums, [[3.0, 5.0, 7.0], [150.0, 155.0, 160.0]])
    want = np.zeros((2, 5, 3), "float32")
    want[0, :2] = _X[0, :2]
    want[1, :5] = _X[1, :5]
    np.testing.assert_allclose(padded, want)


@pytest.mark.parametrize("ext", [".keras", ".h5"])
def test_from_tensor_model_round_trips(tmp_path, ext):
    model, _ = _model()
    path = str(tmp_path / f"ragged{ext}")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert loaded.output_shape == [(None, 3), (None, None, 3)]
    for got, want in zip(
        loaded.predict([_X, _LENGTHS], verbose=0), model.predict([_X, _LENGTHS], verbose=0)
    ):
        np.testing.assert_allclose(got, want)


def test_from_tensor_on_tensors_is_unchanged():
    ragged = tf.RaggedTensor.from_tensor(tf.constant(_X), lengths=tf.constant(_LENGTHS))
    assert ragged.row_lengths().numpy().tolist() == [2, 5]


# tf_keras 2.21's model.to_json() of
# `keras.Model([w, L], tf.reduce_sum(tf.RaggedTensor.from_tensor(w, lengths=L), axis=1))`.
_TF_KERAS_JSON = (
    '{"class_name": "Functional", "config": {"name": "rg", "trainable": true, "layers": ['
    '{"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_input_shape": '
    '[null, 8, 3], "dtype": "float32", "sparse": false, "ragged": false, "name": "w", '
    '"optional": false}, "registered_name": null, "name": "w", "inbound_nodes": []}, '
    '{"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_input_shape": '
    '[null], "dtype": "int32", "sparse": false, "ragged": false, "name": "L", "optional": '
    'false}, "registered_name": null, "name": "L", "inbound_nodes": []}, '
    '{"module": "tf_keras.src.layers.core.tf_op_layer", "class_name": "ClassMethod", '
    '"config": {"name": "tf.RaggedTensor.from_tensor", "trainable": true, "dtype": '
    '"float32", "cls_symbol": "RaggedTensor", "method_name": "from_tensor"}, '
    '"registered_name": "ClassMethod", "build_config": {"input_shape": [[null, 8, 3]]}, '
    '"name": "tf.RaggedTensor.from_tensor", "inbound_nodes": [[["w", 0, 0, {"kwargs": '
    '{"lengths": ["L", 0, 0]}}]]]}, {"module": "tf_keras.src.layers.core.tf_op_layer", '
    '"class_name": "TFOpLambda", "config": {"name": "tf.math.reduce_sum", "trainable": '
    'true, "dtype": "float32", "function": "math.reduce_sum"}, "registered_name": '
    '"TFOpLambda", "build_config": {"input_shape": [null, null, 3]}, "name": '
    '"tf.math.reduce_sum", "inbound_nodes": [["tf.RaggedTensor.from_tensor", 0, 0, '
    '{"axis": 1}]]}], "input_layers": [["w", 0, 0], ["L", 0, 0]], "output_layers": '
    '[["tf.math.reduce_sum", 0, 0]]}, "keras_version": "2.21.0", "backend": "tensorflow"}'
)


def test_tf_keras_class_method_entry_loads():
    model = keras.models.model_from_json(_TF_KERAS_JSON)
    assert model.output_shape == (None, 3)
    kinds = {layer.name: type(layer).__name__ for layer in model.layers}
    assert kinds["tf.RaggedTensor.from_tensor"] == "ClassMethod"
    np.testing.assert_allclose(
        model.predict([_X, _LENGTHS], verbose=0), [[3.0, 5.0, 7.0], [150.0, 155.0, 160.0]]
    )


def test_h5_writes_the_class_method_entry_as_tf_keras(tmp_path):
    import json

    import h5py

    model, _ = _model()
    path = str(tmp_path / "ragged.h5")
    model.save(path)
    with h5py.File(path, "r") as f:
        layers = json.loads(f.attrs["model_config"])["config"]["layers"]
    (entry,) = [e for e in layers if e["class_name"] == "ClassMethod"]
    assert entry["config"]["cls_symbol"] == "RaggedTensor"
    assert entry["config"]["method_name"] == "from_tensor"
    # tf_keras's node layout: the positional tensors, each with the keyword arguments.
    assert entry["inbound_nodes"] == [[["w", 0, 0, {"kwargs": {"lengths": ["lengths", 0, 0]}}]]]


def test_unsupported_class_method_entry_is_refused_by_name():
    config = _TF_KERAS_JSON.replace('"method_name": "from_tensor"', '"method_name": "from_sparse"')
    with pytest.raises(Exception, match=r"class method RaggedTensor\.from_sparse"):
        keras.models.model_from_json(config)

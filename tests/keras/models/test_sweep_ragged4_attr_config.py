"""Functional models reading RaggedTensor/SparseTensor attributes of a symbolic input
(`inp.values`, `inp.row_lengths()`, `inp.to_tensor()`, `inp.indices`) round-trip through
get_config / from_config / clone_model / save + load, as in tf_keras 2.21.

Expected values are tf_keras 2.21 outputs of the same models.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def _ragged():
    return tf.ragged.constant([[1.0, 2.0, 3.0], [], [4.0]])


def _sparse():
    return tf.SparseTensor([[0, 1], [2, 0]], [1.0, 2.0], [3, 4])


def _values(out):
    return out.to_list() if hasattr(out, "to_list") else np.asarray(out).tolist()


def _ragged_models():
    def values():
        inp = keras.Input(shape=(None,), ragged=True)
        return keras.Model(inp, inp.values * 2.0), [2.0, 4.0, 6.0, 8.0]

    def row_lengths():
        inp = keras.Input(shape=(None,), ragged=True)
        return keras.Model(inp, inp.row_lengths()), [3, 0, 1]

    def flat_values():
        inp = keras.Input(shape=(None,), ragged=True)
        return keras.Model(inp, inp.flat_values + 1.0), [2.0, 3.0, 4.0, 5.0]

    def to_tensor():
        inp = keras.Input(shape=(None,), ragged=True)
        dense = keras.layers.Dense(2, kernel_initializer="ones")
        out = dense(tf.expand_dims(inp.to_tensor(default_value=0.5), -1))
        padded = [[1.0, 2.0, 3.0], [0.5, 0.5, 0.5], [4.0, 0.5, 0.5]]
        return keras.Model(inp, out), [[[v, v] for v in row] for row in padded]

    def row_splits_and_nrows():
        inp = keras.Input(shape=(None,), ragged=True)
        return keras.Model(inp, [inp.row_splits, inp.nrows(), inp.value_rowids()]), [
            [0, 3, 3, 4],
            3,
            [0, 0, 0, 2],
        ]

    return [values, row_lengths, flat_values, to_tensor, row_splits_and_nrows]


def _sparse_models():
    def indices():
        inp = keras.Input(shape=(4,), sparse=True)
        return keras.Model(inp, inp.indices), [[0, 1], [2, 0]]

    def values():
        inp = keras.Input(shape=(4,), sparse=True)
        return keras.Model(inp, inp.values * 3.0), [3.0, 6.0]

    def dense_shape():
        inp = keras.Input(shape=(4,), sparse=True)
        return keras.Model(inp, inp.dense_shape), [3, 4]

    return [indices, values, dense_shape]


def _outputs(model, data):
    out = model(data)
    return [_values(o) for o in out] if isinstance(out, (list, tuple)) else _values(out)


CASES = [(b, _ragged) for b in _ragged_models()] + [(b, _sparse) for b in _sparse_models()]


@pytest.mark.parametrize("build, data", CASES, ids=lambda v: getattr(v, "__name__", ""))
def test_config_clone_and_save_round_trip(build, data, tmp_path):
    model, expected = build()
    assert _outputs(model, data()) == expected
    rebuilt = keras.Model.from_config(model.get_config())
    assert _outputs(rebuilt, data()) == expected
    assert _outputs(keras.models.clone_model(model), data()) == expected
    for name in ("m.keras", "m.h5"):
        model.save(tmp_path / name)
        loaded = keras.models.load_model(tmp_path / name)
        assert _outputs(loaded, data()) == expected


def test_attribute_layers_are_named_as_tf_keras_names_them():
    keras.backend.clear_session()
    inp = keras.Input(shape=(None,), ragged=True)
    model = keras.Model(inp, [inp.values * 2.0, inp.row_lengths(), inp.row_lengths()])
    # tf_keras 2.21 names (its classes are InstanceProperty / InstanceMethod; tork's are
    # TFOpLambda layers).
    names = [layer.name for layer in model.layers]
    assert names[1:] == ["input.values", "tf.math.multiply", "input.row_lengths", "input.row_lengths_1"]  # fmt: skip
    config = model.get_config()
    functions = [entry["config"].get("function") for entry in config["layers"][1:]]
    assert [functions[0], functions[2], functions[3]] == ["input.values"] + [
        "input.row_lengths"
    ] * 2


def test_config_naming_an_unknown_attribute_is_refused():
    from tork.keras.saving.errors import KerasFileError

    inp = keras.Input(shape=(None,), ragged=True)
    config = keras.Model(inp, inp.row_lengths()).get_config()
    for bad in ("input.__class__", "input.no_such_method"):
        config["layers"][1]["config"]["function"] = bad
        with pytest.raises(KerasFileError):
            keras.Model.from_config(config)


def _instance(kind, attr, source, extra):
    return {
        "module": "tf_keras.src.layers.core.tf_op_layer",
        "class_name": kind,
        "config": {
            "name": f"input.{attr}",
            "trainable": True,
            "dtype": "float32",
            "attr_name": attr,
        },  # fmt: skip
        "registered_name": kind,
        "name": f"input.{attr}",
        "inbound_nodes": [[source, 0, 0, extra]],
    }


# tf_keras 2.21's get_config() of
# Model(inp, [inp.values * 2.0, inp.row_lengths(), inp.to_tensor(default_value=1.0)]).
TF_KERAS_CONFIG = {
    "name": "model",
    "trainable": True,
    "layers": [
        {
            "module": "keras.layers",
            "class_name": "InputLayer",
            "config": {
                "batch_input_shape": [None, None],
                "dtype": "float32",
                "sparse": False,
                "ragged": True,
                "name": "input_1",
                "optional": False,
            },  # fmt: skip
            "registered_name": None,
            "name": "input_1",
            "inbound_nodes": [],
        },
        _instance("InstanceProperty", "values", "input_1", {}),
        {
            "module": "tf_keras.src.layers.core.tf_op_layer",
            "class_name": "TFOpLambda",
            "config": {
                "name": "tf.math.multiply",
                "trainable": True,
                "dtype": "float32",
                "function": "math.multiply",
            },  # fmt: skip
            "registered_name": "TFOpLambda",
            "name": "tf.math.multiply",
            "inbound_nodes": [["input.values", 0, 0, {"y": 2.0, "name": None}]],
        },
        _instance("InstanceMethod", "row_lengths", "input_1", {"args": [], "kwargs": {}}),
        _instance(
            "InstanceMethod", "to_tensor", "input_1", {"args": [], "kwargs": {"default_value": 1.0}}
        ),  # fmt: skip
    ],
    "input_layers": [["input_1", 0, 0]],
    "output_layers": [
        ["tf.math.multiply", 0, 0],
        ["input.row_lengths", 0, 0],
        ["input.to_tensor", 0, 0],
    ],  # fmt: skip
}


def test_tf_keras_instance_property_and_method_entries_are_read():
    model = keras.Model.from_config(TF_KERAS_CONFIG)
    values, lengths, padded = model(tf.ragged.constant([[1.0, 2.0], [3.0]]))
    assert np.asarray(values).tolist() == [2.0, 4.0, 6.0]
    assert np.asarray(lengths).tolist() == [2, 1]
    assert np.asarray(padded).tolist() == [[1.0, 2.0], [3.0, 1.0]]


def test_tf_keras_instance_entry_with_an_unknown_attribute_is_refused():
    from tork.keras.saving.errors import KerasFileError

    config = dict(TF_KERAS_CONFIG)
    config["layers"] = list(config["layers"])
    config["layers"][1] = _instance("InstanceProperty", "__dict__", "input_1", {})
    with pytest.raises(KerasFileError, match="is not a public attribute of RaggedTensor"):
        keras.Model.from_config(config)


def test_rebuilt_ragged_model_keeps_its_op_layer_names():
    inputs = keras.Input((None,), ragged=True)
    model = keras.Model(inputs, [tf.nn.softmax(inputs), inputs.row_lengths()])
    rebuilt = keras.Model.from_config(model.get_config())
    assert [layer.name for layer in rebuilt.layers] == [layer.name for layer in model.layers]

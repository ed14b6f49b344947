"""tf_keras files of an adapted Discretization load in tork (vocabw sweep).

tf_keras 2.21 keeps an adapted Discretization's quantile summary in a `summary` weight of
shape (2, None) (values, weights), writes `bin_boundaries: null` (with `num_bins`) in its
config, and derives the boundaries from the summary after loading. tork loads those files
by deriving the boundaries from the summary. The fixture files are written here with h5py in
tf_keras's layouts (as written by `model.save('m.h5')`, `model.save('m.keras')` and
`model.save_weights('m.weights.h5')` under TF_USE_LEGACY_KERAS=1, tf_keras 2.21); the summaries
and outputs were printed by tf_keras 2.21 for

    x = np.array([[0.1],[1.5],[2.2],[3.7],[0.9],[5.5],[4.1],[2.8],[3.3],[0.4]], "float32")
    d = keras.layers.Discretization(num_bins=4, name="disc"); d.adapt(x)
    model = keras.Model(inp := keras.Input((1,)), d(inp))
"""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

import tork as tf

h5py = pytest.importorskip("h5py")
keras = tf.keras

# tf_keras 2.21: d.get_weights()[0] after the adapt above (sorted values, unit weights).
SUMMARY = np.array(
    [
        [0.1, 0.4, 0.9, 1.5, 2.2, 2.8, 3.3, 3.7, 4.1, 5.5],
        [1.0] * 10,
    ],
    dtype=np.float32,
)
BOUNDARIES = [0.6499999761581421, 2.200000047683716, 3.5]  # tf_keras's d.bin_boundaries
PROBE = np.array([[-1.0], [0.5], [1.6], [2.5], [3.0], [6.0]], dtype=np.float32)
OUTPUT = [0, 0, 1, 2, 2, 3]  # tf_keras's model.predict(PROBE) (also after loading the .h5)

# A 50-value sample adapted with epsilon=0.1: a compressed summary (tf_keras 2.21), from
#   x = ((np.arange(50, dtype="float32") ** 1.5) / 10).reshape(50, 1)
#   keras.layers.Discretization(num_bins=3, epsilon=0.1, output_mode="one_hot").adapt(x)
SUMMARY_3 = np.array(
    [
        [
            1.0579931735992432,
            2.894256114959717,
            5.313709259033203,
            8.16652774810791,
            11.401861190795898,
            14.990437507629395,
            20.61817741394043,
            24.92112922668457,
            29.486482620239258,
            34.29999923706055,
        ],
        [
            4.699999809265137,
            4.699999809265137,
            4.700000762939453,
            4.6999993324279785,
            4.700000762939453,
            4.700000762939453,
            4.700000762939453,
            4.699997901916504,
            4.700000762939453,
            4.700000762939453,
        ],
    ],
    dtype=np.float32,
)
BOUNDARIES_3 = [6.264648914337158, 18.74226188659668]

_LAYER = {
    "class_name": "Discretization",
    "config": {
        "name": "disc",
        "trainable": True,
        "dtype": "int64",
        "batch_input_shape": [None, None],
        "bin_boundaries": None,
        "num_bins": 4,
        "epsilon": 0.01,
        "output_mode": "int",
        "sparse": False,
    },
    "name": "disc",
    "inbound_nodes": [[["input_1", 0, 0, {}]]],
}
_INPUT = {
    "class_name": "InputLayer",
    "config": {
        "batch_input_shape": [None, 1],
        "dtype": "float32",
        "sparse": False,
        "ragged": False,
        "name": "input_1",
    },
    "name": "input_1",
    "inbound_nodes": [],
}
# tf_keras 2.21's model_config of the model above.
_MODEL_CONFIG = {
    "class_name": "Functional",
    "config": {
        "name": "model",
        "trainable": True,
        "layers": [_INPUT, _LAYER],
        "input_layers": [["input_1", 0, 0]],
        "output_layers": [["disc", 0, 0]],
    },
}


def _names(names) -> np.ndarray:
    # As tf_keras: bytes names, or an empty float array when there are none.
    return np.array([n.encode() for n in names]) if names else np.array([])


def _write_keras2_weights(group, layers: dict) -> None:
    """tf_keras's `model_weights` layout: {layer name: {weight name: array}}."""
    group.attrs["layer_names"] = _names(list(layers))
    group.attrs["backend"] = b"tensorflow"
    group.attrs["keras_version"] = b"2.21.0"
    for name, weights in layers.items():
        sub = group.create_group(name)
        sub.attrs["weight_names"] = _names(list(weights))
        for weight_name, value in weights.items():
            sub.create_dataset(weight_name, data=value)
    group.create_group("top_level_model_weights").attrs["weight_names"] = _names([])


def _write_h5(path, summary=SUMMARY) -> None:
    with h5py.File(path, "w") as f:
        f.attrs["backend"] = "tensorflow"
        f.attrs["keras_version"] = "2.21.0"
        f.attrs["model_config"] = json.dumps(_MODEL_CONFIG)
        _write_keras2_weights(
            f.create_group("model_weights"), {"input_1": {}, "disc": {"disc/summary:0": summary}}
        )


def _write_weights_h5(target, summary=SUMMARY) -> None:
    """tf_keras's `.weights.h5` layout: `layers/<snake-case class>/vars/0`."""
    with h5py.File(target, "w") as f:
        f.create_group("layers/input_layer/vars")
        f.create_group("layers/discretization/vars").create_dataset("0", data=summary)
        f.create_group("vars")


def _write_keras(path) -> None:
    config = json.loads(json.dumps(_MODEL_CONFIG))
    config["module"] = "tf_keras.src.engine.functional"
    config["registered_name"] = "Functional"
    for layer in config["config"]["layers"]:
        layer["module"] = "keras.layers"
        layer["registered_name"] = None
    config["config"]["layers"][1]["build_config"] = {"input_shape": [None, 1]}
    weights = path.parent / "inner.weights.h5"
    _write_weights_h5(weights)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "2.21.0"}))
        z.writestr("config.json", json.dumps(config))
        z.write(weights, "model.weights.h5")


def _predict(model, probe=PROBE) -> list:
    return np.asarray(model.predict(probe, verbose=0)).ravel().tolist()


def test_tf_keras_h5_model_of_adapted_discretization_loads(tmp_path):
    path = tmp_path / "disc.h5"
    _write_h5(path)
    with pytest.warns(UserWarning, match="compile"):
        model = keras.models.load_model(path)
    layer = model.get_layer("disc")
    np.testing.assert_allclose(layer.bin_boundaries, BOUNDARIES, rtol=1e-6)
    assert _predict(model) == OUTPUT
    # tork writes the boundaries in its config (tf_keras reads them) and lists no weight.
    assert layer.weights == [] and model.count_params() == 0


def test_tf_keras_keras_archive_of_adapted_discretization_loads(tmp_path):
    path = tmp_path / "disc.keras"
    _write_keras(path)
    model = keras.models.load_model(path)
    # tf_keras 2.21 reloads its own .keras without finalizing (all zeros); tork derives the
    # boundaries from the summary, giving the outputs of the adapted layer.
    np.testing.assert_allclose(model.get_layer("disc").bin_boundaries, BOUNDARIES, rtol=1e-6)
    assert _predict(model) == OUTPUT


def test_tf_keras_weights_h5_and_keras2_h5_weights_load_into_a_tork_model(tmp_path):
    weights = tmp_path / "disc.weights.h5"
    _write_weights_h5(weights)
    inputs = keras.Input((1,))
    model = keras.Model(inputs, keras.layers.Discretization(num_bins=4, name="disc")(inputs))
    model.load_weights(weights)
    assert _predict(model) == OUTPUT
    # A Keras 2 weights-only .h5 into a model whose layer has another (automatic) name.
    h5 = tmp_path / "w.h5"
    with h5py.File(h5, "w") as f:
        _write_keras2_weights(f, {"input_1": {}, "disc": {"disc/summary:0": SUMMARY_3}})
    inputs = keras.Input((1,))
    layer = keras.layers.Discretization(num_bins=3, epsilon=0.1, output_mode="one_hot")
    model = keras.Model(inputs, layer(inputs))
    model.load_weights(h5)
    np.testing.assert_allclose(layer.bin_boundaries, BOUNDARIES_3, rtol=1e-6)
    # tf_keras 2.21's outputs for these inputs.
    probe = np.array([[-1.0], [5.0], [12.0], [20.0], [40.0]], dtype=np.float32)
    np.testing.assert_array_equal(
        model.predict(probe, verbose=0),
        [[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1]],
    )


def test_tork_adapt_matches_the_boundaries_of_tf_keras_summary():
    # Silent wrong result before: each batch's summary weighed its entries by the
    # fractional `size * epsilon` (3.2 for 32 rows at epsilon 0.1) instead of tf_keras's
    # whole step (3), shifting the boundaries of multi-batch adapts (8.73, 22.90 here).
    x = ((np.arange(50, dtype="float32") ** 1.5) / 10).reshape(50, 1)
    layer = keras.layers.Discretization(num_bins=3, epsilon=0.1)
    layer.adapt(x)
    np.testing.assert_allclose(layer.bin_boundaries, BOUNDARIES_3, rtol=1e-6)


@pytest.mark.parametrize(
    "epsilon, num_bins, batch_size, expected",
    [
        # tf_keras 2.21's bin_boundaries for x below (values with ties).
        (
            0.05,
            5,
            16,
            [-1.9999998807907104, -0.8529523015022278, 0.987712562084198, 2.580416679382324],
        ),
        (0.3, 3, None, [-0.7892858386039734, 1.3735895156860352]),
        (0.01, 4, 7, [-2.0, 0.0, 2.0]),
    ],
)
def test_adapt_boundaries_match_tf_keras(epsilon, num_bins, batch_size, expected):
    x = np.round(np.random.RandomState(1).standard_normal((100, 1)) * 3).astype("float32")
    layer = keras.layers.Discretization(num_bins=num_bins, epsilon=epsilon)
    layer.adapt(x, batch_size=batch_size)
    np.testing.assert_allclose(layer.bin_boundaries, expected, rtol=1e-6, atol=1e-7)


def test_tork_h5_with_adapted_discretization_round_trips(tmp_path):
    x = np.array([[0.1], [1.5], [2.2], [3.7], [0.9], [5.5], [4.1], [2.8], [3.3], [0.4]])
    layer = keras.layers.Discretization(num_bins=4, name="disc")
    layer.adapt(x.astype("float32"))
    inputs = keras.Input((1,))
    model = keras.Model(inputs, layer(inputs))
    model.save(tmp_path / "m.h5")
    with h5py.File(tmp_path / "m.h5") as f:
        saved = json.loads(f.attrs["model_config"])["config"]["layers"][1]["config"]
    # What tf_keras's constructor accepts (and loads with these outputs): the boundaries.
    assert saved["num_bins"] is None
    np.testing.assert_allclose(saved["bin_boundaries"], BOUNDARIES, rtol=1e-6)
    with pytest.warns(UserWarning, match="compile"):
        assert _predict(keras.models.load_model(tmp_path / "m.h5")) == OUTPUT
    model.save(tmp_path / "m.keras")
    assert _predict(keras.models.load_model(tmp_path / "m.keras")) == OUTPUT


def test_summary_errors(tmp_path):
    layer = keras.layers.Discretization(num_bins=4)
    with pytest.raises(ValueError, match=r"must have shape \(2, n\).*got shape \(3, 2\)"):
        layer.load_own_variables({"0": np.zeros((3, 2), "float32")})
    fixed = keras.layers.Discretization(bin_boundaries=[0.0, 1.0])
    with pytest.raises(ValueError, match="created with `bin_boundaries`"):
        fixed.load_own_variables({"0": SUMMARY})
    with pytest.raises(ValueError, match=r"at most one saved variable.*\['0', '1'\]"):
        layer.load_own_variables({"0": SUMMARY, "1": SUMMARY})
    # An unadapted tf_keras layer saves an empty (2, 0) summary: no boundaries yet.
    layer.load_own_variables({"0": np.zeros((2, 0), "float32")})
    assert layer.bin_boundaries is None
    # A wrongly shaped summary in a Keras 2 .h5 names the file and the layer.
    path = tmp_path / "bad.h5"
    _write_h5(path, summary=np.zeros((2, 3, 1), "float32"))
    with pytest.raises(Exception, match="different architecture"):
        keras.models.load_model(path, compile=False)

"""`.keras` files tork writes load in tf_keras (Keras 2) too, and adapt()-built weights are named
as tf_keras names them.

Found by differential testing against tf_keras 2.21 / Keras 3.15 (/tmp/fuzzsave): tf_keras
refused every tork `.keras` file ("Unrecognized keyword arguments: ['batch_shape']", "cannot
import tf_keras.src.models.functional", Keras 3 node dicts, optimizer keys
`loss_scale_factor` / `gradient_accumulation_steps`), and compiled the loaded model with XLA
because tork wrote Keras 3's `jit_compile: "auto"` (its training step then failed on string
inputs and Embedding updates). Each spelling asserted below was checked to load in both
tf_keras 2.21 and Keras 3.15 (`keras.models.load_model` on the file tork wrote).
"""

import json
import zipfile

import numpy as np
import pytest

pytest.importorskip("h5py")
import h5py  # noqa: E402

from tork import keras  # noqa: E402


def _config(path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("config.json"))


def _layers(config) -> dict:
    return {layer["config"]["name"]: layer for layer in config["config"]["layers"]}


def _two_input_model():
    a = keras.Input((4,), name="a")
    b = keras.Input((3,), name="b")
    shared = keras.layers.Dense(5, name="shared")
    joined = keras.layers.Concatenate(name="cat")(
        [shared(a), shared(keras.layers.Dense(4, name="proj")(b))]
    )
    out1 = keras.layers.Dense(2, name="out1")(joined)
    out2 = keras.layers.Dense(1, name="out2")(joined)
    return keras.Model([a, b], [out1, out2], name="multi")


def _data():
    x = [
        np.linspace(-1, 1, 24, dtype="float32").reshape(6, 4),
        np.linspace(-1, 1, 18, dtype="float32").reshape(6, 3),
    ]
    return x, [np.ones((6, 2), "float32"), np.ones((6, 1), "float32")]


def test_functional_archive_uses_the_spellings_tf_keras_reads(tmp_path):
    model = _two_input_model()
    model.compile(keras.optimizers.Adam(0.01), loss=["mse", "mse"])
    x, y = _data()
    model.train_on_batch(x, y)
    model.save(tmp_path / "m.keras")
    config = _config(tmp_path / "m.keras")
    # tf_keras cannot import Keras 3's keras.src.models.functional; both resolve keras.models.Model.
    assert (config["module"], config["class_name"]) == ("keras.models", "Model")
    layers = _layers(config)
    # tf_keras's InputLayer rejects `batch_shape`; Keras 3 reads `batch_input_shape` too.
    assert layers["a"]["config"]["batch_input_shape"] == [None, 4]
    assert "batch_shape" not in layers["a"]["config"]
    # Keras 2's node lists (tf_keras cannot read Keras 3's {"args", "kwargs"} nodes).
    assert layers["shared"]["inbound_nodes"] == [[["a", 0, 0, {}]], [["proj", 0, 0, {}]]]
    assert layers["cat"]["inbound_nodes"] == [[["shared", 0, 0, {}], ["shared", 1, 0, {}]]]
    optimizer = config["compile_config"]["optimizer"]["config"]
    assert "loss_scale_factor" not in optimizer
    assert "gradient_accumulation_steps" not in optimizer
    assert optimizer["beta_1"] == 0.9 and optimizer["learning_rate"] == pytest.approx(0.01)
    # tf_keras reads "auto" as true and compiles with XLA; null is its own default.
    assert config["compile_config"]["jit_compile"] is None

    # tork reads the file back: same predictions, and training continues from the same state.
    loaded = keras.models.load_model(tmp_path / "m.keras")
    for got, want in zip(loaded.predict(x, verbose=0), model.predict(x, verbose=0)):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    model.train_on_batch(x, y)
    loaded.train_on_batch(x, y)
    for got, want in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


def test_set_keras3_optimizer_options_are_kept(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile(keras.optimizers.SGD(0.1, gradient_accumulation_steps=2), loss="mse")
    model.save(tmp_path / "m.keras")
    optimizer = _config(tmp_path / "m.keras")["compile_config"]["optimizer"]["config"]
    assert optimizer["gradient_accumulation_steps"] == 2
    assert "loss_scale_factor" not in optimizer
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.optimizer.gradient_accumulation_steps == 2


def test_explicit_jit_compile_is_kept(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile("sgd", loss="mse", jit_compile=False)
    model.save(tmp_path / "m.keras")
    assert _config(tmp_path / "m.keras")["compile_config"]["jit_compile"] is False


def test_legacy_optimizer_config_holds_only_what_tf_keras_legacy_takes(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile(keras.optimizers.legacy.Adam(0.01, decay=0.1), loss="mse")
    model.save(tmp_path / "m.keras")
    entry = _config(tmp_path / "m.keras")["compile_config"]["optimizer"]
    assert entry["module"] == "keras.optimizers.legacy"
    # tf_keras 2.21's legacy Adam rejects `weight_decay`, `use_ema`... ("Unexpected keyword
    # argument passed to optimizer"); its own get_config has exactly these keys.
    assert sorted(entry["config"]) == sorted(
        ["name", "learning_rate", "decay", "beta_1", "beta_2", "epsilon", "amsgrad"]
    )
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert type(loaded.optimizer) is keras.optimizers.legacy.Adam
    assert float(loaded.optimizer.decay) == pytest.approx(0.1)


def test_legacy_optimizer_keeps_set_clipping(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile(keras.optimizers.legacy.SGD(0.01, clipnorm=1.0), loss="mse")
    model.save(tmp_path / "m.keras")
    config = _config(tmp_path / "m.keras")["compile_config"]["optimizer"]["config"]
    assert config["clipnorm"] == 1.0 and "clipvalue" not in config
    assert keras.models.load_model(tmp_path / "m.keras").optimizer.clipnorm == 1.0


def test_nested_model_keeps_keras3_nodes_and_loads(tmp_path):
    # Keras 2 numbers an inner model's calls from 1 and Keras 3 from 0: no node list means
    # the same to both, so the Keras 3 form stays (Keras 3 and tork read it).
    inner_in = keras.Input((4,), name="inner_in")
    inner = keras.Model(inner_in, keras.layers.Dense(3, name="inner_d")(inner_in), name="inner")
    outer_in = keras.Input((4,), name="outer_in")
    model = keras.Model(outer_in, keras.layers.Dense(2, name="head")(inner(outer_in)))
    model.save(tmp_path / "m.keras")
    config = _config(tmp_path / "m.keras")
    head = _layers(config)["head"]
    assert isinstance(head["inbound_nodes"][0], dict)
    nested = _layers(config)["inner"]
    assert (nested["module"], nested["class_name"]) == ("keras.models", "Model")
    x = np.linspace(-1, 1, 8, dtype="float32").reshape(2, 4)
    loaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_tensor_keyword_arguments_keep_keras3_nodes(tmp_path):
    # Keras 3 reads Keras 2's tensor references in call kwargs (`value=`) as plain lists.
    q = keras.Input((3, 4), name="q")
    v = keras.Input((5, 4), name="v")
    out = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3, name="mha")(q, v)
    model = keras.Model([q, v], out)
    model.save(tmp_path / "m.keras")
    mha = _layers(_config(tmp_path / "m.keras"))["mha"]
    assert isinstance(mha["inbound_nodes"][0], dict)
    x = [np.ones((2, 3, 4), "float32"), np.ones((2, 5, 4), "float32")]
    loaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), 1e-6)


def test_archives_in_keras3_spelling_still_load(tmp_path):
    # Files written by earlier tork versions (and by Keras 3) spell the model the Keras 3 way.
    model = _two_input_model()
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    config = json.loads(members["config.json"])
    config.update(module="keras.src.models.functional", class_name="Functional")
    config["registered_name"] = "Functional"
    for layer in config["config"]["layers"]:
        if layer["class_name"] == "InputLayer":
            layer["config"]["batch_shape"] = layer["config"].pop("batch_input_shape")
    members["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(tmp_path / "k3.keras", "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    x, _ = _data()
    loaded = keras.models.load_model(tmp_path / "k3.keras")
    for got, want in zip(loaded.predict(x, verbose=0), model.predict(x, verbose=0)):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


# -- Normalization.adapt weight names ------------------------------------------------------


def test_adapted_normalization_weights_are_named_as_tf_keras_names_them(tmp_path):
    # tf_keras 2.21: Normalization(name="norm").adapt(...) gives weights
    # ['mean:0', 'variance:0', 'count:0'], and its .h5 file lists these weight_names under
    # model_weights/norm (tork wrote 'norm/mean:0').
    norm = keras.layers.Normalization(name="norm")
    data = np.array([[1.0, 2.0], [3.0, 5.0], [0.0, -1.0]], "float32")
    norm.adapt(data)
    assert [w.name for w in norm.weights] == ["mean:0", "variance:0", "count:0"]
    inputs = keras.Input((2,), name="x")
    model = keras.Model(inputs, keras.layers.Dense(2, name="o")(norm(inputs)))
    assert [w.name for w in model.weights][:3] == ["mean:0", "variance:0", "count:0"]
    model.save(tmp_path / "m.h5")
    with h5py.File(tmp_path / "m.h5", "r") as f:
        names = [
            n.decode() if isinstance(n, bytes) else str(n)
            for n in f["model_weights/norm"].attrs["weight_names"]
        ]
        assert names == ["mean:0", "variance:0", "count:0"]
        np.testing.assert_allclose(f["model_weights/norm/mean:0"][()], [4 / 3, 2.0], rtol=1e-6)
    loaded = keras.models.load_model(tmp_path / "m.h5")
    np.testing.assert_allclose(loaded.predict(data, verbose=0), model.predict(data, verbose=0))


def test_two_adapted_normalizations_round_trip(tmp_path):
    # Unscoped names repeat across layers ("mean:0" twice), as in tf_keras; files still map
    # each weight to its own layer.
    first = keras.layers.Normalization(name="na")
    first.adapt(np.array([[1.0, 2.0], [3.0, 5.0]], "float32"))
    second = keras.layers.Normalization(name="nb")
    second.adapt(np.array([[10.0, 20.0], [30.0, 50.0]], "float32"))
    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Add()([first(inputs), second(inputs)]))
    x = np.array([[1.0, 1.0], [2.0, 3.0]], "float32")
    # (x - mean) / std per layer, summed: means [2, 3.5] / [20, 35], stds [1, 1.5] / [10, 15].
    want = (x - [2, 3.5]) / [1, 1.5] + (x - [20, 35]) / [10, 15]
    np.testing.assert_allclose(model.predict(x, verbose=0), want, rtol=1e-5)
    for name in ("m.keras", "m.h5"):
        model.save(tmp_path / name)
        loaded = keras.models.load_model(tmp_path / name)
        np.testing.assert_allclose(loaded.predict(x, verbose=0), want, rtol=1e-5)


# -- adapted Discretization -----------------------------------------------------------------


def _adapted_discretization_model():
    disc = keras.layers.Discretization(num_bins=3, epsilon=0.01, name="disc")
    disc.adapt(np.array([[0.1], [0.5], [0.9], [1.5], [2.5], [3.0]], "float32"))
    inputs = keras.Input((1,), name="x")
    return keras.Model(inputs, disc(inputs))


@pytest.mark.parametrize("suffix", ["h5", "keras"])
def test_adapted_discretization_is_written_as_its_boundaries(tmp_path, suffix):
    # tf_keras 2.21 rejects a config holding both ("Both `num_bins` and `bin_boundaries`
    # should not be set"); with the boundaries alone it loads tork's file. Its own adapt on
    # this data gives boundaries [0.5, 1.5] and bins [0, 1, 2, 2] for the inputs below.
    model = _adapted_discretization_model()
    path = tmp_path / f"m.{suffix}"
    model.save(path)
    if suffix == "h5":
        with h5py.File(path, "r") as f:
            layers = json.loads(f.attrs["model_config"])["config"]["layers"]
    else:
        layers = _config(path)["config"]["layers"]
    config = next(layer for layer in layers if layer["config"]["name"] == "disc")["config"]
    assert config["num_bins"] is None
    np.testing.assert_allclose(config["bin_boundaries"], [0.5, 1.5], rtol=1e-6)
    x = np.array([[0.0], [0.7], [1.6], [9.0]], "float32")
    loaded = keras.models.load_model(path)
    np.testing.assert_array_equal(np.ravel(loaded.predict(x, verbose=0)), [0, 1, 2, 2])
    # The in-memory layer keeps Keras 3's config (both, consistent).
    assert model.get_layer("disc").get_config()["num_bins"] == 3


def test_keras3_only_layer_options_are_left_out_at_their_defaults(tmp_path):
    # tf_keras 2.21's GRU / SimpleRNN reject `seed` ("Keyword argument not understood:
    # 'seed'"), BatchNormalization rejects `synchronized`; Keras 3 takes them as defaults.
    model = keras.Sequential(
        [
            keras.Input((5, 3)),
            keras.layers.GRU(4, return_sequences=True, name="g"),
            keras.layers.TimeDistributed(keras.layers.Dense(2), name="td"),
            keras.layers.SimpleRNN(3, name="s"),
            keras.layers.BatchNormalization(name="bn"),
        ]
    )
    model.save(tmp_path / "m.keras")
    layers = _layers(_config(tmp_path / "m.keras"))
    assert "seed" not in layers["g"]["config"] and "seed" not in layers["s"]["config"]
    assert "synchronized" not in layers["bn"]["config"]
    x = np.linspace(-1, 1, 30, dtype="float32").reshape(2, 5, 3)
    loaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), 1e-6)
    assert loaded.get_layer("g").get_config()["seed"] is None

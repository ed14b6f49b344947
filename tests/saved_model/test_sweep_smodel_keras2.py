"""SavedModel details of Keras 2 (tf_keras 2.21), checked against its runs.

Expected specs, names and behaviours come from the same programs run with
TF_USE_LEGACY_KERAS=1 on TensorFlow / tf_keras 2.21 (noted at each test); expected
values from NumPy.
"""

import warnings

import h5py
import numpy as np
import pytest

import tork as tf

keras = tf.keras

X = np.array([[0.5, -1.0, 2.0], [1.0, 0.25, -0.5], [0.0, 1.5, 1.0], [-2.0, 0.5, 0.75]], "float32")
Y = np.array([[1.0], [0.0], [-1.0], [0.5]], "float32")
KERNEL = np.array([[0.5], [-0.25], [1.0]], "float32")
BIAS = np.array([0.1], "float32")


def _names_and_shapes(specs: dict) -> dict:
    return {k: (tuple(s.shape), s.dtype) for k, s in specs.items()}


def _signature(path):
    return tf.saved_model.load(str(path)).signatures["serving_default"]


def _compiled_dense():
    inp = keras.Input((3,), name="inp")
    model = keras.Model(inp, keras.layers.Dense(1, name="d")(inp), name="m")
    model.set_weights([KERNEL, BIAS])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    model.fit(X, Y, epochs=2, verbose=0)
    return model


# -- (1) model.save(dir, include_optimizer=False) ------------------------------------------


def test_directory_save_without_optimizer_loads_uncompiled(tmp_path):
    # tf_keras 2.21: load_model gives optimizer None, metrics_names [], and evaluate/fit
    # raise RuntimeError "You must compile your model before training/testing."
    model = _compiled_dense()
    path = str(tmp_path / "m")
    model.save(path, include_optimizer=False)
    with pytest.warns(UserWarning, match=r"No training configuration found.*not\* compiled"):
        loaded = keras.models.load_model(path)
    assert loaded.optimizer is None
    assert loaded.metrics_names == []
    with pytest.raises(RuntimeError, match="compile"):
        loaded.evaluate(X, Y, verbose=0)
    with pytest.raises(RuntimeError, match="compile"):
        loaded.fit(X, Y, verbose=0)
    for got, want in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(got, want)
    with h5py.File(str(tmp_path / "m" / "model.weights.h5")) as f:
        assert "optimizer" not in f
    # The model itself stays compiled; a later save keeps the optimizer (tf_keras: Adam).
    model.save(path)
    again = keras.models.load_model(path)
    assert type(again.optimizer).__name__ == "Adam"
    assert again.evaluate(X, Y, verbose=0) == pytest.approx(model.evaluate(X, Y, verbose=0))


def test_directory_save_without_optimizer_of_a_subclassed_model(tmp_path):
    class Sub(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.d = keras.layers.Dense(1)

        def call(self, x):
            return self.d(x)

    model = Sub(name="sub")
    model.compile("adam", "mse")
    model.fit(X, Y, verbose=0)
    path = str(tmp_path / "m")
    model.save(path, include_optimizer=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # compile=False: no word about the training config
        loaded = keras.models.load_model(path, custom_objects={"Sub": Sub}, compile=False)
    assert loaded.optimizer is None
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0))
    # The SavedModel files beside the Keras ones hold the model's weights only.
    assert len(tf.saved_model.load(path).variables) == 2


# -- (2) a subclassed model first called by fit/predict on a dataset --------------------------

EMBED = (np.arange(30, dtype="float32").reshape(10, 3) - 15.0) / 10.0
W = np.array([[0.5, -1.0], [0.25, 0.75], [-0.5, 0.1]], "float32")
B = np.array([0.2, -0.3], "float32")
SEQS = [[1, 2, 3], [4, 5], [6, 7, 8, 9], [1]]


def _expected(ids):
    return EMBED[ids].mean(axis=1) @ W + B


def _ids_model_class():
    # Local: load_model cannot find it, so tf.saved_model.load reads the saved programs.
    class Ids(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.e = keras.layers.Embedding(10, 3)
            self.p = keras.layers.GlobalAveragePooling1D()
            self.d = keras.layers.Dense(2)

        def call(self, x):
            return self.d(self.p(self.e(x)))

    return Ids


def _padded_dataset():
    ds = tf.data.Dataset.from_generator(
        lambda: iter(SEQS), output_signature=tf.TensorSpec([None], tf.int32)
    ).padded_batch(2)
    return ds.map(lambda s: (s, tf.ones([tf.shape(s)[0], 2])))


def _fitted_on_padded_batches():
    model = _ids_model_class()(name="ids")
    model.compile("sgd", "mse")
    model.fit(_padded_dataset(), epochs=1, verbose=0)
    model.set_weights([EMBED, W, B])
    return model


# tf_keras 2.21, fit on padded_batch(2) (element_spec ((None, None) int32, ...)), then
# model.save(dir) or tf.saved_model.save: {'input_1': (None, None) int32} ->
# {'output_1': (None, 2) float32}.
_IDS_INPUT = {"input_1": ((None, None), tf.int32)}
_IDS_OUTPUT = {"output_1": ((None, 2), tf.float32)}


@pytest.mark.parametrize("how", ["model.save", "tf.saved_model.save"])
def test_dataset_free_sizes_stay_free_in_the_signature(tmp_path, how):
    model = _fitted_on_padded_batches()
    path = str(tmp_path / "m")
    model.save(path) if how == "model.save" else tf.saved_model.save(model, path)
    signature = _signature(path)  # from the saved programs (the class is not found)
    assert _names_and_shapes(signature.structured_input_signature[1]) == _IDS_INPUT
    assert _names_and_shapes(signature.structured_outputs) == _IDS_OUTPUT
    ids = np.array([[1, 2, 3, 4, 5]], "int32")  # longer than any batch fitted on
    out = signature(input_1=tf.constant(ids))["output_1"].numpy()
    np.testing.assert_allclose(out, _expected(ids), rtol=1e-5, atol=1e-6)


def test_dataset_free_sizes_with_the_class_available(tmp_path):
    model = _fitted_on_padded_batches()
    model.save(str(tmp_path / "m"))
    cls = type(model)
    keras.saving.get_custom_objects()[cls.__name__] = cls
    try:
        signature = _signature(tmp_path / "m")  # the model recreated from the Keras files
    finally:
        del keras.saving.get_custom_objects()[cls.__name__]
    assert _names_and_shapes(signature.structured_input_signature[1]) == _IDS_INPUT
    assert _names_and_shapes(signature.structured_outputs) == _IDS_OUTPUT
    ids = np.array([[9, 8, 7, 6, 5, 4]], "int32")
    out = signature(input_1=tf.constant(ids))["output_1"].numpy()
    np.testing.assert_allclose(out, _expected(ids), rtol=1e-5, atol=1e-6)


def test_predict_on_a_dataset_records_its_spec_and_a_direct_call_does_not(tmp_path):
    ids = tf.data.Dataset.from_generator(
        lambda: iter(SEQS), output_signature=tf.TensorSpec([None], tf.int32)
    ).padded_batch(2)
    model = _ids_model_class()(name="ids")
    model.predict(ids, verbose=0)
    tf.saved_model.save(model, str(tmp_path / "p"))
    signature = _signature(tmp_path / "p")
    assert _names_and_shapes(signature.structured_input_signature[1]) == _IDS_INPUT
    # tf_keras 2.21: a first direct call on (2, 4) ids saves {'input_1': (None, 4)}, even
    # if fit on a padded dataset follows.
    model = _ids_model_class()(name="ids")
    model(np.ones((2, 4), "int32"))
    model.compile("sgd", "mse")
    model.fit(_padded_dataset(), verbose=0)
    tf.saved_model.save(model, str(tmp_path / "c"))
    signature = _signature(tmp_path / "c")
    assert _names_and_shapes(signature.structured_input_signature[1]) == {
        "input_1": ((None, 4), tf.int32)
    }


# -- (3) batch sizes fixed by the model --------------------------------------------------------


def test_functional_input_batch_size_is_kept(tmp_path):
    # tf_keras 2.21, Input((4, 3), batch_size=2, name='x') -> Dense(2, name='dd'):
    # {'x': (2, 4, 3)} -> {'dd': (2, 4, 2)}, for model.save(dir) and tf.saved_model.save.
    inp = keras.Input((4, 3), batch_size=2, name="x")
    model = keras.Model(inp, keras.layers.Dense(2, name="dd")(inp))
    for path in (tmp_path / "a", tmp_path / "b"):
        if path.name == "a":
            model.save(str(path))
        else:
            tf.saved_model.save(model, str(path))
        signature = _signature(path)
        assert _names_and_shapes(signature.structured_input_signature[1]) == {
            "x": ((2, 4, 3), tf.float32)
        }
        assert _names_and_shapes(signature.structured_outputs) == {"dd": ((2, 4, 2), tf.float32)}


class _StatefulSub(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.rnn = keras.layers.SimpleRNN(2, stateful=True)

    def call(self, x):
        return self.rnn(x)


def test_stateful_subclassed_model_outputs_have_the_states_batch_size(tmp_path):
    # tf_keras 2.21, a subclassed model around SimpleRNN(2, stateful=True) first called on
    # (4, 5, 3): serving_default {'input_1': (None, 5, 3)} -> {'output_1': (4, 2)}.
    x = np.linspace(-1.0, 1.0, 60, dtype="float32").reshape(4, 5, 3)
    model = _StatefulSub(name="st")
    model(x)
    kernel = np.array([[0.5, -0.25], [0.1, 0.3], [-0.4, 0.2]], "float32")
    recurrent = np.array([[0.2, -0.5], [0.7, 0.1]], "float32")
    bias = np.array([0.05, -0.1], "float32")
    model.set_weights([kernel, recurrent, bias])
    model.reset_states()
    keras.saving.get_custom_objects()["_StatefulSub"] = _StatefulSub
    try:
        with pytest.warns(UserWarning, match="stateful RNN"):
            model.save(str(tmp_path / "m"))
        signature = _signature(tmp_path / "m")
    finally:
        del keras.saving.get_custom_objects()["_StatefulSub"]
    assert _names_and_shapes(signature.structured_input_signature[1]) == {
        "input_1": ((None, 5, 3), tf.float32)
    }
    assert _names_and_shapes(signature.structured_outputs) == {"output_1": ((4, 2), tf.float32)}
    state = np.zeros((4, 2), "float32")
    for t in range(5):
        state = np.tanh(x[:, t] @ kernel + state @ recurrent + bias)
    out = signature(input_1=tf.constant(x))["output_1"].numpy()
    np.testing.assert_allclose(out, state, rtol=1e-5, atol=1e-6)


def test_stateful_model_cannot_be_saved_as_programs(tmp_path):
    # tf_keras saves it (states as variables); tork's saved programs would restart from
    # the saved states at every call, so tf.saved_model.save refuses instead.
    model = keras.Sequential(
        [keras.layers.LSTM(2, stateful=True, batch_input_shape=(2, 4, 3), name="lstm")],
        name="s",
    )
    with pytest.raises(ValueError, match=r"stateful RNN layer\(s\) \['lstm'\].*model.keras"):
        tf.saved_model.save(model, str(tmp_path / "m"))
    # model.save(dir): tf_keras 2.21 gives {'lstm_input': (2, 4, 3)} -> {'lstm': (2, 2)}.
    model.save(str(tmp_path / "d"))
    signature = _signature(tmp_path / "d")
    assert _names_and_shapes(signature.structured_input_signature[1]) == {
        "lstm_input": ((2, 4, 3), tf.float32)
    }
    assert _names_and_shapes(signature.structured_outputs) == {"lstm": ((2, 2), tf.float32)}


# -- (4) a subclassed model only built ----------------------------------------------------------


def test_built_subclassed_model_saves(tmp_path):
    # tf_keras 2.21 refuses (ValueError "cannot be saved either because the input shape is
    # not available...", although that message says to call build()); tork keeps its
    # documented behaviour: a built model saves, with the signature a called one gets.
    class Built(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.d = keras.layers.Dense(1)

        def call(self, x):
            return self.d(x)

    model = Built(name="built")
    model.build((None, 3))
    model.set_weights([KERNEL, BIAS])
    model.save(str(tmp_path / "m"))
    signature = _signature(tmp_path / "m")
    assert _names_and_shapes(signature.structured_input_signature[1]) == {
        "input_1": ((None, 3), tf.float32)
    }
    assert _names_and_shapes(signature.structured_outputs) == {"output_1": ((None, 1), tf.float32)}
    out = signature(input_1=tf.constant(X))["output_1"].numpy()
    np.testing.assert_allclose(out, X @ KERNEL + BIAS, rtol=1e-6)


# -- (5) several signatures ------------------------------------------------------------------


class _Several(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable([[1.0, 2.0], [3.0, 4.0]])

    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32, name="x")])
    def predict(self, x):
        scores = tf.matmul(x, self.w)
        return {"scores": scores, "label": tf.argmax(scores, axis=1)}

    @tf.function(
        input_signature=[
            tf.TensorSpec([None, 2], tf.float32),
            tf.TensorSpec([None], tf.int64, name="ids"),
        ]
    )
    def pair(self, a, ids):
        return tf.reduce_sum(a, axis=1) + tf.cast(ids, tf.float32), a * 2.0

    @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
    def scalar(self, s):
        return s * 3.0


def test_several_signatures_and_their_structured_outputs(tmp_path):
    module = _Several()
    tf.saved_model.save(
        module,
        str(tmp_path / "m"),
        signatures={
            "serving_default": module.predict,
            "pair": module.pair,
            "scal": module.scalar.get_concrete_function(),
        },
    )
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    assert sorted(loaded.signatures.keys()) == ["pair", "scal", "serving_default"]
    # tf_keras/TF 2.21: a returned dict's outputs come sorted by key.
    serving = loaded.signatures["serving_default"]
    assert list(serving.structured_outputs) == ["label", "scores"]
    assert _names_and_shapes(serving.structured_outputs) == {
        "label": ((None,), tf.int64),
        "scores": ((None, 2), tf.float32),
    }
    pair = loaded.signatures["pair"]
    assert _names_and_shapes(pair.structured_input_signature[1]) == {
        "a": ((None, 2), tf.float32),
        "ids": ((None,), tf.int64),
    }
    assert _names_and_shapes(pair.structured_outputs) == {
        "output_0": ((None,), tf.float32),
        "output_1": ((None, 2), tf.float32),
    }
    scal = loaded.signatures["scal"]
    assert _names_and_shapes(scal.structured_input_signature[1]) == {"s": ((), tf.float32)}
    assert _names_and_shapes(scal.structured_outputs) == {"output_0": ((), tf.float32)}
    x = tf.constant([[1.0, 1.0], [0.0, 1.0]])
    got = serving(x=x)
    assert list(got) == ["label", "scores"]
    np.testing.assert_allclose(got["scores"].numpy(), [[4.0, 6.0], [3.0, 4.0]])
    np.testing.assert_array_equal(got["label"].numpy(), [1, 1])
    got = pair(a=x, ids=tf.constant([1, 2], tf.int64))
    np.testing.assert_allclose(got["output_0"].numpy(), [3.0, 3.0])
    np.testing.assert_allclose(got["output_1"].numpy(), [[2.0, 2.0], [0.0, 2.0]])
    assert float(scal(s=tf.constant(2.0))["output_0"]) == 6.0
    np.testing.assert_allclose(loaded.predict(x)["scores"].numpy(), [[4.0, 6.0], [3.0, 4.0]])


# -- (6) custom_objects and compile=False ---------------------------------------------------


def test_load_directory_with_custom_objects_and_compile_false(tmp_path):
    class Custom(keras.Model):
        def __init__(self, units=1, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.d = keras.layers.Dense(units)

        def call(self, x):
            return self.d(x)

        def get_config(self):
            return {"units": self.units, "name": self.name}

    model = Custom(name="custom")
    model.compile("adam", "mse")
    model.fit(X, Y, verbose=0)
    model.save(str(tmp_path / "m"))
    want = model.predict(X, verbose=0)
    loaded = keras.models.load_model(
        str(tmp_path / "m"), custom_objects={"Custom": Custom}, compile=False
    )
    assert type(loaded) is Custom and loaded.units == 1
    assert loaded.optimizer is None  # tf_keras 2.21: a RestoredOptimizer (see the report)
    np.testing.assert_allclose(loaded.predict(X, verbose=0), want, rtol=1e-6)
    compiled = keras.models.load_model(str(tmp_path / "m"), custom_objects={"Custom": Custom})
    assert type(compiled.optimizer).__name__ == "Adam"  # tf_keras 2.21: Adam


# -- (7) model.export (Keras 3's ExportArchive) --------------------------------------------


def test_model_export_round_trip(tmp_path):
    # tf_keras 2.21 and Keras 3 give the same: endpoint `serve`, and serving_default
    # {'x': (None, 3)} -> {'output_0': (None, 2)}; serve(ones((1, 3))) == [[7.0, 8.0]].
    inp = keras.Input((3,), name="x")
    model = keras.Model(inp, keras.layers.Dense(2, name="d")(inp))
    model.set_weights([np.arange(6, dtype="float32").reshape(3, 2), np.array([1, -1], "float32")])
    model.export(str(tmp_path / "e"), verbose=False)
    loaded = tf.saved_model.load(str(tmp_path / "e"))
    np.testing.assert_allclose(loaded.serve(tf.ones((1, 3))).numpy(), [[7.0, 8.0]])
    signature = loaded.signatures["serving_default"]
    assert _names_and_shapes(signature.structured_input_signature[1]) == {
        "x": ((None, 3), tf.float32)
    }
    assert _names_and_shapes(signature.structured_outputs) == {"output_0": ((None, 2), tf.float32)}
    np.testing.assert_allclose(signature(x=tf.ones((2, 3)))["output_0"].numpy(), [[7.0, 8.0]] * 2)

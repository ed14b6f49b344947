"""`model.save("dir")` of subclassed models, then `tf.saved_model.load` / `load_model`.

Keras 2 wrote a SavedModel for a path without '.keras'/'.h5'; its `serving_default`
for a subclassed model is named `input_1`... (a dict's keys) -> `output_1`... (a
dict's keys). Expected names, specs and errors come from tf_keras 2.21 runs of the
same programs (TF_USE_LEGACY_KERAS=1, TensorFlow 2.21); expected values from NumPy.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras

X = (np.arange(8, dtype="float32").reshape(2, 4) - 3.0) / 4.0
W1 = np.array(
    [[0.5, -1.0, 0.25], [1.0, 0.5, -0.5], [-0.25, 0.75, 1.0], [0.3, -0.2, 0.1]], "float32"
)
B1 = np.array([0.1, -0.1, 0.2], "float32")
W2 = np.array([[1.0, -0.5], [0.25, 2.0], [-1.0, 0.5]], "float32")
B2 = np.array([0.05, -0.05], "float32")


def _expected(x):
    return np.maximum(x @ W1 + B1, 0.0) @ W2 + B2


class _TwoDense(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.d1 = keras.layers.Dense(3, activation="relu")
        self.d2 = keras.layers.Dense(2)

    def call(self, x, training=None):
        return self.d2(self.d1(x))


class _DictIn(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.d1 = keras.layers.Dense(3)
        self.d2 = keras.layers.Dense(2)

    def call(self, inputs):
        return self.d1(inputs["a"]) + self.d2(inputs["b"])[:, :1]


class _TupleOut(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.d1 = keras.layers.Dense(3)
        self.d2 = keras.layers.Dense(2)

    def call(self, x):
        return self.d1(x), self.d2(x)


class _DictOut(_TupleOut):
    def call(self, x):
        return {"p": self.d1(x), "q": self.d2(x)}


class _ListIn(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.d1 = keras.layers.Dense(3)

    def call(self, xs):
        a, b = xs
        return self.d1(tf.concat([a, b], -1))


def _two_dense():
    model = _TwoDense(name="two_dense")
    model(X)
    model.set_weights([W1, B1, W2, B2])
    return model


def _signature(path):
    return tf.saved_model.load(str(path)).signatures["serving_default"]


def _names_and_shapes(specs: dict) -> dict:
    return {k: (tuple(s.shape), s.dtype) for k, s in specs.items()}


def test_called_subclassed_model_gets_serving_default(tmp_path):
    model = _two_dense()
    model.save(str(tmp_path / "m"))
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    assert list(loaded.signatures) == ["serving_default"]
    signature = loaded.signatures["serving_default"]
    args, specs = signature.structured_input_signature
    # tf_keras: {'input_1': TensorSpec(shape=(None, 4), dtype=tf.float32, name='input_1')}
    assert args == ()
    assert _names_and_shapes(specs) == {"input_1": ((None, 4), tf.float32)}
    assert specs["input_1"].name == "input_1"
    # tf_keras: {'output_1': TensorSpec(shape=(None, 2), dtype=tf.float32, name='output_1')}
    assert _names_and_shapes(signature.structured_outputs) == {"output_1": ((None, 2), tf.float32)}
    out = signature(tf.constant(X))
    assert list(out) == ["output_1"]
    np.testing.assert_allclose(out["output_1"].numpy(), _expected(X), rtol=1e-5, atol=1e-6)
    out = signature(input_1=tf.constant(X[:1]))
    np.testing.assert_allclose(out["output_1"].numpy(), _expected(X[:1]), rtol=1e-5, atol=1e-6)
    # The loaded object is also callable, as Keras 2's restored model is.
    np.testing.assert_allclose(loaded(tf.constant(X)).numpy(), _expected(X), rtol=1e-5, atol=1e-6)


def test_signature_call_names_its_inputs_in_errors(tmp_path):
    _two_dense().save(str(tmp_path / "m"))
    signature = _signature(tmp_path / "m")
    with pytest.raises(TypeError, match=r"takes the inputs \['input_1'\], got \['x'\]"):
        signature(x=tf.constant(X))
    with pytest.raises(TypeError, match=r"takes 1 input\(s\) \(input_1\), got 2 positional"):
        signature(tf.constant(X), tf.constant(X))


def test_model_fit_on_dict_is_named_by_its_keys(tmp_path):
    model = _DictIn(name="dict_in")
    model.compile("adam", "mse")
    model.fit({"a": X, "b": X[:, :2]}, np.ones((2, 3), "float32"), verbose=0)
    model.save(str(tmp_path / "m"))
    signature = _signature(tmp_path / "m")
    # tf_keras: inputs {'a': (None, 4), 'b': (None, 2)}, outputs {'output_1': (None, 3)}.
    assert _names_and_shapes(signature.structured_input_signature[1]) == {
        "a": ((None, 4), tf.float32),
        "b": ((None, 2), tf.float32),
    }
    assert _names_and_shapes(signature.structured_outputs) == {"output_1": ((None, 3), tf.float32)}
    w1, b1, w2, b2 = model.get_weights()
    out = signature(a=tf.constant(X), b=tf.constant(X[:, :2]))
    want = X @ w1 + b1 + (X[:, :2] @ w2 + b2)[:, :1]
    np.testing.assert_allclose(out["output_1"].numpy(), want, rtol=1e-5, atol=1e-6)


def test_tuple_outputs_are_numbered_from_one(tmp_path):
    model = _TupleOut(name="tuple_out")
    model(X)
    model.save(str(tmp_path / "m"))
    signature = _signature(tmp_path / "m")
    # tf_keras: {'input_1': (None, 4)} -> {'output_1': (None, 3), 'output_2': (None, 2)}
    assert _names_and_shapes(signature.structured_input_signature[1]) == {
        "input_1": ((None, 4), tf.float32)
    }
    assert _names_and_shapes(signature.structured_outputs) == {
        "output_1": ((None, 3), tf.float32),
        "output_2": ((None, 2), tf.float32),
    }
    w1, b1, w2, b2 = model.get_weights()
    out = signature(input_1=tf.constant(X))
    np.testing.assert_allclose(out["output_1"].numpy(), X @ w1 + b1, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out["output_2"].numpy(), X @ w2 + b2, rtol=1e-5, atol=1e-6)


def test_dict_outputs_keep_their_keys(tmp_path):
    model = _DictOut(name="dict_out")
    model(X)
    model.save(str(tmp_path / "m"))
    signature = _signature(tmp_path / "m")
    # tf_keras: {'input_1': (None, 4)} -> {'p': (None, 3), 'q': (None, 2)}
    assert list(signature.structured_input_signature[1]) == ["input_1"]
    assert _names_and_shapes(signature.structured_outputs) == {
        "p": ((None, 3), tf.float32),
        "q": ((None, 2), tf.float32),
    }
    w1, b1, _, _ = model.get_weights()
    out = signature(input_1=tf.constant(X))
    assert sorted(out) == ["p", "q"]
    np.testing.assert_allclose(out["p"].numpy(), X @ w1 + b1, rtol=1e-5, atol=1e-6)


def test_list_inputs_are_numbered_from_one(tmp_path):
    model = _ListIn(name="list_in")
    model([X, X[:, :2]])
    model.save(str(tmp_path / "m"))
    signature = _signature(tmp_path / "m")
    # tf_keras: {'input_1': (None, 4), 'input_2': (None, 2)} -> {'output_1': (None, 3)}
    assert _names_and_shapes(signature.structured_input_signature[1]) == {
        "input_1": ((None, 4), tf.float32),
        "input_2": ((None, 2), tf.float32),
    }
    assert list(signature.structured_outputs) == ["output_1"]
    w, b = model.get_weights()
    out = signature(input_1=tf.constant(X), input_2=tf.constant(X[:, :2]))
    want = np.concatenate([X, X[:, :2]], -1) @ w + b
    np.testing.assert_allclose(out["output_1"].numpy(), want, rtol=1e-5, atol=1e-6)


def test_never_called_model_cannot_be_saved_as_a_directory(tmp_path):
    # tf_keras raises this ValueError from model.save(dir) (the '.keras' format saves).
    with pytest.raises(
        ValueError,
        match=r"cannot be saved either because the input shape is not available or because "
        r"the forward pass of the model is not defined.*call the model on actual data",
    ):
        _TwoDense(name="uncalled").save(str(tmp_path / "m"))
    assert not (tmp_path / "m").exists()
    with pytest.raises(
        ValueError, match=r"cannot be saved because the input shape is not available"
    ):
        keras.Sequential([keras.layers.Dense(2)]).save(str(tmp_path / "s"))
    _TwoDense(name="uncalled").save(str(tmp_path / "m.keras"))
    assert (tmp_path / "m.keras").is_file()


def test_save_with_a_concrete_function_signature(tmp_path):
    # TFLite's guide: model.save(dir, signatures=tf.function(...).get_concrete_function(spec)).
    model = _two_dense()
    run = tf.function(lambda x: model(x))
    concrete = run.get_concrete_function(tf.TensorSpec([None, 4], tf.float32, name="feat"))
    model.save(str(tmp_path / "m"), signatures=concrete)
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    signature = loaded.signatures["serving_default"]
    # tf_keras: {'feat': (None, 4)} -> {'output_0': (None, 2)}
    assert _names_and_shapes(signature.structured_input_signature[1]) == {
        "feat": ((None, 4), tf.float32)
    }
    assert _names_and_shapes(signature.structured_outputs) == {"output_0": ((None, 2), tf.float32)}
    out = signature(feat=tf.constant(X))
    np.testing.assert_allclose(out["output_0"].numpy(), _expected(X), rtol=1e-5, atol=1e-6)
    # The Keras files are still there for load_model.
    restored = keras.models.load_model(str(tmp_path / "m"))
    np.testing.assert_allclose(restored.predict(X, verbose=0), _expected(X), rtol=1e-5, atol=1e-6)
    # Saved again without signatures: the model's own serving_default.
    model.save(str(tmp_path / "m"))
    assert list(_signature(tmp_path / "m").structured_input_signature[1]) == ["input_1"]


def test_save_with_a_dict_of_signatures(tmp_path):
    model = _two_dense()

    @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32, name="z")])
    def serve(z):
        return {"probs": tf.nn.softmax(model(z))}

    model.save(str(tmp_path / "m"), signatures={"serving_default": serve, "other": serve})
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    # tf_keras: both keys, {'z': (None, 4)} -> {'probs': (None, 2)}
    assert sorted(loaded.signatures) == ["other", "serving_default"]
    for key in ("serving_default", "other"):
        signature = loaded.signatures[key]
        assert list(signature.structured_input_signature[1]) == ["z"]
        assert _names_and_shapes(signature.structured_outputs) == {"probs": ((None, 2), tf.float32)}
    logits = _expected(X)
    want = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    out = loaded.signatures["other"](z=tf.constant(X))
    np.testing.assert_allclose(out["probs"].numpy(), want, rtol=1e-5, atol=1e-6)


def test_tf_saved_model_save_with_a_tf_function_call(tmp_path):
    class Decorated(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.d = keras.layers.Dense(2)

        @tf.function
        def call(self, x):
            return self.d(x)

    model = Decorated(name="decorated")
    model(X)
    spec = tf.TensorSpec([None, 4], tf.float32)
    tf.saved_model.save(
        model, str(tmp_path / "a"), signatures=model.call.get_concrete_function(spec)
    )
    signature = _signature(tmp_path / "a")
    # tf_keras: {'x': (None, 4)} -> {'output_0': (None, 2)} (named after call's parameter)
    assert list(signature.structured_input_signature[1]) == ["x"]
    assert list(signature.structured_outputs) == ["output_0"]
    named = tf.TensorSpec([None, 4], tf.float32, name="w")
    model.save(str(tmp_path / "b"), signatures=model.call.get_concrete_function(named))
    signature = _signature(tmp_path / "b")
    assert list(signature.structured_input_signature[1]) == ["w"]
    w, b = model.get_weights()
    out = signature(w=tf.constant(X))
    np.testing.assert_allclose(out["output_0"].numpy(), X @ w + b, rtol=1e-5, atol=1e-6)


def test_load_model_restores_a_fit_subclassed_model(tmp_path):
    model = _TwoDense(name="fit_me")
    model.compile(keras.optimizers.Adam(0.01), "mse", metrics=["mae"])
    y = np.ones((2, 2), "float32")
    model.fit(X, y, epochs=2, verbose=0)
    model.save(str(tmp_path / "m"))
    restored = keras.models.load_model(str(tmp_path / "m"))
    # tf_keras: the class's name, Adam with learning rate 0.01, same predictions.
    assert type(restored).__name__ == "_TwoDense"
    assert type(restored.optimizer).__name__ == "Adam"
    np.testing.assert_allclose(float(restored.optimizer.learning_rate), 0.01, rtol=1e-6)
    predicted = model.predict(X, verbose=0)
    np.testing.assert_allclose(restored.predict(X, verbose=0), predicted, rtol=1e-6)
    result = restored.evaluate(X, y, verbose=0, return_dict=True)
    np.testing.assert_allclose(result["loss"], np.mean((predicted - y) ** 2), rtol=1e-5)
    np.testing.assert_allclose(result["mae"], np.mean(np.abs(predicted - y)), rtol=1e-5)


def test_tf_saved_model_save_of_a_never_called_model_has_no_signature(tmp_path):
    # tf_keras: tf.saved_model.save saves it, with no signatures.
    tf.saved_model.save(_TwoDense(name="uncalled"), str(tmp_path / "m"))
    assert list(tf.saved_model.load(str(tmp_path / "m")).signatures) == []


class _Sequences(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.rnn = keras.layers.SimpleRNN(3, return_sequences=True)
        self.d = keras.layers.Dense(2)

    def call(self, x):
        states = self.rnn(x)
        return states, self.d(tf.reduce_mean(states, 1))


def test_free_sizes_stay_free_in_the_output_specs(tmp_path):
    # tf_keras (the model fit on a dataset of (None, None, 4) batches, then saved):
    # {'input_1': (None, None, 4)} -> {'output_1': (None, None, 3), 'output_2': (None, 2)}.
    model = _Sequences(name="sequences")
    model.build((None, None, 4))
    model.save(str(tmp_path / "m"))
    signature = _signature(tmp_path / "m")
    assert _names_and_shapes(signature.structured_input_signature[1]) == {
        "input_1": ((None, None, 4), tf.float32)
    }
    assert _names_and_shapes(signature.structured_outputs) == {
        "output_1": ((None, None, 3), tf.float32),
        "output_2": ((None, 2), tf.float32),
    }
    x = np.linspace(-1.0, 1.0, 2 * 7 * 4, dtype="float32").reshape(2, 7, 4)
    kernel, recurrent, bias, w, b = model.get_weights()
    state = np.zeros((2, 3), "float32")
    states = []
    for t in range(7):
        state = np.tanh(x[:, t] @ kernel + state @ recurrent + bias)
        states.append(state)
    states = np.stack(states, 1)
    out = signature(input_1=tf.constant(x))
    np.testing.assert_allclose(out["output_1"].numpy(), states, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        out["output_2"].numpy(), states.mean(1) @ w + b, rtol=1e-5, atol=1e-6
    )


class _Stateful(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.rnn = keras.layers.SimpleRNN(2, stateful=True)

    def call(self, x):
        return self.rnn(x)


def test_loading_leaves_a_stateful_model_at_its_initial_state(tmp_path):
    # tf_keras: the first serving_default call starts from zero states, and the next
    # call goes on from the states the first one left.
    x = np.linspace(-1.0, 1.0, 24, dtype="float32").reshape(2, 3, 4)
    model = _Stateful(name="stateful")
    model(x)
    kernel = np.array([[0.5, -0.25], [0.1, 0.3], [-0.4, 0.2], [0.3, 0.6]], "float32")
    recurrent = np.array([[0.2, -0.5], [0.7, 0.1]], "float32")
    bias = np.array([0.05, -0.1], "float32")
    model.set_weights([kernel, recurrent, bias])
    model.reset_states()
    # torch.export cannot capture a stateful RNN: the directory keeps the Keras files only.
    with pytest.warns(
        UserWarning, match=r"could not be saved for tf.saved_model.load.*'_Stateful'"
    ):
        model.save(str(tmp_path / "m"))
    signature = _signature(tmp_path / "m")
    assert list(signature.structured_input_signature[1]) == ["input_1"]
    state = np.zeros((2, 2), "float32")
    for call in range(2):
        for t in range(3):
            state = np.tanh(x[:, t] @ kernel + state @ recurrent + bias)
        out = signature(input_1=tf.constant(x))["output_1"].numpy()
        np.testing.assert_allclose(out, state, rtol=1e-5, atol=1e-6, err_msg=f"call {call}")


def test_loads_without_the_class_as_keras_2_savedmodel_does(tmp_path):
    # Keras 2's SavedModel loads in a process that never defines the model's class (a
    # serving script). A class local to this test is one load_model cannot find.
    class Unregistered(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.d1 = keras.layers.Dense(3, activation="relu")
            self.d2 = keras.layers.Dense(2)

        def call(self, x):
            return self.d2(self.d1(x))

    model = Unregistered(name="unregistered")
    model(X)
    model.set_weights([W1, B1, W2, B2])
    model.save(str(tmp_path / "m"))
    with pytest.raises(ValueError, match="Unregistered"):
        keras.models.load_model(str(tmp_path / "m"))
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    signature = loaded.signatures["serving_default"]
    # The names tf_keras gives (see test_called_subclassed_model_gets_serving_default).
    assert _names_and_shapes(signature.structured_input_signature[1]) == {
        "input_1": ((None, 4), tf.float32)
    }
    assert _names_and_shapes(signature.structured_outputs) == {"output_1": ((None, 2), tf.float32)}
    out = signature(input_1=tf.constant(X))
    np.testing.assert_allclose(out["output_1"].numpy(), _expected(X), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(loaded(tf.constant(X)).numpy(), _expected(X), rtol=1e-5, atol=1e-6)
    assert len(loaded.variables) == 4


class _Ids(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.embed = keras.layers.Embedding(10, 3)
        self.pool = keras.layers.GlobalAveragePooling1D()

    def call(self, x):
        return self.pool(self.embed(x))


@pytest.mark.parametrize("save", ["model.save", "tf.saved_model.save"])
def test_int_inputs_keep_their_dtype(tmp_path, save):
    # tf_keras: a model fit on NumPy int64 ids saves {'input_1': (None, 3), int64}, and
    # its signature refuses int32 ids.
    model = _Ids(name="ids")
    model.compile("sgd", "mse")
    ids = np.array([[1, 2, 3], [4, 5, 6]])
    model.fit(ids, np.zeros((2, 3), "float32"), verbose=0)
    path = str(tmp_path / "m")
    model.save(path) if save == "model.save" else tf.saved_model.save(model, path)
    signature = _signature(path)
    assert _names_and_shapes(signature.structured_input_signature[1]) == {
        "input_1": ((None, 3), tf.int64)
    }
    (table,) = model.get_weights()
    out = signature(input_1=tf.constant(ids, tf.int64))["output_1"].numpy()
    np.testing.assert_allclose(out, table[ids].mean(1), rtol=1e-6)

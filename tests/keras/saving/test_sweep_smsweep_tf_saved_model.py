"""tf.keras 2 SavedModel directories (`model.save('dir')` in TF) loaded in tork: sweep cases.

The `sm_*` fixtures under data/tf_saved_models were written by TensorFlow 2.21 / tf_keras
2.21 with make_smsweep_fixtures.py there; every expected number below is what that script
printed (keras_metadata.pb and variables/ only, as the other fixtures there).
"""

import shutil
from pathlib import Path

import numpy as np
import pytest

import tork as tf
from tork import keras
from tork.keras.saving.errors import KerasFileError

DATA = Path(__file__).parent / "data" / "tf_saved_models"
X4 = np.linspace(-1, 1, 24, dtype="float32").reshape(6, 4)
Y2 = np.linspace(0, 1, 12, dtype="float32").reshape(6, 2)


def _saved_model(tmp_path, name):
    """A copy of the fixture with an empty placeholder for the `saved_model.pb` tork never reads."""
    path = tmp_path / name
    shutil.copytree(DATA / name, path)
    (path / "saved_model.pb").write_bytes(b"")
    return str(path)


def test_adapted_discretization_gets_its_boundaries_from_the_saved_summary(tmp_path):
    # tf.keras saves `bin_boundaries: null` for a layer adapted with num_bins and keeps the
    # quantile summary as a variable; tork used to load the layer unadapted (every call
    # failed with "call adapt"). TF 2.21: boundaries [0.5, 1.5].
    model = keras.models.load_model(_saved_model(tmp_path, "sm_disc"))
    np.testing.assert_allclose(model.get_layer("disc").bin_boundaries, [0.5, 1.5], rtol=1e-6)
    x = np.array([[0.0], [0.7], [1.6], [9.0]], "float32")
    y = np.array([[1.0], [0.0], [1.0], [0.5]], "float32")
    np.testing.assert_allclose(
        model.predict(x, verbose=0)[:, 0], [0.0414924, 0.1879434, 0.3131004, 0.3131004], rtol=1e-5
    )
    np.testing.assert_allclose(model.train_on_batch(x, y), 0.3652056, rtol=1e-5)
    np.testing.assert_allclose(
        model.predict(x, verbose=0)[:, 0], [0.1319176, 0.2252583, 0.4481682, 0.4481682], rtol=1e-5
    )


def test_adapted_lookup_vocabularies_are_read_from_saved_model_pb(tmp_path):
    # The adapted vocabularies are constants captured by the lookup tables' initializers
    # in saved_model.pb (kept here trimmed to the object graph and those constants).
    # tork loaded the layers without them: every token mapped to the OOV index (a silent
    # wrong result). TF 2.21 values.
    path = tmp_path / "sm_lookups"
    shutil.copytree(DATA / "sm_lookups", path)
    (path / "saved_model_trimmed.pb").rename(path / "saved_model.pb")
    model = keras.models.load_model(str(path))
    assert model.get_layer("sl").get_vocabulary() == ["[UNK]", "a", "b", "c"]
    assert model.get_layer("il").get_vocabulary() == [-1, 3, 7, 9]
    assert model.get_layer("tv").get_vocabulary() == [
        "",
        "[UNK]",
        "the",
        "cat",
        "sat",
        "ran",
        "dog",
        "a",
    ]
    x = [
        np.array([["a"], ["c"], ["z"]]),
        np.array([[3], [9], [4]]),
        np.array([["the cat"], ["dog ran far"], ["x"]]),
    ]
    expected = [[1, 1, 2, 3, 0, 0], [3, 3, 6, 5, 1, 0], [0, 0, 1, 0, 0, 0]]
    np.testing.assert_array_equal(model.predict(x, verbose=0), expected)
    signature = tf.saved_model.load(str(path)).signatures["serving_default"]
    outputs = signature(s=tf.constant(x[0]), n=tf.constant(x[1]), t=tf.constant(x[2]))
    np.testing.assert_array_equal(outputs["cat"].numpy(), expected)


def test_tf_idf_text_vectorization_gets_its_vocabulary_and_idf_weights(tmp_path):
    # The IDF weights (OOV first: 0.8419096 for 'far') are a checkpoint variable, the
    # vocabulary a saved_model.pb constant. TF 2.21 values.
    path = tmp_path / "sm_tfidf"
    shutil.copytree(DATA / "sm_tfidf", path)
    (path / "saved_model_trimmed.pb").rename(path / "saved_model.pb")
    model = keras.models.load_model(str(path))
    assert model.get_layer("tv").get_vocabulary() == [
        "[UNK]",
        "the",
        "cat",
        "sat",
        "ran",
        "dog",
        "a",
    ]
    np.testing.assert_allclose(
        model.predict(np.array([["the cat cat"], ["dog ran far far"]]), verbose=0),
        [
            [0.0, 0.6931472, 1.3862944, 0.0, 0.0, 0.0, 0.0],
            [1.6838192, 0.0, 0.0, 0.0, 0.9162908, 0.9162908, 0.0],
        ],
        rtol=1e-6,
    )


def test_adapted_vocabulary_tork_cannot_read_is_a_clear_error(tmp_path):
    # Without a readable saved_model.pb (here an empty placeholder) the layer would map
    # every string to the OOV index: refused, with what to do.
    path = _saved_model(tmp_path, "sm_lookup")
    with pytest.raises(KerasFileError, match=r"StringLookup layer 'sl' with an adapted vocabulary"):
        keras.models.load_model(path)
    with pytest.raises(ValueError, match=r"adapted vocabulary of 4 entries.*'\.keras' or '\.h5'"):
        tf.saved_model.load(path)


def test_string_lookup_with_a_vocabulary_in_its_config_loads(tmp_path):
    model = keras.models.load_model(_saved_model(tmp_path, "sm_vocab"))
    assert model.get_layer("sl").get_vocabulary() == ["[UNK]", "x", "y", "z"]
    np.testing.assert_allclose(
        model.predict(np.array([["x"], ["q"], ["z"]]), verbose=0),
        [[-0.6031181, -0.1588507], [-0.1862105, 0.2591412], [-0.4169723, -0.1156225]],
        rtol=1e-5,
    )


def test_mixed_precision_model_loads_with_its_loss_scale_optimizer(tmp_path):
    # tf.keras names the wrapper `LossScaleOptimizerV3` and its inner optimizer
    # `Custom>RMSprop`; tork failed with "Unknown class 'LossScaleOptimizerV3'".
    model = keras.models.load_model(_saved_model(tmp_path, "sm_mixed"))
    assert type(model.optimizer).__name__ == "LossScaleOptimizer"
    inner = model.optimizer.inner_optimizer
    assert type(inner).__name__ == "RMSprop" and inner.clipnorm == 1.0
    assert model.get_layer("d").dtype_policy.name == "mixed_float16"
    np.testing.assert_allclose(
        model.predict(X4, verbose=0)[[0, 5]],
        [[0.2635263, -0.1371406], [0.4658231, -0.1329006]],
        rtol=2e-3,
        atol=2e-3,
    )
    np.testing.assert_allclose(model.train_on_batch(X4, Y2), [0.3411735, 0.4760487], rtol=2e-3)
    np.testing.assert_allclose(
        model.predict(X4, verbose=0)[[0, 5]],
        [[0.2295288, -0.0610441], [0.4850808, -0.1149671]],
        rtol=2e-3,
        atol=2e-3,
    )


@keras.utils.register_keras_serializable(package="sms")
class Scale(keras.layers.Layer):
    def __init__(self, init=2.0, **kwargs):
        super().__init__(**kwargs)
        self.init = init

    def build(self, shape):
        self.s = self.add_weight(
            name="s", shape=(shape[-1],), initializer=keras.initializers.Constant(self.init)
        )

    def call(self, x):
        return x * self.s

    def get_config(self):
        return {**super().get_config(), "init": self.init}


@keras.utils.register_keras_serializable(package="sms")
class Inner(keras.layers.Layer):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.dense = keras.layers.Dense(units, name="dd")
        self.scale = Scale(0.5, name="sc")

    def call(self, x):
        return self.scale(self.dense(x))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


@keras.utils.register_keras_serializable(package="sms")
class MyLoss(keras.losses.Loss):
    def __init__(self, w=2.0, **kwargs):
        super().__init__(**kwargs)
        self.w = w

    def call(self, y_true, y_pred):
        return self.w * tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)

    def get_config(self):
        return {**super().get_config(), "w": self.w}


@keras.utils.register_keras_serializable(package="sms")
class AbsSum(keras.metrics.Metric):
    def __init__(self, name="abs_sum", **kwargs):
        super().__init__(name=name, **kwargs)
        self.total = self.add_weight(name="total", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.total.assign_add(tf.reduce_sum(tf.abs(y_true - y_pred)))

    def result(self):
        return self.total


@keras.utils.register_keras_serializable(package="sms")
def my_mae(y_true, y_pred):
    return tf.reduce_mean(tf.abs(y_true - y_pred), axis=-1)


def test_custom_layers_loss_and_metrics_restore_with_the_optimizer_state(tmp_path):
    model = keras.models.load_model(_saved_model(tmp_path, "sm_custom"))
    assert [w.name for w in model.weights] == [
        "inner/dd/kernel:0",
        "inner/dd/bias:0",
        "inner/sc/s:0",
        "scale/s:0",
        "o/kernel:0",
        "o/bias:0",
    ]
    assert isinstance(model.loss, MyLoss) and model.loss.w == 3.0
    np.testing.assert_allclose(
        model.predict(X4, verbose=0)[[0, 5]],
        [[-0.441652, -0.3033974], [-0.4208181, -0.3062399]],
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        model.evaluate(X4, Y2, verbose=0), [2.5449665, 10.4163227, 0.8680269], rtol=1e-5
    )
    assert model.metrics_names == ["loss", "abs_sum", "my_mae"]
    model.train_on_batch(X4, Y2)
    np.testing.assert_allclose(
        model.predict(X4, verbose=0)[[0, 5]],
        [[-0.4322328, -0.2932066], [-0.4071815, -0.2932597]],
        rtol=1e-5,
    )


XD = {"a": X4[:3], "b": np.linspace(-1, 1, 9, dtype="float32").reshape(3, 3)}
YD = {"reg": Y2[:3], "cls": np.array([[0.0], [1.0], [1.0]], "float32")}


def test_dict_model_loads_with_its_loss_and_metric_dicts(tmp_path):
    model = keras.models.load_model(_saved_model(tmp_path, "sm_dict"))
    out = model.predict(XD, verbose=0)
    np.testing.assert_allclose(out["cls"][:, 0], [0.5886428, 0.5883882, 0.6174857], rtol=1e-5)
    np.testing.assert_allclose(out["reg"][2], [0.3375924, 0.6457388], rtol=1e-5)
    # TF 2.21: [loss, cls_loss, reg_loss, cls_accuracy, reg_mae], with SGD momentum restored.
    np.testing.assert_allclose(
        model.train_on_batch(XD, YD),
        [0.338559, 0.633587, 0.0217655, 0.6666667, 0.1257671],
        rtol=1e-5,
    )
    assert model.metrics_names == ["loss", "cls_loss", "reg_loss", "cls_accuracy", "reg_mae"]


def test_dict_model_serving_signature_keys_outputs_by_name(tmp_path):
    # TF 2.21: serving_default(a=..., b=...) -> {'cls': (3, 1), 'reg': (3, 2)}.
    signature = tf.saved_model.load(_saved_model(tmp_path, "sm_dict")).signatures["serving_default"]
    outputs = signature(a=tf.constant(XD["a"]), b=tf.constant(XD["b"]))
    assert sorted(outputs) == ["cls", "reg"]
    np.testing.assert_allclose(
        outputs["cls"].numpy()[:, 0], [0.5886428, 0.5883882, 0.6174857], rtol=1e-5
    )
    np.testing.assert_allclose(outputs["reg"].numpy()[2], [0.3375924, 0.6457388], rtol=1e-5)


def test_legacy_rmsprop_slots_restore(tmp_path):
    # tf_keras's legacy RMSprop names its slot `rms` (tork: `velocity`); unmatched, the
    # step after loading started from zero slots.
    model = keras.models.load_model(_saved_model(tmp_path, "sm_legacy_rms"))
    np.testing.assert_allclose(
        model.predict(X4, verbose=0)[[0, 5]],
        [[0.2651005, -0.2281027], [0.6344032, -0.1834634]],
        rtol=1e-5,
    )
    np.testing.assert_allclose(model.train_on_batch(X4, Y2), 0.3598273, rtol=1e-5)
    np.testing.assert_allclose(
        model.predict(X4, verbose=0)[[0, 5]],
        [[0.2242552, -0.2085813], [0.655806, -0.1175684]],
        rtol=1e-5,
    )


def test_vocabulary_files_are_read_from_the_saved_model_assets(tmp_path):
    # The config keeps the writer's path of the vocabulary file (deleted since); TensorFlow
    # reads the copy in assets/. tork failed with "Vocabulary file ... does not exist",
    # then (a model without weights) with "nothing ... matched a checkpointed value".
    path = _saved_model(tmp_path, "sm_vocab_file")
    x = np.array([["red"], ["blue green"], ["pink"]])
    model = keras.models.load_model(path)
    np.testing.assert_array_equal(
        model.predict(x, verbose=0), [[1, 2, 0, 0], [0, 4, 3, 0], [0, 1, 0, 0]]
    )
    outputs = tf.saved_model.load(path).signatures["serving_default"](s=tf.constant(x))
    np.testing.assert_array_equal(outputs["cat"].numpy()[2], [0, 1, 0, 0])


def test_tf_saved_model_save_directory_has_no_keras_config_but_its_weights_load(tmp_path):
    # tf.saved_model.save(model, dir) in TF writes no keras_metadata.pb: no model to rebuild,
    # but the checkpoint under variables/ restores into the same model built in code.
    path = Path(_saved_model(tmp_path, "sm_tf_save"))
    with pytest.raises(KerasFileError, match="without 'keras_metadata.pb'"):
        keras.models.load_model(str(path))
    i = keras.Input((4,), name="x")
    model = keras.Model(i, keras.layers.Dense(2, name="o")(keras.layers.Dense(3, name="d")(i)))
    model.load_weights(str(path / "variables" / "variables"))
    np.testing.assert_allclose(
        model.predict(X4, verbose=0)[[0, 5]],
        [[0.4362449, -0.3384512], [0.6674126, -0.4600914]],
        rtol=1e-5,
    )


@keras.utils.register_keras_serializable(package="sms")
class DictIn(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.da = keras.layers.Dense(3, name="da")
        self.o = keras.layers.Dense(2, name="o")

    def call(self, inputs):
        return self.o(self.da(inputs["a"]) * inputs["w"])

    def get_config(self):
        return {"name": self.name}


def test_subclassed_model_called_on_a_dict_is_built_at_its_saved_shapes(tmp_path):
    # build_input_shape is {'a': [6, 4], 'w': [6, 1]}: tork left the model unbuilt, so it
    # had no serving_default; its weights lacked tf.keras's model-name prefix.
    path = _saved_model(tmp_path, "sm_sub_dict")
    model = keras.models.load_model(path)
    assert model.built
    assert [w.name for w in model.weights] == [
        "dct/da/kernel:0",
        "dct/da/bias:0",
        "dct/o/kernel:0",
        "dct/o/bias:0",
    ]
    xw = {"a": X4, "w": np.full((6, 1), 2.0, "float32")}
    expected = [[0.4042282, -0.4903266], [0.8665637, -0.733607]]
    np.testing.assert_allclose(model.predict(xw, verbose=0)[[0, 5]], expected, rtol=1e-5)
    # TF 2.21: serving_default(a=..., w=...) -> {'output_1': ...}.
    signature = tf.saved_model.load(path).signatures["serving_default"]
    assert sorted(signature.structured_input_signature[1]) == ["a", "w"]
    outputs = signature(a=tf.constant(xw["a"]), w=tf.constant(xw["w"]))
    assert list(outputs) == ["output_1"]
    np.testing.assert_allclose(outputs["output_1"].numpy()[[0, 5]], expected, rtol=1e-5)


@keras.utils.register_keras_serializable(package="sms")
class WithDisc(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.disc = keras.layers.Discretization(num_bins=3, epsilon=0.01, name="disc")
        self.emb = keras.layers.Embedding(3, 2, name="emb")

    def call(self, x):
        return self.emb(self.disc(x))

    def get_config(self):
        return {"name": self.name}


def test_adapted_discretization_inside_a_subclassed_model(tmp_path):
    model = keras.models.load_model(_saved_model(tmp_path, "sm_sub_disc"))
    np.testing.assert_allclose(model.disc.bin_boundaries, [0.5, 1.5], rtol=1e-6)
    x = np.array([[0.0], [0.7], [1.6], [9.0]], "float32")
    np.testing.assert_allclose(
        model.predict(x, verbose=0)[:, 0],
        [
            [-0.082978, 0.2203245],
            [-0.4998856, -0.1976674],
            [-0.3532441, -0.4076614],
            [-0.3532441, -0.4076614],
        ],
        rtol=1e-5,
    )

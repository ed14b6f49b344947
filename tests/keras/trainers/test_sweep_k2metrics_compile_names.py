"""Log names of compiled metrics made from strings, against tf_keras 2.21 output.

tf_keras makes the metric objects of compile's strings in the train function's graph,
whose name counter starts from zero: the names do not depend on what the session made
before, and they leave the session's counter alone.
"""

import numpy as np
import pytest

from tork import keras

X = np.random.RandomState(0).rand(32, 4).astype("float32")
Y = (X[:, :1] > 0.5).astype("float32")


def _sequential():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])


def _two_outputs():
    inputs = keras.Input((4,))
    o1 = keras.layers.Dense(1, activation="sigmoid", name="o1")(inputs)
    o2 = keras.layers.Dense(1, activation="sigmoid", name="o2")(inputs)
    return keras.Model(inputs, [o1, o2])


def _history_keys(model, y, **compile_kwargs):
    model.compile("sgd", "binary_crossentropy", **compile_kwargs)
    history = model.fit(X, y, epochs=1, verbose=0, validation_data=(X, y))
    return list(history.history)


def test_a_class_string_twice_counts_from_zero():
    keras.metrics.AUC()  # the session's counter is not used
    keras.metrics.AUC()
    keys = _history_keys(_sequential(), Y, metrics=["AUC", "AUC"])
    # tf_keras 2.21: ['loss', 'auc', 'auc_1', 'val_loss', 'val_auc', 'val_auc_1']
    assert keys == ["loss", "auc", "auc_1", "val_loss", "val_auc", "val_auc_1"]


def test_compile_leaves_the_session_counter_alone():
    keras.backend.clear_session()
    _history_keys(_sequential(), Y, metrics=["AUC", "Precision"])
    # tf_keras 2.21: after such a fit, AUC().name == 'auc'.
    assert keras.metrics.AUC().name == "auc"
    assert keras.metrics.Precision().name == "precision"


def test_metric_objects_keep_their_names():
    keras.backend.clear_session()
    keys = _history_keys(_sequential(), Y, metrics=[keras.metrics.AUC(), keras.metrics.AUC()])
    # tf_keras 2.21 (first two AUC objects of the session): auc, auc_1.
    assert keys == ["loss", "auc", "auc_1", "val_loss", "val_auc", "val_auc_1"]


def test_weighted_class_string_takes_the_next_number():
    keys = _history_keys(_sequential(), Y, metrics=["AUC"], weighted_metrics=["AUC"])
    # tf_keras 2.21: auc, auc_1 (no `weighted_` prefix: the names differ).
    assert keys == ["loss", "auc", "auc_1", "val_loss", "val_auc", "val_auc_1"]
    keys = _history_keys(_sequential(), Y, metrics=["accuracy"], weighted_metrics=["accuracy"])
    assert keys == [
        "loss",
        "accuracy",
        "weighted_accuracy",
        "val_loss",
        "val_accuracy",
        "val_weighted_accuracy",
    ]


def test_class_strings_log_under_the_default_name():
    keys = _history_keys(
        _sequential(),
        Y,
        metrics=["KLDivergence", "LogCoshError", "TruePositives", "mse", "BinaryAccuracy", "AUC"],
        weighted_metrics=["AUC", "mse"],
    )
    # tf_keras 2.21.
    assert keys[:9] == [
        "loss",
        "kullback_leibler_divergence",
        "logcosh",
        "true_positives",
        "mse",
        "binary_accuracy",
        "auc",
        "auc_1",
        "weighted_mse",
    ]


def test_two_outputs_number_the_second_output_metric():
    keys = _history_keys(_two_outputs(), [Y, Y], metrics=["AUC", "Precision"])
    # tf_keras 2.21: o1_auc, o1_precision, o2_auc_1, o2_precision_1.
    assert keys[:7] == [
        "loss",
        "o1_loss",
        "o2_loss",
        "o1_auc",
        "o1_precision",
        "o2_auc_1",
        "o2_precision_1",
    ]


def test_two_outputs_list_each_output_weighted_metrics_after_its_metrics():
    model = _two_outputs()
    model.compile(
        "sgd", "binary_crossentropy", metrics=["AUC", "accuracy"], weighted_metrics=["accuracy"]
    )
    history = model.fit(X, [Y, Y], epochs=1, verbose=0, validation_data=(X, [Y, Y]))
    train = [
        "loss",
        "o1_loss",
        "o2_loss",
        "o1_auc",
        "o1_accuracy",
        "o1_weighted_accuracy",
        "o2_auc_1",
        "o2_accuracy",
        "o2_weighted_accuracy",
    ]
    # tf_keras 2.21: the same order, then the val_ keys in it.
    assert list(history.history) == train + ["val_" + k for k in train]
    assert model.metrics_names == train
    assert len(model.evaluate(X, [Y, Y], verbose=0)) == 9


@pytest.mark.parametrize(
    "metrics, name",
    [
        (["accuracy", "accuracy"], "accuracy"),
        (["Precision", "precision"], "precision"),
        (["AUC", "BinaryAccuracy", "BinaryAccuracy"], "binary_accuracy"),
        (["MeanSquaredError", "mse", "MeanSquaredError"], "mean_squared_error"),
    ],
)
def test_repeated_names_are_refused(metrics, name):
    # tf_keras 2.21: "Found two metrics with the same name: <name>."
    model = _sequential()
    model.compile("sgd", "binary_crossentropy", metrics=metrics)
    with pytest.raises(ValueError, match=f"Found two metrics with the same name: {name}\\."):
        model.fit(X, Y, epochs=1, verbose=0)


def test_a_metric_named_like_the_next_class_string_is_refused():
    model = _sequential()
    model.compile(
        "sgd", "binary_crossentropy", metrics=[keras.metrics.AUC(name="auc_1"), "AUC", "AUC"]
    )
    # tf_keras 2.21: "Found two metrics with the same name: auc_1."
    with pytest.raises(ValueError, match=r"Found two metrics with the same name: auc_1\."):
        model.fit(X, Y, epochs=1, verbose=0)


def test_a_metric_object_listed_for_every_output_is_copied_per_output():
    keras.backend.clear_session()
    model = _two_outputs()
    model.set_weights(
        [np.full((4, 1), 0.1, "float32"), np.zeros(1, "float32")]
        + [np.full((4, 1), -0.3, "float32"), np.zeros(1, "float32")]
    )
    auc, accuracy = keras.metrics.AUC(), keras.metrics.BinaryAccuracy()
    model.compile("sgd", "binary_crossentropy", metrics=[auc, accuracy])
    logs = model.evaluate(X, [Y, 1 - Y], verbose=0, return_dict=True)
    # tf_keras 2.21: {'loss': 1.336, 'o1_loss': 0.6727, 'o2_loss': 0.6633, 'o1_auc': 0.754,
    # 'o1_binary_accuracy': 0.5625, 'o2_auc': 0.754, 'o2_binary_accuracy': 0.5625}; the
    # objects given are not updated and keep their names.
    assert list(logs) == [
        "loss",
        "o1_loss",
        "o2_loss",
        "o1_auc",
        "o1_binary_accuracy",
        "o2_auc",
        "o2_binary_accuracy",
    ]
    np.testing.assert_allclose(
        [logs["o1_auc"], logs["o1_binary_accuracy"], logs["o2_binary_accuracy"]],
        [0.754, 0.5625, 0.5625],
        atol=5e-4,
    )
    assert auc.name == "auc" and float(accuracy.count) == 0.0


def test_metric_objects_of_several_outputs_take_the_output_name():
    model = _two_outputs()
    auc = keras.metrics.AUC(name="auc")
    for _ in range(2):
        model.compile(
            "sgd",
            "binary_crossentropy",
            metrics={"o1": [auc], "o2": ["mae"]},
            weighted_metrics={"o1": ["AUC"], "o2": ["mae"]},
        )
        logs = model.evaluate(X, [Y, 1 - Y], verbose=0, return_dict=True)
        names = ["loss", "o1_loss", "o2_loss", "o1_auc", "o1_weighted_auc", "o2_mae"]
        names.append("o2_weighted_mae")
        # tf_keras 2.21 renames the objects (model.metrics, auc.name) as logged. Compiled
        # again, it would log `o1_o1_auc`: tork keeps `o1_auc`.
        assert list(logs) == names
        assert [m.name for m in model.metrics] == names
        assert auc.name == "o1_auc"


def test_one_metric_object_twice_is_refused():
    auc = keras.metrics.AUC(name="auc")
    model = _two_outputs()
    model.compile("sgd", "binary_crossentropy", metrics={"o1": [auc], "o2": [auc]})
    with pytest.raises(ValueError, match="Found two metrics with the same name: o1_auc"):
        model.evaluate(X, [Y, Y], verbose=0)

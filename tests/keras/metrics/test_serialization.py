"""keras.metrics.get / serialize / deserialize and the 'accuracy' resolution rule."""

import numpy as np
import pytest
import torch

from tork.keras import losses, metrics


@pytest.mark.parametrize(
    "name,cls",
    [
        ("MeanAbsoluteError", metrics.MeanAbsoluteError),
        ("MeanSquaredError", metrics.MeanSquaredError),
        ("AUC", metrics.AUC),
        ("auc", metrics.AUC),
        ("precision", metrics.Precision),
        ("BinaryAccuracy", metrics.BinaryAccuracy),
        ("SparseCategoricalAccuracy", metrics.SparseCategoricalAccuracy),
        ("TopKCategoricalAccuracy", metrics.TopKCategoricalAccuracy),
        ("CategoricalCrossentropy", metrics.CategoricalCrossentropy),
        ("root_mean_squared_error", metrics.RootMeanSquaredError),
        ("KLDivergence", metrics.KLDivergence),
        ("LogCoshError", metrics.LogCoshError),
    ],
)
def test_get_names_give_fresh_instances(name, cls):
    a, b = metrics.get(name), metrics.get(name)
    assert isinstance(a, cls) and a is not b


@pytest.mark.parametrize("name", ["crossentropy", "ce"])
def test_get_shape_dependent_names_are_markers(name):
    assert metrics.get(name) == name
    assert name in metrics.ACCURACY_MARKERS | metrics.CROSSENTROPY_MARKERS


def test_get_instances_functions_classes_none():
    m = metrics.AUC()
    assert metrics.get(m) is m
    assert metrics.get(metrics.binary_accuracy) is metrics.binary_accuracy
    assert isinstance(metrics.get(metrics.Recall), metrics.Recall)
    assert metrics.get(None) is None


def test_get_unknown_name_lists_valid_names():
    with pytest.raises(
        ValueError, match=r"Unknown metric 'acuracy'\. Did you mean 'accuracy'\? Valid names: .*AUC"
    ):
        metrics.get("acuracy")
    with pytest.raises(ValueError, match=r"Could not interpret metric identifier: 5"):
        metrics.get(5)


@pytest.mark.parametrize(
    "y_true,y_pred,expected",
    [
        ((32, 1), (32, 1), metrics.binary_accuracy),
        ((32,), (32, 1), metrics.binary_accuracy),
        ((32, 4), (32, 1), metrics.binary_accuracy),
        ((32,), (32, 10), metrics.sparse_categorical_accuracy),
        ((32, 1), (32, 10), metrics.sparse_categorical_accuracy),
        ((32, 20), (32, 20, 10), metrics.sparse_categorical_accuracy),
        ((32, 10), (32, 10), metrics.categorical_accuracy),
        ((32, 20, 10), (32, 20, 10), metrics.categorical_accuracy),
        ((None, 10), (None, 10), metrics.categorical_accuracy),
        # Keras would pick categorical accuracy over the batch axis here; tork picks binary
        ((32,), (32,), metrics.binary_accuracy),
    ],
)
def test_resolve_accuracy_rule(y_true, y_pred, expected):
    assert metrics.resolve_accuracy(y_true, y_pred) is expected


def test_resolve_accuracy_accepts_tensors_and_uses_loss_without_labels():
    assert (
        metrics.resolve_accuracy(torch.zeros(4), torch.zeros(4, 3))
        is metrics.sparse_categorical_accuracy
    )
    assert (
        metrics.resolve_accuracy(None, (8, 5), loss=losses.SparseCategoricalCrossentropy())
        is metrics.sparse_categorical_accuracy
    )
    assert (
        metrics.resolve_accuracy(None, (8, 5), loss="binary_crossentropy")
        is metrics.binary_accuracy
    )
    assert (
        metrics.resolve_accuracy(None, (8, 5), loss=losses.categorical_crossentropy)
        is metrics.categorical_accuracy
    )
    with pytest.raises(
        ValueError, match=r"Cannot resolve 'accuracy': the model output shape is unknown"
    ):
        metrics.resolve_accuracy(None, None)


def test_resolve_crossentropy_rule():
    assert metrics.resolve_crossentropy((8, 1), (8, 1)) is losses.binary_crossentropy
    assert metrics.resolve_crossentropy((8,), (8, 3)) is losses.sparse_categorical_crossentropy
    assert metrics.resolve_crossentropy((8, 3), (8, 3)) is losses.categorical_crossentropy


def test_serialize_round_trip():
    m = metrics.AUC(curve="PR", num_thresholds=20, name="pr_auc")
    config = metrics.serialize(m)
    assert config["class_name"] == "AUC" and config["module"] == "keras.metrics"
    clone = metrics.deserialize(config)
    assert isinstance(clone, metrics.AUC) and clone.name == "pr_auc" and clone.curve == "PR"
    p = metrics.deserialize(metrics.serialize(metrics.Precision(thresholds=[0.3, 0.6], top_k=2)))
    assert p.init_thresholds == [0.3, 0.6] and p.top_k == 2
    assert (
        metrics.deserialize(metrics.serialize(metrics.binary_accuracy)) is metrics.binary_accuracy
    )
    # tf_keras: deserialize('binary_accuracy') is the function (Keras 3 gives an instance).
    assert metrics.deserialize("binary_accuracy") is metrics.binary_accuracy
    b = metrics.deserialize(metrics.serialize(metrics.BinaryAccuracy(threshold=0.7)))
    assert b.threshold == 0.7


@pytest.mark.parametrize(
    "metric",
    [
        metrics.Mean(name="m"),
        metrics.Sum(),
        metrics.TruePositives(thresholds=[0.2, 0.8]),
        metrics.Recall(class_id=1),
        metrics.F1Score(average="macro", threshold=0.4),
        metrics.FBetaScore(beta=0.5),
        metrics.R2Score(num_regressors=1),
        metrics.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1),
        metrics.SparseTopKCategoricalAccuracy(k=3),
        metrics.CosineSimilarity(axis=0),
    ],
)
def test_builtin_configs_round_trip(metric):
    clone = metrics.deserialize(metrics.serialize(metric))
    assert type(clone) is type(metric)
    assert clone.get_config() == metric.get_config()


def test_custom_metric_round_trip():
    class Total(metrics.Metric):
        def __init__(self, name="total", dtype=None):
            super().__init__(name=name, dtype=dtype)
            self.t = self.add_weight(name="t")

        def update_state(self, values):
            self.t.assign_add(torch.as_tensor(values, dtype=torch.float32).sum())

        def result(self):
            return self.t

    config = metrics.serialize(Total(name="tt"))
    assert config["registered_name"] == "Total"
    clone = metrics.deserialize(config, custom_objects={"Total": Total})
    clone.update_state(np.array([1.0, 2.0]))
    assert clone.name == "tt" and clone.result().item() == 3.0


def test_missing_metric_is_not_implemented_error():
    # (MeanTensor, the last Keras metric tork lacked, exists now: any missing name.)
    with pytest.raises(NotImplementedError, match=r"tf\.keras\.metrics\.SumOverBatchSize"):
        metrics.SumOverBatchSize  # noqa: B018


def test_deserialize_names_of_functions_without_a_metric_class():
    # 'accuracy' from a config or `get` is the function (tf_keras); compile() resolves it
    # by shapes instead.
    assert metrics.deserialize("accuracy") is metrics.accuracy
    assert metrics.get("accuracy") is metrics.accuracy
    assert metrics.deserialize("binary_focal_crossentropy") is losses.binary_focal_crossentropy
    assert metrics.get("binary_focal_crossentropy") is losses.binary_focal_crossentropy


def test_dict_class_names_are_class_names_only():
    with pytest.raises(ValueError, match=r"Unknown metric 'mae'\. .*Or pass a keras\.metrics"):
        metrics.deserialize({"class_name": "mae", "config": {}})

    class Plain:
        pass

    assert metrics.get(Plain) is Plain

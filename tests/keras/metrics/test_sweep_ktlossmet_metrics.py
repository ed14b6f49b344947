"""Sweep of Keras 2's own metric tests (keras-team/tf-keras tf_keras/metrics/*_test.py).

Reference values come from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) run on the same inputs.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras
metrics = keras.metrics


class _TopOneLayer(keras.layers.Layer):
    def build(self, _):
        self.acc = metrics.SparseTopKCategoricalAccuracy(k=1)

    def call(self, y_true, y_pred):
        return self.acc(y_true, y_pred)


def test_metric_called_in_a_layer_of_a_functional_model():
    # tf_keras: predict gives 0.5; building the model on Inputs updates no metric state.
    # tork added the stand-in batch sizes (61 + 97) to `count`: 1/160 instead of 1/2.
    label = keras.layers.Input(shape=[1])
    pred = keras.layers.Input(shape=[3])
    layer = _TopOneLayer()
    model = keras.Model([label, pred], layer(label, pred))
    assert [float(v) for v in layer.acc.variables] == [0.0, 0.0]
    out = model.predict(
        [np.array([[2], [1]]), np.array([[0.1, 0.1, 0.8], [0.05, 0, 0.95]])], steps=1, verbose=0
    )
    np.testing.assert_allclose(out, 0.5)
    assert [float(v) for v in layer.acc.variables] == [1.0, 2.0]


def test_mean_called_on_symbolic_input_keeps_its_state():
    mean = metrics.Mean()

    class Averaged(keras.layers.Layer):
        def call(self, x):
            return mean(x)

    Averaged()(keras.layers.Input(shape=[3]))
    assert float(mean.count) == 0.0 and float(mean.total) == 0.0
    np.testing.assert_allclose(float(mean([1.0, 3.0])), 2.0)


def test_metrics_are_stateful():
    assert metrics.Accuracy().stateful is True
    assert metrics.Sum().stateful is True


def test_merge_state_adds_the_other_metrics_state():
    # tf_keras: total 3, count 4, result 0.75.
    objs = []
    for y_true, y_pred in zip([[[1], [2]], [[3], [4]]], [[[0], [2]], [[3], [4]]]):
        obj = metrics.Accuracy()
        obj.update_state(y_true, y_pred)
        objs.append(obj)
    objs[0].merge_state(objs[1:])
    assert (float(objs[0].total), float(objs[0].count)) == (3.0, 4.0)
    assert float(objs[0].result()) == pytest.approx(0.75)
    assert float(objs[1].count) == 2.0

    fps = []
    for _ in range(4):
        obj = metrics.FalsePositives()
        obj.update_state(np.zeros((25, 1)), np.ones((25, 1)))
        fps.append(obj)
    fps[0].merge_state(fps[1:])
    assert fps[0].accumulator.numpy().tolist() == [100.0]


def test_merge_state_of_auc():
    # tf_keras: variables [[50, 25, 0], [0, 25, 50], [50, 25, 0], [0, 25, 50]], result 0.5.
    y_true = np.concatenate([np.ones((5, 1)), np.zeros((5, 1)), np.ones((5, 1)), np.zeros((5, 1))])
    y_pred = np.concatenate([np.ones((5, 1)), np.zeros((5, 1)), np.zeros((5, 1)), np.ones((5, 1))])
    objs = []
    for _ in range(5):
        obj = metrics.AUC(num_thresholds=3)
        obj.update_state(y_true, y_pred)
        objs.append(obj)
    objs[0].merge_state(objs[1:])
    assert [v.numpy().tolist() for v in objs[0].variables] == [
        [50.0, 25.0, 0.0],
        [0.0, 25.0, 50.0],
        [50.0, 25.0, 0.0],
        [0.0, 25.0, 50.0],
    ]
    assert float(objs[0].result()) == pytest.approx(0.5)


def test_merge_state_of_incompatible_metrics():
    with pytest.raises(ValueError, match=r"Metric <Accuracy .* is not compatible with <False"):
        metrics.FalsePositives().merge_state([metrics.Accuracy()])


@pytest.mark.parametrize(
    "metric",
    [
        lambda: metrics.AUC(num_thresholds=3),
        lambda: metrics.SpecificityAtSensitivity(0.5, num_thresholds=3),
    ],
)
def test_confusion_variables_in_keras2_order(metric):
    # tf_keras: names tp, tn, fp, fn; AUC values [[2, 1, 0], [0, 2, 2], [2, 0, 0], [0, 1, 2]],
    # SpecificityAtSensitivity (ends at exactly 0 and 1) [[2, 1, 0], [1, 2, 2], [1, 0, 0], ...].
    obj = metric()
    obj.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    names = [v.name for v in obj.variables]
    assert names == [
        "true_positives:0",
        "true_negatives:0",
        "false_positives:0",
        "false_negatives:0",
    ]
    values = [v.numpy().tolist() for v in obj.variables]
    assert values[0] == [2.0, 1.0, 0.0] and values[3] == [0.0, 1.0, 2.0]
    assert values[1][1:] == [2.0, 2.0] and values[2][1:] == [0.0, 0.0]


@pytest.mark.parametrize(
    "method, expected, expected3",
    [
        ("interpolation", 0.6333333253860474, 0.5),
        ("majoring", 0.736111044883728, 1.0),
        ("minoring", 0.5305554866790771, 0.0),
    ],
)
def test_auc_pr_gain(method, expected, expected3):
    # tf_keras's AUC(curve='PR_GAIN') on the same data.
    y_true = [0, 0, 0, 1, 0, 1, 0, 1, 1, 1]
    y_pred = [0.1, 0.2, 0.3, 0.3, 0.4, 0.4, 0.6, 0.6, 0.8, 0.9]
    out = metrics.AUC(curve="PR_GAIN", summation_method=method)(y_true, y_pred)
    assert float(out) == pytest.approx(expected, abs=1e-6)
    out = metrics.AUC(num_thresholds=3, curve="PR_GAIN", summation_method=method)(
        [0, 0, 1, 1], [0, 0.5, 0.3, 0.9], sample_weight=[1, 2, 3, 4]
    )
    assert float(out) == pytest.approx(expected3, abs=1e-6)


def test_auc_pr_gain_multi_label_and_config():
    # tf_keras: AUC(curve='prgain', multi_label=True, num_thresholds=5) -> 0.625.
    auc = metrics.AUC(curve="prgain", multi_label=True, num_thresholds=5)
    y_true = np.array([[0, 0, 1, 1], [1, 1, 0, 0]]).T
    y_pred = np.array([[0, 0.5, 0.3, 0.9], [0.1, 0.2, 0.3, 0.4]]).T
    assert float(auc(y_true, y_pred)) == pytest.approx(0.625, abs=1e-6)
    assert auc.get_config()["curve"] == "PR_GAIN"
    assert metrics.AUC.from_config(auc.get_config()).curve == "PR_GAIN"
    with pytest.raises(
        ValueError, match="invalid curve 'XY'. Expected one of 'ROC', 'PR', 'PR_GAIN'"
    ):
        metrics.AUC(curve="XY")


class _TrimmedMean(metrics.experimental.PyMetric):
    """The trimmed mean of the labels, kept in a sorted Python list."""

    def __init__(self, k=0.1, name="trimmed_mean", **kwargs):
        super().__init__(name=name, **kwargs)
        self.k = k

    def update_state(self, y_true, y_pred, sample_weight=None):
        value = float(y_true.numpy())
        if sample_weight is not None:
            value *= float(sample_weight.numpy())
        self.values = sorted(self.values + [value])

    def reset_state(self):
        self.values = []

    def result(self):
        k = int(self.k * len(self.values))
        return tf.reduce_mean(tf.constant(self.values[k:-k]))

    def get_config(self):
        return {**super().get_config(), "k": self.k}


def test_py_metric_keeps_python_state():
    # tf_keras: 3.5 unweighted, 7.0 with sample_weight=2 (values -100 ... 9001, k=0.2).
    for weight, expected in ((None, 3.5), (2.0, 7.0)):
        metric = _TrimmedMean(k=0.2)
        for value in [-100, -10, 1, 2, 3, 4, 5, 6, 14, 9001]:
            kwargs = {} if weight is None else {"sample_weight": tf.constant(weight)}
            metric.update_state(tf.constant(float(value)), tf.constant(0.0), **kwargs)
        assert float(metric.result()) == expected
        metric.reset_state()
        assert metric.values == []
    metric = _TrimmedMean(name="ktm", k=0.2, dtype="float16")
    assert metric.variables == [] and metric.dtype == tf.float16
    clone = _TrimmedMean.from_config(metric.get_config())
    assert (clone.name, clone.k, clone.dtype) == ("ktm", 0.2, tf.float16)
    with pytest.raises(NotImplementedError, match="Subclasses should implement `merge_state`"):
        metric.merge_state([clone])


class _MedianError(metrics.experimental.PyMetric):
    def update_state(self, y_true, y_pred, sample_weight=None):
        assert y_true.device.type == "cpu"  # PyMetric's inputs arrive on the host
        self.values.extend(np.abs(y_true.numpy() - y_pred.numpy()).ravel().tolist())

    def reset_state(self):
        self.values = []

    def result(self):
        return float(np.median(self.values)) if self.values else 0.0


def test_py_metric_in_evaluate():
    # tf_keras: {'loss': 98.5, 'med': 8.5}.
    model = keras.Sequential([keras.layers.Dense(1, kernel_initializer="ones", input_shape=(2,))])
    model.compile("sgd", "mse", metrics=[_MedianError(name="med")])
    logs = model.evaluate(
        np.arange(12.0).reshape(6, 2),
        np.arange(6.0).reshape(6, 1),
        batch_size=2,
        verbose=0,
        return_dict=True,
    )
    assert logs == pytest.approx({"loss": 98.5, "med": 8.5})


def test_metric_function_returning_a_dict():
    # tf_keras: RuntimeError "The output of a metric function can only be a single Tensor.
    # Received: {'value': 0.0}. To return a dict of values, implement a custom Metric subclass."
    def dict_metric(y_true, y_pred):
        return {"value": 0.0}

    model = keras.Sequential([keras.layers.Dense(3, input_shape=(2,))])
    model.compile("sgd", "mse", metrics=[dict_metric])
    with pytest.raises(TypeError, match="To return a dict of values, implement a custom Metric"):
        model.fit(np.ones((4, 2)), np.ones((4, 3)), verbose=0)


@pytest.mark.parametrize(
    "metric",
    [
        lambda: metrics.MeanIoU(num_classes=3, name="miou"),
        lambda: metrics.IoU(num_classes=3, target_class_ids=[0, 2]),
        lambda: metrics.BinaryIoU(target_class_ids=[1], threshold=0.3),
        lambda: metrics.OneHotIoU(num_classes=3, target_class_ids=[1]),
        lambda: metrics.OneHotMeanIoU(num_classes=3),
    ],
)
def test_iou_metrics_deserialize(metric):
    # tf_keras: deserialize(serialize(m)) and get({'class_name': ..., 'config': ...}) rebuild
    # the IoU metrics; tork said "Unknown metric 'MeanIoU'. Did you mean 'Mean'?".
    original = metric()
    again = metrics.deserialize(metrics.serialize(original))
    assert type(again) is type(original) and again.get_config() == original.get_config()
    config = {"class_name": type(original).__name__, "config": original.get_config()}
    assert type(metrics.get(config)) is type(original)


def test_iou_metric_by_name_needs_its_arguments():
    # tf_keras: a TypeError (MeanIoU needs num_classes), not an unknown name.
    with pytest.raises(TypeError, match="num_classes"):
        metrics.get("MeanIoU")

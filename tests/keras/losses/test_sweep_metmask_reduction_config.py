"""get_config()['reduction'] reports the reduction as given, as tf_keras.

tf_keras reports its default as 'auto' but keeps an explicit 'sum_over_batch_size'.
Reference values: tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) get_config() and .reduction.
"""

import pytest

import tork as tf

keras = tf.keras

CLASSES = [
    "MeanSquaredError",
    "BinaryCrossentropy",
    "Huber",
    "SparseCategoricalCrossentropy",
    "CosineSimilarity",
]


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize(
    "given, expected",
    [
        (None, "auto"),
        ("auto", "auto"),
        ("sum_over_batch_size", "sum_over_batch_size"),
        ("sum", "sum"),
        ("none", "none"),
    ],
)
def test_builtin_loss_reports_reduction_as_given(cls, given, expected):
    kwargs = {} if given is None else {"reduction": given}
    loss = getattr(keras.losses, cls)(**kwargs)
    assert loss.get_config()["reduction"] == expected
    assert loss.reduction == expected


def test_explicit_sum_over_batch_size_round_trips():
    loss = keras.losses.MeanAbsoluteError(reduction="sum_over_batch_size")
    clone = keras.losses.MeanAbsoluteError.from_config(loss.get_config())
    assert clone.get_config()["reduction"] == "sum_over_batch_size"


def test_wrapper_and_subclasses_report_reduction_as_given():
    def diff(a, b):
        return a - b

    assert keras.losses.LossFunctionWrapper(diff).get_config()["reduction"] == "auto"
    wrapper = keras.losses.LossFunctionWrapper(diff, reduction="sum_over_batch_size")
    assert wrapper.get_config()["reduction"] == "sum_over_batch_size"

    class MyLoss(keras.losses.Loss):
        def call(self, y_true, y_pred):
            return y_true - y_pred

    assert MyLoss().get_config()["reduction"] == "auto"
    assert MyLoss(reduction="sum_over_batch_size").get_config()["reduction"] == (
        "sum_over_batch_size"
    )

    class MyMse(keras.losses.MeanSquaredError):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)

    # tf_keras: a subclass passing its base's default on still reports 'auto'.
    assert MyMse().get_config()["reduction"] == "auto"
    assert MyMse(reduction="sum_over_batch_size").get_config()["reduction"] == (
        "sum_over_batch_size"
    )

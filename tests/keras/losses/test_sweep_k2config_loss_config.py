"""Loss configs follow Keras 2 (tf_keras 2.21): reduction 'auto' first, then name, then `fn`.

The dicts below are `keras.losses.<Class>().get_config()` in tf_keras 2.21 (with
TF_USE_LEGACY_KERAS=1), key order included.
"""

import numpy as np
import pytest

from tork.keras import losses

KERAS2_CONFIGS = {
    "BinaryCrossentropy": {
        "reduction": "auto",
        "name": "binary_crossentropy",
        "from_logits": False,
        "label_smoothing": 0.0,
        "axis": -1,
        "fn": "binary_crossentropy",
    },
    "BinaryFocalCrossentropy": {
        "reduction": "auto",
        "name": "binary_focal_crossentropy",
        "apply_class_balancing": False,
        "alpha": 0.25,
        "gamma": 2.0,
        "from_logits": False,
        "label_smoothing": 0.0,
        "axis": -1,
        "fn": "binary_focal_crossentropy",
    },
    "CategoricalCrossentropy": {
        "reduction": "auto",
        "name": "categorical_crossentropy",
        "from_logits": False,
        "label_smoothing": 0.0,
        "axis": -1,
        "fn": "categorical_crossentropy",
    },
    "CategoricalFocalCrossentropy": {
        "reduction": "auto",
        "name": "categorical_focal_crossentropy",
        "alpha": 0.25,
        "gamma": 2.0,
        "from_logits": False,
        "label_smoothing": 0.0,
        "axis": -1,
        "fn": "categorical_focal_crossentropy",
    },
    "CategoricalHinge": {
        "reduction": "auto",
        "name": "categorical_hinge",
        "fn": "categorical_hinge",
    },
    "CosineSimilarity": {
        "reduction": "auto",
        "name": "cosine_similarity",
        "axis": -1,
        "fn": "cosine_similarity",
    },
    "Hinge": {"reduction": "auto", "name": "hinge", "fn": "hinge"},
    "Huber": {"reduction": "auto", "name": "huber_loss", "delta": 1.0, "fn": "huber"},
    "KLDivergence": {"reduction": "auto", "name": "kl_divergence", "fn": "kl_divergence"},
    "LogCosh": {"reduction": "auto", "name": "log_cosh", "fn": "log_cosh"},
    "MeanAbsoluteError": {
        "reduction": "auto",
        "name": "mean_absolute_error",
        "fn": "mean_absolute_error",
    },
    "MeanAbsolutePercentageError": {
        "reduction": "auto",
        "name": "mean_absolute_percentage_error",
        "fn": "mean_absolute_percentage_error",
    },
    "MeanSquaredError": {
        "reduction": "auto",
        "name": "mean_squared_error",
        "fn": "mean_squared_error",
    },
    "MeanSquaredLogarithmicError": {
        "reduction": "auto",
        "name": "mean_squared_logarithmic_error",
        "fn": "mean_squared_logarithmic_error",
    },
    "Poisson": {"reduction": "auto", "name": "poisson", "fn": "poisson"},
    "SparseCategoricalCrossentropy": {
        "reduction": "auto",
        "name": "sparse_categorical_crossentropy",
        "from_logits": False,
        "ignore_class": None,
        "fn": "sparse_categorical_crossentropy",
    },
    "SquaredHinge": {"reduction": "auto", "name": "squared_hinge", "fn": "squared_hinge"},
}


@pytest.mark.parametrize("class_name", sorted(KERAS2_CONFIGS))
def test_builtin_configs_match_keras2(class_name):
    config = getattr(losses, class_name)().get_config()
    assert list(config.items()) == list(KERAS2_CONFIGS[class_name].items())
    assert getattr(losses, class_name)().reduction == "auto"


@pytest.mark.parametrize("class_name", sorted(KERAS2_CONFIGS))
def test_keras2_and_keras3_configs_load(class_name):
    cls = getattr(losses, class_name)
    keras2 = KERAS2_CONFIGS[class_name]
    assert cls.from_config(dict(keras2)).get_config() == keras2
    # Keras 3's layout: no `fn`, reduction 'sum_over_batch_size'.
    keras3 = {k: v for k, v in keras2.items() if k != "fn"}
    keras3["reduction"] = "sum_over_batch_size"
    loaded = cls.from_config(keras3)
    assert loaded.name == keras2["name"] and loaded.get_config()["fn"] == keras2["fn"]


def test_custom_subclass_config_defaults():
    class My(losses.Loss):
        def call(self, y_true, y_pred):
            return (y_true - y_pred) ** 2

    # tf_keras 2.21: {'reduction': 'auto', 'name': None}.
    assert My().get_config() == {"reduction": "auto", "name": None}
    assert list(My(name="x", reduction="sum").get_config().items()) == [
        ("reduction", "sum"),
        ("name", "x"),
    ]
    assert My(reduction="sum_over_batch_size").get_config() == {
        "reduction": "sum_over_batch_size",
        "name": None,
    }
    # tf_keras 2.21: a defaulted custom loss's name is None.
    assert My().name is None
    clone = My.from_config(My().get_config())
    y, p = np.array([[1.0, 2.0]], "float32"), np.array([[0.0, 0.0]], "float32")
    np.testing.assert_allclose(float(clone(y, p)), 2.5)


def test_huber_with_name_and_delta():
    # tf_keras 2.21: Huber(delta=2.0, name="h").get_config().
    assert list(losses.Huber(delta=2.0, name="h").get_config().items()) == [
        ("reduction", "auto"),
        ("name", "h"),
        ("delta", 2.0),
        ("fn", "huber"),
    ]


def test_keras3_only_losses_keep_keras3_layout():
    assert list(losses.Dice().get_config().items()) == [
        ("name", "dice"),
        ("reduction", "sum_over_batch_size"),
        ("axis", None),
    ]

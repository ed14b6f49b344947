"""`keras.losses.get`, `serialize` and `deserialize`: losses by name or config."""

from __future__ import annotations

from tork.keras._object_registry import TrainingFunctionRegistry
from tork.keras.losses.ctc import CTC, ctc
from tork.keras.losses.hinge import (
    CategoricalHinge,
    Hinge,
    SquaredHinge,
    categorical_hinge,
    hinge,
    squared_hinge,
)
from tork.keras.losses.loss import Loss, LossFunctionWrapper
from tork.keras.losses.metric_learning import Circle, circle
from tork.keras.losses.probabilistic import (
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    CategoricalGeneralizedCrossEntropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_generalized_cross_entropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from tork.keras.losses.regression import (
    CosineSimilarity,
    Huber,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    cosine_similarity,
    huber,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from tork.keras.losses.segmentation import Dice, Tversky, dice, tversky

_CLASSES = {
    cls.__name__: cls
    for cls in (
        Loss,
        LossFunctionWrapper,
        MeanSquaredError,
        MeanAbsoluteError,
        MeanAbsolutePercentageError,
        MeanSquaredLogarithmicError,
        Huber,
        LogCosh,
        CosineSimilarity,
        BinaryCrossentropy,
        BinaryFocalCrossentropy,
        CategoricalCrossentropy,
        CategoricalFocalCrossentropy,
        CategoricalGeneralizedCrossEntropy,
        SparseCategoricalCrossentropy,
        KLDivergence,
        Poisson,
        Hinge,
        SquaredHinge,
        CategoricalHinge,
        Dice,
        Tversky,
        CTC,
        Circle,
    )
}

_FUNCTIONS = {
    fn.__name__: fn
    for fn in (
        mean_squared_error,
        mean_absolute_error,
        mean_absolute_percentage_error,
        mean_squared_logarithmic_error,
        huber,
        log_cosh,
        cosine_similarity,
        binary_crossentropy,
        binary_focal_crossentropy,
        categorical_crossentropy,
        categorical_focal_crossentropy,
        categorical_generalized_cross_entropy,
        sparse_categorical_crossentropy,
        kl_divergence,
        poisson,
        hinge,
        squared_hinge,
        categorical_hinge,
        dice,
        tversky,
        ctc,
        circle,
    )
}

_ALIASES = {
    "mse": mean_squared_error,
    "MSE": mean_squared_error,
    "mae": mean_absolute_error,
    "MAE": mean_absolute_error,
    "mape": mean_absolute_percentage_error,
    "MAPE": mean_absolute_percentage_error,
    "msle": mean_squared_logarithmic_error,
    "MSLE": mean_squared_logarithmic_error,
    "kld": kl_divergence,
    "KLD": kl_divergence,
    "kullback_leibler_divergence": kl_divergence,
    "logcosh": log_cosh,
    "huber_loss": huber,
    "bce": binary_crossentropy,
    "BCE": binary_crossentropy,
}

ALL_OBJECTS = {**_CLASSES, **_FUNCTIONS, **_ALIASES}


_REGISTRY = TrainingFunctionRegistry(
    "loss",
    module="keras.losses",
    names=ALL_OBJECTS,
    base=Loss,
    builtins=[*_CLASSES.values(), *_FUNCTIONS.values()],
    valid_names=sorted(ALL_OBJECTS, key=str.lower),
    advice="Or pass a Loss instance or a function loss(y_true, y_pred).",
    usage="Pass a loss name such as 'mse', a keras.losses.Loss instance, or a function "
    "loss(y_true, y_pred).",
)


def get(identifier):
    """Returns a loss function or `Loss` instance from a name, config or callable.

    Names resolve through active `custom_object_scope`s and registered custom
    objects before the built-in losses.

    Args:
        identifier: None, a function or class name ('mse', 'mean_squared_error',
            'categorical_crossentropy', 'MeanSquaredError'), a config dict from
            `serialize`, a `Loss` class or instance, or any callable.

    Returns:
        A function for function names, an instance for class names (with
        default arguments), the callable itself otherwise; None for None.

    Example:
    >>> keras.losses.get('mse')  # the function mean_squared_error
    >>> keras.losses.get('MeanSquaredError')  # a MeanSquaredError()
    """
    return _REGISTRY.get(identifier)


def serialize(loss) -> dict | str:
    """Returns a JSON-friendly config for a loss (Keras 3's format).

    Args:
        loss: a `Loss` instance or a loss function.

    Returns:
        `{'module', 'class_name', 'config', 'registered_name'}`; functions have
        class_name 'function' and their (registered) name as config.

    Example:
    >>> keras.losses.serialize(keras.losses.MeanSquaredError())['class_name']
    'MeanSquaredError'
    """
    return _REGISTRY.serialize(loss)


def deserialize(config, custom_objects: dict | None = None):
    """Rebuilds a loss from `serialize`'s output (Keras 3 or Keras 2 format, or a name).

    Names resolve through `custom_objects`, active `custom_object_scope`s and
    registered custom objects before the built-in losses.

    Args:
        config: a dict from `serialize`, or a name.
        custom_objects: optional dict of user classes and functions by name.

    Returns:
        A `Loss` instance or a loss function.

    Example:
    >>> keras.losses.deserialize({'class_name': 'MeanSquaredError', 'config': {}})
    """
    return _REGISTRY.deserialize(config, custom_objects)

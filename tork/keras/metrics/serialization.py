"""`keras.metrics.get`, `serialize`, `deserialize` and the 'accuracy' resolution rule."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tork._naming import to_snake_case
from tork.keras._object_registry import TrainingFunctionRegistry
from tork.keras.losses.probabilistic import (
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
)
from tork.keras.losses.serialization import _ALIASES as _LOSS_ALIASES
from tork.keras.losses.serialization import _FUNCTIONS as _LOSS_FUNCTIONS
from tork.keras.metrics.accuracy import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from tork.keras.metrics.confusion import (
    AUC,
    FalseNegatives,
    FalsePositives,
    Precision,
    Recall,
    TrueNegatives,
    TruePositives,
)
from tork.keras.metrics.constrained import (
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)
from tork.keras.metrics.correlation import (
    ConcordanceCorrelation,
    MeanRelativeError,
    PearsonCorrelation,
    concordance_correlation,
    pearson_correlation,
)
from tork.keras.metrics.f_score import F1Score, FBetaScore
from tork.keras.metrics.hinge import CategoricalHinge, Hinge, SquaredHinge
from tork.keras.metrics.iou import BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from tork.keras.metrics.mean_tensor import MeanTensor
from tork.keras.metrics.metric import Metric
from tork.keras.metrics.probabilistic import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
)
from tork.keras.metrics.r2 import R2Score
from tork.keras.metrics.reduction import Mean, MeanMetricWrapper, Sum
from tork.keras.metrics.regression import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    RootMeanSquaredError,
    cosine_similarity,
)

# 'accuracy'/'acc' (and 'crossentropy'/'ce') in compile() depend on the model's output
# and label shapes: `_get_object` hands them back as these strings and the trainer
# resolves them with `resolve_accuracy` / `resolve_crossentropy` once shapes are known.
ACCURACY_MARKERS = frozenset({"accuracy", "acc"})
CROSSENTROPY_MARKERS = frozenset({"crossentropy", "ce"})

_CLASS_LIST = (
    Metric,
    Mean,
    Sum,
    MeanMetricWrapper,
    MeanTensor,
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    TopKCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    AUC,
    Precision,
    Recall,
    TruePositives,
    FalsePositives,
    TrueNegatives,
    FalseNegatives,
    MeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    RootMeanSquaredError,
    CosineSimilarity,
    LogCoshError,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    KLDivergence,
    Poisson,
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    F1Score,
    FBetaScore,
    R2Score,
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    PearsonCorrelation,
    ConcordanceCorrelation,
    MeanRelativeError,
    IoU,
    BinaryIoU,
    MeanIoU,
    OneHotIoU,
    OneHotMeanIoU,
)
_CLASSES = {cls.__name__: cls for cls in _CLASS_LIST}

# Names resolving to metric classes (instantiated by `get`), as Keras 3: class names,
# their snake_case and the usual short forms.
_NAMES: dict[str, type] = dict(_CLASSES)
_NAMES.update({to_snake_case(cls.__name__): cls for cls in _CLASS_LIST if cls is not Accuracy})
_NAMES.update(
    {
        "mse": MeanSquaredError,
        "MSE": MeanSquaredError,
        "mae": MeanAbsoluteError,
        "MAE": MeanAbsoluteError,
        "mape": MeanAbsolutePercentageError,
        "MAPE": MeanAbsolutePercentageError,
        "msle": MeanSquaredLogarithmicError,
        "MSLE": MeanSquaredLogarithmicError,
        "bce": BinaryCrossentropy,
        "BCE": BinaryCrossentropy,
        "kld": KLDivergence,
        "KLD": KLDivergence,
        "kullback_leibler_divergence": KLDivergence,
        "logcosh": LogCoshError,
        "log_cosh": LogCoshError,
        "rmse": RootMeanSquaredError,
        "f1": F1Score,
        # Keras 1/2.0's name, which tf_keras still resolves (to cosine similarity).
        "cosine_proximity": CosineSimilarity,
    }
)

# The loss functions double as metric functions; cosine_similarity is the metric's own
# (the loss is its negative).
_FUNCTIONS: dict[str, Callable] = {
    **{
        fn.__name__: fn
        for fn in (
            accuracy,
            binary_accuracy,
            categorical_accuracy,
            sparse_categorical_accuracy,
            top_k_categorical_accuracy,
            sparse_top_k_categorical_accuracy,
        )
    },
    **_LOSS_FUNCTIONS,
    "cosine_similarity": cosine_similarity,
    "pearson_correlation": pearson_correlation,
    "concordance_correlation": concordance_correlation,
}


_REGISTRY = TrainingFunctionRegistry(
    "metric",
    module="keras.metrics",
    names=_NAMES,
    base=Metric,
    builtins=[*_CLASS_LIST, *_FUNCTIONS.values()],
    class_names=_CLASSES,
    function_names=_FUNCTIONS,
    valid_names=sorted(set(_NAMES) | ACCURACY_MARKERS | CROSSENTROPY_MARKERS, key=str.lower),
    advice="Or pass a keras.metrics.Metric instance or a function metric(y_true, y_pred).",
    usage="Pass a metric name such as 'mae', a keras.metrics.Metric instance, or a function "
    "metric(y_true, y_pred).",
    markers=ACCURACY_MARKERS | CROSSENTROPY_MARKERS,
    instantiated=Metric,
)


# Names `get` resolves to metric functions, as tf_keras (whose `metrics.get('mae')` is
# the function `mean_absolute_error`): the functions' own names, the loss aliases
# ('mae', 'MSE', 'kld', 'logcosh', ...), Keras 2's 'acc' and the Keras 2.0 name
# 'cosine_proximity'.
_GET_FUNCTIONS: dict[str, Callable] = {
    **_LOSS_ALIASES,
    **_FUNCTIONS,
    "acc": accuracy,
    "cosine_proximity": cosine_similarity,
}


def get(identifier):
    """Returns a metric function or `Metric` instance from a name, config or callable.

    As in Keras 2 (tf_keras), the name of a metric function gives that
    function, so `get('mae')(y_true, y_pred)` returns per-sample values; a
    class name gives a new instance. Names resolve through active
    `custom_object_scope`s and registered custom objects before the built-in
    metrics.

    Args:
        identifier: None; a name ('mae', 'AUC', 'precision',
            'sparse_categorical_accuracy', ...); a config dict from `serialize`;
            a `Metric` class or instance; or a function `fn(y_true, y_pred)`.

    Returns:
        The function for function names ('mae', 'mse', 'accuracy',
        'binary_accuracy', 'categorical_crossentropy', ...); a new `Metric`
        instance for class names, config dicts, classes and the names of
        metrics that exist only as classes ('auc', 'precision', 'f1_score');
        the object itself for instances and functions; None for None.
        'crossentropy' and 'ce' are returned unchanged (as strings), as Keras
        2 does: which crossentropy they mean depends on the label and output
        shapes, see `resolve_crossentropy`.

    Example:
    >>> keras.metrics.get('mae')  # the function mean_absolute_error
    >>> keras.metrics.get('MeanAbsoluteError')  # a MeanAbsoluteError()
    """
    if (
        isinstance(identifier, str)
        and identifier in _GET_FUNCTIONS
        and _REGISTRY.find_custom(identifier) is None
    ):
        return _GET_FUNCTIONS[identifier]
    return _REGISTRY.get(identifier)


def _get_object(identifier):
    """Like `get`, but names give `Metric` instances (Keras 3's rule), for compile().

    'accuracy', 'acc', 'crossentropy' and 'ce' are returned unchanged: the
    caller resolves them once the label and output shapes are known.
    """
    return _REGISTRY.get(identifier)


def _shape(value) -> tuple | None:
    if value is None:
        return None
    shape = getattr(value, "shape", value)
    return tuple(None if d is None else int(d) for d in shape)


def _loss_kind(loss) -> str | None:
    """'sparse', 'binary' or 'categorical' for crossentropy-like losses, else None."""
    if isinstance(loss, str):
        name = loss
    elif isinstance(loss, type):
        name = loss.__name__
    else:
        name = getattr(loss, "__name__", None) or type(loss).__name__
    key = to_snake_case(name) if any(c.isupper() for c in name) else name
    if "sparse_categorical" in key:
        return "sparse"
    if "binary" in key or key in ("bce", "hinge", "squared_hinge"):
        return "binary"
    if "categorical" in key:
        return "categorical"
    return None


def _resolve(y_true_shape, y_pred_shape, loss, choices):
    binary, sparse, categorical = choices
    pred = _shape(y_pred_shape)
    true = _shape(y_true_shape)
    if pred is None or true is None:
        kind = _loss_kind(loss) if loss is not None else None
        if kind is not None:
            return {"binary": binary, "sparse": sparse, "categorical": categorical}[kind]
        if pred is None:
            raise ValueError(
                "Cannot resolve 'accuracy': the model output shape is unknown. Use an explicit "
                "metric such as 'binary_accuracy' or 'sparse_categorical_accuracy'."
            )
    if len(pred) <= 1:
        # Keras's rule would pick categorical accuracy here and take the argmax over the
        # batch axis, which measures nothing; one score per sample means binary labels.
        return binary
    if pred[-1] == 1:
        return binary
    if true is not None and (
        len(true) < len(pred) or (len(true) > 0 and true[-1] == 1 and (pred[-1] or 2) > 1)
    ):
        return sparse
    return categorical


def resolve_accuracy(y_true_shape: Sequence | None, y_pred_shape: Sequence, loss=None) -> Callable:
    """Picks the accuracy function that 'accuracy'/'acc' means for these shapes.

    The Keras rule (same in Keras 2 and 3): binary accuracy if the model's
    output has last dimension 1; else sparse categorical accuracy if the labels
    have lower rank than the output, or their last dimension is 1 while the
    output's is larger; else categorical accuracy. The metric keeps the name
    the user gave ('acc' stays 'acc').

    tork departs from Keras in one case: for rank-1 outputs (one score per
    sample, e.g. `(32,)`) Keras picks categorical accuracy, whose argmax runs
    over the batch and measures nothing; tork picks binary accuracy. `loss` is
    used only when `y_true_shape` is unknown (None): a sparse, binary or
    categorical crossentropy loss then decides.

    Args:
        y_true_shape: the labels' shape (a tuple, `TensorShape` or tensor), or None.
        y_pred_shape: the model output's shape.
        loss: the compiled loss (name, function or `Loss`), optional.

    Returns:
        `binary_accuracy`, `sparse_categorical_accuracy` or `categorical_accuracy`.

    Example:
    >>> resolve_accuracy((32,), (32, 10)) is keras.metrics.sparse_categorical_accuracy
    True
    """
    return _resolve(
        y_true_shape,
        y_pred_shape,
        loss,
        (binary_accuracy, sparse_categorical_accuracy, categorical_accuracy),
    )


def resolve_crossentropy(
    y_true_shape: Sequence | None, y_pred_shape: Sequence, loss=None
) -> Callable:
    """Picks the crossentropy that 'crossentropy'/'ce' means, by `resolve_accuracy`'s rule.

    Args:
        y_true_shape: the labels' shape, or None.
        y_pred_shape: the model output's shape.
        loss: the compiled loss, used only when `y_true_shape` is None.

    Returns:
        `binary_crossentropy`, `sparse_categorical_crossentropy` or
        `categorical_crossentropy`.

    Example:
    >>> resolve_crossentropy((32, 1), (32, 1)) is keras.losses.binary_crossentropy
    True
    """
    return _resolve(
        y_true_shape,
        y_pred_shape,
        loss,
        (binary_crossentropy, sparse_categorical_crossentropy, categorical_crossentropy),
    )


def serialize(metric) -> dict | str:
    """Returns a JSON-friendly config for a metric (Keras 3's format).

    Args:
        metric: a `Metric` instance, a metric function or a name.

    Returns:
        `{'module', 'class_name', 'config', 'registered_name'}`; functions have
        class_name 'function' and their (registered) name as config; names pass
        through.

    Example:
    >>> keras.metrics.serialize(keras.metrics.AUC())['class_name']
    'AUC'
    """
    return _REGISTRY.serialize(metric)


def deserialize(config, custom_objects: dict | None = None):
    """Rebuilds a metric from `serialize`'s output (Keras 3 or Keras 2 format, or a name).

    Names resolve through `custom_objects`, active `custom_object_scope`s and
    registered custom objects before the built-in metrics. As `get` and Keras
    2 (tf_keras), the name of a metric function ('mae', 'binary_accuracy',
    'acc') gives that function; a class name ('AUC') or the name of a metric
    that exists only as a class ('auc') gives a new instance. (Keras 3 gives
    instances for function names too.)

    Args:
        config: a dict from `serialize`, or a name.
        custom_objects: optional dict of user classes and functions by name.

    Returns:
        A `Metric` instance or a metric function (markers such as 'crossentropy'
        are returned as strings, as `get` does).

    Example:
    >>> keras.metrics.deserialize({'class_name': 'AUC', 'config': {'curve': 'PR'}})
    """
    if isinstance(config, str):
        found = _REGISTRY.find_custom(config, custom_objects)
        if found is not None:
            return _REGISTRY.instantiate(found)
        if config in _GET_FUNCTIONS:
            return _GET_FUNCTIONS[config]
        return _get_object(config)
    return _REGISTRY.deserialize(config, custom_objects)

"""`keras.metrics`: metric classes, per-sample metric functions and lookup by name.

Metrics keep their state in non-trainable variables on the device and never
copy to the host while updating. `get('accuracy')` returns Keras 2's elementwise
`accuracy` function; compile() resolves the string 'accuracy' itself (with
`resolve_accuracy`) once the label and output shapes are known.
"""

from tork._backend.errors import module_getattr as _module_getattr
from tork.keras.losses.hinge import categorical_hinge, hinge, squared_hinge
from tork.keras.losses.probabilistic import (
    KLD,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    kl_divergence,
    kld,
    kullback_leibler_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from tork.keras.losses.regression import (
    MAE,
    MAPE,
    MSE,
    MSLE,
    huber,
    log_cosh,
    logcosh,
    mae,
    mape,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    mse,
    msle,
)
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
from tork.keras.metrics.serialization import (
    ACCURACY_MARKERS,
    CROSSENTROPY_MARKERS,
    deserialize,
    get,
    resolve_accuracy,
    resolve_crossentropy,
    serialize,
)

__all__ = [
    "PrecisionAtRecall",
    "RecallAtPrecision",
    "SensitivityAtSpecificity",
    "SpecificityAtSensitivity",
    "ConcordanceCorrelation",
    "MeanRelativeError",
    "PearsonCorrelation",
    "concordance_correlation",
    "pearson_correlation",
    "ACCURACY_MARKERS",
    "AUC",
    "CROSSENTROPY_MARKERS",
    "KLD",
    "MAE",
    "MAPE",
    "MSE",
    "MSLE",
    "Accuracy",
    "BinaryAccuracy",
    "BinaryCrossentropy",
    "BinaryIoU",
    "CategoricalAccuracy",
    "CategoricalCrossentropy",
    "CategoricalHinge",
    "CosineSimilarity",
    "F1Score",
    "FBetaScore",
    "MeanTensor",
    "FalseNegatives",
    "FalsePositives",
    "Hinge",
    "IoU",
    "KLDivergence",
    "LogCoshError",
    "Mean",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanIoU",
    "MeanMetricWrapper",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Metric",
    "OneHotIoU",
    "OneHotMeanIoU",
    "Poisson",
    "Precision",
    "R2Score",
    "Recall",
    "RootMeanSquaredError",
    "SparseCategoricalAccuracy",
    "SparseCategoricalCrossentropy",
    "SparseTopKCategoricalAccuracy",
    "SquaredHinge",
    "Sum",
    "TopKCategoricalAccuracy",
    "TrueNegatives",
    "TruePositives",
    "accuracy",
    "binary_accuracy",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_accuracy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_hinge",
    "cosine_similarity",
    "deserialize",
    "get",
    "hinge",
    "kl_divergence",
    "kld",
    "kullback_leibler_divergence",
    "huber",
    "log_cosh",
    "logcosh",
    "mae",
    "mape",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_logarithmic_error",
    "mse",
    "msle",
    "poisson",
    "resolve_accuracy",
    "resolve_crossentropy",
    "serialize",
    "sparse_categorical_accuracy",
    "sparse_categorical_crossentropy",
    "sparse_top_k_categorical_accuracy",
    "squared_hinge",
    "top_k_categorical_accuracy",
]

# Importing the submodule `tork.keras.metrics.hinge` above bound the package attribute
# `hinge` to that module, hiding the function: `keras.metrics.hinge(y, p)` is the function.
from tork.keras.losses.hinge import hinge  # noqa: E402, F811

_fallback = _module_getattr("tf.keras.metrics")


def __getattr__(name):
    if name == "experimental":
        # Keras 2's `keras.metrics.experimental.PyMetric`, imported on first use.
        import importlib

        return importlib.import_module("tork.keras.metrics.experimental")
    return _fallback(name)

"""`keras.utils`: progress bars, PyDataset, data helpers and seeding."""

from tork._backend.errors import module_getattr as _module_getattr
from tork.keras._dtype_utils import standardize_dtype
from tork.keras.backend import clear_session, is_keras_tensor
from tork.keras.trainers.data_adapters import (
    pack_x_y_sample_weight,
    unpack_x_y_sample_weight,
)
from tork.keras.utils import experimental
from tork.keras.utils.audio_dataset import audio_dataset_from_directory
from tork.keras.utils.config import Config
from tork.keras.utils.dataset_utils import split_dataset
from tork.keras.utils.enqueuers import OrderedEnqueuer, SequenceEnqueuer
from tork.keras.utils.feature_space import FeatureSpace
from tork.keras.utils.get_file import get_file
from tork.keras.utils.image_dataset import image_dataset_from_directory
from tork.keras.utils.image_utils import array_to_img, img_to_array, load_img, save_img
from tork.keras.utils.io_utils import (
    disable_interactive_logging,
    enable_interactive_logging,
    is_interactive_logging_enabled,
)
from tork.keras.utils.model_visualization import model_to_dot, plot_model
from tork.keras.utils.multi_gpu_utils import multi_gpu_model
from tork.keras.utils.numerical_utils import normalize, to_ordinal
from tork.keras.utils.pad_sequences import pad_sequences
from tork.keras.utils.progbar import Progbar
from tork.keras.utils.sequence import PyDataset, Sequence
from tork.keras.utils.source_inputs import get_source_inputs
from tork.keras.utils.text_dataset import text_dataset_from_directory
from tork.keras.utils.timeseries_dataset import timeseries_dataset_from_array


def set_random_seed(seed: int) -> None:
    """Seeds Python's `random`, NumPy and torch (and tork's ops) for reproducible runs.

    Args:
        seed: an integer seed.
    """
    import random

    import numpy as np

    from tork.ops.random import set_seed

    random.seed(seed)
    np.random.seed(seed)
    set_seed(seed)


def to_categorical(y, num_classes=None, dtype="float32"):
    """Converts integer class labels to one-hot rows (a NumPy array).

    Args:
        y: integer labels, any shape.
        num_classes: number of classes; default `max(y) + 1`.
        dtype: dtype of the result.

    Example:
    >>> keras.utils.to_categorical([0, 2], 3)
    array([[1., 0., 0.],
           [0., 0., 1.]], dtype=float32)
    """
    import numpy as np

    try:
        y = np.asarray(y, dtype="int64")
    except (TypeError, ValueError) as error:
        # As Keras (numpy's int() error), plus what to do about it.
        raise ValueError(
            f"to_categorical expects integer class indices, got values it cannot read as "
            f"integers ({error}). Map string labels to indices first, e.g. with "
            "keras.layers.StringLookup(num_oov_indices=0) or np.unique(y, return_inverse=True)."
        ) from error
    shape = y.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    y = y.reshape(-1)
    if num_classes is None:
        num_classes = int(y.max()) + 1 if y.size else 0
    out = np.zeros((y.size, num_classes), dtype=dtype)
    try:
        out[np.arange(y.size), y] = 1
    except IndexError as error:
        # Usually labels counted from 1 (1..C) with num_classes=C. (Negative labels count
        # from the end, as in Keras.)
        top = int(y.max())
        raise IndexError(
            f"to_categorical: label {top} is out of range for num_classes={num_classes} "
            f"(labels must be 0..{num_classes - 1}). If the labels start at 1, subtract 1 "
            f"first; otherwise pass num_classes={top + 1} (or leave it out)."
        ) from error
    return out.reshape(shape + (num_classes,))


_SAVING_NAMES = (
    "custom_object_scope",
    "CustomObjectScope",
    "register_keras_serializable",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "serialize_keras_object",
    "deserialize_keras_object",
)


def __getattr__(name):
    # Loaded lazily: tork.keras.saving imports the model classes.
    if name in _SAVING_NAMES:
        import tork.keras.saving as saving

        return getattr(saving, name)
    if name == "conv_utils":
        # Keras 2's helper module (`keras.utils.conv_utils.conv_output_length`).
        import importlib

        return importlib.import_module("tork.keras.utils.conv_utils")
    if name == "track_tf1_style_variables":
        # `tf.compat.v1.keras.utils.track_tf1_style_variables` (TF 1 code in Keras layers).
        from tork.compat.v1._variable_scope import track_tf1_style_variables

        return track_tf1_style_variables
    return _module_getattr("tf.keras.utils")(name)


# The saving names load lazily, so a star import (`from tensorflow.keras.utils
# import *`) finds them only through __all__.
__all__ = sorted({n for n in globals() if not n.startswith("_")} | set(_SAVING_NAMES))

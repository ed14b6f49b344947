"""`tf.saved_model`: saves objects with their functions; loads them without their classes.

`tf.saved_model.save(obj, path)` writes a `tf.Module` (or Keras model): its
variables, its nested modules and the concrete functions of its `tf.function`s
(those with an `input_signature`, and each argument type they were called with),
plus `signatures`. `tf.saved_model.load(path)` restores an object with the same
attributes in any process, without the original Python classes: each function is
a `torch.export` program run on the restored variables.

The directory is tork's format (tork_saved_model.json, variables.pt and `.pt2`
programs), not TensorFlow's: TensorFlow, TF Serving and TFLite cannot read it, and
tork cannot run the graphs in TensorFlow's `saved_model.pb` (a SavedModel that
tf.keras 2's `model.save` wrote loads as its Keras model, rebuilt from
`keras_metadata.pb`). The TensorFlow-only parts of this
namespace (`builder`, `loader`, `experimental`, `signature_def_utils`...) raise.

Example:
>>> class Scale(tf.Module):
...     def __init__(self):
...         super().__init__()
...         self.v = tf.Variable(2.0)
...     @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
...     def __call__(self, x):
...         return x * self.v
>>> tf.saved_model.save(Scale(), "/tmp/scale")  # doctest: +SKIP
>>> tf.saved_model.load("/tmp/scale")(tf.constant([1.0, 2.0]))  # doctest: +SKIP
"""

from __future__ import annotations

import os

from tork._backend.errors import TorkNotImplementedError
from tork.saved_model import _format

# TensorFlow's constants (tag and signature names, TensorFlow's file names).
SERVING = "serve"
TRAINING = "train"
GPU = "gpu"
TPU = "tpu"
DEFAULT_SERVING_SIGNATURE_DEF_KEY = "serving_default"
CLASSIFY_INPUTS = "inputs"
CLASSIFY_METHOD_NAME = "tensorflow/serving/classify"
CLASSIFY_OUTPUT_CLASSES = "classes"
CLASSIFY_OUTPUT_SCORES = "scores"
PREDICT_INPUTS = "inputs"
PREDICT_METHOD_NAME = "tensorflow/serving/predict"
PREDICT_OUTPUTS = "outputs"
REGRESS_INPUTS = "inputs"
REGRESS_METHOD_NAME = "tensorflow/serving/regress"
REGRESS_OUTPUTS = "outputs"
SAVED_MODEL_FILENAME_PB = "saved_model.pb"
SAVED_MODEL_FILENAME_PBTXT = "saved_model.pbtxt"
SAVED_MODEL_SCHEMA_VERSION = 1
ASSETS_DIRECTORY = "assets"
ASSETS_KEY = "saved_model_assets"
DEBUG_DIRECTORY = "debug"
DEBUG_INFO_FILENAME_PB = "saved_model_debug_info.pb"
VARIABLES_DIRECTORY = "variables"
VARIABLES_FILENAME = "variables"


class SaveOptions:
    """Options for `tf.saved_model.save`; tork accepts them and needs none of them.

    Args:
        namespace_whitelist: accepted (TensorFlow ops namespaces; tork saves no graph ops).
        save_debug_info: accepted and ignored.
        function_aliases: accepted and kept (`{alias: tf.function}`).
        experimental_io_device: accepted and ignored.
        experimental_variable_policy: accepted and ignored.
        experimental_custom_gradients: accepted and ignored.
        **kwargs: other TensorFlow options, accepted and ignored.
    """

    def __init__(
        self,
        namespace_whitelist=None,
        save_debug_info=False,
        function_aliases=None,
        experimental_io_device=None,
        experimental_variable_policy=None,
        experimental_custom_gradients=True,
        **kwargs,
    ):
        self.namespace_whitelist = namespace_whitelist or []
        self.save_debug_info = save_debug_info
        self.function_aliases = function_aliases or {}
        self.experimental_io_device = experimental_io_device
        self.experimental_variable_policy = experimental_variable_policy
        self.experimental_custom_gradients = experimental_custom_gradients


class LoadOptions:
    """Options for `tf.saved_model.load`; tork accepts them and needs none of them.

    Args:
        allow_partial_checkpoint: accepted and ignored.
        experimental_io_device: accepted and ignored.
        experimental_skip_checkpoint: accepted and ignored.
        experimental_variable_policy: accepted and ignored.
        **kwargs: other TensorFlow options, accepted and ignored.
    """

    def __init__(
        self,
        allow_partial_checkpoint=False,
        experimental_io_device=None,
        experimental_skip_checkpoint=False,
        experimental_variable_policy=None,
        **kwargs,
    ):
        self.allow_partial_checkpoint = allow_partial_checkpoint
        self.experimental_io_device = experimental_io_device
        self.experimental_skip_checkpoint = experimental_skip_checkpoint
        self.experimental_variable_policy = experimental_variable_policy


def save(obj, export_dir, signatures=None, options=None) -> None:
    """Saves `obj` (a `tf.Module` or Keras model) to the directory `export_dir`.

    Variables, nested `tf.Module`s, lists and dicts of them, and `tf.function`s
    (each argument type they were called with, or their `input_signature`) are
    saved; `tf.saved_model.load` restores them without the Python classes. Each
    concrete function is captured with `torch.export`: a function whose Python
    control flow depends on tensor values cannot be, and raises here, naming it.

    Args:
        obj: a `tf.Module` (a Keras model is one).
        export_dir: the directory to write (replaced if it exists).
        signatures: a `tf.function` with an `input_signature`, a concrete function
            (`f.get_concrete_function(tf.TensorSpec(...))`), or a dict of them by
            signature key. By default a Keras model gets `serving_default` (inputs
            named after its `Input`s, outputs after its output layers), and a
            `tf.Module` with exactly one `tf.function` that has an `input_signature`
            gets it as `serving_default`.
        options: a `tf.saved_model.SaveOptions` (accepted; tork needs none).

    The directory is tork's format; TensorFlow cannot read it.
    """
    from tork.saved_model import _save

    _save.save(obj, export_dir, signatures=signatures, options=options)


def load(export_dir, tags=None, options=None):
    """Loads an object saved by `tf.saved_model.save` or `model.export`.

    Args:
        export_dir: the directory.
        tags: accepted for compatibility (tork's format has one set of functions).
        options: a `tf.saved_model.LoadOptions` (accepted; tork needs none).

    Returns:
        An object with the saved attributes: variables (`tf.Variable`), nested
        objects, callable functions, `variables`/`trainable_variables`, and
        `signatures` (signature key -> function taking tensors by input name and
        returning a dict of outputs).
    """
    from tork.saved_model import _load

    return _load.load(export_dir, tags=tags, options=options)


def contains_saved_model(export_dir) -> bool:
    """Whether `export_dir` holds a SavedModel `tf.saved_model.load` knows.

    True for tork's SavedModel, for a Keras model directory written by
    `model.save("dir")` (where Keras 2 wrote a SavedModel) and for TensorFlow's
    `saved_model.pb` (which tork loads when tf.keras wrote its `keras_metadata.pb`).
    """
    path = os.fspath(export_dir)
    if not os.path.isdir(path):
        return False
    names = (_format.METADATA_NAME, SAVED_MODEL_FILENAME_PB, SAVED_MODEL_FILENAME_PBTXT)
    if any(os.path.isfile(os.path.join(path, name)) for name in names):
        return True
    from tork.saved_model._load import _is_keras_directory

    # model.save(dir) writes the Keras format where Keras 2 wrote a SavedModel; load reads it.
    return _is_keras_directory(path)


_TENSORFLOW_ONLY = (
    "builder",
    "loader",
    "experimental",
    "signature_def_utils",
    "utils",
    "main_op",
    "tag_constants",
    "signature_constants",
    "load_v2",
    "save_v2",
    "Asset",
    "simple_save",
    "build_signature_def",
    "build_tensor_info",
    "classification_signature_def",
    "predict_signature_def",
    "regression_signature_def",
    "is_valid_signature",
    "get_tensor_from_tensor_info",
)


def __getattr__(name: str):
    if name in _TENSORFLOW_ONLY:
        raise TorkNotImplementedError(
            f"tork does not implement `tf.saved_model.{name}`: it works on TensorFlow graphs "
            f"and TensorFlow's saved_model.pb. {_format.NOT_TENSORFLOW} Use "
            "tf.saved_model.save / tf.saved_model.load (tork's format), "
            "model.export(path, format='onnx') for other runtimes, or model.save('m.keras')."
        )
    raise AttributeError(f"module 'tf.saved_model' has no attribute {name!r}")


__all__ = [
    "ASSETS_DIRECTORY",
    "ASSETS_KEY",
    "CLASSIFY_INPUTS",
    "CLASSIFY_METHOD_NAME",
    "CLASSIFY_OUTPUT_CLASSES",
    "CLASSIFY_OUTPUT_SCORES",
    "DEBUG_DIRECTORY",
    "DEBUG_INFO_FILENAME_PB",
    "DEFAULT_SERVING_SIGNATURE_DEF_KEY",
    "GPU",
    "LoadOptions",
    "PREDICT_INPUTS",
    "PREDICT_METHOD_NAME",
    "PREDICT_OUTPUTS",
    "REGRESS_INPUTS",
    "REGRESS_METHOD_NAME",
    "REGRESS_OUTPUTS",
    "SAVED_MODEL_FILENAME_PB",
    "SAVED_MODEL_FILENAME_PBTXT",
    "SAVED_MODEL_SCHEMA_VERSION",
    "SERVING",
    "SaveOptions",
    "TPU",
    "TRAINING",
    "VARIABLES_DIRECTORY",
    "VARIABLES_FILENAME",
    "contains_saved_model",
    "load",
    "save",
]

"""tork: Keras-style deep learning on PyTorch.

Use it as TensorFlow: `import tork as tf`. Tensors are plain `torch.Tensor`s,
variables are `torch.nn.Parameter`s and Keras layers are `torch.nn.Module`s.
"""

# `tf.__version__` is the TensorFlow release whose API tork follows, so the version checks
# of TF code pass; tork's own release is `tork.version.TORK_VERSION` (see tork/version.py).
from tork.version import VERSION as __version__  # noqa: I001

from tork import _module_aliases, _old_keras_paths, _symbolic, config, distribute, errors
from tork._backend import dtypes
from tork._backend.device import device
from tork._backend.dtypes import (
    bfloat16,
    bool,
    complex64,
    complex128,
    double,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    string,
    uint8,
    uint16,
    uint32,
    uint64,
)
from tork._backend.errors import module_getattr as _module_getattr
from tork._backend.indexed_slices import IndexedSlices
from tork._backend.ragged_tensor import RaggedTensor, RaggedTensorSpec
from tork._backend.sparse_tensor import SparseTensor, SparseTensorSpec
from tork._backend.tensor import public_convert_to_tensor as convert_to_tensor
from tork._backend.tensor_shape import Dimension, TensorShape
from tork.data.tensor_spec import TensorSpec
from tork.function import function
from tork.module import Module
from tork.ops import array as _array
from tork.ops import debugging, linalg, math, nn, random
from tork.ops._edit_distance import edit_distance
from tork.ops._operation import Operation
from tork.ops.array import *
from tork.ops.control_flow import *
from tork.ops.custom_gradient import *
from tork.ops.debugging import *
from tork.ops.gradients import gradients, hessians
from tork.ops.linalg import *
from tork.ops.math import *
from tork.ops.math import _complex as complex  # noqa: A004 - top level only, as TF
from tork.ops.py_function import *
from tork.ops.scopes import *
from tork.ops.tensor_array import *
from tork.tape import GradientTape, UnconnectedGradients
from tork.variables import Variable, VariableAggregation, VariableSynchronization

Tensor = __import__("torch").Tensor


# TensorFlow 2's initializer classes at the top level (pix2pix's
# `tf.random_normal_initializer(0., 0.02)`): Keras's classes, the same defaults; the
# random ones draw new values at each unseeded call (tork/ops/init_ops.py), as TF's.
_TF_RANDOM_INITIALIZERS = ("random_normal_initializer", "random_uniform_initializer")
_INITIALIZER_ALIASES = {
    "constant_initializer": "Constant",
    "zeros_initializer": "Zeros",
    "ones_initializer": "Ones",
    "glorot_uniform_initializer": "GlorotUniform",
    "glorot_normal_initializer": "GlorotNormal",
}


def get_logger():
    """TensorFlow's `tf.get_logger()`: the Python logger named `tensorflow`.

    Returns:
        A `logging.Logger`; old scripts call `tf.get_logger().setLevel("ERROR")`.

    Example:
    >>> tf.get_logger().name
    'tensorflow'
    """
    from tork.compat.v1.logging import get_logger as _get_logger

    return _get_logger()


# tf ops called on functional-API symbolic tensors become graph nodes (see tork/_symbolic.py).
# The namespaced modules go first, so that a config names an op by its full path.
_symbolic.install(math.__dict__, "tf.math")
_symbolic.install(nn.__dict__, "tf.nn")
_symbolic.install(linalg.__dict__, "tf.linalg")
_symbolic.install(random.__dict__, "tf.random")
_symbolic.install(_array.__dict__, "tf")
_symbolic.install(globals(), "tf", only_wrapped=True)
# Top-level-only ops, in no namespace installed above; tf_keras records them as layers.
from tork.ops import py_function as _py_function_module  # noqa: E402

complex = _symbolic._wrap(complex, "tf.complex")  # noqa: A001
py_function = _symbolic._wrap(_py_function_module.py_function, "tf.py_function")
numpy_function = _symbolic._wrap(_py_function_module.numpy_function, "tf.numpy_function")

# Modules loaded on first use, so that `import tork` stays fast. TensorFlow 2 also exposes
# some Keras modules at the top level (`tf.optimizers.Adam`, `tf.losses.MeanSquaredError`).
_LAZY_MODULES = {
    "keras": "tork.keras",
    "autograph": "tork.autograph",
    "data": "tork.data",
    "train": "tork.train",
    "initializers": "tork.keras.initializers",
    "losses": "tork.keras.losses",
    "metrics": "tork.keras.metrics",
    "optimizers": "tork.keras.optimizers",
    "nest": "tork.nest",
    "image": "tork.ops.image",
    "io": "tork.ops.io",
    "strings": "tork.ops.strings",
    "ragged": "tork.ops.ragged",
    "signal": "tork.ops.signal",
    "audio": "tork.ops.audio",
    "summary": "tork.ops.summary",
    "compat": "tork.compat",
    "test": "tork.test",
    "bitwise": "tork.ops.bitwise",
    "sparse": "tork.ops.sparse",
    "sets": "tork.ops.sets",
    "queue": "tork.ops.queue",
    "feature_column": "tork.feature_column",
    "experimental": "tork.experimental",
    "autodiff": "tork.autodiff",
    "lookup": "tork.lookup",
    "saved_model": "tork.saved_model",
    "raw_ops": "tork.ops.raw_ops",
    "tpu": "tork.tpu",
    "__internal__": "tork._internal_api",
}

# Lazily loaded op namespaces whose ops take symbolic tensors too.
_SYMBOLIC_LAZY = ("image", "signal")

# `from tork.nn import relu`, `import tork.math as tfm`: importable as in TensorFlow.
_module_aliases.install(
    {"math": math, "nn": nn, "linalg": linalg, "random": random, "debugging": debugging},
    _LAZY_MODULES,
)
# `from tork.keras.layers.core import Flatten`: the Keras 2.0 module paths.
_old_keras_paths.install()


# Top-level ops that live in another module (DeepCTR's Hash layer calls `tf.as_string`;
# `tf.bitcast`, `tf.saturate_cast`): name -> (module, attribute), loaded on first use.
_TOP_LEVEL_ALIASES = {
    "as_string": ("tork.ops.strings", "as_string"),
    "bitcast": ("tork.ops._casts", "bitcast"),
    "saturate_cast": ("tork.ops._casts", "saturate_cast"),
    "type_spec_from_value": ("tork.data.tensor_spec", "type_spec_from_value"),
}


def __getattr__(name):
    alias = _TOP_LEVEL_ALIASES.get(name)
    if alias is not None:
        import importlib

        value = getattr(importlib.import_module(alias[0]), alias[1])
        globals()[name] = value
        return value
    if name in _TF_RANDOM_INITIALIZERS:
        from tork.ops import init_ops

        return getattr(init_ops, name)
    initializer = _INITIALIZER_ALIASES.get(name)
    if initializer is not None:
        from tork.keras import initializers

        return getattr(initializers, initializer)
    module = _LAZY_MODULES.get(name)
    if module is not None:
        import importlib

        loaded = importlib.import_module(module)
        if name in _SYMBOLIC_LAZY:
            _symbolic.install(loaded.__dict__, f"tf.{name}")
        globals()[name] = loaded  # later lookups skip this function
        return loaded
    return _module_getattr("tf")(name)

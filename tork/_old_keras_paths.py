"""Keras 2.0-era module paths (`from keras.layers.core import Dense`) as aliases.

Code from 2017-2021 imports Keras names from the modules that held them then:
`keras.layers.core`, `keras.layers.convolutional`, `keras.engine.topology`,
`keras.utils.np_utils`, and in tf.keras 2.0-2.5 `tensorflow.python.keras.layers.core`.
Keras has since moved every one of those names to a public namespace
(`keras.layers`, `keras.models`, `keras.utils`). In tork each old module is an alias
that looks its names up in the modern namespaces listed in `OLD_PATHS`, so
`from tork.keras.layers.core import Flatten` gives `tork.keras.layers.Flatten` itself.

tork's own packages that share an old name (`tork.keras.layers.core`, `.convolutional`,
`.recurrent`, `.normalization`, `.pooling`) hold only part of the layers they held in
Keras 2.0; their module `__getattr__` comes from `package_getattr`, which answers the
rest from the same table. The missing modules are made by a finder placed last on
`sys.meta_path`: it runs only for imports nothing else found, so `import tork` and
ordinary imports do not slow down.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import types

_LAYERS = ("tork.keras.layers",)
_ENGINE = ("tork.keras.layers", "tork.keras.models", "tork.keras.utils")
_UTILS = ("tork.keras.utils",)

# Old module (relative to `keras.`) -> the modern namespaces its names now live in,
# searched in order. Paths are those of Keras 2.2.4 (keras/layers/core.py, ...) and of
# tf.keras 2.0-2.5 (tensorflow/python/keras/engine/base_layer.py, ...).
OLD_PATHS: dict[str, tuple[str, ...]] = {
    "layers.core": _LAYERS,
    "layers.convolutional": _LAYERS,
    "layers.convolutional_recurrent": _LAYERS,
    "layers.recurrent": _LAYERS,
    "layers.recurrent_v2": _LAYERS,
    "layers.cudnn_recurrent": _LAYERS,
    "layers.normalization": _LAYERS,
    "layers.normalization_v2": _LAYERS,
    "layers.pooling": _LAYERS,
    "layers.merge": _LAYERS,
    "layers.embeddings": _LAYERS,
    "layers.advanced_activations": _LAYERS,
    "layers.wrappers": _LAYERS,
    "layers.noise": _LAYERS,
    "layers.dense_attention": _LAYERS,
    "layers.multi_head_attention": _LAYERS,
    "engine": _ENGINE,
    "engine.topology": _ENGINE,
    "engine.base_layer": _ENGINE,
    "engine.node": _ENGINE,
    "engine.input_layer": _ENGINE,
    "engine.input_spec": _ENGINE,
    "engine.network": _ENGINE,
    "engine.functional": _ENGINE,
    "engine.sequential": _ENGINE,
    "engine.training": _ENGINE,
    "legacy": (),
    "legacy.interfaces": (),
    "utils.generic_utils": ("tork.keras.utils", "tork.keras.saving"),
    "utils.np_utils": _UTILS,
    "utils.data_utils": _UTILS,
    "utils.vis_utils": _UTILS,
    "utils.io_utils": _UTILS,
    "callbacks.callbacks": ("tork.keras.callbacks",),
    # Keras 1/2.0 held the losses in `keras.objectives` (kept as an alias until Keras 2.2;
    # faster-rcnn-keras and other detection code still import it).
    "objectives": ("tork.keras.losses",),
}

# Old modules that held submodules (`keras.engine.topology`): packages, so that the
# import system looks for their children.
_PACKAGES = frozenset({"engine", "legacy"})

# `from tensorflow.python.keras.layers.core import Dense` in tf 2.0-2.5 code.
_PYTHON_KERAS = "tork.python.keras"

# `from tensorflow.compat.v1.keras.backend import set_session` (TF 2 GPU recipes): TF's
# `tf.compat.v1.keras` is tf.keras under its TF 1 name, so in tork it is `tork.keras`.
_COMPAT_V1_KERAS = "tork.compat.v1.keras"

# TensorFlow's private modules that library code imports (bert4keras's backend:
# `from tensorflow.python.util import nest, tf_inspect`): path under `tork.python` ->
# the tork module that answers it (None: a package holding such modules).
_PYTHON_MODULES: dict[str, str | None] = {
    "util": None,
    "util.nest": "tork.nest",
    "util.tf_inspect": "tork._tf_python.tf_inspect",
    "eager": None,
    "eager.tape": "tork._tf_python.eager_tape",
    "ops": None,
    "ops.custom_gradient": "tork._tf_python.custom_gradient",
    "ops.weights_broadcast_ops": "tork._tf_python.weights_broadcast_ops",
    "client": None,
    "client.device_lib": "tork._tf_python.device_lib",
    # Keras 2's optimizers (and TF Addons') call the training kernels through these.
    "training": None,
    "training.training_ops": "tork._tf_python.training_ops",
    "training.gen_training_ops": "tork._tf_python.training_ops",
    "ops.gen_training_ops": "tork._tf_python.training_ops",
    "ops.gen_resource_variable_ops": "tork._tf_python.training_ops",
    # DeepCTR's layers (and other code supporting TF 1 and 2) import initializers, lookup
    # tables and conv shape helpers from here, and its TF 1 RNN code the op modules: TF's
    # op modules hold the TF 1 signatures, which `tork.compat.v1` has.
    "ops.init_ops": "tork._tf_python.init_ops",
    "ops.init_ops_v2": "tork._tf_python.init_ops_v2",
    "ops.lookup_ops": "tork.lookup",
    "ops.rnn_cell_impl": "tork._tf_python.rnn_cell_impl",
    "ops.rnn_cell": "tork._tf_python.rnn_cell_impl",
    "ops.rnn": "tork._tf_python.rnn",
    "ops.array_ops": "tork.compat.v1",
    "ops.math_ops": "tork.compat.v1",
    "ops.control_flow_ops": "tork.compat.v1",
    "ops.tensor_array_ops": "tork.compat.v1",
    "ops.variable_scope": "tork.compat.v1",
    "ops.nn_ops": "tork.compat.v1.nn",
    "ops.nn": "tork.compat.v1.nn",
    "framework": None,
    "framework.dtypes": "tork.compat.v1",
    "framework.ops": "tork.compat.v1",
    "framework.tensor_shape": "tork._backend.tensor_shape",
    "layers": None,
    "layers.utils": "tork.keras.utils.conv_utils",
    # TensorFlowTTS's utilities and spektral's sparse helpers.
    "eager.context": "tork._tf_python.eager_context",
    "util.tf_export": "tork._tf_python.tf_export",
    "ops.control_flow_util": "tork._tf_python.control_flow_util",
    "ops.gen_sparse_ops": "tork._tf_python.gen_sparse_ops",
    # NVIDIA's Wide&Deep layers check column types: `from
    # tensorflow.python.feature_column import feature_column_v2 as fc`, then
    # `isinstance(col, fc.IdentityCategoricalColumn)`.
    "feature_column": None,
    "feature_column.feature_column_v2": "tork.feature_column",
    "feature_column.feature_column_lib": "tork.feature_column",
    "feature_column.sequence_feature_column": "tork.feature_column",
}


# Keras 2.0 names that later Keras removed: what to write instead.
_REMOVED = {
    "CuDNNLSTM": "`tork.keras.layers.LSTM` (the CuDNNLSTM weights hold two bias vectors: "
    "sum them for LSTM's one)",
    "CuDNNGRU": "`tork.keras.layers.GRU(..., reset_after=True, recurrent_activation='sigmoid')`",
    "Merge": "the merge layers `tork.keras.layers.Concatenate`, `Add`, `Multiply`, `Dot`...",
    "merge": "the merge functions `tork.keras.layers.concatenate`, `add`, `multiply`, `dot`...",
    "AtrousConvolution1D": "`tork.keras.layers.Conv1D(..., dilation_rate=rate)`",
    "AtrousConvolution2D": "`tork.keras.layers.Conv2D(..., dilation_rate=rate)`",
    "Highway": "a gated `Dense` pair written as a custom layer",
    "MaxoutDense": "`Dense(units * pieces)` then a max over the pieces",
}


# Keras 2.0's graph-network classes, bases of `Model` then: tork's `Model` is both.
_ENGINE_RENAMED = {"Network": "Model", "Container": "Model"}

# Base classes user layers subclass from the old modules (Keras-GAN's
# `RandomWeightedAverage(_Merge)`, custom convolutions on `_Conv(rank, filters, ...)`),
# which no public namespace holds: (old module, name) -> (tork module, name).
_BASES = {
    ("layers.merge", "_Merge"): ("tork.keras.layers.merging", "_Merge"),
    ("layers.convolutional", "_Conv"): ("tork.keras.layers.convolutional.base_conv", "BaseConv"),
    ("layers.convolutional", "Conv"): ("tork.keras.layers.convolutional.base_conv", "BaseConv"),
    # tf.keras 1.x defined the functional graph's `Node` in engine/base_layer.py (bert4keras
    # subclasses it there on TF < 1.15), later in engine/node.py.
    ("engine.base_layer", "Node"): ("tork.keras.models.functional.node", "Node"),
    ("engine.node", "Node"): ("tork.keras.models.functional.node", "Node"),
}


def _legacy_interface(function):
    # Keras 2.0's `legacy.interfaces` decorators renamed Keras 1 arguments
    # (`output_dim=` to `units=`); code that still imports them passes Keras 2 arguments,
    # which tork's layers take as they are.
    return function


def _find_name(old: str, targets: tuple[str, ...], name: str):
    """Returns `name` from the first modern namespace of `targets` that has it."""
    if old.startswith("legacy") and name.startswith("legacy_"):
        return _legacy_interface
    if old == "legacy" and name == "interfaces":
        return importlib.import_module("tork.keras.legacy.interfaces")
    for target in targets:
        module = importlib.import_module(target)
        if name in vars(module):
            return vars(module)[name]
    if old.startswith("engine") and name in _ENGINE_RENAMED:
        return getattr(importlib.import_module("tork.keras.models"), _ENGINE_RENAMED[name])
    # Names a namespace loads lazily through its own `__getattr__` (the rest of those
    # raise tork's not-implemented error, an AttributeError, answered below).
    for target in targets:
        module = importlib.import_module(target)
        try:
            return getattr(module, name)
        except AttributeError:
            continue
    if name in _REMOVED:
        raise ImportError(
            f"cannot import name {name!r} from {'tork.keras.' + old!r}: {name} is a "
            f"Keras 2.0-era name that tf.keras 2 no longer has; use {_REMOVED[name]}.",
            name=name,
        )
    if not targets:
        raise ImportError(
            f"cannot import name {name!r} from {'tork.keras.' + old!r}: tork keeps only the "
            "`keras.legacy.interfaces.legacy_*_support` decorators of Keras 2.0 (they pass "
            "the function through); write the Keras 2 arguments directly.",
            name=name,
        )
    raise ImportError(
        f"cannot import name {name!r} from {'tork.keras.' + old!r}: that Keras 2.0 module "
        f"path is kept as an alias of {', '.join(targets)}, which has no {name!r}. Import "
        f"the name from its current place (`from {targets[0]} import ...`); "
        "docs/compatibility.md lists what tork implements.",
        name=name,
    )


def _old_getattr(old: str, module_name: str):
    targets = OLD_PATHS[old]

    def __getattr__(name: str):
        if name == "__all__":
            # `from keras.layers.core import *`: the names the old path stands for.
            return _star_names(old, targets)
        if (old, name) in _BASES:
            module_path, attribute = _BASES[old, name]
            return getattr(importlib.import_module(module_path), attribute)
        if name.startswith("_"):
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        # A submodule not imported yet (`from tork.keras.layers.core import dense`): the
        # import system asks for the attribute first and must get AttributeError.
        module = sys.modules[module_name]
        if hasattr(module, "__path__") and importlib.util.find_spec(f"{module_name}.{name}"):
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        try:
            value = _find_name(old, targets, name)
        except ImportError as error:
            if _importing(sys._getframe(1)):
                raise
            # `getattr(module, name, None)` and `hasattr` (tork's own config loading
            # does both) expect AttributeError for a missing name.
            raise AttributeError(str(error)) from None
        # Later lookups skip this function.
        setattr(module, name, value)
        return value

    return __getattr__


def _importing(frame) -> bool:
    """Whether `frame` is running a `from module import name` statement."""
    # `from m import name` reads the attribute in the importing frame's IMPORT_FROM
    # instruction, and turns an AttributeError into a bare "cannot import name": only
    # there is ImportError raised directly, so that the message naming the modern import
    # reaches the user.
    import dis

    try:
        return frame.f_code.co_code[frame.f_lasti] == dis.opmap["IMPORT_FROM"]
    except (AttributeError, IndexError, KeyError):
        return False


def _star_names(old: str, targets: tuple[str, ...]) -> list[str]:
    if not targets:
        return ["interfaces"] if old == "legacy" else []
    names = []
    for target in targets:
        module = importlib.import_module(target)
        names += [n for n in getattr(module, "__all__", ()) if n not in names]
    return names


def package_getattr(package: str):
    """Makes the module `__getattr__` of a tork package that is also a Keras 2.0 path.

    Args:
        package: the package's `__name__`, e.g. `"tork.keras.layers.core"`.

    Returns:
        A function for the package's module-level `__getattr__`.
    """
    return _old_getattr(package[len("tork.keras.") :], package)


# Keras 1's `merge(inputs, mode=...)` modes and the Keras 2 functions that replaced them.
_MERGE_MODES = {
    "sum": "add",
    "mul": "multiply",
    "concat": "concatenate",
    "ave": "average",
    "max": "maximum",
    "dot": "dot",
    "cos": "dot(..., normalize=True)",
}


class _MergeModule(types.ModuleType):
    """`keras.layers.merge`, which Keras 1 code calls as its `merge(inputs, mode=...)`.

    `from keras.layers import merge` gives this module since Keras 2 (as it does in
    Keras 2.2); calling it says which merge function to use instead of "'module' object
    is not callable".
    """

    def __call__(self, inputs=None, mode="sum", *args, **kwargs):
        replacement = _MERGE_MODES.get(mode) if isinstance(mode, str) else None
        fix = (
            f"`tork.keras.layers.{replacement}([...])` for mode={mode!r}"
            if replacement
            else "a merge function (`add`, `multiply`, `concatenate`, `average`, `dot`...)"
        )
        raise TypeError(
            "keras.layers.merge is a module: Keras 1's merge(inputs, mode=...) function was "
            f"removed in Keras 2. Use {fix}, e.g. `multiply([inputs, a_probs], "
            "name='attention_mul')` for merge([inputs, a_probs], mode='mul')."
        )


class _OldPathLoader(importlib.abc.Loader):
    def __init__(self, old: str | None, alias_of: str | None = None):
        self._old = old
        self._alias_of = alias_of

    def create_module(self, spec):
        if self._alias_of is not None:
            module = importlib.import_module(self._alias_of)
            self._saved = {
                k: module.__dict__.get(k) for k in ("__spec__", "__loader__", "__package__")
            }
            return module
        return None

    def exec_module(self, module) -> None:
        if self._alias_of is not None:
            # The import system gave the aliased module this alias's spec: give its own back.
            module.__dict__.update(self._saved)
            return
        if self._old is None:
            # `tork.python` and its packages: only the modules named in the table.
            prefix = module.__name__[len("tork.python") :].lstrip(".")
            children = ["keras"] if not prefix else []
            children += [
                path
                for path in _PYTHON_MODULES
                if (path.startswith(prefix + ".") if prefix else "." not in path)
            ]
            module.__doc__ = (
                f"tensorflow.python{'.' + prefix if prefix else ''}: only "
                + ", ".join(f"`{c.rpartition('.')[2]}`" for c in children)
                + " (see tork._tf_python)."
            )
            return
        targets = OLD_PATHS[self._old]
        module.__doc__ = (
            f"Keras 2.0 module path `keras.{self._old}`: an alias of "
            f"{', '.join(targets) or 'the Keras 2.0 legacy decorators'}."
        )
        module.__getattr__ = _old_getattr(self._old, module.__name__)
        if self._old == "layers.merge":
            module.__class__ = _MergeModule


class _OldPathFinder(importlib.abc.MetaPathFinder):
    # Last on sys.meta_path: `tork.keras.<old path>` for the old modules tork lacks.
    def find_spec(self, fullname, path=None, target=None):
        if not fullname.startswith("tork.keras."):
            return None
        relative = fullname[len("tork.keras.") :]
        if relative not in OLD_PATHS:
            return None
        return importlib.util.spec_from_loader(
            fullname, _OldPathLoader(relative), is_package=relative in _PACKAGES
        )


class _PythonKerasFinder(importlib.abc.MetaPathFinder):
    # First on sys.meta_path: every `tork.python.keras.X` is the module `tork.keras.X`
    # itself. Were it later, the path finder would load a second copy of a tork package
    # under the `tork.python.keras` name, with classes unequal to tork's.
    def find_spec(self, fullname, path=None, target=None):
        if fullname == _COMPAT_V1_KERAS or fullname.startswith(_COMPAT_V1_KERAS + "."):
            return _modern_alias_spec(fullname, _COMPAT_V1_KERAS)
        if not fullname.startswith("tork.python"):
            return None
        if fullname == "tork.python":
            return importlib.util.spec_from_loader(fullname, _OldPathLoader(None), is_package=True)
        relative = fullname[len("tork.python.") :]
        if relative in _PYTHON_MODULES:
            target = _PYTHON_MODULES[relative]
            if target is None:
                return importlib.util.spec_from_loader(
                    fullname, _OldPathLoader(None), is_package=True
                )
            return importlib.util.spec_from_loader(
                fullname, _OldPathLoader(None, alias_of=target), is_package=False
            )
        if fullname != _PYTHON_KERAS and not fullname.startswith(_PYTHON_KERAS + "."):
            return None
        return _modern_alias_spec(fullname, _PYTHON_KERAS)


def _modern_alias_spec(fullname: str, prefix: str):
    """The spec making `<prefix>.X` the module `tork.keras.X` itself (None if none)."""
    modern = "tork.keras" + fullname[len(prefix) :]
    if importlib.util.find_spec(modern) is None:
        return None
    return importlib.util.spec_from_loader(
        fullname, _OldPathLoader(None, alias_of=modern), is_package=True
    )


def install() -> None:
    """Makes the Keras 2.0 module paths importable under `tork.keras`, `tork.python.keras`
    and `tork.compat.v1.keras`."""
    if not any(isinstance(f, _OldPathFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _PythonKerasFinder())
        sys.meta_path.append(_OldPathFinder())

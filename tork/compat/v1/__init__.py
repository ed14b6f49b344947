"""`tf.compat.v1`: the few TensorFlow 1 calls that TensorFlow 2 era scripts still make.

Held here, and nothing else:

- `set_random_seed(seed)`: `tf.random.set_seed`.
- `distributions`: TF 1's `tf.distributions` (`Normal`, `Uniform`, `Bernoulli`,
  `Categorical`, `kl_divergence`).
- `gradients`, `hessians`: `tf.gradients`, `tf.hessians` (see tork/ops/gradients.py).
- `logging`: `set_verbosity`/`get_verbosity` and the level constants
  (`tf.compat.v1.logging.set_verbosity(tf.compat.v1.logging.ERROR)`), and
  `debug`/`info`/`warning`/`warn`/`error`, on the `tensorflow` Python logger.
- `enable_eager_execution()`, `enable_v2_behavior()`, `executing_eagerly()`:
  tork is always eager, so these do nothing or return True.
- `disable_eager_execution()`, `disable_v2_behavior()`: warn and change
  nothing. Keras code runs the same eagerly; graph-only APIs (`Session.run`,
  `placeholder`) still raise.
- `reset_default_graph()`: nothing to reset (no graphs); to restart Keras's
  layer names call `tf.keras.backend.clear_session()`.
- `io` / `python_io`: TF 1's `tf_record_iterator(path, options)` (records as bytes),
  `TFRecordWriter`/`TFRecordOptions` also taking `TFRecordCompressionType` values; the
  other `io` names are `tf.io`'s.
- `data`: `get_output_shapes`/`get_output_types`/`get_output_classes` (read from
  `dataset.element_spec`) and `make_one_shot_iterator` (`iter(dataset)`).
- `losses`: TF 1's weighted losses (`mean_squared_error`, `absolute_difference`,
  `huber_loss`, `log_loss`, `hinge_loss`, `sigmoid_cross_entropy`,
  `softmax_cross_entropy`, `sparse_softmax_cross_entropy`, `cosine_distance`,
  `compute_weighted_loss`) and their `Reduction`s.
- `nn`: the TF 1 CTC functions (`ctc_loss`, `ctc_beam_search_decoder`,
  `ctc_greedy_decoder`); `edit_distance`: `tf.edit_distance`.
- `assign`/`assign_add`/`assign_sub`: in-place writes of a `tf.Variable` (its own
  methods), returning the variable, as Keras 2 optimizers' `state_ops.assign` calls need.
- `scatter_update`/`_add`/`_sub`/`_mul`/`_div`/`_max`/`_min`, `scatter_nd_update`/
  `_add`/`_sub`, `batch_scatter_update`: in-place updates of a `tf.Variable`
  (the variable's own methods); `scatter_nd`: `tf.scatter_nd`.
- `image`: TF 1's `resize` (also `resize_images`, `resize_bilinear`,
  `resize_nearest_neighbor`) with `align_corners`, sampling without half-pixel centers.
- `train`: TF 1's learning-rate decay functions (`exponential_decay`,
  `piecewise_constant`, `polynomial_decay`, ...: functions of no arguments that read the
  global step when called) and `get_or_create_global_step`; other names are `tf.train`'s.
- `ConfigProto` and `Session`: the GPU memory-growth recipe
  (`config.gpu_options.allow_growth = True`) builds a `ConfigProto`, and `Session` /
  `InteractiveSession(config=config)` build inert sessions as in TF 2; their `run()`
  raises (no graphs), saying what to write instead.

Any other name is TF 2's (`tf.compat.v1.maximum` is `tf.maximum`), with TF 1's argument
spellings (`keep_dims=`, `reduction_indices=`) and TF 1 names that moved (`random_normal`,
`to_float`): see `_v2_names`. `get_variable`, `variable_scope`, `get_variable_scope` and
`AUTO_REUSE` run eagerly: variables made in a Keras layer's call are its weights, created
once (see `_variable_scope`). Graph-only names (`placeholder`, `Session.run`) and TF 1 modules
that differ (`summary`, `metrics`, `layers`) raise `NotImplementedError` naming
`tf.compat.v1.<name>`.
"""

import warnings

from tork._backend.errors import module_getattr as _module_getattr
from tork._backend.tensor_shape import Dimension, dimension_at_index, dimension_value
from tork.compat.v1 import (
    _v2_names,
    data,
    distributions,
    image,
    io,
    logging,
    losses,
    nn,
    python_io,
    train,
)
from tork.compat.v1._assign import assign, assign_add, assign_sub
from tork.compat.v1._scatter import (
    batch_scatter_update,
    scatter_add,
    scatter_div,
    scatter_max,
    scatter_min,
    scatter_mul,
    scatter_nd,
    scatter_nd_add,
    scatter_nd_sub,
    scatter_nd_update,
    scatter_sub,
    scatter_update,
)
from tork.ops._edit_distance import edit_distance
from tork.ops._space_batch import batch_to_space_v1 as batch_to_space
from tork.ops._space_batch import space_to_batch_v1 as space_to_batch
from tork.ops.gradients import gradients, hessians


def set_random_seed(seed) -> None:
    """TensorFlow 1 name of `tf.random.set_seed`.

    Args:
        seed: an integer seed.
    """
    from tork.ops.random import set_seed

    set_seed(seed)


def enable_eager_execution(config=None, device_policy=None, execution_mode=None) -> None:
    """Does nothing: tork always runs eagerly (as TensorFlow 2 does by default)."""


def enable_v2_behavior() -> None:
    """Does nothing: tork has TensorFlow 2 behaviour only."""


def executing_eagerly() -> bool:
    """True: tork always runs eagerly."""
    return True


def disable_eager_execution() -> None:
    """Warns and does nothing: tork has no graph mode.

    Keras code (`compile`/`fit`) behaves the same eagerly. TensorFlow 1 graph
    APIs (`tf.compat.v1.Session.run`, `placeholder`) raise `NotImplementedError`.
    """
    warnings.warn(
        "tf.compat.v1.disable_eager_execution() is ignored: tork always runs eagerly (on "
        "PyTorch). Keras code runs the same; TensorFlow 1 graph APIs such as "
        "tf.compat.v1.Session.run are not available.",
        UserWarning,
        stacklevel=2,
    )


def disable_v2_behavior() -> None:
    """Warns and does nothing: tork has TensorFlow 2 behaviour only."""
    warnings.warn(
        "tf.compat.v1.disable_v2_behavior() is ignored: tork has TensorFlow 2 behaviour only "
        "(eager execution, Keras 2 semantics).",
        UserWarning,
        stacklevel=2,
    )


def reset_default_graph() -> None:
    """Does nothing: tork builds no graphs.

    To restart Keras's automatic layer names (`dense`, `dense_1`...) and free
    models, call `tf.keras.backend.clear_session()`.
    """


class _Options:
    """A bag of attributes: what the `ConfigProto` recipes set is accepted and unused."""

    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        value = _Options()
        setattr(self, name, value)
        return value


class ConfigProto(_Options):
    """TensorFlow 1 session options, accepted so that the GPU recipes still build.

    `config.gpu_options.allow_growth = True` and
    `config.gpu_options.per_process_gpu_memory_fraction = 0.5` are stored and
    unused: PyTorch's caching allocator already grows on demand (limit it with
    `torch.cuda.set_per_process_memory_fraction`). The recipe's next line,
    `tf.compat.v1.Session(config=config)`, builds a session that cannot run graphs.
    """


from tork.compat.v1._session import InteractiveSession, Session  # noqa: E402

# TF 2 ops under their TF 1 names (`import tensorflow.compat.v1 as tf`; see _v2_names).
__getattr__ = _v2_names.fallback_getattr(
    globals(), "tork", _module_getattr("tf.compat.v1"), top_level=True
)


__all__ = [
    "ConfigProto",
    "Dimension",
    "InteractiveSession",
    "Session",
    "assign",
    "assign_add",
    "assign_sub",
    "batch_scatter_update",
    "batch_to_space",
    "data",
    "io",
    "python_io",
    "dimension_at_index",
    "dimension_value",
    "disable_eager_execution",
    "disable_v2_behavior",
    "distributions",
    "enable_eager_execution",
    "edit_distance",
    "enable_v2_behavior",
    "executing_eagerly",
    "image",
    "logging",
    "losses",
    "nn",
    "reset_default_graph",
    "scatter_add",
    "scatter_div",
    "scatter_max",
    "scatter_min",
    "scatter_mul",
    "scatter_nd",
    "scatter_nd_add",
    "scatter_nd_sub",
    "scatter_nd_update",
    "scatter_sub",
    "scatter_update",
    "set_random_seed",
    "space_to_batch",
]

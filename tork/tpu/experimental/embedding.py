"""`tf.tpu.experimental.embedding`: TPU embedding configuration records.

`TableConfig`, `FeatureConfig` and the optimizer records (`SGD`, `Adagrad`, `Adam`, `FTRL`)
keep their arguments, as TensorFlow's do, so code that builds configurations (or refers to
the classes) runs. The `TPUEmbedding` classes need a TPU and raise a clear error when made:
use `tf.keras.layers.Embedding` instead.
"""

from __future__ import annotations

from tork._backend.errors import TorkNotImplementedError

__all__ = [
    "FTRL",
    "Adagrad",
    "Adam",
    "FeatureConfig",
    "SGD",
    "TPUEmbedding",
    "TPUEmbeddingForServing",
    "TPUEmbeddingV0",
    "TableConfig",
]


class _Record:
    """A configuration that keeps its arguments as attributes, with TF's repr."""

    _fields: tuple = ()

    def __repr__(self) -> str:
        args = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({args})"


def _positive(value, what: str, owner: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{owner}: {what} must be a positive integer, got {value!r}.")
    return value


class TableConfig(_Record):
    """An embedding table's configuration: vocabulary size, width, initializer, optimizer.

    Args:
        vocabulary_size: the number of rows (a positive int).
        dim: the width of each row (a positive int).
        initializer: optional initializer of the table.
        optimizer: optional per-table optimizer record (`SGD`, `Adagrad`, ...).
        combiner: how looked-up rows of one example are reduced: `'mean'`, `'sum'` or
            `'sqrtn'`.
        name: optional table name.
        quantization_config: kept as given.
        layout: kept as given.
        dtype: kept as given.

    Example:
    >>> tf.tpu.experimental.embedding.TableConfig(vocabulary_size=10, dim=4).dim
    4
    """

    _fields = (
        "vocabulary_size",
        "dim",
        "initializer",
        "optimizer",
        "combiner",
        "name",
        "quantization_config",
    )

    def __init__(
        self,
        vocabulary_size: int,
        dim: int,
        initializer=None,
        optimizer=None,
        combiner: str = "mean",
        name: str | None = None,
        quantization_config=None,
        layout=None,
        dtype="float32",
    ):
        self.vocabulary_size = _positive(vocabulary_size, "vocabulary_size", "TableConfig")
        self.dim = _positive(dim, "dim", "TableConfig")
        if initializer is not None and not callable(initializer):
            raise ValueError(f"TableConfig: initializer must be callable, got {initializer!r}.")
        if isinstance(combiner, str) and combiner not in ("mean", "sum", "sqrtn"):
            raise ValueError(
                f"TableConfig: combiner must be 'mean', 'sum' or 'sqrtn', got {combiner!r}."
            )
        self.initializer = initializer
        self.optimizer = optimizer
        self.combiner = combiner
        self.name = name
        self.quantization_config = quantization_config
        self.layout = layout
        self.dtype = dtype


class FeatureConfig(_Record):
    """One input feature looked up in a `TableConfig`'s table.

    Args:
        table: the `TableConfig` the feature reads.
        max_sequence_length: 0 for a feature combined into one row per example, else the
            length of the sequence of rows kept.
        validate_weights_and_indices: kept as given.
        output_shape: optional output shape.
        name: optional feature name.

    Example:
    >>> table = tf.tpu.experimental.embedding.TableConfig(vocabulary_size=10, dim=4)
    >>> tf.tpu.experimental.embedding.FeatureConfig(table=table).table.vocabulary_size
    10
    """

    _fields = (
        "table",
        "max_sequence_length",
        "validate_weights_and_indices",
        "output_shape",
        "name",
    )

    def __init__(
        self,
        table: TableConfig,
        max_sequence_length: int = 0,
        validate_weights_and_indices: bool = True,
        output_shape=None,
        name: str | None = None,
    ):
        if not isinstance(table, TableConfig):
            raise ValueError(f"FeatureConfig: table must be a TableConfig, got {table!r}.")
        if not isinstance(max_sequence_length, int) or max_sequence_length < 0:
            raise ValueError(
                "FeatureConfig: max_sequence_length must be a non-negative integer, got "
                f"{max_sequence_length!r}."
            )
        self.table = table
        self.max_sequence_length = max_sequence_length
        self.validate_weights_and_indices = validate_weights_and_indices
        self.output_shape = output_shape
        self.name = name


class _Optimizer(_Record):
    """An embedding optimizer record: its hyperparameters as attributes."""

    def __init__(self, **params):
        self._fields = tuple(params)
        for key, value in params.items():
            setattr(self, key, value)


class SGD(_Optimizer):
    """The TPU embedding SGD record (its arguments as attributes)."""

    def __init__(self, learning_rate=0.01, use_gradient_accumulation: bool = True, **kwargs):
        super().__init__(
            learning_rate=learning_rate,
            use_gradient_accumulation=use_gradient_accumulation,
            **kwargs,
        )


class Adagrad(_Optimizer):
    """The TPU embedding Adagrad record (its arguments as attributes)."""

    def __init__(self, learning_rate=0.001, initial_accumulator_value: float = 0.1, **kwargs):
        super().__init__(
            learning_rate=learning_rate,
            initial_accumulator_value=initial_accumulator_value,
            **kwargs,
        )


class Adam(_Optimizer):
    """The TPU embedding Adam record (its arguments as attributes)."""

    def __init__(
        self,
        learning_rate=0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-07,
        lazy_adam: bool = True,
        sum_inside_sqrt: bool = True,
        **kwargs,
    ):
        super().__init__(
            learning_rate=learning_rate,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            lazy_adam=lazy_adam,
            sum_inside_sqrt=sum_inside_sqrt,
            **kwargs,
        )


class FTRL(_Optimizer):
    """The TPU embedding FTRL record (its arguments as attributes)."""

    def __init__(
        self,
        learning_rate=0.001,
        learning_rate_power: float = -0.5,
        l1_regularization_strength: float = 0.0,
        l2_regularization_strength: float = 0.0,
        beta: float = 0.0,
        initial_accumulator_value: float = 0.1,
        **kwargs,
    ):
        super().__init__(
            learning_rate=learning_rate,
            learning_rate_power=learning_rate_power,
            l1_regularization_strength=l1_regularization_strength,
            l2_regularization_strength=l2_regularization_strength,
            beta=beta,
            initial_accumulator_value=initial_accumulator_value,
            **kwargs,
        )


class TPUEmbedding:
    """Needs a TPU: making one raises a clear error (use `tf.keras.layers.Embedding`)."""

    def __init__(self, *args, **kwargs):
        raise TorkNotImplementedError(
            f"tf.tpu.experimental.embedding.{type(self).__name__} needs a TPU; tork runs on "
            "CPUs and GPUs. Use tf.keras.layers.Embedding (one per TableConfig) instead."
        )


class TPUEmbeddingV0(TPUEmbedding):
    """Needs a TPU: making one raises a clear error (see `TPUEmbedding`)."""


class TPUEmbeddingForServing(TPUEmbedding):
    """Needs a TPU: making one raises a clear error (see `TPUEmbedding`)."""

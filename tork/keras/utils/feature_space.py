"""`keras.utils.FeatureSpace`: preprocessing and encoding of structured (tabular) data.

A FeatureSpace maps a dict of raw feature columns to model inputs: each feature
gets a preprocessing layer (lookup, normalization, discretization, hashing...)
adapted on data, then an encoding (one-hot via `CategoryEncoding`, or the raw
integer index), and optional feature crosses hash pairs of categorical features
together. The output is one concatenated vector (features in sorted name order,
then the crosses in the order given) or a dict of encoded features.
"""

from __future__ import annotations

import numpy as np
import torch

from tork._naming import unique_name
from tork.keras.layers.layer import Layer

_OUTPUT_MODES = ("dict", "concat")


class Feature:
    """One feature of a `FeatureSpace`: its dtype, preprocessing layer and encoding.

    Args:
        dtype: the dtype of the raw values (`'float32'`, `'int64'`, `'string'`).
        preprocessor: the Keras layer applied to the raw values.
        output_mode: `'float'` (used as is), `'int'` (an index) or `'one_hot'`
            (the index one-hot encoded over the preprocessor's vocabulary).

    Example:
    >>> f = keras.utils.FeatureSpace.feature(
    ...     dtype="float32", preprocessor=keras.layers.Normalization(), output_mode="float")
    """

    def __init__(self, dtype: str, preprocessor, output_mode: str):
        if output_mode not in ("int", "one_hot", "float"):
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of "
                f"{{'int', 'one_hot', 'float'}}. Received: output_mode={output_mode}"
            )
        self.dtype = dtype
        if isinstance(preprocessor, dict):
            from tork.keras.saving.serialization import deserialize_keras_object

            preprocessor = deserialize_keras_object(preprocessor)
        self.preprocessor = preprocessor
        self.output_mode = output_mode

    def get_config(self) -> dict:
        from tork.keras.saving.serialization import serialize_keras_object

        return {
            "dtype": self.dtype,
            "preprocessor": serialize_keras_object(self.preprocessor),
            "output_mode": self.output_mode,
        }

    @classmethod
    def from_config(cls, config: dict) -> Feature:
        return cls(**config)


class Cross:
    """A feature cross of a `FeatureSpace`: categorical features hashed together.

    Args:
        feature_names: the names of the crossed features.
        crossing_dim: the number of hash bins.
        output_mode: `'one_hot'` or `'int'`.

    Example:
    >>> c = keras.utils.FeatureSpace.cross(("color", "size"), crossing_dim=32)
    >>> c.name
    'color_X_size'
    """

    def __init__(self, feature_names, crossing_dim: int, output_mode: str = "one_hot"):
        if output_mode not in ("int", "one_hot"):
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of "
                f"{{'int', 'one_hot'}}. Received: output_mode={output_mode}"
            )
        self.feature_names = tuple(feature_names)
        self.crossing_dim = crossing_dim
        self.output_mode = output_mode

    @property
    def name(self) -> str:
        return "_X_".join(self.feature_names)

    def get_config(self) -> dict:
        return {
            "feature_names": self.feature_names,
            "crossing_dim": self.crossing_dim,
            "output_mode": self.output_mode,
        }

    @classmethod
    def from_config(cls, config: dict) -> Cross:
        return cls(**config)


def _layers():
    from tork.keras import layers

    return layers


class FeatureSpace(Layer):
    """One-stop preprocessing and encoding of structured data (a dict of feature columns).

    Args:
        features: a dict mapping each feature name to its type: a string such
            as `"float_normalized"` (default arguments) or one of the
            `FeatureSpace.<type>(...)` specs below.
        output_mode: `"concat"` (one float vector: features in sorted name
            order, then crosses) or `"dict"` (a dict of encoded features, crosses
            under `"a_X_b"`).
        crosses: feature crosses: tuples of feature names or
            `FeatureSpace.cross(...)` specs.
        crossing_dim: default number of hash bins of a cross.
        hashing_dim: default number of bins of `"integer_hashed"` and
            `"string_hashed"` features.
        num_discretization_bins: default number of bins of `"float_discretized"`.

    Feature types: `float`, `float_rescaled(scale, offset)`, `float_normalized()`,
    `float_discretized(num_bins, bin_boundaries)`, `integer_categorical(max_tokens,
    num_oov_indices)`, `string_categorical(...)`, `integer_hashed(num_bins)`,
    `string_hashed(num_bins)`, and `feature(dtype, preprocessor, output_mode)` for
    any preprocessing layer.

    Example:
    >>> fs = keras.utils.FeatureSpace(
    ...     features={"price": "float_normalized", "color": "string_categorical"},
    ...     crosses=[("color", "color")], output_mode="concat")
    >>> fs.adapt(tf.data.Dataset.from_tensor_slices(
    ...     {"price": [1.0, 3.0], "color": ["red", "blue"]}))
    >>> fs({"price": [2.0], "color": ["red"]}).shape
    torch.Size([1, 36])
    """

    # -- feature type constructors (Keras's static methods) ---------------------------

    @classmethod
    def cross(cls, feature_names, crossing_dim: int, output_mode: str = "one_hot") -> Cross:
        """A cross of categorical features hashed into `crossing_dim` bins."""
        return Cross(feature_names, crossing_dim, output_mode=output_mode)

    @classmethod
    def feature(cls, dtype: str, preprocessor, output_mode: str) -> Feature:
        """A feature with a preprocessing layer of your choice."""
        return Feature(dtype, preprocessor, output_mode)

    @classmethod
    def float(cls, name: str | None = None) -> Feature:
        """Float values used as they are."""
        layer = _layers().Identity(name=_layer_name(name, "float"))
        return Feature("float32", layer, "float")

    @classmethod
    def float_rescaled(cls, scale=1.0, offset=0.0, name: str | None = None) -> Feature:
        """Float values rescaled as `x * scale + offset` (a `Rescaling` layer)."""
        layer = _layers().Rescaling(
            scale=scale, offset=offset, name=_layer_name(name, "float_rescaled")
        )
        return Feature("float32", layer, "float")

    @classmethod
    def float_normalized(cls, name: str | None = None) -> Feature:
        """Float values standardized to zero mean and unit variance (a `Normalization` layer)."""
        layer = _layers().Normalization(axis=-1, name=_layer_name(name, "float_normalized"))
        return Feature("float32", layer, "float")

    @classmethod
    def float_discretized(
        cls, num_bins, bin_boundaries=None, output_mode: str = "one_hot", name: str | None = None
    ) -> Feature:
        """Float values bucketized (a `Discretization` layer), one-hot encoded by default."""
        layer = _layers().Discretization(
            num_bins=num_bins,
            bin_boundaries=bin_boundaries,
            name=_layer_name(name, "float_discretized"),
        )
        return Feature("float32", layer, output_mode)

    @classmethod
    def integer_categorical(
        cls,
        max_tokens=None,
        num_oov_indices: int = 1,
        output_mode: str = "one_hot",
        name: str | None = None,
    ) -> Feature:
        """Integer values indexed by an `IntegerLookup`, one-hot encoded by default."""
        layer = _layers().IntegerLookup(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            output_mode="int",
            name=_layer_name(name, "integer_categorical"),
        )
        return Feature("int64", layer, output_mode)

    @classmethod
    def string_categorical(
        cls,
        max_tokens=None,
        num_oov_indices: int = 1,
        output_mode: str = "one_hot",
        name: str | None = None,
    ) -> Feature:
        """String values indexed by a `StringLookup`, one-hot encoded by default."""
        layer = _layers().StringLookup(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            output_mode="int",
            name=_layer_name(name, "string_categorical"),
        )
        return Feature("string", layer, output_mode)

    @classmethod
    def integer_hashed(
        cls, num_bins: int, output_mode: str = "one_hot", name: str | None = None
    ) -> Feature:
        """Integer values hashed into `num_bins` bins, one-hot encoded by default."""
        layer = _layers().Hashing(num_bins=num_bins, name=_layer_name(name, "integer_hashed"))
        return Feature("int64", layer, output_mode)

    @classmethod
    def string_hashed(
        cls, num_bins: int, output_mode: str = "one_hot", name: str | None = None
    ) -> Feature:
        """String values hashed into `num_bins` bins, one-hot encoded by default."""
        layer = _layers().Hashing(num_bins=num_bins, name=_layer_name(name, "string_hashed"))
        return Feature("string", layer, output_mode)

    # -- construction ------------------------------------------------------------------

    def __init__(
        self,
        features: dict,
        output_mode: str = "concat",
        crosses=None,
        crossing_dim: int = 32,
        hashing_dim: int = 32,
        num_discretization_bins: int = 32,
        name: str | None = None,
        **kwargs,
    ):
        super().__init__(name=name, **kwargs)
        if not features:
            raise ValueError(
                "FeatureSpace: `features` cannot be empty: pass a dict of feature types."
            )
        if output_mode not in _OUTPUT_MODES:
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of {'dict', 'concat'}. "
                f"Received: output_mode={output_mode}"
            )
        self.crossing_dim = crossing_dim
        self.hashing_dim = hashing_dim
        self.num_discretization_bins = num_discretization_bins
        self.output_mode = output_mode
        self.features = {
            feature_name: self._standardize_feature(feature_name, spec)
            for feature_name, spec in features.items()
        }
        self.crosses = [self._standardize_cross(spec) for spec in (crosses or [])]
        unknown = [
            c.feature_names for c in self.crosses if not set(c.feature_names) <= set(self.features)
        ]
        if unknown:
            raise ValueError(
                "All features referenced in the `crosses` argument should be present in the "
                f"`features` dict. Received unknown features: {unknown[0]}"
            )
        self.preprocessors = {n: f.preprocessor for n, f in self.features.items()}
        self.crossers = {
            c.name: _layers().HashedCrossing(num_bins=c.crossing_dim, name=c.name)
            for c in self.crosses
        }
        self.one_hot_encoders: dict = {}
        self._is_adapted = False
        self._inputs = None
        self._encoded = None
        if not any(_needs_adapt(p) for p in self.preprocessors.values()):
            # Nothing to learn (plain, rescaled, hashed features): usable at once.
            self._is_adapted = True
            self._build_encoders()
            self.built = True

    def _standardize_feature(self, feature_name: str, spec) -> Feature:
        if isinstance(spec, Feature):
            return spec
        if isinstance(spec, dict):
            return Feature.from_config(spec.get("config", spec))
        defaults = {
            "float": lambda: self.float(name=feature_name),
            "float_rescaled": lambda: self.float_rescaled(name=feature_name),
            "float_normalized": lambda: self.float_normalized(name=feature_name),
            "float_discretized": lambda: self.float_discretized(
                num_bins=self.num_discretization_bins, name=feature_name
            ),
            "integer_categorical": lambda: self.integer_categorical(name=feature_name),
            "string_categorical": lambda: self.string_categorical(name=feature_name),
            "integer_hashed": lambda: self.integer_hashed(self.hashing_dim, name=feature_name),
            "string_hashed": lambda: self.string_hashed(self.hashing_dim, name=feature_name),
        }
        if spec not in defaults:
            raise ValueError(
                f"Invalid feature type: {spec}. FeatureSpace feature '{feature_name}' must be one "
                f"of {sorted(defaults)} or a FeatureSpace.<type>(...) spec."
            )
        return defaults[spec]()

    def _standardize_cross(self, spec) -> Cross:
        if isinstance(spec, Cross):
            return spec
        if isinstance(spec, dict):
            return Cross.from_config(spec.get("config", spec))
        return self.cross(spec, crossing_dim=self.crossing_dim)

    # -- adapt -------------------------------------------------------------------------

    def adapt(self, dataset) -> None:
        """Fits every feature's preprocessing layer on a `tf.data.Dataset` of feature dicts.

        Args:
            dataset: a dataset whose elements (batched or not) are dicts holding
                every feature of the FeatureSpace.
        """
        from tork.data import Dataset

        if not isinstance(dataset, Dataset):
            raise ValueError(
                "FeatureSpace.adapt() expects a tf.data.Dataset of feature dicts, got "
                f"{type(dataset).__name__}. Wrap your data with "
                "tf.data.Dataset.from_tensor_slices(dict_of_columns)."
            )
        for feature_name in sorted(self.features):
            preprocessor = self.preprocessors[feature_name]
            if _needs_adapt(preprocessor):
                column = dataset.map(lambda x, _n=feature_name: x[_n])
                column = column.map(_as_column)
                preprocessor.adapt(column)
        self._is_adapted = True
        self._build_encoders()
        self._inputs = None
        self._encoded = None
        self.built = True

    def _build_encoders(self) -> None:
        layers = _layers()
        self.one_hot_encoders = {}
        for feature_name, feature in self.features.items():
            if feature.output_mode == "one_hot":
                self.one_hot_encoders[feature_name] = layers.CategoryEncoding(
                    num_tokens=_num_tokens(feature.preprocessor),
                    output_mode="one_hot",
                    name=f"{feature_name}_one_hot",
                )
        for cross in self.crosses:
            if cross.output_mode == "one_hot":
                self.one_hot_encoders[cross.name] = layers.CategoryEncoding(
                    num_tokens=cross.crossing_dim,
                    output_mode="one_hot",
                    name=f"{cross.name}_one_hot",
                )

    def _check_adapted(self) -> None:
        if not self._is_adapted:
            raise ValueError(
                "You need to call `.adapt(dataset)` on the FeatureSpace before you can start "
                "using it."
            )

    # -- calling -----------------------------------------------------------------------

    def __call__(self, data):
        self._check_adapted()
        if not isinstance(data, dict):
            raise ValueError(
                "A FeatureSpace is called on a dict of feature values, e.g. "
                f"{{'{next(iter(self.features))}': ...}}; got {type(data).__name__}."
            )
        missing = sorted(set(self.features) - set(data))
        if missing:
            raise KeyError(
                f"FeatureSpace: the input dict lacks the features {missing}; it must hold every "
                f"feature of the FeatureSpace: {sorted(self.features)}."
            )
        columns = {}
        rebatched = False
        for feature_name, feature in self.features.items():
            column, was_scalar = _to_column(data[feature_name], feature, feature_name)
            rebatched = rebatched or was_scalar
            columns[feature_name] = column
        encoded = self._encode(columns)
        if rebatched:
            if isinstance(encoded, dict):
                return {k: v[0] for k, v in encoded.items()}
            return encoded[0]
        return encoded

    def _encode(self, columns: dict):
        preprocessed = {n: self.preprocessors[n](columns[n]) for n in self.features}
        crossed = {
            c.name: self.crossers[c.name](tuple(preprocessed[n] for n in c.feature_names))
            for c in self.crosses
        }
        encoded = {}
        for key, value in [*preprocessed.items(), *crossed.items()]:
            encoder = self.one_hot_encoders.get(key)
            encoded[key] = encoder(value) if encoder is not None else value
        if self.output_mode == "dict":
            return encoded
        parts = [encoded[n] for n in sorted(self.features)] + [
            encoded[c.name] for c in self.crosses
        ]
        return torch.cat([_as_float(p) for p in parts], dim=-1)

    def get_inputs(self) -> dict:
        """Returns the dict of `keras.Input`s (shape `(1,)`, one per feature) for a model."""
        self._check_adapted()
        if self._inputs is None:
            from tork.keras.models.functional.input_layer import Input

            self._inputs = {
                n: Input(shape=(1,), dtype=f.dtype, name=n) for n, f in self.features.items()
            }
        return self._inputs

    def get_encoded_features(self):
        """Returns the encoded features as functional tensors (a vector or a dict)."""
        self._check_adapted()
        if self._encoded is None:
            inputs = self.get_inputs()
            layers = _layers()
            preprocessed = {n: self.preprocessors[n](inputs[n]) for n in self.features}
            crossed = {
                c.name: self.crossers[c.name]([preprocessed[n] for n in c.feature_names])
                for c in self.crosses
            }
            encoded = {}
            for key, value in [*preprocessed.items(), *crossed.items()]:
                encoder = self.one_hot_encoders.get(key)
                encoded[key] = encoder(value) if encoder is not None else value
            if self.output_mode == "dict":
                self._encoded = encoded
            else:
                order = sorted(self.features) + [c.name for c in self.crosses]
                parts = [
                    e
                    if e.dtype == "float32" or e.dtype == torch.float32
                    else layers.Lambda(_as_float)(e)
                    for e in (encoded[k] for k in order)
                ]
                self._encoded = parts[0] if len(parts) == 1 else layers.Concatenate(axis=-1)(parts)
        return self._encoded

    def call(self, data):
        return self(data)

    # -- saving ------------------------------------------------------------------------

    def get_config(self) -> dict:
        return {
            "features": {n: _spec_config(f) for n, f in self.features.items()},
            "output_mode": self.output_mode,
            "crosses": [_spec_config(c) for c in self.crosses],
            "crossing_dim": self.crossing_dim,
            "hashing_dim": self.hashing_dim,
            "num_discretization_bins": self.num_discretization_bins,
        }

    @classmethod
    def from_config(cls, config: dict) -> FeatureSpace:
        return cls(**config)

    def get_build_config(self) -> dict:
        return {"adapted": self._is_adapted}

    def build_from_config(self, config: dict) -> None:
        if config and config.get("adapted"):
            self._is_adapted = True
            self._build_encoders()
            self.built = True

    def save(self, filepath) -> None:
        """Saves the FeatureSpace (configuration and adapted state) to a `.keras` file.

        Args:
            filepath: a path ending in `.keras`; reload with `keras.models.load_model`.
        """
        if not str(filepath).endswith(".keras"):
            raise ValueError(
                "FeatureSpace.save() writes the `.keras` format: the filepath must end in "
                f"'.keras', got {str(filepath)!r}."
            )
        from tork.keras.saving.keras_archive import save_keras_archive

        save_keras_archive(self, filepath)


def _layer_name(name: str | None, kind: str) -> str:
    return f"{name or unique_name(kind)}_preprocessor"


def _spec_config(spec) -> dict:
    # Keras's own module path, so that Keras reads the file too.
    return {
        "module": "keras.src.layers.preprocessing.feature_space",
        "class_name": type(spec).__name__,
        "config": spec.get_config(),
        "registered_name": type(spec).__name__,
    }


def _needs_adapt(preprocessor) -> bool:
    """Whether a layer learns state from data (a Discretization given boundaries does not)."""
    if not hasattr(preprocessor, "adapt"):
        return False
    fixed_bins = type(preprocessor).__name__ == "Discretization" and (
        getattr(preprocessor, "bin_boundaries", None) is not None
    )
    return not fixed_bins


def _num_tokens(preprocessor) -> int:
    if hasattr(preprocessor, "vocabulary_size"):
        return int(preprocessor.vocabulary_size())
    if hasattr(preprocessor, "num_bins") and preprocessor.num_bins is not None:
        return int(preprocessor.num_bins)
    boundaries = getattr(preprocessor, "bin_boundaries", None)
    if boundaries is not None:
        return len(boundaries) + 1
    raise ValueError(
        f"FeatureSpace: cannot one-hot encode the output of {type(preprocessor).__name__} "
        f"'{preprocessor.name}': it has no vocabulary size or number of bins. Use "
        "output_mode='int' or 'float' for this feature."
    )


def _as_column(value):
    """A feature's values as a (batch, 1) column (scalars become one row)."""
    from tork import ops

    rank = len(value.shape)
    if rank == 0:
        return ops.array.reshape(value, (1, 1))
    if rank == 1:
        return ops.array.expand_dims(value, -1)
    return value


def _to_column(value, feature: Feature, feature_name: str):
    """(column, was_scalar): the raw value as a (batch, 1) tensor of the feature's dtype."""
    from tork._backend.string_tensor import StringTensor
    from tork.ops.array import constant

    if feature.dtype == "string":
        if isinstance(value, torch.Tensor):
            raise TypeError(
                f"FeatureSpace feature '{feature_name}' holds strings, got a tensor of dtype "
                f"{str(value.dtype).replace('torch.', '')}."
            )
        tensor = value if isinstance(value, StringTensor) else constant(value)
    elif isinstance(value, torch.Tensor):
        tensor = value.to(getattr(torch, feature.dtype))
    else:
        tensor = torch.as_tensor(np.asarray(value), dtype=getattr(torch, feature.dtype))
    was_scalar = len(tensor.shape) == 0
    return _as_column(tensor), was_scalar


def _as_float(x):
    return x.to(torch.float32) if isinstance(x, torch.Tensor) and x.dtype != torch.float32 else x

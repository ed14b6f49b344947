"""Dtype policies (`keras.DTypePolicy`, `keras.mixed_precision.Policy`) and the global policy.

A policy names the dtype a layer creates its variables in and the dtype it
computes in. `'mixed_float16'` and `'mixed_bfloat16'` keep float32 variables
and compute in the 16-bit type; a dtype name (`'float32'`) uses it for both.

The global policy is what a layer created with `dtype=None` takes, read when
the layer is constructed: setting it affects only layers created afterwards.
"""

from __future__ import annotations

import difflib

import torch

from tork._backend import dtypes as _dtypes
from tork._backend.dtype_name import dtype_name_of

_MIXED = {
    "mixed_float16": torch.float16,
    "mixed_bfloat16": torch.bfloat16,
}


def _dtype_names() -> list:
    # Aliases ('float', 'half', 'double') would only repeat canonical names.
    return sorted(set(_dtypes._BY_NAME) - {"float", "half", "double"})


def _parse(name) -> tuple[str, torch.dtype, torch.dtype]:
    """(canonical name, variable dtype, compute dtype) for a policy name or dtype."""
    if isinstance(name, torch.dtype):
        dtype = name
        return _dtypes.dtype_name(dtype), dtype, dtype
    if not isinstance(name, str):
        raise TypeError(
            "A dtype policy must be created from a string name such as 'mixed_float16' or "
            f"'float32'. Received: {name!r:.100} of type {type(name).__name__}."
        )
    if name in _MIXED:
        return name, torch.float32, _MIXED[name]
    if name.endswith("_float32_vars"):
        # TF 2.0's experimental policies (`Policy('infer_float32_vars')`), removed since.
        replacement = {
            "infer_float32_vars": "the 'mixed_float16' or 'mixed_bfloat16' policy",
            "float16_with_float32_vars": "the 'mixed_float16' policy",
            "bfloat16_with_float32_vars": "the 'mixed_bfloat16' policy",
        }.get(name)
        advice = f" Please use {replacement} instead." if replacement else ""
        raise ValueError(
            "Policies ending in '_float32_vars' have been removed from TensorFlow."
            f"{advice} Got policy name: {name!r}"
        )
    dtype = _dtypes._BY_NAME.get(name.replace("tf.", "").replace("torch.", ""))
    if dtype is None:
        if name.replace("tf.", "") == "string":
            # Keras 2 takes `Layer(dtype=tf.string)` (a layer taking strings, e.g. a
            # hand-written text vectorizer): inputs are not cast, no float weights.
            return "string", _dtypes.string, _dtypes.string
        names = _dtype_names()
        close = difflib.get_close_matches(name, list(_MIXED) + names, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"Cannot convert {name!r} to a mixed precision DTypePolicy.{hint} Valid policies "
            f"are 'mixed_float16', 'mixed_bfloat16' and the dtype names {names}."
        )
    return _dtypes.dtype_name(dtype), dtype, dtype


class DTypePolicy(str):
    """A dtype policy for a Keras layer: the dtype of its variables and of its computations.

    `keras.mixed_precision.Policy` is the same class. A policy is also its name
    (a `str` subclass): `DTypePolicy("float32") == "float32"`, and it serializes
    to JSON as its name.

    Args:
        name: the policy name: `'mixed_float16'` or `'mixed_bfloat16'` (float32
            variables, 16-bit computations), or a dtype name such as
            `'float32'` (that dtype for both). `None` gives `floatx()`.

    Example:
    >>> policy = tf.keras.mixed_precision.Policy("mixed_float16")
    >>> policy.compute_dtype, policy.variable_dtype
    ('float16', 'float32')
    >>> layer = tf.keras.layers.Dense(10, dtype=policy)
    """

    def __new__(cls, name=None) -> DTypePolicy:
        if name is None:
            name = _dtypes.floatx()
        elif isinstance(name, DTypePolicy):
            name = name.name
        canonical, variable, compute = _parse(name)
        self = super().__new__(cls, canonical)
        self._variable = variable
        self._compute = compute
        return self

    def __init__(self, name=None) -> None:
        # str.__init__ takes no arguments; everything happened in __new__.
        del name

    @property
    def name(self) -> str:
        """The policy's name, e.g. `'mixed_float16'`."""
        return str.__str__(self)

    @property
    def compute_dtype(self) -> str:
        """The dtype of the layer's computations, e.g. `'float16'` (equal to `tf.float16`)."""
        return dtype_name_of(self._compute)

    @property
    def variable_dtype(self) -> str:
        """The dtype of the layer's variables, e.g. `'float32'` (equal to `tf.float32`)."""
        return dtype_name_of(self._variable)

    @property
    def quantization_mode(self) -> None:
        """The quantization mode (Keras 3): always `None`, tork has no quantized policies."""
        return None

    def convert_input(self, x, autocast: bool, dtype):
        """Casts a floating-point tensor `x` to `dtype` when `autocast` is true (Keras 3).

        Args:
            x: a tensor (other values are returned unchanged).
            autocast: whether to cast.
            dtype: the target dtype (name or torch dtype).

        Returns:
            `x`, cast when it is a floating-point tensor of another dtype.
        """
        dtype = _dtypes.as_dtype(dtype)
        if autocast and isinstance(x, torch.Tensor) and x.is_floating_point():
            return x if x.dtype == dtype else x.to(dtype)
        return x

    def get_config(self) -> dict:
        """Returns `{'name': name}`."""
        return {"name": self.name}

    @classmethod
    def from_config(cls, config: dict) -> DTypePolicy:
        """Creates a policy from `get_config()` output.

        Args:
            config: a dict with the key `name`.

        Returns:
            A new policy.
        """
        return cls(**config)

    def __repr__(self) -> str:
        return f'<{type(self).__name__} "{self.name}">'

    # `print(layer.dtype_policy)` shows `<DTypePolicy "mixed_float16">` as Keras does;
    # the name stays the string's value (comparisons, JSON, `policy.name`).
    __str__ = __repr__

    def __reduce__(self):
        return (type(self), (self.name,))


Policy = DTypePolicy

# None: not set, so the policy follows floatx() (as Keras's default does).
_global_policy: DTypePolicy | None = None
_floatx_policies: dict = {}


def _floatx_policy() -> DTypePolicy:
    name = _dtypes.floatx()
    policy = _floatx_policies.get(name)
    if policy is None:
        policy = _floatx_policies[name] = DTypePolicy(name)
    return policy


def global_policy() -> DTypePolicy:
    """Returns the global dtype policy: the policy of layers created with `dtype=None`.

    Until `set_global_policy` is called it is the policy named `floatx()`
    (`'float32'` by default).

    Returns:
        A `DTypePolicy`.

    Example:
    >>> tf.keras.mixed_precision.global_policy()
    <DTypePolicy "float32">
    """
    policy = _global_policy
    return policy if policy is not None else _floatx_policy()


def set_global_policy(policy) -> None:
    """Sets the global dtype policy: the policy of layers created from now on with `dtype=None`.

    Layers created before the call keep their policy.

    Args:
        policy: a policy name (`'mixed_float16'`, `'mixed_bfloat16'`,
            `'float32'`, ...), a `DTypePolicy`, or `None` to go back to the
            default (the policy named `floatx()`).

    Example:
    >>> tf.keras.mixed_precision.set_global_policy("mixed_float16")
    >>> tf.keras.layers.Dense(4).compute_dtype
    'float16'
    >>> tf.keras.mixed_precision.set_global_policy("float32")
    """
    global _global_policy
    if policy is None:
        _global_policy = None
        return
    if isinstance(policy, dict):
        policy = policy.get("config", {}).get("name")
    if not isinstance(policy, DTypePolicy):
        if not isinstance(policy, (str, torch.dtype)):
            raise ValueError(
                "Invalid `policy` argument. Expected the string name of a policy (such as "
                f"'mixed_float16') or a `DTypePolicy` instance. Received: policy={policy!r:.100}"
            )
        policy = DTypePolicy(policy)
    if not policy._compute.is_floating_point:
        raise ValueError(
            "set_global_policy can only set the global policy to floating-point policies, "
            f"such as 'float32' and 'mixed_float16', but got policy: {policy.name}. Pass "
            f"dtype={policy.name!r} to the layers that need it instead."
        )
    _global_policy = policy


# Keras 3 names of the same functions (`keras.config.dtype_policy` / `set_dtype_policy`).
dtype_policy = global_policy
set_dtype_policy = set_global_policy


def _layer_policy(dtype) -> DTypePolicy:
    """The policy of a layer constructed with `dtype` (None: the global policy)."""
    if dtype is None:
        return global_policy()
    if isinstance(dtype, DTypePolicy):
        return dtype
    if isinstance(dtype, dict):
        name = dtype.get("config", {}).get("name")
        return DTypePolicy(name) if name is not None else global_policy()
    if not isinstance(dtype, (str, torch.dtype)):
        name = getattr(dtype, "name", None)
        if isinstance(name, str):
            # Another policy-like object (e.g. a Keras policy) or a numpy dtype.
            return DTypePolicy(name)
        return DTypePolicy(_dtypes.as_dtype(dtype))
    return DTypePolicy(dtype)


__all__ = [
    "DTypePolicy",
    "Policy",
    "dtype_policy",
    "global_policy",
    "set_dtype_policy",
    "set_global_policy",
]

"""String variables: the host-side state behind `add_weight(dtype=tf.string)`.

A tork variable is a torch Parameter, and torch holds numbers only. Layers still keep
strings as state, typically identifiers next to numeric weights (TF Recommenders'
`BruteForce.index` keeps candidate ids in a string weight it assigns later). A
`StringVariable` is a `StringTensor` (a NumPy object array of `bytes`) that
`assign` overwrites in place, so every op that takes string tensors (`tf.gather`,
`tf.strings.*`, lookup layers) reads its current value. It never trains: strings carry
no gradients.
"""

from __future__ import annotations

import numpy as np

from tork._backend.string_tensor import StringTensor, make, wrap


class StringVariable(StringTensor):
    """A mutable string tensor with a variable's name: a `tf.Variable` of dtype string.

    Args (to `create`):
        value: strings (str or bytes, nested lists, NumPy arrays, string tensors).
        name: the variable's name, without the `:0` suffix.

    Example:
    >>> layer = tf.keras.layers.Layer()
    >>> ids = layer.add_weight(name="ids", shape=(2,), dtype=tf.string,
    ...                        initializer=tf.keras.initializers.Constant(b""),
    ...                        trainable=False)
    >>> _ = ids.assign(["a", "b"])
    >>> tf.gather(ids, [1, 0]).numpy()
    array([b'b', b'a'], dtype=object)
    """

    @classmethod
    def create(cls, value, name: str) -> StringVariable:
        """A new string variable holding a copy of `value`."""
        array = np.array(make(value, f"string variable '{name}'").view(np.ndarray), dtype=object)
        var = array.view(cls)
        var._path = name
        return var

    def __array_finalize__(self, obj) -> None:
        # NumPy views and slices of a variable are plain string tensors (TF: `v[0]` is a
        # tensor); `create` sets the path of the variable itself.
        self._path = getattr(obj, "_path", None)

    @property
    def name(self) -> str:
        """The TensorFlow-style name, e.g. `'brute_force/identifiers:0'`."""
        return f"{self._path}:0"

    @property
    def path(self) -> str:
        """The full path without `:0`, as Keras 3's `Variable.path`."""
        return self._path

    @property
    def trainable(self) -> bool:
        """False: optimizers never update strings."""
        return False

    def __getitem__(self, key):
        result = super().__getitem__(key)
        return result.view(StringTensor) if isinstance(result, StringVariable) else result

    def value(self) -> StringTensor:
        """A snapshot of the current strings, as a string tensor."""
        return wrap(np.array(self.view(np.ndarray), dtype=object))

    read_value = value

    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Overwrites the strings in place; the shape must stay the same.

        Raises:
            TypeError: for values that are not strings.
            ValueError: for a value of another shape.
        """
        new = make(value, f"{self.name}.assign")
        if tuple(new.shape) != tuple(self.shape):
            raise ValueError(
                f"Cannot assign to string variable '{self.name}': it has shape "
                f"{tuple(self.shape)}, but the value has shape {tuple(new.shape)}."
            )
        self.view(np.ndarray)[...] = new.view(np.ndarray)
        return self if read_value else None

    def __repr__(self) -> str:
        """TensorFlow's repr: `<tf.Variable 'ids:0' shape=(2,) dtype=string, numpy=...>`."""
        return (
            f"<tf.Variable '{self.name}' shape={tuple(self.shape)} dtype=string, "
            f"numpy={self._values_text(True)}>"
        )

    def __deepcopy__(self, memo):
        return StringVariable.create(self, self._path)

    def __reduce__(self):
        return (_rebuild, (np.asarray(self.view(np.ndarray)), self._path))


def _rebuild(array: np.ndarray, path: str) -> StringVariable:
    return StringVariable.create(array, path)

"""Private attributes of tf.keras 2 layers that user code reads.

Wrappers and training helpers test `layer._expects_training_arg` before passing
`training=` (DeepCTR-style models, premade models); code reads `layer._dtype` and
`layer._build_input_shape`. User code may also set them: its value is then what it reads.

`Keras2PrivateLayer` is a mixin of `Layer`.
"""

from __future__ import annotations

_MISSING = object()


def _user_value(layer, name: str):
    return layer.__dict__.get(f"_tork_user{name}", _MISSING)


class Keras2PrivateLayer:
    """tf.keras 2's `_expects_training_arg`, `_expects_mask_arg`, `_dtype`, `_build_input_shape`."""

    @property
    def _expects_training_arg(self) -> bool:
        """Whether `call` takes `training` (or `**kwargs`), as in Keras 2."""
        value = _user_value(self, "_expects_training_arg")
        if value is not _MISSING:
            return value
        spec = self._tork_spec()
        return bool(spec.has_training or spec.has_var_kwargs)

    @_expects_training_arg.setter
    def _expects_training_arg(self, value) -> None:
        self.__dict__["_tork_user_expects_training_arg"] = value

    @property
    def _expects_mask_arg(self) -> bool:
        """Whether `call` takes `mask` (or `**kwargs`), as in Keras 2."""
        value = _user_value(self, "_expects_mask_arg")
        if value is not _MISSING:
            return value
        spec = self._tork_spec()
        return bool(spec.has_mask or spec.has_var_kwargs)

    @_expects_mask_arg.setter
    def _expects_mask_arg(self, value) -> None:
        self.__dict__["_tork_user_expects_mask_arg"] = value

    @property
    def _dtype(self) -> str:
        """The weights' dtype name (`'float32'`), as Keras 2's `_dtype`."""
        value = _user_value(self, "_dtype")
        return self.dtype if value is _MISSING else value

    @_dtype.setter
    def _dtype(self, value) -> None:
        self.__dict__["_tork_user_dtype"] = value

    @property
    def _build_input_shape(self):
        """The input shape the layer was built for (None before), as Keras 2 keeps it."""
        value = _user_value(self, "_build_input_shape")
        if value is not _MISSING:
            return value
        return self.__dict__.get("_build_shapes")

    @_build_input_shape.setter
    def _build_input_shape(self, value) -> None:
        self.__dict__["_tork_user_build_input_shape"] = value

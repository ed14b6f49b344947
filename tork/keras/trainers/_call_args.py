"""Keras 2's check that a model's `call()` can be driven by fit/evaluate/predict."""

from __future__ import annotations

import inspect

_STEP = {
    "fit": "train_step",
    "train_on_batch": "train_step",
    "evaluate": "test_step",
    "test_on_batch": "test_step",
    "predict": "predict_step",
    "predict_on_batch": "predict_step",
}


def check_call_args(model, method: str) -> None:
    """Raises Keras 2's error for a `call(self, x, x2)` that the default steps cannot call.

    The default train/test/predict steps call `model(x, training=...)` with the inputs
    only; a call() with more required positional arguments would fail deep inside the
    step with a bare TypeError. A model that overrides the step (and so may pass the
    extra arguments itself) is left alone.

    Raises:
        ValueError: naming the method and the extra arguments, as tf_keras does.
    """
    from tork.keras.models.model import Model

    cls = type(model)
    step = _STEP[method]
    if getattr(cls, step) is not getattr(Model, step, None):
        return
    extra = model._tork_spec().required_positional  # (mask is tork's to fill)
    if extra:
        raise ValueError(
            f"Models passed to `{method}` can only have `training` and the first argument "
            f"in `call()` as positional arguments, found: {extra}. Model "
            f"'{model.name}' ({cls.__name__}) defines call{inspect.signature(cls.call)}: "
            "give the extra arguments default values, pass several inputs as one list or "
            "dict (`call(self, inputs)` with `x, x2 = inputs`), or override "
            f"`{step}` to call the model yourself."
        )

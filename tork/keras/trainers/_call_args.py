"""Keras 2's check that a model's `call()` can be driven by fit/evaluate/predict."""

from __future__ import annotations

import inspect

# Model class -> the extra required positional parameters of its call() (cached: the
# check runs at every train_on_batch).
_EXTRA: dict = {}

_STEP = {
    "fit": "train_step",
    "train_on_batch": "train_step",
    "evaluate": "test_step",
    "test_on_batch": "test_step",
    "predict": "predict_step",
    "predict_on_batch": "predict_step",
}


def _extra_positional(cls) -> list:
    extra = _EXTRA.get(cls)
    if extra is None:
        try:
            params = list(inspect.signature(cls.call).parameters.values())
        except (TypeError, ValueError):
            params = []
        if params and params[0].name == "self":
            params = params[1:]
        extra = _EXTRA[cls] = [
            p.name
            for p in params[1:]
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            and p.default is inspect.Parameter.empty
            and p.name not in ("training", "mask")  # tork fills a required mask
        ]
    return extra


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
    extra = _extra_positional(cls)
    if extra:
        raise ValueError(
            f"Models passed to `{method}` can only have `training` and the first argument "
            f"in `call()` as positional arguments, found: {extra}. Model "
            f"'{model.name}' ({cls.__name__}) defines call{inspect.signature(cls.call)}: "
            "give the extra arguments default values, pass several inputs as one list or "
            "dict (`call(self, inputs)` with `x, x2 = inputs`), or override "
            f"`{step}` to call the model yourself."
        )

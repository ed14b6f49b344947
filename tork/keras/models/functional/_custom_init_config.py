"""The config of a functional model subclass whose constructor builds its own graph.

Keras 2 writes a functional graph config only for classes whose constructor takes the
functional arguments (`MyModel(inputs, outputs)`). A subclass such as::

    class Block(keras.Model):
        def __init__(self, units=8, **kwargs):
            inputs = keras.Input((4,))
            super().__init__(inputs, keras.layers.Dense(units)(inputs), **kwargs)

cannot be recreated from a graph config (its `__init__` takes no `inputs`); Keras 2
gives it the config of a subclassed model instead: `name` and `trainable` plus the
arguments it was constructed with, so that loading calls `Block(**config)`.
"""

from __future__ import annotations

import inspect


def takes_functional_arguments(cls: type) -> bool:
    """Whether `cls(inputs=..., outputs=...)` reaches the functional constructor.

    True for classes that keep Model's or Functional's constructor, and for constructors
    with `*args` or with `inputs` and `outputs` parameters (tork is more lenient than
    Keras 2 here, whose check wants exactly Functional's argument list).
    """
    try:
        parameters = inspect.signature(cls.__init__).parameters
    except (TypeError, ValueError):
        return True
    if any(p.kind is p.VAR_POSITIONAL for p in parameters.values()):
        return True
    return "inputs" in parameters and "outputs" in parameters


def custom_constructor_config(model) -> dict:
    """Keras 2's config of a functional subclass with its own constructor arguments.

    `name` and `trainable`, updated with the arguments the model was constructed with
    when they are all plain values; `name`/`trainable` are dropped when the constructor
    neither names them nor takes `**kwargs` (Keras 2 checks for a `**kwargs` spelled so).
    """
    from tork.keras.layers.layer import _init_arguments_config

    config = {"name": model.name, "trainable": model.trainable}
    try:
        config.update(_init_arguments_config(model))
    except NotImplementedError:
        pass  # Keras 2 then keeps only name/trainable, without a warning
    spec = inspect.getfullargspec(type(model).__init__)
    if spec.varkw != "kwargs":
        for key in ("name", "trainable"):
            if key not in spec.args[1:]:
                config.pop(key, None)
    return config

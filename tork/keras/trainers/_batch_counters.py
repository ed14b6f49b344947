"""Keras 2's batch counters: `model._train_counter`, `_test_counter`, `_predict_counter`.

tf_keras keeps three int64 variables on every model, reset to 0 when `fit`, `evaluate`
and `predict` start and incremented after each batch. Nothing in tork needs them, but
callbacks written for Keras 2 read them: sentdex's widely copied DQN
`ModifiedTensorBoard.set_model` does `self._train_step = self.model._train_counter`.
The variables are made on first access, so the training loops only update counters
that some program asked for (no cost otherwise). A Keras 2 model may also assign its own
(`self._train_counter = tf.Variable(0, trainable=False, dtype="int64")` in `__init__`):
as in tf_keras that variable becomes the counter the loops reset and increment, and it is
tracked like any attribute variable (listed in the model's weights).
"""

from __future__ import annotations

import torch

_KEY = "_tork_batch_counters"


def counter(model, which: str):
    """The `which` (`"train"`, `"test"` or `"predict"`) counter variable of `model`."""
    counters = model.__dict__.setdefault(_KEY, {})
    variable = counters.get(which)
    if variable is None:
        from tork.variables import Variable

        # Kept out of the module's attributes (and so out of `weights`), as in Keras 2.
        variable = Variable(0, dtype=torch.int64, trainable=False, name=f"{which}_counter")
        counters[which] = variable
    return variable


def assign(model, which: str, value) -> None:
    """Makes `value` the `which` counter (`model._train_counter = value` in user code)."""
    key = f"_tork_{which}_counter"
    params = model.__dict__.get("_parameters")
    if params is not None:
        # A counter assigned before is no longer tracked under this attribute.
        params.pop(key, None)
    model.__dict__.setdefault(_KEY, {})[which] = value
    if isinstance(value, torch.nn.Parameter) and params is not None:
        # Tracked where it was assigned, as Keras 2 tracks attribute variables. torch refuses
        # a parameter under the property's own name, so it is registered under another key.
        model.register_parameter(key, value)


def increment(variable) -> None:
    """Counts one finished batch (without autograd: a counter a Keras 2 model assigned
    may be a float tf.Variable, trainable by default)."""
    with torch.no_grad():
        variable.add_(1)


def reset(model, which: str) -> None:
    """Sets the `which` counter to 0 if it exists (fit/evaluate/predict starts)."""
    variable = existing(model, which)
    if variable is not None:
        with torch.no_grad():
            variable.zero_()


def existing(model, which: str):
    """The `which` counter if something asked for it, else None.

    The loops take it once, after the begin callbacks (a callback's `set_model` may ask
    for it), and add one per finished batch only when it is not None: a model whose
    counters were never read pays one `is None` check per batch.
    """
    variable = model.__dict__.get(_KEY, {}).get(which)
    # A plain value assigned by user code (`model._predict_counter = 0`) is not counted.
    return variable if isinstance(variable, torch.Tensor) else None

"""A model's compile arguments in saved files: Keras 3's `compile_config` and Keras 2's `training_config`."""

from __future__ import annotations

import inspect

from tork._warnings import warn_user

# compile() arguments kept in Keras 3's compile_config, in Keras's order.
_KEYS = (
    "optimizer",
    "loss",
    "loss_weights",
    "metrics",
    "weighted_metrics",
    "run_eagerly",
    "steps_per_execution",
    "jit_compile",
)


def _trainer():
    from tork.keras.trainers.trainer import Trainer

    return Trainer


def serialize_compile_config(model) -> dict:
    """Returns the serialized compile arguments of `model` (`{}` when it was never compiled).

    The optimizer is saved as the instance the model trains with, so its
    hyperparameters (e.g. a changed learning rate) are kept.
    """
    from tork.keras.saving.serialization import serialize_keras_object

    overridden = type(model).get_compile_config is not _trainer().get_compile_config
    config = model.get_compile_config()
    if not config:
        return {}
    if overridden:
        return serialize_keras_object(config)
    result = {}
    for key in _KEYS:
        value = config.get(key)
        if key == "optimizer" and getattr(model, "optimizer", None) is not None:
            value = model.optimizer
        result[key] = serialize_keras_object(value)
        if key in ("loss", "metrics", "weighted_metrics"):
            result[key] = _keras3_losses(result[key])
    return result


def _keras3_losses(value):
    """Built-in loss entries in Keras 3's config layout, for the `.keras` compile config.

    tork's loss configs follow Keras 2 (`reduction: 'auto'`, `fn: 'huber'`), which
    Keras 3's loss classes reject; the `.keras` format is Keras 3's, so its entries
    say 'sum_over_batch_size' and leave out the function the class stands for.
    """
    from tork.keras.losses.loss import _KERAS2_LOSSES

    if isinstance(value, list):
        return [_keras3_losses(v) for v in value]
    if not isinstance(value, dict):
        return value
    config = value.get("config")
    if (
        value.get("module") == "keras.losses"
        and value.get("class_name") in _KERAS2_LOSSES
        and isinstance(config, dict)
    ):
        config = dict(config)
        if value["class_name"] not in ("Loss", "LossFunctionWrapper"):
            config.pop("fn", None)
        if config.get("reduction") == "auto":
            config["reduction"] = "sum_over_batch_size"
        ordered = {k: config.pop(k) for k in ("name", "reduction") if k in config}
        return {**value, "config": {**ordered, **config}}
    if "class_name" not in value:
        return {k: _keras3_losses(v) for k, v in value.items()}
    if isinstance(config, dict) and config.get("reduction") == "auto":
        # A user's Loss subclass (`super().get_config()` gives Keras 2's 'auto'): Keras 3's
        # Loss rejects 'auto'; 'sum_over_batch_size' is what 'auto' means in both Kerases.
        return {**value, "config": {**config, "reduction": "sum_over_batch_size"}}
    return value


def compile_from_config(model, config: dict, custom_objects: dict | None = None) -> None:
    """Compiles `model` from a serialized compile config (Keras 3 layout).

    A model class that overrides `compile_from_config` receives the serialized
    config, as in Keras. One that overrides only `compile` is left uncompiled,
    with Keras 2's warning.
    """
    from tork.keras.saving.serialization import deserialize_keras_object

    if not config:
        return
    if type(model).compile_from_config is not _trainer().compile_from_config:
        model.compile_from_config(config)
        return
    compile_method = type(model).compile
    if compile_method is not _trainer().compile and not compile_method.__module__.startswith(
        "tork."
    ):
        # Keras 2: a custom compile() (a GAN's compile(d_optimizer, g_optimizer, loss_fn))
        # may not take the saved arguments; the model loads uncompiled, with this warning.
        warn_user(
            "`compile()` was not called as part of model loading because the model's "
            "`compile()` method is custom. All subclassed Models that have `compile()` "
            "overridden should also override `get_compile_config()` and "
            "`compile_from_config(config)`. Alternatively, you can call `compile()` "
            "manually after loading."
        )
        return
    for key in ("metrics", "weighted_metrics"):
        _check_metric_function_names(config.get(key), custom_objects)
    arguments = {
        key: deserialize_keras_object(value, custom_objects=custom_objects)
        for key, value in config.items()
    }
    accepted = inspect.signature(model.compile).parameters
    arguments = {k: v for k, v in arguments.items() if k in accepted}
    if arguments.get("optimizer") is None:
        arguments.pop("optimizer", None)
    model.compile(**arguments)


def _saved_function_name(entry) -> str | None:
    """The function name a saved metric entry stands for, or None.

    Keras 2's `.h5` saves a metric function as `MeanMetricWrapper` with `fn: 'name'`;
    Keras 3's `.keras` as `{'class_name': 'function', 'config': 'name'}`.
    """
    if not isinstance(entry, dict):
        return None
    config = entry.get("config")
    if entry.get("class_name") == "function" and isinstance(config, str):
        return config
    if entry.get("class_name") == "MeanMetricWrapper" and isinstance(config, dict):
        fn = config.get("fn")
        if isinstance(fn, str):
            return fn
        return _saved_function_name(fn)
    return None


def _walked(spec, check, custom_objects) -> bool:
    """Applies `check` to each entry of a saved per-output dict or list; False for a leaf."""
    if isinstance(spec, dict) and "class_name" not in spec:
        values = spec.values()
    elif isinstance(spec, (list, tuple)):
        values = spec
    else:
        return False
    for value in values:
        check(value, custom_objects)
    return True


def _unknown_function(kind: str, name: str) -> ValueError:
    """TF's error for a saved function name that needs `custom_objects`."""
    return ValueError(
        f"Unknown {kind} function: {name!r}. Please ensure you are using a "
        "`keras.utils.custom_object_scope` and that this object is included in the "
        "scope, or pass it in `custom_objects` (e.g. "
        f"`load_model(path, custom_objects={{{name!r}: {name}}})`), or load with "
        "`compile=False`."
    )


def _check_metric_function_names(metrics, custom_objects) -> None:
    """Raises TF's error for a saved metric function that is not available.

    A user's metric function saved by name (`def f1(y_true, y_pred)`, `auc`,
    `precision`, `rmse`: common names in user code) would otherwise resolve to
    tork's built-in metric class of that short name, a different computation,
    so the loaded model would silently report other numbers. TF cannot find
    such a function without `custom_objects` and raises; so does tork.
    """
    from tork.keras.metrics.metric import Metric
    from tork.keras.metrics.reduction import MeanMetricWrapper
    from tork.keras.metrics.serialization import get
    from tork.keras.saving.object_registration import custom_object_scope

    if _walked(metrics, _check_metric_function_names, custom_objects):
        return
    name = _saved_function_name(metrics)
    if name is None or name in (custom_objects or {}):
        return
    try:
        with custom_object_scope(custom_objects or {}):
            resolved = get(name)
    except Exception:
        return  # deserialization gives its own error for names nothing resolves
    if (
        isinstance(resolved, Metric)
        and not isinstance(resolved, MeanMetricWrapper)
        and type(resolved).__module__.startswith("tork.")
    ):
        raise _unknown_function("metric", name)


def _check_loss_names(loss, custom_objects) -> None:
    """Raises TF's error, at load time, for a saved loss name that nothing resolves.

    compile() accepts loss names lazily, so without this a user's loss function saved by
    name (`def my_loss(y_true, y_pred)`) would load fine and fail only in fit(), with an
    error that does not mention `custom_objects`.
    """
    from tork.keras.losses import get
    from tork.keras.saving.object_registration import custom_object_scope

    if _walked(loss, _check_loss_names, custom_objects):
        return
    name = loss if isinstance(loss, str) else _saved_function_name(loss)
    if name is None or name in (custom_objects or {}):
        return
    try:
        with custom_object_scope(custom_objects or {}):
            get(name)
    except ValueError:
        raise _unknown_function("loss", name) from None


def _strip_output_prefix(metrics, output_name):
    """Keras 2 saved multi-output metric objects under their logged names
    (`cls_acc` for output `cls`); compiling them again must not prefix twice."""
    if not isinstance(metrics, list) or not isinstance(output_name, str):
        return metrics
    prefix = output_name + "_"
    result = []
    for metric in metrics:
        if metric is None:
            # tf.keras's SavedModel lists `[None]` for an output given no metric.
            continue
        inner = metric.get("config") if isinstance(metric, dict) else None
        name = inner.get("name") if isinstance(inner, dict) else None
        if isinstance(name, str) and name.startswith(prefix) and len(name) > len(prefix):
            metric = {**metric, "config": {**inner, "name": name[len(prefix) :]}}
        result.append(metric)
    return result


def compile_from_training_config(model, training_config: dict, custom_objects, label: str):
    """Compiles `model` from Keras 2's `training_config` (legacy .h5, tf.keras SavedModel).

    Args:
        model: the rebuilt model.
        training_config: the parsed `training_config`.
        custom_objects: the user's classes and functions.
        label: how errors name the file (`the HDF5 file 'm.h5'`).

    Raises:
        KerasFileError: if the model cannot be compiled from it.
    """
    from tork.keras.saving.errors import KerasFileError

    compile_config = from_training_config(training_config, getattr(model, "output_names", None))
    _check_loss_names(compile_config.get("loss"), custom_objects)
    try:
        compile_from_config(model, compile_config, custom_objects)
    except (KerasFileError, FileNotFoundError):
        raise
    except Exception as error:
        raise KerasFileError(
            f"Could not compile the model from the training config of {label}: "
            f"{type(error).__name__}: {error}"
        ) from error


def from_training_config(training_config: dict, output_names=None) -> dict:
    """Converts Keras 2's `training_config` (legacy .h5) to a Keras 3 compile config.

    Args:
        training_config: the parsed `training_config` attribute.
        output_names: the model's output names, to read Keras 2's per-output
            metric lists of multi-output models.
    """
    config = {
        key: training_config.get(key)
        for key in ("loss", "loss_weights", "metrics", "weighted_metrics")
    }
    names = list(output_names or [])
    for key in ("metrics", "weighted_metrics"):
        value = config[key]
        if len(names) > 1 and isinstance(value, list) and len(value) == len(names):
            if all(isinstance(v, list) for v in value):
                config[key] = value = [_strip_output_prefix(v, n) for v, n in zip(value, names)]
        elif len(names) > 1 and isinstance(value, dict):
            config[key] = value = {
                k: _strip_output_prefix(v, k) if k in names else v for k, v in value.items()
            }
        # Keras 2 stores metrics per output: `[["acc"]]` for a one-output model, which
        # `compile` would read as one (list) metric.
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list):
            config[key] = value[0]
    optimizer = training_config.get("optimizer_config")
    if isinstance(optimizer, dict):
        config["optimizer"] = optimizer
    for key in ("run_eagerly", "steps_per_execution", "jit_compile"):
        if key in training_config:
            config[key] = training_config[key]
    return config


# Short loss names that Keras 3's .h5 reader cannot resolve (it maps them to non-serializable
# objects); the full names mean the same to every Keras version.
_FULL_NAMES = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
}


def _full_names(value):
    if isinstance(value, str):
        return _FULL_NAMES.get(value, value)
    if isinstance(value, list):
        return [_full_names(v) for v in value]
    if isinstance(value, dict) and "class_name" not in value:
        return {k: _full_names(v) for k, v in value.items()}
    return value


def to_training_config(compile_config: dict) -> dict:
    """Converts a Keras 3 compile config to Keras 2's `training_config` layout."""
    result = {key: compile_config.get(key) for key in _KEYS if key != "optimizer"}
    # tf_keras writes the loss as given ("mse"), but Keras 3 cannot read its short names from
    # an .h5 file; the full names mean the same to tf_keras. (Metrics are saved as objects.)
    result["loss"] = _full_names(result["loss"])
    optimizer = compile_config.get("optimizer")
    if isinstance(optimizer, dict):
        result["optimizer_config"] = {
            "class_name": optimizer.get("class_name"),
            "config": optimizer.get("config"),
        }
    return result

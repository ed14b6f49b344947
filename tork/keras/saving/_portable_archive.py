"""Makes the config of a `.keras` archive loadable by tf_keras (Keras 2) as well as Keras 3.

tork writes `.keras` files in Keras 3's layout, which Keras 3 loads. tf_keras
2.13+ reads the same archive layout but refuses parts of Keras 3's config.
Where one spelling is read by both libraries, the archive uses it:

- `InputLayer` holds `batch_input_shape` (Keras 3 reads it as `batch_shape`;
  tf_keras rejects `batch_shape`);
- a functional model is `{"module": "keras.models", "class_name": "Model"}`:
  both resolve `keras.models.Model`, whose `from_config` builds the functional
  model (tf_keras cannot import Keras 3's `keras.src.models.functional`);
- inbound nodes are Keras 2's `[[layer, node, tensor, kwargs], ...]` lists,
  which Keras 3 also reads, unless the model calls another model (Keras 2 and
  3 number such a call's nodes differently), passes tensors as call keyword
  arguments (Keras 3 reads Keras 2's references there as lists) or applies ops
  to symbolic tensors (Keras 3 operations): those keep Keras 3's form, which
  tf_keras cannot read;
- a new optimizer's config leaves out Keras 3's `loss_scale_factor` and
  `gradient_accumulation_steps` while they are unset (tf_keras's constructors
  reject them), and tf_keras's `jit_compile` / `is_legacy_optimizer` at
  False (Keras 3's reject them);
- Keras 3 layer options that tf_keras rejects (`seed=None` of recurrent
  layers...) are left out at their defaults, as in `.h5` files, and an
  adapted Discretization is written as its `bin_boundaries` (tf_keras rejects
  them together with `num_bins`);
- a layer's mixed dtype policy is its name (`"mixed_float16"`): tf_keras's `Policy` entry
  fails in Keras 3 and Keras 3's `DTypePolicy` entry in tf_keras;
- a learning-rate schedule's `name: null` (tf_keras's default) is written as Keras 3's
  default name (`ExponentialDecay`...): Keras 3 fails calling a schedule named None;
- `compile_config` holds `jit_compile: null` for Keras 3's default `"auto"`
  (tf_keras takes the string for true and compiles with XLA), and
  `steps_per_execution: 1` for tf_keras's `null` (Keras 3 cannot train with null).

tork reads all these spellings back.
"""

from __future__ import annotations

_FUNCTIONAL_MODULES = ("keras.src.models.functional", "keras.models.functional")
_MODEL_CLASSES = ("Functional", "Sequential", "Model")


def portable_config(entry: dict, model) -> dict:
    """Returns the model `entry` (Keras 3 layout) with the spellings both Kerases read.

    Args:
        entry: the model's `serialize_keras_object` output, with its
            `compile_config`.
        model: the model it describes (its graph gives Keras 2's node lists).

    Returns:
        A new dict.
    """
    from tork.keras.saving import _keras2_config

    entry = _copy(entry)
    keras2 = None
    try:
        keras2 = _keras2_config.convert(entry, model, json_layout=True)
    except (TypeError, ValueError, AttributeError, KeyError, IndexError):
        keras2 = None  # Keras 3's node lists stay; Keras 3 and tork read them.
    _rewrite(entry, keras2)
    _drop_keras3_defaults(entry)
    compile_config = entry.get("compile_config")
    if isinstance(compile_config, dict):
        _optimizer(compile_config.get("optimizer"))
        if compile_config.get("jit_compile") == "auto":
            # tf_keras reads the string as true and compiles the step with XLA, which fails
            # on string inputs and sparse (Embedding) updates; None is both Kerases'
            # "not asked for" (tf_keras's own default).
            compile_config["jit_compile"] = None
        if (
            "steps_per_execution" in compile_config
            and compile_config["steps_per_execution"] is None
        ):
            # tf_keras's default (a model compiled from a tf_keras file keeps it); Keras 3
            # fails training with None ("'NoneType' object cannot be interpreted as an
            # integer"). 1 is both Kerases' default.
            compile_config["steps_per_execution"] = 1
    return entry


def _copy(value):
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _drop_keras3_defaults(value) -> None:
    """Drops Keras 3 options that tf_keras's layers reject, where they hold their defaults.

    The same options `.h5` files leave out (`seed=None` of recurrent and attention layers,
    `synchronized=False` of BatchNormalization...); Keras 3 takes their absence as the default.
    """
    from tork.keras.saving._keras2_config import (
        discretization_boundaries_only,
        drop_keras3_only_defaults,
    )

    if isinstance(value, list):
        for item in value:
            _drop_keras3_defaults(item)
        return
    if not isinstance(value, dict):
        return
    config = value.get("config")
    if (
        value.get("class_name") == "Discretization"
        and value.get("module") == "keras.layers"
        and isinstance(config, dict)
    ):
        value["config"] = config = discretization_boundaries_only(config)
    if isinstance(config, dict) and value.get("module") == "keras.layers":
        drop_keras3_only_defaults(value.get("class_name"), config)
    if isinstance(config, dict) and _is_policy(config.get("dtype")):
        # tf_keras's `Policy` entry fails in Keras 3 ("'str' object has no attribute
        # 'quantization_mode'") and Keras 3's `DTypePolicy` in tf_keras: both read the name.
        config["dtype"] = config["dtype"]["config"]["name"]
    for item in value.values():
        _drop_keras3_defaults(item)


def _is_policy(value) -> bool:
    """Whether `value` is a serialized plain dtype policy (`mixed_float16`...): a name only."""
    return (
        isinstance(value, dict)
        and value.get("class_name") in ("Policy", "DTypePolicy")
        and isinstance(value.get("config"), dict)
        and set(value["config"]) == {"name"}
        and isinstance(value["config"]["name"], str)
    )


def _rewrite(entry, keras2) -> None:
    """Rewrites a model or layer entry in place; `keras2` is its Keras 2 conversion."""
    if not isinstance(entry, dict):
        return
    config = entry.get("config")
    if entry.get("class_name") == "InputLayer" and isinstance(config, dict):
        if "batch_shape" in config:
            config["batch_input_shape"] = config.pop("batch_shape")
        return
    if entry.get("class_name") == "Functional" and entry.get("module") in _FUNCTIONAL_MODULES:
        entry["module"] = "keras.models"
        entry["class_name"] = "Model"
        entry["registered_name"] = None
    if not (isinstance(config, dict) and isinstance(config.get("layers"), list)):
        return
    keras2_config = keras2.get("config") if isinstance(keras2, dict) else None
    keras2_layers = {}
    if isinstance(keras2_config, dict):
        for layer in keras2_config.get("layers") or []:
            if isinstance(layer, dict):
                keras2_layers[_name(layer)] = layer
    nodes_portable = "input_layers" in config and _keras2_nodes_portable(
        config["layers"], keras2_layers
    )
    for layer in config["layers"]:
        if not isinstance(layer, dict):
            continue
        twin = keras2_layers.get(_name(layer))
        if nodes_portable and "inbound_nodes" in layer and twin is not None:
            layer["inbound_nodes"] = twin.get("inbound_nodes", [])
        _rewrite(layer, twin)


def _name(layer: dict):
    return layer.get("name") or (layer.get("config") or {}).get("name")


def _keras2_nodes_portable(layers: list, keras2_layers: dict) -> bool:
    """Whether Keras 2's node lists of these layers mean the same graph to Keras 3."""
    names = [_name(layer) for layer in layers if isinstance(layer, dict)]
    if not keras2_layers or sorted(map(str, names)) != sorted(map(str, keras2_layers)):
        # The conversion added layers (TFOpLambda for ops) or dropped some.
        return False
    for layer in layers:
        if not isinstance(layer, dict):
            return False
        if layer.get("class_name") in _MODEL_CLASSES or "layers" in (layer.get("config") or {}):
            # Keras 2 numbers a nested model's calls from 1 (node 0 is its own graph).
            return False
        if "module" not in layer or layer.get("class_name") == "__operation__":
            return False
        twin = keras2_layers.get(_name(layer)) or {}
        if any(_has_tensor_kwargs(node) for node in twin.get("inbound_nodes") or []):
            # Keras 3 reads Keras 2's tensor references in call kwargs (`value=` of
            # MultiHeadAttention) as plain lists.
            return False
    return True


def _has_tensor_kwargs(node) -> bool:
    if not isinstance(node, list):
        return True
    for item in node:
        if not (isinstance(item, list) and len(item) in (3, 4)):
            return True
        if len(item) == 4 and _holds_list(item[3]):
            return True
    return False


def _holds_list(value) -> bool:
    if isinstance(value, list):
        return True
    if isinstance(value, dict):
        return any(_holds_list(v) for v in value.values())
    return False


def _optimizer(entry) -> None:
    # Keras 3 options tf_keras's new optimizers reject (left out while unset), and tf_keras's
    # keys Keras 3's constructors reject (left out at their defaults).
    from tork.keras.optimizers.optimizer import _KERAS2_CONFIG_KEYS, _KERAS3_ONLY_KEYS

    if not isinstance(entry, dict) or not isinstance(entry.get("config"), dict):
        return
    config = entry["config"]
    if str(entry.get("module", "")).endswith("optimizers.legacy"):
        return  # already tf_keras's legacy layout (legacy `get_config`)
    for key in _KERAS3_ONLY_KEYS:
        if key in config and config[key] is None:
            del config[key]
    # tf_keras's `get_config` keys that Keras 3's constructors reject; tf_keras reads the
    # config without them (the class is named by `module`).
    for key in _KERAS2_CONFIG_KEYS:
        if config.get(key) is False:
            del config[key]
    _schedule_name(config.get("learning_rate"))
    # A LossScaleOptimizer's inner optimizer: Keras 3's wrapper passes its config to the
    # inner optimizer's constructor, which rejects tf_keras's keys too.
    _optimizer(config.get("inner_optimizer"))


# Keras 3's default names of its schedules: it opens a name scope with the name when called,
# so a schedule config with tf_keras's `name: null` fails there; tf_keras takes any name.
_SCHEDULE_NAMES = {
    "ExponentialDecay": "ExponentialDecay",
    "PiecewiseConstantDecay": "PiecewiseConstant",
    "PolynomialDecay": "PolynomialDecay",
    "InverseTimeDecay": "InverseTimeDecay",
    "CosineDecay": "CosineDecay",
    "CosineDecayRestarts": "SGDRDecay",
}


def _schedule_name(entry) -> None:
    if not isinstance(entry, dict) or not isinstance(entry.get("config"), dict):
        return
    if not str(entry.get("module", "")).startswith("keras.optimizers.schedules"):
        return
    config = entry["config"]
    default = _SCHEDULE_NAMES.get(entry.get("class_name"))
    if default is not None and "name" in config and config["name"] is None:
        config["name"] = default

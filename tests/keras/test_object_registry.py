"""get / serialize / deserialize of the Keras object namespaces, checked the same way for each.

keras.initializers, regularizers, constraints, losses and metrics resolve identifiers alike:
names, Keras 2 and Keras 3 config dicts, instances, classes, functions, `custom_objects`,
`custom_object_scope` and `register_keras_serializable`. Each case below builds a small custom
class with a `value` argument so a round trip can be checked by value, not against tork itself.
"""

from dataclasses import dataclass

import pytest
import torch

from tork.keras import constraints, initializers, losses, metrics, regularizers
from tork.keras.saving import object_registration
from tork.keras.saving.object_registration import (
    custom_object_scope,
    get_custom_objects,
    register_keras_serializable,
)


@pytest.fixture
def clean_registry():
    """Drops whatever a test registers, so tests do not see each other's objects."""
    objects = dict(get_custom_objects())
    names = dict(object_registration._GLOBAL_CUSTOM_NAMES)
    yield
    get_custom_objects().clear()
    get_custom_objects().update(objects)
    object_registration._GLOBAL_CUSTOM_NAMES.clear()
    object_registration._GLOBAL_CUSTOM_NAMES.update(names)


class _Valued:
    """Mixin: a `value` constructor argument kept in the config."""

    def get_config(self):
        return {**super().get_config(), "value": self.value}


class ScaledInit(_Valued, initializers.Initializer):
    def __init__(self, value=0.5):
        self.value = value

    def __call__(self, shape, dtype=None, **kwargs):
        return torch.full(shape, float(self.value))


class ScaledReg(_Valued, regularizers.Regularizer):
    def __init__(self, value=0.5):
        self.value = value

    def __call__(self, x):
        return self.value * torch.sum(x)

    def get_config(self):
        return {"value": self.value}


class ScaledConstraint(_Valued, constraints.Constraint):
    def __init__(self, value=0.5):
        self.value = value

    def __call__(self, w):
        return w * self.value


class ScaledLoss(_Valued, losses.Loss):
    def __init__(self, value=0.5, name="scaled", reduction="sum_over_batch_size", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.value = value

    def call(self, y_true, y_pred):
        return self.value * (y_pred - y_true).abs().sum(-1)


class ScaledMetric(_Valued, metrics.Metric):
    def __init__(self, value=0.5, name="scaled", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.value = value

    def update_state(self, *args, **kwargs):
        pass

    def result(self):
        return torch.tensor(self.value)


@dataclass
class Namespace:
    module: object
    kind: str
    keras_module: str
    builtin_class: type
    builtin_config: dict  # a non-default config of builtin_class
    custom: type


NAMESPACES = {
    "initializers": Namespace(
        initializers,
        "initializer",
        "keras.initializers",
        initializers.RandomUniform,
        {"minval": -1.0, "maxval": 2.0, "seed": 4},
        ScaledInit,
    ),
    "regularizers": Namespace(
        regularizers, "regularizer", "keras.regularizers", regularizers.L2, {"l2": 0.25}, ScaledReg
    ),
    "constraints": Namespace(
        constraints,
        "constraint",
        "keras.constraints",
        constraints.MaxNorm,
        {"max_value": 3.0, "axis": 1},
        ScaledConstraint,
    ),
    "losses": Namespace(
        losses,
        "loss",
        "keras.losses",
        losses.Huber,
        losses.Huber(delta=2.5, name="h", reduction="sum").get_config(),
        ScaledLoss,
    ),
    "metrics": Namespace(
        metrics,
        "metric",
        "keras.metrics",
        metrics.AUC,
        metrics.AUC(num_thresholds=17, curve="PR", name="pr").get_config(),
        ScaledMetric,
    ),
}

ns_param = pytest.mark.parametrize("ns", list(NAMESPACES.values()), ids=list(NAMESPACES))


def _fn(y, *rest, **kwargs):
    return y


@ns_param
def test_class_name_string_gives_a_new_default_instance(ns):
    a, b = ns.module.get(ns.builtin_class.__name__), ns.module.get(ns.builtin_class.__name__)
    assert type(a) is ns.builtin_class and a is not b

    def unnamed(config):  # metrics number their default names
        return {k: v for k, v in config.items() if k != "name"}

    assert unnamed(a.get_config()) == unnamed(ns.builtin_class().get_config())


@ns_param
def test_keras3_and_keras2_dicts(ns):
    keras3 = {
        "module": ns.keras_module,
        "class_name": ns.builtin_class.__name__,
        "config": ns.builtin_config,
        "registered_name": None,
    }
    keras2 = {"class_name": ns.builtin_class.__name__, "config": ns.builtin_config}
    for config in (keras3, keras2):
        for obj in (ns.module.deserialize(config), ns.module.get(config)):
            assert type(obj) is ns.builtin_class
            assert obj.get_config() == ns.builtin_config
    # from_config: a Keras 2 loss config holds its function (`fn`), which the class's
    # constructor does not take (tf_keras's Huber(**config) raises too).
    assert ns.module.serialize(ns.builtin_class.from_config(ns.builtin_config)) == keras3


@ns_param
def test_instances_classes_and_functions_pass_through(ns):
    obj = ns.builtin_class()
    assert ns.module.get(obj) is obj
    assert type(ns.module.get(ns.builtin_class)) is ns.builtin_class
    assert ns.module.get(_fn) is _fn
    assert ns.module.get(None) is None


@ns_param
def test_unregistered_custom_class_needs_custom_objects(ns):
    config = ns.module.serialize(ns.custom(value=0.25))
    assert config == {
        "module": __name__,
        "class_name": ns.custom.__name__,
        "config": ns.custom(value=0.25).get_config(),
        "registered_name": ns.custom.__name__,
    }
    restored = ns.module.deserialize(config, custom_objects={ns.custom.__name__: ns.custom})
    assert type(restored) is ns.custom and restored.value == 0.25
    keras2 = {"class_name": ns.custom.__name__, "config": {"value": 0.75}}
    assert ns.module.deserialize(keras2, {ns.custom.__name__: ns.custom}).value == 0.75
    # A name in custom_objects gives a default instance.
    assert ns.module.deserialize(ns.custom.__name__, {ns.custom.__name__: ns.custom}).value == 0.5
    with pytest.raises(ValueError, match=rf"Unknown {ns.kind} '{ns.custom.__name__}'"):
        ns.module.deserialize(config)


@ns_param
def test_custom_objects_by_registered_name_and_over_builtin_names(ns):
    config = {"class_name": "Scaled", "config": {"value": 2.0}, "registered_name": "Pkg>Scaled"}
    assert ns.module.deserialize(config, {"Pkg>Scaled": ns.custom}).value == 2.0
    name = ns.builtin_class.__name__
    assert ns.module.deserialize(name, custom_objects={name: ns.custom}).value == 0.5


@ns_param
def test_custom_functions(ns):
    config = ns.module.serialize(_fn)
    assert config == {
        "module": __name__,
        "class_name": "function",
        "config": "_fn",
        "registered_name": "_fn",
    }
    assert ns.module.deserialize(config, custom_objects={"_fn": _fn}) is _fn
    keras3 = {"class_name": "function", "config": "_fn", "registered_name": "_fn", "module": "x"}
    assert ns.module.deserialize(keras3, {"_fn": _fn}) is _fn


@ns_param
def test_registered_class_round_trips_without_custom_objects(ns, clean_registry):
    cls = register_keras_serializable(package="RegistryTest")(
        type(f"Reg{ns.custom.__name__}", (ns.custom,), {})
    )
    registered = f"RegistryTest>{cls.__name__}"
    config = ns.module.serialize(cls(value=0.125))
    assert config["registered_name"] == registered
    assert config["class_name"] == cls.__name__
    for obj in (ns.module.deserialize(config), ns.module.get(config)):
        assert type(obj) is cls and obj.value == 0.125
    # Keras 2 files put the registered name in class_name.
    keras2 = {"class_name": registered, "config": {"value": 0.375}}
    assert ns.module.get(keras2).value == 0.375
    assert type(ns.module.get(registered)) is cls


@ns_param
def test_registered_function_round_trips(ns, clean_registry):
    def scaled_fn(y, *rest):
        return 2 * y

    register_keras_serializable(package="RegistryTest")(scaled_fn)
    config = ns.module.serialize(scaled_fn)
    assert config["config"] == config["registered_name"] == "RegistryTest>scaled_fn"
    assert ns.module.deserialize(config) is scaled_fn


@ns_param
def test_custom_object_scope(ns):
    with custom_object_scope({"ScopedThing": ns.custom}):
        assert type(ns.module.get("ScopedThing")) is ns.custom
        obj = ns.module.get({"class_name": "ScopedThing", "config": {"value": 4.0}})
        assert type(obj) is ns.custom and obj.value == 4.0
    with pytest.raises(ValueError, match=rf"Unknown {ns.kind} 'ScopedThing'"):
        ns.module.get("ScopedThing")


@ns_param
def test_unknown_class_in_dict_names_it(ns):
    with pytest.raises(ValueError, match=rf"Unknown {ns.kind} 'NoSuchThing'.*Valid names: "):
        ns.module.deserialize({"class_name": "NoSuchThing", "config": {}})
    with pytest.raises(ValueError, match=rf"Unknown {ns.kind} 'no_such_fn'.*Valid names: "):
        ns.module.deserialize({"class_name": "function", "config": "no_such_fn"})


# Initializers, regularizers and constraints (Keras's serialize_keras_object family).
KERAS_OBJECTS = pytest.mark.parametrize(
    "module,kind,article,base,example",
    [
        (initializers, "initializer", "an", "Initializer", "GlorotUniform"),
        (regularizers, "regularizer", "a", "Regularizer", "L2"),
        (constraints, "constraint", "a", "Constraint", "MaxNorm"),
    ],
)


@KERAS_OBJECTS
def test_keras_object_serialize_passthrough_and_errors(module, kind, article, base, example):
    assert module.serialize(None) is None
    assert module.serialize("some_name") == "some_name"
    with pytest.raises(
        ValueError,
        match=rf"Cannot serialize {kind} 5: pass {article} {base}, a named function or a name\.",
    ):
        module.serialize(5)
    with pytest.raises(
        ValueError,
        match=rf"Cannot deserialize {kind} config \{{'config': \{{\}}\}}: it needs a "
        rf"'class_name' such as '{example}'\.",
    ):
        module.deserialize({"config": {}})
    assert module.deserialize(None) is None


# Losses and metrics.
TRAINING = pytest.mark.parametrize(
    "module,kind,base,keras_module",
    [(losses, "loss", "Loss", "keras.losses"), (metrics, "metric", "Metric", "keras.metrics")],
)


@TRAINING
def test_loss_and_metric_serialize_errors(module, kind, base, keras_module):
    assert module.serialize("mse") == "mse"
    with pytest.raises(ValueError, match=rf"Cannot serialize None: expected a {base} instance"):
        module.serialize(None)
    with pytest.raises(ValueError, match=rf"Cannot serialize 3: expected a {base} instance or a"):
        module.serialize(3)

    class Nameless:
        def __call__(self, y_true, y_pred):
            return y_pred

    with pytest.raises(ValueError, match=rf"Cannot serialize {kind} .*: it has no __name__\."):
        module.serialize(Nameless())
    for bad in ({"config": {}}, 3):
        with pytest.raises(
            ValueError,
            match=rf"Cannot deserialize {kind} from .*: expected a name or a dict with "
            r"'class_name' and 'config'\.",
        ):
            module.deserialize(bad)


@TRAINING
def test_builtin_functions_serialize_under_the_keras_module(module, kind, base, keras_module):
    config = module.serialize(module.mean_squared_error)
    assert config == {
        "module": keras_module,
        "class_name": "function",
        "config": "mean_squared_error",
        "registered_name": "mean_squared_error",
    }
    assert module.deserialize(config) is module.mean_squared_error
    # Keras 3 files may leave the function name out of `config`.
    keras3 = {"class_name": "function", "config": None, "registered_name": "mean_squared_error"}
    assert module.deserialize(keras3) is module.mean_squared_error

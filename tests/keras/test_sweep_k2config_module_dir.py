"""`dir()` of keras modules shows the public API only, as tf_keras's modules do."""

from tork import keras
from tork.keras import activations, initializers

# dir() in tf_keras 2.21 (names not starting with "__"); tork's lists add Keras 3's names.
KERAS2_ACTIVATIONS = [
    "deserialize", "elu", "exponential", "gelu", "get", "hard_sigmoid", "linear", "mish",
    "relu", "selu", "serialize", "sigmoid", "softmax", "softplus", "softsign", "swish", "tanh",
]  # fmt: skip
KERAS2_INITIALIZERS = [
    "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity",
    "Initializer", "LecunNormal", "LecunUniform", "Ones", "Orthogonal", "RandomNormal",
    "RandomUniform", "TruncatedNormal", "VarianceScaling", "Zeros", "constant", "deserialize",
    "get", "glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "identity",
    "lecun_normal", "lecun_uniform", "ones", "orthogonal", "random_normal", "random_uniform",
    "serialize", "truncated_normal", "variance_scaling", "zeros",
]  # fmt: skip
KERAS2_SAVING = [
    "custom_object_scope", "deserialize_keras_object", "get_custom_objects",
    "get_registered_name", "get_registered_object", "load_model",
    "register_keras_serializable", "save_model", "serialize_keras_object",
]  # fmt: skip
INTERNALS = {"torch", "np", "F", "math", "module_getattr", "annotations", "importlib", "inspect"}


def test_dir_lists_public_names_only():
    for module, keras2 in (
        (activations, KERAS2_ACTIVATIONS),
        (initializers, KERAS2_INITIALIZERS),
        (keras.saving, KERAS2_SAVING),
    ):
        names = dir(module)
        assert set(keras2) <= set(names), module.__name__
        assert not [n for n in names if n.startswith("_")], module.__name__
        assert not INTERNALS & set(names), module.__name__
        for name in names:
            getattr(module, name)


def test_internals_stay_reachable():
    # tork's own code reads these module attributes.
    assert activations.torch.is_tensor(activations.relu(activations.torch.zeros(1)))
    assert initializers.np is not None and callable(activations._BY_NAME["relu"])
    assert keras.saving.serialization.serialize_keras_object is not None

"""Keras 2.0-era module paths (`from keras.layers.core import Flatten`) import in tork.

The paths are those of Keras 2.2.4's source layout (keras/layers/core.py, keras/engine/
topology.py, keras/utils/np_utils.py, ...) and of tf.keras 2.0-2.5
(tensorflow/python/keras/engine/base_layer.py, ...). Real tf_keras 2.21 keeps the same
identity under its private `tf_keras.src` copies of those modules: there
`tf_keras.src.layers.core.Flatten is tf_keras.layers.Flatten`,
`tf_keras.src.engine.training.Model is tf_keras.Model` and
`tf_keras.src.utils.np_utils.to_categorical is tf_keras.utils.to_categorical` (checked in
the reference env), so each old path must give the modern object itself, not a copy.
"""

import subprocess
import sys

import numpy as np
import pytest

import tork

L = tork.keras.layers


def test_layer_module_paths_give_the_modern_layers():
    from tork.keras.layers.advanced_activations import LeakyReLU, PReLU
    from tork.keras.layers.embeddings import Embedding
    from tork.keras.layers.merge import Concatenate, add, concatenate
    from tork.keras.layers.noise import GaussianNoise
    from tork.keras.layers.wrappers import Bidirectional, TimeDistributed

    from tork.keras.layers.convolutional import Conv2D, UpSampling2D, ZeroPadding2D
    from tork.keras.layers.core import Dense, Dropout, Flatten, Lambda, Reshape
    from tork.keras.layers.normalization import BatchNormalization
    from tork.keras.layers.pooling import GlobalAveragePooling2D, MaxPooling2D
    from tork.keras.layers.recurrent import GRU, LSTM

    pairs = {
        Dense: L.Dense,
        Dropout: L.Dropout,
        Flatten: L.Flatten,
        Lambda: L.Lambda,
        Reshape: L.Reshape,
        Conv2D: L.Conv2D,
        UpSampling2D: L.UpSampling2D,
        ZeroPadding2D: L.ZeroPadding2D,
        LSTM: L.LSTM,
        GRU: L.GRU,
        BatchNormalization: L.BatchNormalization,
        MaxPooling2D: L.MaxPooling2D,
        GlobalAveragePooling2D: L.GlobalAveragePooling2D,
        concatenate: L.concatenate,
        add: L.add,
        Concatenate: L.Concatenate,
        Embedding: L.Embedding,
        LeakyReLU: L.LeakyReLU,
        PReLU: L.PReLU,
        TimeDistributed: L.TimeDistributed,
        Bidirectional: L.Bidirectional,
        GaussianNoise: L.GaussianNoise,
    }
    for old, modern in pairs.items():
        assert old is modern, old


def test_real_submodules_of_old_named_packages_still_import():
    # tork.keras.layers.core is a real package too: its own submodules come first.
    import tork.keras.layers.core as core
    from tork.keras.layers.core import dense
    from tork.keras.layers.recurrent import lstm

    assert dense.Dense is L.Dense and lstm.LSTM is L.LSTM
    assert core.__spec__.name == "tork.keras.layers.core"
    assert not hasattr(core, "_private_name")


def test_engine_paths():
    from tork.keras.engine import InputSpec, Layer
    from tork.keras.engine.base_layer import Layer as BaseLayer
    from tork.keras.engine.functional import Functional
    from tork.keras.engine.input_layer import Input, InputLayer
    from tork.keras.engine.network import Network
    from tork.keras.engine.sequential import Sequential
    from tork.keras.engine.topology import Container, get_source_inputs
    from tork.keras.engine.topology import Layer as TopologyLayer
    from tork.keras.engine.training import Model

    assert Layer is BaseLayer is TopologyLayer is L.Layer
    assert InputSpec is L.InputSpec
    assert Input is tork.keras.Input and InputLayer is L.InputLayer
    assert Model is tork.keras.Model and Sequential is tork.keras.Sequential
    assert Functional is tork.keras.models.Functional
    # Keras 2.0's Network/Container were Model's graph base: Model stands for both.
    assert Network is Container is tork.keras.Model
    assert get_source_inputs is tork.keras.utils.get_source_inputs


def test_custom_layer_from_engine_layer_trains_in_model():
    # The typical 2018 custom layer: subclass keras.engine.topology.Layer.
    from tork.keras.engine.topology import Layer

    class Scale(Layer):
        def build(self, input_shape):
            self.w = self.add_weight(name="w", shape=(input_shape[-1],), initializer="ones")
            super().build(input_shape)

        def call(self, x):
            return x * self.w

    i = tork.keras.Input((3,))
    m = tork.keras.Model(i, Scale(name="scale")(i))
    m.get_layer("scale").set_weights([np.array([1.0, 2.0, 3.0], "float32")])
    out = m.predict(np.ones((2, 3), "float32"), verbose=0)
    np.testing.assert_allclose(out, [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])


def test_utils_and_callbacks_paths():
    from tork.keras.callbacks.callbacks import EarlyStopping, ModelCheckpoint
    from tork.keras.utils.data_utils import Sequence, get_file
    from tork.keras.utils.generic_utils import CustomObjectScope, get_custom_objects
    from tork.keras.utils.np_utils import to_categorical
    from tork.keras.utils.vis_utils import plot_model

    U = tork.keras.utils
    assert (Sequence, get_file, to_categorical, plot_model) == (
        U.Sequence,
        U.get_file,
        U.to_categorical,
        U.plot_model,
    )
    assert get_custom_objects is U.get_custom_objects
    assert CustomObjectScope is U.CustomObjectScope
    assert EarlyStopping is tork.keras.callbacks.EarlyStopping
    assert ModelCheckpoint is tork.keras.callbacks.ModelCheckpoint
    # Values from tf_keras.src.utils.np_utils.to_categorical([0, 2, 1], 3) in the reference env.
    np.testing.assert_array_equal(to_categorical([0, 2, 1], 3), [[1, 0, 0], [0, 0, 1], [0, 1, 0]])


def test_legacy_interfaces_decorators_pass_through():
    from tork.keras.legacy import interfaces

    def f(units):
        return units

    assert interfaces.legacy_dense_support(f) is f
    assert interfaces.legacy_get_updates_support(f) is f


def test_tensorflow_python_keras_prefix():
    # `from tensorflow.python.keras.layers.core import Dense` (tf 2.0-2.5 code).
    import tork.python.keras.layers as python_layers
    from tork.python.keras import backend as K
    from tork.python.keras.engine.base_layer import Layer
    from tork.python.keras.layers.core import Dense
    from tork.python.keras.layers.merge import concatenate
    from tork.python.keras.models import Sequential

    assert python_layers is L
    assert K is tork.keras.backend
    assert Layer is L.Layer and Dense is L.Dense and concatenate is L.concatenate
    assert Sequential is tork.keras.Sequential
    # The alias does not rename the module it stands for.
    assert L.__spec__.name == "tork.keras.layers"
    with pytest.raises(ModuleNotFoundError):
        __import__("tork.python.keras.no_such_module")


def test_unknown_name_names_the_modern_import():
    with pytest.raises(
        ImportError, match=r"alias of tork\.keras\.layers.*from tork\.keras\.layers"
    ):
        from tork.keras.layers.core import NoSuchLayer  # noqa: F401
    with pytest.raises(ImportError, match=r"'tork\.keras\.layers\.merge'.*tork\.keras\.layers"):
        from tork.keras.layers.merge import NoSuchMerge  # noqa: F401
    with pytest.raises(ImportError, match=r"alias of tork\.keras\.utils"):
        from tork.keras.utils.np_utils import no_such_util  # noqa: F401
    with pytest.raises(ImportError, match="legacy_.*_support"):
        from tork.keras.legacy import no_such  # noqa: F401


def test_removed_keras_2_0_names_say_what_replaces_them():
    with pytest.raises(ImportError, match=r"CuDNNLSTM.*tork\.keras\.layers\.LSTM"):
        from tork.keras.layers.recurrent import CuDNNLSTM  # noqa: F401
    with pytest.raises(ImportError, match=r"Merge.*Concatenate"):
        from tork.keras.layers.merge import Merge  # noqa: F401
    with pytest.raises(ImportError, match=r"dilation_rate"):
        from tork.keras.layers.convolutional import AtrousConvolution2D  # noqa: F401


def test_old_paths_need_no_import_of_keras_first():
    # In a fresh interpreter, the first import names only an old path.
    code = (
        "from tork.keras.layers.core import Flatten\n"
        "from tork.python.keras.engine.topology import Input\n"
        "import tork\n"
        "print(Flatten is tork.keras.layers.Flatten, Input is tork.keras.Input)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True True"


def test_star_import_from_old_paths():
    namespace = {}
    exec("from tork.keras.layers.core import *", namespace)
    exec("from tork.keras.engine.topology import *", namespace)
    assert namespace["Dense"] is L.Dense and namespace["Flatten"] is L.Flatten
    assert namespace["Layer"] is L.Layer and namespace["Model"] is tork.keras.Model


def test_2018_custom_conv_layer_matches_tf_keras():
    # Reduced from Omar-Amin/deep-learning-project myConvolution2D.py: a Keras 2.0 custom
    # conv layer using engine.topology.Layer, conv_utils and K.conv2d, in a functional model.
    from tork.keras.engine.topology import Input, InputSpec, Layer
    from tork.keras.engine.training import Model

    from tork.keras import activations
    from tork.keras import backend as K
    from tork.keras.layers.core import Dense, Flatten
    from tork.keras.layers.pooling import MaxPooling2D
    from tork.keras.utils import conv_utils

    class MyConv2D(Layer):
        def __init__(self, filters, kernel_size, activation=None, strides=1, **kwargs):
            self.filters = filters
            self.strides = conv_utils.normalize_tuple(strides, 2, "strides")
            self.activation = activations.get(activation)
            self.kernel_size = conv_utils.normalize_tuple(kernel_size, 2, "kernel_size")
            super().__init__(**kwargs)
            self.input_spec = InputSpec(ndim=4)

        def build(self, input_shape):
            shape = self.kernel_size + (input_shape[-1], self.filters)
            self.kernel = self.add_weight(name="kernel", shape=shape)
            super().build(input_shape)

        def call(self, x):
            return self.activation(K.conv2d(x, self.kernel, strides=self.strides))

        def compute_output_shape(self, input_shape):
            space = [
                conv_utils.conv_output_length(d, k, padding="valid", stride=s)
                for d, k, s in zip(input_shape[1:-1], self.kernel_size, self.strides)
            ]
            return (input_shape[0],) + tuple(space) + (self.filters,)

    i = Input((8, 8, 2))
    h = MyConv2D(4, 3, activation="relu", strides=2, name="c")(i)
    o = Dense(3, activation="softmax", name="d")(Flatten()(MaxPooling2D()(h)))
    m = Model(i, o)
    rng = np.random.RandomState(0)
    m.get_layer("c").set_weights([rng.randn(3, 3, 2, 4).astype("float32") * 0.3])
    m.get_layer("d").set_weights([rng.randn(4, 3).astype("float32") * 0.3, np.zeros(3, "f")])
    x = rng.randn(5, 8, 8, 2).astype("float32")
    assert m.get_layer("c").compute_output_shape((None, 8, 8, 2)) == (None, 3, 3, 4)
    # The same script on tf_keras 2.21 (tf_keras.src.* paths) in the reference env.
    np.testing.assert_allclose(
        m.predict(x, verbose=0)[:2],
        [[0.5847, 0.13121, 0.28409], [0.62457, 0.21947, 0.15596]],
        atol=1e-4,
    )


def test_attribute_lookups_of_missing_names_stay_attribute_errors():
    # getattr(module, name, None) and hasattr (tork's config loading scans layer modules
    # this way) must see AttributeError; only `from ... import` gets the ImportError.
    import tork.keras.layers.merge as merge

    import tork.keras.layers.core as core

    assert getattr(core, "NoSuchLayer", None) is None
    assert not hasattr(merge, "NoSuchMerge")
    with pytest.raises(AttributeError, match=r"from tork\.keras\.layers import"):
        core.NoSuchLayer  # noqa: B018


def test_base_classes_of_old_modules():
    # Keras-GAN's WGAN-GP: `from keras.layers.merge import _Merge`.
    from tork.keras.layers.merge import _Merge

    from tork.keras.layers.convolutional import _Conv

    class RandomWeightedAverage(_Merge):
        def _merge_function(self, inputs):
            return 0.25 * inputs[0] + 0.75 * inputs[1]

    a = np.arange(6, dtype="float32").reshape(2, 3)
    b = np.ones((2, 3), "float32")
    out = RandomWeightedAverage()([a, b])
    np.testing.assert_allclose(np.asarray(out), 0.25 * a + 0.75 * b)

    # Keras 2.2.4's `_Conv(rank, filters, kernel_size, ...)`: a 1x1 conv is x @ W + b.
    conv = _Conv(2, 3, 1, name="conv")
    x = np.random.RandomState(0).randn(2, 4, 4, 2).astype("float32")
    conv.build((None, 4, 4, 2))
    w = np.arange(6, dtype="float32").reshape(1, 1, 2, 3) / 6
    conv.set_weights([w, np.array([1.0, 0.0, -1.0], "float32")])
    np.testing.assert_allclose(
        np.asarray(conv(x)), x @ w[0, 0] + np.array([1.0, 0.0, -1.0]), rtol=1e-5, atol=1e-6
    )

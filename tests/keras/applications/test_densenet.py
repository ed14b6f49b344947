"""DenseNet against tf_keras 2.21 (Keras 2): the stem's layer and weight names.

Keras 2 names the stem 'conv1/conv', 'conv1/bn', 'conv1/relu' (Keras 3: 'conv1_conv'...);
the published ImageNet `.h5` files hold the Keras 2 names.
"""

import numpy as np

from tork import keras


def _small_densenet():
    keras.backend.clear_session()
    return keras.applications.DenseNet121(
        weights=None, input_shape=(40, 40, 3), classes=7, classifier_activation=None
    )


def test_stem_layer_names_are_keras2():
    model = _small_densenet()
    # tf_keras 2.21: [(l.name, type(l).__name__, l.output_shape) for l in model.layers[1:8]]
    assert [
        (layer.name, type(layer).__name__, layer.output_shape) for layer in model.layers[1:8]
    ] == [
        ("zero_padding2d", "ZeroPadding2D", (None, 46, 46, 3)),
        ("conv1/conv", "Conv2D", (None, 20, 20, 64)),
        ("conv1/bn", "BatchNormalization", (None, 20, 20, 64)),
        ("conv1/relu", "Activation", (None, 20, 20, 64)),
        ("zero_padding2d_1", "ZeroPadding2D", (None, 22, 22, 64)),
        ("pool1", "MaxPooling2D", (None, 10, 10, 64)),
        ("conv2_block1_0_bn", "BatchNormalization", (None, 10, 10, 64)),
    ]
    assert [layer.name for layer in model.layers[-4:]] == ["bn", "relu", "avg_pool", "predictions"]


def test_weight_names_are_keras2():
    model = _small_densenet()
    # tf_keras 2.21: [(w.name, tuple(w.shape)) for w in model.weights[:6]] and the last two.
    assert [(w.name, tuple(w.shape)) for w in model.weights[:6]] == [
        ("conv1/conv/kernel:0", (7, 7, 3, 64)),
        ("conv1/bn/gamma:0", (64,)),
        ("conv1/bn/beta:0", (64,)),
        ("conv1/bn/moving_mean:0", (64,)),
        ("conv1/bn/moving_variance:0", (64,)),
        ("conv2_block1_0_bn/gamma:0", (64,)),
    ]
    assert [(w.name, tuple(w.shape)) for w in model.weights[-2:]] == [
        ("predictions/kernel:0", (1024, 7)),
        ("predictions/bias:0", (7,)),
    ]
    # tf_keras 2.21: 364 trainable, 242 non-trainable weights, 7,044,679 parameters.
    assert (len(model.trainable_weights), len(model.non_trainable_weights)) == (364, 242)
    assert model.count_params() == 7044679


def test_summary_shows_keras2_names():
    model = _small_densenet()
    lines = []
    model.summary(print_fn=lines.append, line_length=110)
    text = "\n".join(lines)
    # tf_keras 2.21 prints these rows (with line_length=110).
    assert (
        " conv1/conv (Conv2D)             (None, 20, 20, 64)               9408       "
        "['zero_padding2d[0][0]']         " in text
    )
    assert " conv1/bn (BatchNormalization)   (None, 20, 20, 64)               256        " in text
    assert "['conv1/conv[0][0]']" in text


def test_load_weights_by_name_matches_the_stem(tmp_path):
    # The published files are Keras 2 `.h5` files read by topology or by layer name: a file
    # with the Keras 2 names must fill the stem when matched by name.
    source = _small_densenet()
    rng = np.random.default_rng(0)
    source.set_weights([rng.normal(0, 0.05, w.shape).astype("float32") for w in source.weights])
    path = str(tmp_path / "densenet.h5")
    source.save_weights(path)
    target = _small_densenet()
    target.load_weights(path, by_name=True)
    for a, b in zip(source.weights, target.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())

"""EfficientNet B0-B7 against numbers taken from TensorFlow 2.21 (Keras 3.15).

The counts, shapes and names below were printed by `tf.keras.applications` with
weights=None; the values by the same model after `set_weights` from the NumPy
recipe in `_weights` (TensorFlow is not needed to run these tests).
"""

import numpy as np
import pytest

from tork import keras

pytestmark = pytest.mark.slow


def _weights(model, rng):
    # Deterministic weights, scaled so that activations neither vanish nor saturate.
    values = []
    for w in model.weights:
        name, shape = w.name, tuple(w.shape)
        if "variance" in name:
            v = rng.uniform(0.5, 1.5, shape)
        elif "count" in name:
            v = np.array(5)
        elif "gamma" in name:
            v = rng.uniform(0.8, 1.2, shape)
        elif "mean" in name or "beta" in name or "bias" in name:
            v = rng.normal(0, 0.05, shape)
        else:
            fan = int(np.prod(shape[:-1])) if len(shape) > 1 else 1
            v = rng.normal(0, 1.0 / np.sqrt(max(fan, 1)), shape)
        values.append(np.asarray(v).astype("int64" if "count" in name else "float32"))
    return values


def test_b0_with_top_matches_tensorflow():
    keras.backend.clear_session()
    model = keras.applications.EfficientNetB0(weights=None, input_shape=(32, 32, 3), classes=5)
    assert model.name == "efficientnetb0"
    assert len(model.layers) == 240
    assert model.count_params() == 4055976
    assert model.output_shape == (None, 5)
    assert (len(model.trainable_weights), len(model.non_trainable_weights)) == (213, 101)
    names = [layer.name for layer in model.layers]
    assert names[1:4] == ["rescaling", "normalization", "stem_conv_pad"]
    assert names[-4:] == ["top_activation", "avg_pool", "top_dropout", "predictions"]
    block = [n for n in names if n.startswith("block2b_")]
    assert block == [
        "block2b_expand_conv",
        "block2b_expand_bn",
        "block2b_expand_activation",
        "block2b_dwconv",
        "block2b_bn",
        "block2b_activation",
        "block2b_se_squeeze",
        "block2b_se_reshape",
        "block2b_se_reduce",
        "block2b_se_expand",
        "block2b_se_excite",
        "block2b_project_conv",
        "block2b_project_bn",
        "block2b_drop",
        "block2b_add",
    ]
    drop = model.get_layer("block2b_drop")
    assert drop.rate == pytest.approx(0.025) and tuple(drop.noise_shape) == (None, 1, 1, 1)
    # Keras 2 name of the depthwise weight (Keras 3 calls it `kernel`).
    assert [tuple(w.shape) for w in model.get_layer("block1a_dwconv").weights] == [(3, 3, 32, 1)]

    rng = np.random.RandomState(0)
    model.set_weights(_weights(model, rng))
    images = rng.uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    probe = keras.Model(
        model.inputs,
        [
            model.get_layer("block2b_add").output,
            model.get_layer("top_activation").output,
            model.output,
        ],
    )
    block_out, top, preds = [np.asarray(t) for t in probe(images)]
    np.testing.assert_allclose(block_out[0, 0, 0, :4], [-0.262, -0.0322, 0.1013, 0.0294], atol=2e-4)
    np.testing.assert_allclose(block_out.std(), 0.1045, atol=2e-4)
    np.testing.assert_allclose(top[0, 0, 0, :4], [-0.0716, 0.0462, 0.0099, 0.0155], atol=2e-4)
    np.testing.assert_allclose(preds[0], [0.1982, 0.2210, 0.1850, 0.1802, 0.2156], atol=2e-4)


@pytest.mark.parametrize(
    "variant, layers, params, output_shape",
    [
        ("B0", 238, 4049571, (None, 1280)),
        ("B1", 340, 6575239, (None, 1280)),
        ("B2", 340, 7768569, (None, 1408)),
    ],
)
def test_no_top_counts_match_tensorflow(variant, layers, params, output_shape):
    model = getattr(keras.applications, f"EfficientNet{variant}")(
        weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg"
    )
    assert (len(model.layers), model.count_params(), model.output_shape) == (
        layers,
        params,
        output_shape,
    )


def test_b3_spatial_output_and_preprocess_identity():
    model = keras.applications.EfficientNetB3(
        weights=None, include_top=False, input_shape=(48, 40, 3)
    )
    assert (len(model.layers), model.count_params()) == (384, 10783535)
    assert model.output_shape == (None, 2, 2, 1536)
    x = np.arange(6.0).reshape(1, 1, 2, 3)
    assert keras.applications.efficientnet.preprocess_input(x) is x

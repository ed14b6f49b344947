"""An adapted lookup layer lists its vocabulary (and tf_idf's `num_documents`) in
`non_trainable_weights` too, as tf_keras 2.21 does; summaries count `num_documents`.

tf_keras 2.21 (printed with /tmp/fuzzsave2/item4/lookup.py): StringLookup(output_mode='tf_idf')
adapted on ["a", "b", "b", "c", "a", "a"]: weights and non_trainable_weights are
[Variable:0 (idf, shape (4,)), VocabWeightHandler, Variable:0 (num_documents, ())],
count_params() 1, summary "Total params: 1 (8.00 Byte)" / "Non-trainable params: 1 (8.00
Byte)". Without tf_idf: non_trainable_weights [VocabWeightHandler], 0 params. tork kept them
out of non_trainable_weights (summary: 0 params) and num_documents had no `name`.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras
WORDS = np.array(["a", "b", "b", "c", "a", "a"])


def _summary_params(model) -> list:
    lines = []
    model.summary(print_fn=lambda line, **kwargs: lines.append(line))
    return [line for line in lines if "params" in line]


@pytest.mark.parametrize(
    "make",
    [
        lambda: keras.layers.StringLookup(output_mode="tf_idf"),
        lambda: keras.layers.IntegerLookup(output_mode="tf_idf"),
    ],
)
def test_tf_idf_lists_its_state_among_non_trainable_weights(make):
    layer = make()
    data = WORDS if isinstance(layer, keras.layers.StringLookup) else np.array([1, 2, 2, 3, 1, 1])
    layer.adapt(data)
    nt = layer.non_trainable_weights
    assert len(nt) == 3 and len(layer.weights) == 3
    assert all(a is b for a, b in zip(nt, layer.weights))
    assert nt[0].name == "Variable:0" and nt[2].name == "Variable:0"
    assert [np.shape(w) for w in layer.get_weights()] == [(4,), (3,), ()]
    assert layer.trainable_weights == []
    assert layer.count_params() == 1
    # Still no variables: tork's savers read `variables` / `non_trainable_variables`.
    assert len(layer.variables) == 1 and len(layer.non_trainable_variables) == 1
    dtype = "string" if isinstance(layer, keras.layers.StringLookup) else "int64"
    model = keras.Sequential([keras.Input((1,), dtype=dtype), layer])
    assert _summary_params(model) == [
        "Total params: 1 (8.00 Byte)",
        "Trainable params: 0 (0.00 Byte)",
        "Non-trainable params: 1 (8.00 Byte)",
    ]
    assert len(model.non_trainable_weights) == 3 and len(model.weights) == 3


def test_int_mode_and_text_vectorization_list_the_vocabulary_once():
    lookup = keras.layers.StringLookup()
    lookup.adapt(WORDS)
    assert len(lookup.non_trainable_weights) == 1 and len(lookup.weights) == 1
    assert lookup.count_params() == 0
    text = keras.layers.TextVectorization(output_mode="tf_idf")
    text.adapt(np.array(["a b", "b c", "a a"]))
    assert [np.shape(w) for w in text.get_weights()] == [(4,), (3,), ()]
    assert len(text.non_trainable_weights) == 3 and len(text.weights) == 3
    model = keras.Sequential([keras.Input((1,), dtype="string"), text])
    assert _summary_params(model)[0] == "Total params: 1 (8.00 Byte)"


def test_models_with_lookup_state_still_save_and_reload(tmp_path):
    lookup = keras.layers.StringLookup(output_mode="tf_idf", name="look")
    lookup.adapt(WORDS)
    model = keras.Sequential([keras.Input((1,), dtype="string"), lookup], name="m")
    want = model.predict(np.array([["a"], ["c"]]), verbose=0)
    for ext in ("h5", "keras"):
        path = str(tmp_path / f"m.{ext}")
        model.save(path)
        loaded = keras.models.load_model(path)
        np.testing.assert_allclose(loaded.predict(np.array([["a"], ["c"]]), verbose=0), want)
    model.save_weights(str(tmp_path / "w.weights.h5"))
    model.load_weights(str(tmp_path / "w.weights.h5"))

"""TextVectorization on a string keras.Input: padded int output of unknown length (sweeptf2).

Found by the preprocessing-layers guide: `Input(shape=(1,), dtype="string")` ->
`TextVectorization(output_mode="int")` gave a KerasTensor of shape (None, 0) (traced on
empty placeholder strings), so a following GRU refused the model ("0 timesteps").
tf_keras 2.21 and Keras 3 give (None, None).
"""

import numpy as np

from tork import keras


def _vectorizer(**kwargs):
    return keras.layers.TextVectorization(
        output_mode="int", vocabulary=["the", "brain", "sky"], **kwargs
    )


def test_symbolic_output_length_is_unknown():
    inputs = keras.Input(shape=(1,), dtype="string")
    assert tuple(_vectorizer()(inputs).shape) == (None, None)
    scalar_inputs = keras.Input(shape=(), dtype="string")
    assert tuple(_vectorizer()(scalar_inputs).shape) == (None, None)
    # A fixed output_sequence_length stays fixed.
    assert tuple(_vectorizer(output_sequence_length=4)(inputs).shape) == (None, 4)


def test_functional_text_model_with_gru_runs_like_its_layers():
    inputs = keras.Input(shape=(1,), dtype="string")
    vectorize = _vectorizer()
    embed = keras.layers.Embedding(input_dim=5, output_dim=2)
    gru = keras.layers.GRU(2)
    dense = keras.layers.Dense(1)
    outputs = dense(gru(embed(vectorize(inputs))))
    model = keras.Model(inputs, outputs)
    assert tuple(embed.output.shape) == (None, None, 2)
    texts = np.array([["the brain"], ["sky is the"]])
    # Token ids as the vocabulary gives them: 0 pads, 1 is OOV, then the=2, brain=3, sky=4.
    ids = vectorize(texts).numpy()
    np.testing.assert_array_equal(ids, [[2, 3, 0], [4, 1, 2]])
    expected = dense(gru(embed(ids))).numpy()
    np.testing.assert_allclose(model.predict(texts, verbose=0), expected, rtol=1e-5, atol=1e-7)

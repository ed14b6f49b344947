"""Functional and summary patterns from philipperemy's libraries (keract, cond_rnn, deep-speaker).

- keract builds `Model(model.inputs, OrderedDict(...).values())`: tf.nest takes a dict
  view as a list.
- cond_rnn's models are Sequentials first called on `[x, condition]`: with no graph,
  Keras 2 summarizes them as subclassed models (`multiple`).
- deep-speaker computes filter banks in a Lambda on raw audio of unknown length
  (`tf.signal.stft` with 400-sample frames): the number of frames is unknown, where
  tork's 61/97-sample stand-ins alone would give 0 frames.
"""

import io
from collections import OrderedDict
from contextlib import redirect_stdout

import numpy as np
import pytest

import tork as tf
from tork import keras


def _summary(model) -> str:
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        model.summary()
    return buffer.getvalue()


def test_model_outputs_given_as_dict_values():
    inp = keras.Input((3,), name="a")
    h = keras.layers.Dense(2, name="d")(inp)
    out = keras.layers.Dense(1, name="e")(h)
    model = keras.Model(inp, OrderedDict(x=h, y=out).values())
    assert model.output_names == ["d", "e"]
    result = model(np.ones((1, 3), "float32"))
    assert isinstance(result, list) and [tuple(r.shape) for r in result] == [(1, 2), (1, 1)]


class PairSum(keras.layers.Layer):
    def call(self, inputs):
        return inputs[0] + inputs[1]


def test_sequential_first_called_on_several_tensors_summarizes_as_multiple():
    model = keras.Sequential([PairSum(name="pair"), keras.layers.Dense(2, name="d")])
    model.predict([np.ones((2, 3), "float32"), np.ones((2, 3), "float32")], verbose=0)
    text = _summary(model)
    # tf_keras 2.21 prints both rows with `multiple`.
    assert " pair (PairSum)              multiple                  0         \n" in text
    assert " d (Dense)                   multiple                  8         \n" in text


def test_unstack_of_one_step_prints_as_a_list():
    inp = keras.Input((1, 6))
    model = keras.Model(inp, tf.unstack(inp, axis=1)[0])
    # tf_keras 2.21: " tf.unstack (TFOpLambda)     [(None, 6)]               0"
    assert " tf.unstack (TFOpLambda)     [(None, 6)]               0         \n" in _summary(model)


def test_frames_of_unknown_length_audio_stay_unknown():
    audio = keras.Input((None,))
    spec = keras.layers.Lambda(lambda s: tf.abs(tf.signal.stft(s, 400, 160, 512)))(audio)
    frames = keras.layers.Lambda(lambda s: tf.signal.frame(s, 100, 50))(audio)
    # tf_keras 2.21: (None, None, 257) and (None, None, 100).
    assert tuple(spec.shape) == (None, None, 257)
    assert tuple(frames.shape) == (None, None, 100)
    x = keras.layers.Lambda(lambda t: tf.expand_dims(t, -1))(spec)
    x = keras.layers.Conv2D(2, 5, strides=2, padding="same")(x)
    model = keras.Model(audio, keras.layers.GlobalAveragePooling2D()(x))
    samples = np.random.RandomState(0).uniform(-1, 1, size=(2, 4000)).astype("float32")
    assert model.predict(samples, verbose=0).shape == (2, 2)
    # 1 + (4000 - 400) // 160 = 23 frames, as numpy framing gives.
    assert tuple(keras.Model(audio, spec)(samples).shape) == (2, 23, 257)


def test_a_real_empty_size_stays_zero():
    inp = keras.Input((None, 4))
    empty = keras.layers.Lambda(lambda t: t[:, :, :0])(inp)
    assert tuple(empty.shape) == (None, None, 0)


def test_fit_with_keras1_nb_epoch_names_the_new_argument():
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
    model.compile(loss="mse", optimizer="sgd")
    # tf_keras 2.21: "Model.fit() got an unexpected keyword argument 'nb_epoch'".
    with pytest.raises(TypeError, match=r"\['nb_epoch'\].*renamed nb_epoch to epochs"):
        model.fit(np.ones((2, 2)), np.ones((2, 1)), nb_epoch=1, verbose=0)


def test_removed_predict_classes_says_what_to_write_instead():
    # keras-seq2seq-example calls model.predict_classes (removed in TF 2.6; tf_keras 2.21
    # raises a bare AttributeError).
    model = keras.Sequential([keras.layers.Dense(3, input_shape=(2,))])
    assert not hasattr(model, "predict_classes")
    with pytest.raises(AttributeError, match=r"predict_classes.*np\.argmax\(model\.predict\(x\)"):
        model.predict_classes(np.ones((1, 2)))
    with pytest.raises(AttributeError, match=r"predict_proba.*model\.predict\(x\)"):
        model.predict_proba(np.ones((1, 2)))

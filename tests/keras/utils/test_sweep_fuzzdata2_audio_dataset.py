"""element_spec of keras.utils.audio_dataset_from_directory (fuzzdata2 sweep).

Expected specs and shapes come from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1, /tmp/tfenv).
tork read the spec off the first two batches: with two batches of the same length it
said (None, 12, 1) although a later batch holds 20 samples.
"""

import os
import wave

import numpy as np
import pytest

import tork as tf


@pytest.fixture
def clips(tmp_path):
    lengths = {"a": [10, 12, 12], "b": [10, 20, 5]}
    for name, sizes in lengths.items():
        os.makedirs(tmp_path / name)
        for i, size in enumerate(sizes):
            with wave.open(str(tmp_path / name / f"{i}.wav"), "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(8000)
                w.writeframes((np.arange(size, dtype="int16") * 300).tobytes())
    return str(tmp_path)


def _load(path, **kwargs):
    return tf.keras.utils.audio_dataset_from_directory(path, shuffle=False, verbose=False, **kwargs)


def test_clip_length_is_unknown(clips):
    ds = _load(clips, batch_size=2)
    audio, labels = ds.element_spec
    # TF: (TensorSpec((None, None, None), float32), TensorSpec((None,), int32))
    assert audio == tf.TensorSpec([None, None, None], tf.float32)
    assert labels == tf.TensorSpec([None], tf.int32)
    # TF: batches (2, 12, 1), (2, 12, 1), (2, 20, 1)
    assert [tuple(x.shape) for x, _ in ds] == [(2, 12, 1), (2, 12, 1), (2, 20, 1)]


def test_specs_for_label_modes_and_lengths(clips):
    # TF: binary labels (None, 1) float32
    assert _load(clips, batch_size=2, label_mode="binary").element_spec[1] == tf.TensorSpec(
        [None, 1], tf.float32
    )
    audio, labels = _load(
        clips, batch_size=None, label_mode="categorical", output_sequence_length=8
    ).element_spec
    # TF: TensorSpec((8, None), float32), TensorSpec((2,), float32)
    assert audio == tf.TensorSpec([8, None], tf.float32)
    assert labels == tf.TensorSpec([2], tf.float32)
    # TF (labels=None): TensorSpec((None, 8, None), float32)
    spec = _load(clips, batch_size=4, labels=None, output_sequence_length=8).element_spec
    assert spec == tf.TensorSpec([None, 8, None], tf.float32)


@pytest.fixture
def short_clips(tmp_path):
    lengths = {"a": [3, 2, 4], "b": [1, 5, 2]}
    for name, sizes in lengths.items():
        os.makedirs(tmp_path / name)
        for i, size in enumerate(sizes):
            with wave.open(str(tmp_path / name / f"{i}.wav"), "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(8000)
                w.writeframes((np.arange(size, dtype="int16") * 8192).tobytes())
    return str(tmp_path)


def test_ragged_batches(short_clips):
    # Before: ragged=True raised "not implemented".
    ds = _load(short_clips, batch_size=4, ragged=True)
    audio, labels = ds.element_spec
    # TF: RaggedTensorSpec(TensorShape([None, None, None]), tf.float32, 2, tf.int64)
    assert isinstance(audio, tf.RaggedTensorSpec)
    assert (audio.shape.as_list(), audio.ragged_rank) == ([None, None, None], 2)
    assert labels == tf.TensorSpec([None], tf.int32)
    batches = [(x.to_list(), y.numpy().tolist()) for x, y in ds]
    # TF (8192 * 4 wraps to -32768 in int16, so -1.0):
    assert batches == [
        (
            [[[0.0], [0.25], [0.5]], [[0.0], [0.25]], [[0.0], [0.25], [0.5], [0.75]], [[0.0]]],
            [0, 0, 0, 1],
        ),
        ([[[0.0], [0.25], [0.5], [0.75], [-1.0]], [[0.0], [0.25]]], [1, 1]),
    ]


def test_ragged_without_batching_and_bad_arguments(short_clips):
    ds = _load(short_clips, batch_size=None, ragged=True, labels=None)
    # TF: RaggedTensorSpec(TensorShape([None, None]), tf.float32, 1, tf.int64)
    assert (ds.element_spec.shape.as_list(), ds.element_spec.ragged_rank) == ([None, None], 1)
    clips = [x.to_list() for x in ds]
    assert clips[:2] == [[[0.0], [0.25], [0.5]], [[0.0], [0.25]]]
    # TF: ValueError: Cannot set both `ragged` and `output_sequence_length`
    with pytest.raises(ValueError, match="Cannot set both `ragged` and `output_sequence_length`"):
        _load(short_clips, batch_size=2, ragged=True, output_sequence_length=3)

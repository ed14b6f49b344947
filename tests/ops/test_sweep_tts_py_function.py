"""`tf.numpy_function` inside a tf.data map: 0-d inputs arrive as TF's graph mode passes them.

Pattern from TensorSpeech/TensorFlowTTS (tensorflow_tts/datasets/audio_mel_dataset.py):
`dataset.map(lambda items: {"mels": tf.numpy_function(np.load, [items["mel_files"]],
tf.float32), ...})`. TensorFlow runs map functions as graphs, whose `numpy_function` hands a
scalar string over as `bytes` and a scalar number as a NumPy scalar; eagerly it hands 0-d
arrays. tork passed 0-d arrays in both places, so `np.load(path)` raised TypeError.
Expected types: tensorflow 2.21 (reference env), same calls.
"""

import numpy as np

import tork as tf


def _types(*args):
    _types.seen = [(type(a).__name__, getattr(a, "shape", None)) for a in args]
    return np.float32(1.0)


def test_map_function_gets_scalars_and_bytes():
    ds = tf.data.Dataset.from_tensors(tf.constant("p")).map(
        lambda s: tf.numpy_function(
            _types, [s, tf.constant(2.0), tf.constant([b"x"]), tf.constant(3)], tf.float32
        )
    )
    list(ds)
    # tensorflow 2.21 inside Dataset.map: bytes, np.float32, a 1-D array, np.int32.
    assert _types.seen == [
        ("bytes", None),
        ("float32", ()),
        ("ndarray", (1,)),
        ("int32", ()),
    ]


def test_eager_call_keeps_zero_d_arrays():
    tf.numpy_function(_types, [tf.constant("a"), tf.constant(1.0)], tf.float32)
    # tensorflow 2.21 eagerly: 0-d arrays (object dtype for the string).
    assert _types.seen == [("ndarray", ()), ("ndarray", ())]


def test_np_load_of_a_path_in_a_map(tmp_path):
    for k in range(2):
        np.save(tmp_path / f"{k}-mel.npy", np.full((k + 2, 3), k, np.float32))
    paths = [str(tmp_path / f"{k}-mel.npy") for k in range(2)]
    ds = tf.data.Dataset.from_tensor_slices(paths).map(
        lambda p: tf.numpy_function(np.load, [p], tf.float32)
    )
    mels = [m.numpy() for m in ds]
    np.testing.assert_array_equal(mels[0], np.zeros((2, 3), np.float32))
    np.testing.assert_array_equal(mels[1], np.ones((3, 3), np.float32))
    decoded = tf.data.Dataset.from_tensor_slices(["ab", "cd"]).map(
        lambda p: tf.numpy_function(lambda b: np.int32(len(b.decode())), [p], tf.int32)
    )
    assert [int(v) for v in decoded] == [2, 2]


def test_tf_function_gets_graph_mode_inputs_unless_run_eagerly():
    fn = tf.function(
        lambda: tf.numpy_function(_types, [tf.constant("a"), tf.constant(1.0)], tf.float32)
    )
    fn()
    # tensorflow 2.21 in a tf.function: bytes and np.float32.
    assert _types.seen == [("bytes", None), ("float32", ())]
    tf.config.run_functions_eagerly(True)
    try:
        fn()
    finally:
        tf.config.run_functions_eagerly(False)
    # tensorflow 2.21 with run_functions_eagerly(True): 0-d arrays, as eagerly.
    assert _types.seen == [("ndarray", ()), ("ndarray", ())]

"""`Dataset.padded_batch` of scalar string components (utterance ids).

Pattern from TensorSpeech/TensorFlowTTS (tensorflow_tts/datasets/*.py): elements are dicts
with an `utt_ids` scalar string, batched with `padded_batch(batch_size, padded_shapes={
"utt_ids": [], ...}, padding_values={"utt_ids": "", ...})`. tork's batch held 0-d arrays
inside the object array instead of bytes (`ids.numpy()[0].decode()` failed).
Expected values: tensorflow 2.21 (reference env), same pipeline.
"""

import numpy as np

import tork as tf


def _dataset():
    def gen():
        for k in range(5):
            yield {"utt_ids": str(k), "n": k}

    return tf.data.Dataset.from_generator(
        gen,
        output_types={"utt_ids": tf.string, "n": tf.int32},
        output_shapes={"utt_ids": [], "n": []},
    )


def test_scalar_strings_batch_as_bytes():
    batches = list(
        _dataset().padded_batch(
            2,
            padded_shapes={"utt_ids": [], "n": []},
            padding_values={"utt_ids": "", "n": 0},
            drop_remainder=True,
        )
    )
    # tensorflow 2.21: [b'0', b'1'] and [b'2', b'3'], elements of type bytes.
    ids = [b["utt_ids"].numpy() for b in batches]
    assert [i.tolist() for i in ids] == [[b"0", b"1"], [b"2", b"3"]]
    assert all(type(v) is bytes for i in ids for v in i)
    assert [s.decode() for s in ids[1]] == ["2", "3"]


def test_vector_strings_still_pad_with_empty_bytes():
    ds = tf.data.Dataset.from_generator(
        lambda: iter([np.array([b"a"]), np.array([b"b", b"c"])]),
        output_signature=tf.TensorSpec([None], tf.string),
    )
    (batch,) = list(ds.padded_batch(2))
    # tensorflow 2.21: [[b'a', b''], [b'b', b'c']].
    assert batch.numpy().tolist() == [[b"a", b""], [b"b", b"c"]]

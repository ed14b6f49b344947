"""bucket_by_sequence_length keeps static dimensions in its element_spec (fuzzdata sweep).

Expected specs and batch shapes come from TensorFlow 2.21 (/tmp/tfenv) running the same
pipelines: padding only fills unknown dimensions, so a static feature dimension stays
static (tork reported it as None).
"""

import numpy as np
import pytest

import tork as tf


def _sequences():
    def gen():
        for i in range(5):
            yield np.ones((i % 3 + 1, 2), "float32") * i

    return tf.data.Dataset.from_generator(
        gen, output_signature=tf.TensorSpec((None, 2), tf.float32)
    )


@pytest.mark.parametrize(
    ("kwargs", "spec", "shapes"),
    [
        ({}, [None, None, 2], [(2, 3, 2), (2, 1, 2), (1, 2, 2)]),
        ({"pad_to_bucket_boundary": True}, [None, None, 2], [(2, 3, 2), (2, 1, 2), (1, 3, 2)]),
        ({"padded_shapes": [None, 2]}, [None, None, 2], [(2, 3, 2), (2, 1, 2), (1, 2, 2)]),
        ({"padded_shapes": [5, None]}, [None, 5, None], [(2, 5, 2), (2, 5, 2), (1, 5, 2)]),
    ],
)
def test_bucket_spec_keeps_static_dims(kwargs, spec, shapes):
    ds = _sequences().bucket_by_sequence_length(
        lambda x: tf.shape(x)[0], [2, 4], [2, 2, 2], **kwargs
    )
    assert ds.element_spec.shape.as_list() == spec
    assert [x.shape for x in ds.as_numpy_iterator()] == shapes


def test_experimental_bucket_of_fixed_length_rows():
    ds = tf.data.Dataset.from_tensor_slices(np.ones((4, 3), "int64")).apply(
        tf.data.experimental.bucket_by_sequence_length(lambda x: tf.shape(x)[0], [2], [2, 2])
    )
    # TF: TensorSpec(shape=(None, 3), dtype=tf.int64), batches (2, 3), (2, 3)
    assert ds.element_spec.shape.as_list() == [None, 3]
    assert [x.shape for x in ds.as_numpy_iterator()] == [(2, 3), (2, 3)]

"""tf.linalg.diag_part with a band of diagonals `k=(low, high)` (fuzzops sweep).

Expected numbers come from TensorFlow 2.21 (CPU, /tmp/tfenv) running the same calls
(/tmp/fuzzops/probe_diag.py).
"""

import pytest

import tork as tf

X = [[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0]]


@pytest.mark.parametrize(
    "align, expected",
    [
        ("RIGHT_LEFT", [[9.0, 3.0, 8.0], [2.0, 7.0, 12.0], [1.0, 6.0, 11.0], [5.0, 10.0, 9.0]]),
        ("LEFT_RIGHT", [[3.0, 8.0, 9.0], [2.0, 7.0, 12.0], [1.0, 6.0, 11.0], [9.0, 5.0, 10.0]]),
        ("LEFT_LEFT", [[3.0, 8.0, 9.0], [2.0, 7.0, 12.0], [1.0, 6.0, 11.0], [5.0, 10.0, 9.0]]),
        ("RIGHT_RIGHT", [[9.0, 3.0, 8.0], [2.0, 7.0, 12.0], [1.0, 6.0, 11.0], [9.0, 5.0, 10.0]]),
    ],
)
def test_diag_part_band_aligns(align, expected):
    out = tf.linalg.diag_part(tf.constant(X), k=(-1, 2), padding_value=9, align=align)
    assert out.tolist() == expected


def test_diag_part_band_default_align_and_tall_matrix():
    tall = tf.reshape(tf.range(1.0, 13.0), [4, 3])
    out = tf.linalg.diag_part(tall, k=(-2, 0), padding_value=9)
    assert out.tolist() == [[1.0, 5.0, 9.0], [4.0, 8.0, 12.0], [7.0, 11.0, 9.0]]
    assert tf.linalg.diag_part(tf.constant(X), k=(1, 2)).tolist() == [
        [0.0, 3.0, 8.0],
        [2.0, 7.0, 12.0],
    ]


def test_diag_part_k_pair_equal_and_tensor_k():
    batch = tf.reshape(tf.range(1.0, 25.0), [2, 3, 4])
    assert tf.linalg.diag_part(batch, k=(1, 1)).tolist() == [[2.0, 7.0, 12.0], [14.0, 19.0, 24.0]]
    out = tf.linalg.diag_part(tf.constant(X), k=tf.constant([0, 1]))
    assert out.tolist() == [[2.0, 7.0, 12.0], [1.0, 6.0, 11.0]]


def test_diag_part_k_out_of_range_raises():
    # TF: "lower_diag_index is out of bound: 4. It must be between -3 and 4".
    assert tf.linalg.diag_part(tf.constant(X), k=3).tolist() == [4.0]
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"k=4 is out of range.*\(-3, 4\)"):
        tf.linalg.diag_part(tf.constant(X), k=4)

"""tf.compat.v1.data and the hints for TF 1 dataset attributes (TF 2.21's results)."""

import pytest
import torch

import tork as tf


def _dataset():
    return tf.data.Dataset.from_tensor_slices(({"a": [[1.0, 2.0]]}, [1]))


def test_output_shapes_types_and_classes_come_from_element_spec():
    ds = _dataset()
    shapes = tf.compat.v1.data.get_output_shapes(ds)
    assert shapes[0]["a"].as_list() == [2] and shapes[1].as_list() == []
    assert tf.compat.v1.data.get_output_types(ds) == ({"a": tf.float32}, tf.int32)
    classes = tf.compat.v1.data.get_output_classes(ds)
    assert classes == ({"a": torch.Tensor}, torch.Tensor)
    assert tf.compat.v1.data.get_output_types(tf.data.Dataset.range(3)) == tf.int64


def test_make_one_shot_iterator_yields_the_elements():
    it = tf.compat.v1.data.make_one_shot_iterator(tf.data.Dataset.range(3))
    assert int(it.get_next()) == 0
    assert int(next(it)) == 1


def test_get_output_shapes_of_a_non_dataset_says_what_it_needs():
    with pytest.raises(TypeError, match="expected a tf.data.Dataset, got list"):
        tf.compat.v1.data.get_output_shapes([1, 2])


@pytest.mark.parametrize(
    "attribute, fix",
    [
        ("output_shapes", r"element_spec.*\.shape.*get_output_shapes\(dataset\)"),
        ("output_types", r"element_spec.*\.dtype.*get_output_types\(dataset\)"),
        ("output_classes", r"element_spec.*get_output_classes\(dataset\)"),
        ("make_one_shot_iterator", r"removed it: iterate with `for element in dataset:`"),
        ("make_initializable_iterator", r"`it = iter\(dataset\)` then `next\(it\)`"),
    ],
)
def test_tf1_dataset_attributes_say_what_replaced_them(attribute, fix):
    for ds in (_dataset(), tf.data.Dataset.range(3).batch(2)):
        with pytest.raises(AttributeError, match=fix):
            getattr(ds, attribute)

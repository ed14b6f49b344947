"""`value_type` of the TypeSpecs a dataset's element_spec holds (sweeptf2).

The tf.data guide prints `dataset.element_spec.value_type` for a dataset of SparseTensors
(TF 2.21: `<class '...SparseTensor'>`); tork's specs lacked the property.
"""

import torch

import tork as tf


def test_sparse_tensor_spec_value_type():
    dataset = tf.data.Dataset.from_tensors(
        tf.SparseTensor(indices=[[0, 0], [1, 2]], values=[1, 2], dense_shape=[3, 4])
    )
    assert dataset.element_spec.value_type is tf.SparseTensor
    assert tf.SparseTensorSpec([None, 3], tf.float32).value_type is tf.SparseTensor


def test_tensor_ragged_and_dataset_spec_value_types():
    assert tf.TensorSpec([2], tf.float32).value_type is torch.Tensor
    assert tf.RaggedTensorSpec([2, None], tf.float32).value_type is tf.RaggedTensor
    windows = tf.data.Dataset.range(5).window(2)
    assert windows.element_spec.value_type is tf.data.Dataset

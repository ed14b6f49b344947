"""compile()'s TF 1-era arguments: accepted, or refused with Keras 2's words."""

import pytest

from tork import keras


def _model():
    return keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])


def test_target_tensors_is_refused_naming_fit_y():
    with pytest.raises(
        ValueError,
        match=r"target_tensors argument is not supported when "
        r"executing eagerly\. Pass the targets to fit\(\) as `y`",
    ):
        _model().compile("sgd", "mse", target_tensors=[keras.Input((1,))])


def test_tf1_arguments_that_change_nothing_are_accepted():
    model = _model()
    model.compile("sgd", "mse", sample_weight_mode=None, experimental_run_tf_function=False)
    assert model.loss == "mse"


def test_unknown_arguments_are_named():
    with pytest.raises(TypeError, match=r"unexpected keyword arguments: \['lossy'\]"):
        _model().compile("sgd", "mse", lossy=1)

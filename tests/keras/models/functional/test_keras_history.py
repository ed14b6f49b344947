"""`tensor._keras_history`: Keras 2's (layer, node_index, tensor_index) namedtuple."""

from tork import keras


def test_keras_history_names_the_layer_its_call_and_the_output():
    x = keras.Input((4,))
    dense = keras.layers.Dense(2)
    first, second = dense(x), dense(x)
    history = second._keras_history
    assert history.layer is dense
    assert (history.node_index, history.tensor_index) == (1, 0)
    assert first._keras_history == (dense, 0, 0)  # still a tuple, as code unpacks it
    layer, node_index, tensor_index = first._keras_history
    assert (layer.name, node_index, tensor_index) == (dense.name, 0, 0)


def test_keras_history_of_a_multi_output_layer_counts_its_outputs():
    inputs = keras.Input((5, 3))
    lstm = keras.layers.LSTM(2, return_state=True)
    _, h, c = lstm(inputs)
    assert c._keras_history.tensor_index == 2
    assert h._keras_history.layer is lstm

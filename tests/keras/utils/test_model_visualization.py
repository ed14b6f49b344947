import pytest

import tork as tf


def _model():
    return tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])


def test_plot_model_raises_import_error_like_keras_without_pydot():
    with pytest.raises(ImportError) as info:
        tf.keras.utils.plot_model(_model(), to_file="model.png", show_shapes=True)
    message = str(info.value)
    assert "tork does not implement `tf.keras.utils.plot_model`" in message
    assert "Use `model.summary()`" in message
    assert "`except ImportError:` keeps running" in message


def test_model_to_dot_raises_import_error():
    with pytest.raises(ImportError, match=r"`tf.keras.utils.model_to_dot`"):
        tf.keras.utils.model_to_dot(_model(), show_shapes=True)


def test_guarded_tutorial_code_keeps_running(tmp_path):
    # The Keras 2 idiom: draw if possible, else go on.
    drawn = True
    try:
        tf.keras.utils.plot_model(_model(), to_file=str(tmp_path / "m.png"))
    except ImportError:
        drawn = False
    assert drawn is False
    assert not (tmp_path / "m.png").exists()

"""`keras.datasets`: the small datasets of the Keras tutorials, as NumPy arrays.

Each `load_data()` downloads its file once into `~/.keras/datasets` (or
`$KERAS_HOME/datasets`) with `keras.utils.get_file` and reads it from there
afterwards, so a file placed there by hand works offline.
"""

from tork.keras.datasets import (
    boston_housing,
    california_housing,
    cifar10,
    cifar100,
    fashion_mnist,
    imdb,
    mnist,
    reuters,
)

__all__ = [
    "boston_housing",
    "california_housing",
    "cifar10",
    "cifar100",
    "fashion_mnist",
    "imdb",
    "mnist",
    "reuters",
]

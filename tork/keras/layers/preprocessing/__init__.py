"""Preprocessing layers: normalization, image resizing and augmentation, categorical and text
encodings."""

from tork.keras.layers.preprocessing.category_encoding import CategoryEncoding
from tork.keras.layers.preprocessing.center_crop import CenterCrop
from tork.keras.layers.preprocessing.discretization import Discretization
from tork.keras.layers.preprocessing.hashed_crossing import HashedCrossing
from tork.keras.layers.preprocessing.hashing import Hashing
from tork.keras.layers.preprocessing.integer_lookup import IntegerLookup
from tork.keras.layers.preprocessing.normalization import Normalization
from tork.keras.layers.preprocessing.random_brightness import RandomBrightness
from tork.keras.layers.preprocessing.random_contrast import RandomContrast
from tork.keras.layers.preprocessing.random_crop import RandomCrop
from tork.keras.layers.preprocessing.random_flip import RandomFlip
from tork.keras.layers.preprocessing.random_height import RandomHeight
from tork.keras.layers.preprocessing.random_rotation import RandomRotation
from tork.keras.layers.preprocessing.random_translation import RandomTranslation
from tork.keras.layers.preprocessing.random_width import RandomWidth
from tork.keras.layers.preprocessing.random_zoom import RandomZoom
from tork.keras.layers.preprocessing.rescaling import Rescaling
from tork.keras.layers.preprocessing.resizing import Resizing
from tork.keras.layers.preprocessing.string_lookup import StringLookup
from tork.keras.layers.preprocessing.text_vectorization import TextVectorization

__all__ = [
    "CategoryEncoding",
    "CenterCrop",
    "Discretization",
    "HashedCrossing",
    "Hashing",
    "IntegerLookup",
    "Normalization",
    "RandomBrightness",
    "RandomContrast",
    "RandomCrop",
    "RandomFlip",
    "RandomHeight",
    "RandomRotation",
    "RandomTranslation",
    "RandomWidth",
    "RandomZoom",
    "Rescaling",
    "Resizing",
    "StringLookup",
    "TextVectorization",
]

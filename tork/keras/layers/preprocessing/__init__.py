"""Preprocessing layers: normalization, image resizing and augmentation, categorical and text
encodings."""

from tork.keras.layers.preprocessing.augment_policies import AugMix, RandAugment
from tork.keras.layers.preprocessing.category_encoding import CategoryEncoding
from tork.keras.layers.preprocessing.center_crop import CenterCrop
from tork.keras.layers.preprocessing.clahe import ContrastLimitedAdaptiveHistogramEqualization
from tork.keras.layers.preprocessing.color_ops import (
    AutoContrast,
    Equalization,
    RandomColorDegeneration,
    RandomColorJitter,
    RandomGrayscale,
    RandomHue,
    RandomInvert,
    RandomPosterization,
    RandomSaturation,
    RandomSharpness,
    Solarization,
)
from tork.keras.layers.preprocessing.discretization import Discretization
from tork.keras.layers.preprocessing.geometric import RandomPerspective, RandomShear
from tork.keras.layers.preprocessing.hashed_crossing import HashedCrossing
from tork.keras.layers.preprocessing.hashing import Hashing
from tork.keras.layers.preprocessing.integer_lookup import IntegerLookup
from tork.keras.layers.preprocessing.max_num_bounding_boxes import MaxNumBoundingBoxes
from tork.keras.layers.preprocessing.mel_spectrogram import MelSpectrogram
from tork.keras.layers.preprocessing.mixing import CutMix, MixUp
from tork.keras.layers.preprocessing.normalization import Normalization
from tork.keras.layers.preprocessing.pipeline import Pipeline
from tork.keras.layers.preprocessing.random_brightness import RandomBrightness
from tork.keras.layers.preprocessing.random_contrast import RandomContrast
from tork.keras.layers.preprocessing.random_crop import RandomCrop
from tork.keras.layers.preprocessing.random_elastic_transform import RandomElasticTransform
from tork.keras.layers.preprocessing.random_erasing import RandomErasing
from tork.keras.layers.preprocessing.random_flip import RandomFlip
from tork.keras.layers.preprocessing.random_gaussian_blur import RandomGaussianBlur
from tork.keras.layers.preprocessing.random_height import RandomHeight
from tork.keras.layers.preprocessing.random_rotation import RandomRotation
from tork.keras.layers.preprocessing.random_translation import RandomTranslation
from tork.keras.layers.preprocessing.random_width import RandomWidth
from tork.keras.layers.preprocessing.random_zoom import RandomZoom
from tork.keras.layers.preprocessing.rescaling import Rescaling
from tork.keras.layers.preprocessing.resizing import Resizing
from tork.keras.layers.preprocessing.stft_spectrogram import STFTSpectrogram
from tork.keras.layers.preprocessing.string_lookup import StringLookup
from tork.keras.layers.preprocessing.text_vectorization import TextVectorization

__all__ = [
    "AugMix",
    "AutoContrast",
    "CategoryEncoding",
    "CenterCrop",
    "ContrastLimitedAdaptiveHistogramEqualization",
    "CutMix",
    "Discretization",
    "Equalization",
    "HashedCrossing",
    "Hashing",
    "IntegerLookup",
    "MaxNumBoundingBoxes",
    "MelSpectrogram",
    "MixUp",
    "Normalization",
    "Pipeline",
    "RandAugment",
    "RandomBrightness",
    "RandomColorDegeneration",
    "RandomColorJitter",
    "RandomContrast",
    "RandomCrop",
    "RandomElasticTransform",
    "RandomErasing",
    "RandomFlip",
    "RandomGaussianBlur",
    "RandomGrayscale",
    "RandomHeight",
    "RandomHue",
    "RandomInvert",
    "RandomPerspective",
    "RandomPosterization",
    "RandomRotation",
    "RandomSaturation",
    "RandomSharpness",
    "RandomShear",
    "RandomTranslation",
    "RandomWidth",
    "RandomZoom",
    "Rescaling",
    "Resizing",
    "STFTSpectrogram",
    "Solarization",
    "StringLookup",
    "TextVectorization",
]

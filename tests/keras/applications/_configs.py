"""The application models compared with the real Keras package (shared by both sides)."""

CONFIGS = {
    "mobilenet_v2_notop": ("MobileNetV2", {"input_shape": (96, 96, 3), "include_top": False}),
    "mobilenet_v2_top": (
        "MobileNetV2",
        {"input_shape": (32, 32, 3), "alpha": 1.3, "classes": 7, "pooling": None},
    ),
    "resnet50": (
        "ResNet50",
        {"input_shape": (32, 32, 3), "classes": 10, "classifier_activation": None},
    ),
    "vgg16": ("VGG16", {"input_shape": (32, 32, 3), "include_top": False, "pooling": "max"}),
}

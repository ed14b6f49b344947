"""The application models compared with the real Keras package (shared by both sides)."""

CONFIGS = {
    "densenet121": ("DenseNet121", {"input_shape": (32, 32, 3), "include_top": False}),
    "inception_v3": (
        "InceptionV3",
        {"input_shape": (75, 75, 3), "include_top": False, "pooling": "max"},
    ),
    "mobilenet": (
        "MobileNet",
        {"input_shape": (32, 32, 3), "alpha": 0.5, "depth_multiplier": 2, "classes": 6},
    ),
    "mobilenet_v2_notop": ("MobileNetV2", {"input_shape": (96, 96, 3), "include_top": False}),
    "mobilenet_v2_top": (
        "MobileNetV2",
        {"input_shape": (32, 32, 3), "alpha": 1.3, "classes": 7, "pooling": None},
    ),
    "resnet50": (
        "ResNet50",
        {"input_shape": (32, 32, 3), "classes": 10, "classifier_activation": None},
    ),
    "resnet101": ("ResNet101", {"input_shape": (32, 32, 3), "include_top": False}),
    "resnet50v2": (
        "ResNet50V2",
        {"input_shape": (32, 32, 3), "classes": 5, "classifier_activation": "softmax"},
    ),
    "vgg16": ("VGG16", {"input_shape": (32, 32, 3), "include_top": False, "pooling": "max"}),
    "vgg19": ("VGG19", {"input_shape": (32, 32, 3), "include_top": False, "pooling": "avg"}),
    "xception": ("Xception", {"input_shape": (71, 71, 3), "include_top": False}),
}

"""`keras.export` (Keras 3): `ExportArchive`, which writes tork's SavedModel format."""

from tork.keras.export.export_archive import ExportArchive

__all__ = ["ExportArchive"]

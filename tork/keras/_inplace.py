"""Moved to `tork._inplace` (used by tork.data too); kept until every import moves."""

from tork._inplace import writable_copies, writes_in_place  # noqa: F401

"""The scenarios, registered on import in the order they run."""
from . import tracking, artifacts, registry, fluent, models, rest, logged_models  # noqa: F401

"""Exceptions raised by the package; the CLI turns each into a one-line message."""


class EclipseError(Exception):
    """Base class of every error this package raises on purpose."""


class NoEclipseError(EclipseError):
    """No solar eclipse where one was asked for."""

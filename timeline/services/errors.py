class DomainError(Exception):
    """A request the domain refuses, with a message an editor can act on."""

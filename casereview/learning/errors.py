from casereview.core.errors import ServiceError


class LearningError(ServiceError):
    """A refusal of the learning app the user can act on; the message says what to do."""

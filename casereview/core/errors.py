"""The one way a service refuses: raise ServiceError with a message written for the person who asked.

`field` names the form field the message belongs to, when there is one; views hand the error to
`casereview.core.forms.apply_service` (with a form) or `refuse` (a button with no form), never format it
themselves. Each app may subclass it to name its own refusals; callers catch ServiceError.
"""


class ServiceError(Exception):
    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message

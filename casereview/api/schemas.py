from datetime import date, datetime

from ninja import Schema


class ErrorItem(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    errors: list[ErrorItem]


class MeOut(Schema):
    username: str
    name: str
    board: str | None
    agency: str | None
    roles: list[str]


class CaseOut(Schema):
    id: int
    reference: str
    pseudonym: str
    opened_at: datetime


class DeadlineOut(Schema):
    pack: str
    clock: str
    start: date
    due: date

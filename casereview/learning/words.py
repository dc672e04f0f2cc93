"""Counts in words people read: "1 finding", "2 findings", never "1 findings" or "finding(s)"."""


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (many or singular + 's')}"

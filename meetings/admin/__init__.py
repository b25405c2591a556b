from meetings.admin import (
    event,  # noqa: F401
    meeting,  # noqa: F401
    records,  # noqa: F401
)

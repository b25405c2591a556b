from meetings.admin import event  # noqa: F401

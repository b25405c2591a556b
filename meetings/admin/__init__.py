from meetings.admin import meeting  # noqa: F401

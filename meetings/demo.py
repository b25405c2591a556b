from meetings.demo_events import load  # noqa: F401

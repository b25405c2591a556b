"""Meetings (会議: numbered meetings, agendas, minutes, materials, working groups) and events
(workshops, forums, trainings, exchange meetings) live side by side in this app."""

from meetings.models.event import *  # noqa: F403
from meetings.models.meeting import *  # noqa: F403
from meetings.models.records import *  # noqa: F403

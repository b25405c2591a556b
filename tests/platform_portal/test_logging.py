"""Log lines cannot be forged with CR/LF in user input (docs/quality.md L2)."""

import io
import logging

import pytest
from django.conf import settings

from platform_portal.logging import SingleLineFilter


def _logger(stream: io.StringIO) -> logging.Logger:
    logger = logging.getLogger("tests.single_line")
    logger.handlers.clear()
    logger.propagate = False
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(SingleLineFilter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return logger


@pytest.mark.parametrize(
    "user_input",
    [
        "tanaka\nERROR admin logged in from 10.0.0.1",
        "tanaka\r\nCRITICAL forged",
        "tanaka\rWARNING overwritten",
        "鳥取\n\n\nINFO 3 lines",
    ],
)
def test_user_input_cannot_add_log_lines(user_input):
    stream = io.StringIO()
    logger = _logger(stream)
    logger.warning("login failed for %s", user_input)
    logger.info("plain %s", "message")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("WARNING login failed for tanaka") or lines[0].startswith(
        "WARNING login failed for 鳥取"
    )
    assert "\\n" in lines[0] or "\\r" in lines[0]
    assert lines[1] == "INFO plain message"


def test_message_without_args_is_escaped_too():
    stream = io.StringIO()
    _logger(stream).error("bad\ninput")
    assert stream.getvalue() == "ERROR bad\\ninput\n"


def test_every_configured_handler_filters_newlines():
    for name, handler in settings.LOGGING["handlers"].items():
        assert "single_line" in handler.get("filters", []), name
    assert settings.LOGGING["filters"]["single_line"]["()"] == "platform_portal.logging.SingleLineFilter"

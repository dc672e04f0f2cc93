import json
import logging

from casereview.core.logging import JsonFormatter


def test_log_lines_are_json_with_the_extra_fields():
    record = logging.LogRecord("casereview.request", logging.INFO, __file__, 1, "request", (), None)
    record.route = "cases/<int:case_id>/"
    record.status = 200
    line = json.loads(JsonFormatter().format(record))
    assert line["event"] == "request" and line["route"] == "cases/<int:case_id>/" and line["status"] == 200

# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Response helpers shared by the simulator's APIs"
import datetime as dt
import json

from werkzeug.wrappers import Response

from ..transport.base import parse_axis_datetime


def json_response(data, status=200, headers=None):
    return Response(json.dumps(data, ensure_ascii=False), status=status,
        headers=headers, content_type='application/json; charset=utf-8')


def read_json_body(request):
    "The request's JSON object body, or None when absent or not an object"
    try:
        data = json.loads(request.get_data(cache=True).decode('utf-8'))
    except (UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def filter_date(value, end=False):
    """A listing filter date (any format the clients send) as an aware
    datetime; a bare date covers the whole day when ``end``"""
    if not value:
        return None
    moment = parse_axis_datetime(value)
    if moment is None:
        return None
    text = str(value).strip()
    if end and len(text) <= 10:
        moment += dt.timedelta(days=1) - dt.timedelta(microseconds=1)
    return moment

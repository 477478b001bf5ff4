"""Schemathesis hooks for .ci/api-contract.

The catalogue import takes JSON lines (`application/x-ndjson`), which Schemathesis cannot
send on its own: the document's example for it, and generated bodies, are text to send as
they are.
"""

import json

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx, value):
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    return (json.dumps(value) + "\n").encode("utf-8")

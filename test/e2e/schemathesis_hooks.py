"""Schemathesis hooks for the fuzz tier (test/e2e/fuzz.test.ts), loaded through SCHEMATHESIS_HOOKS.

Two workarounds for bugs in the tools, not in the API, and one rule of the API
that no schema states (3.):

1. Python 3.11 builds an AST with a recursion counter shared by all threads,
   so two threads parsing at once can fail with "SystemError: AST constructor
   recursion depth mismatch" (CPython gh-106905). Hypothesis parses source
   (to describe its filters) from each of Schemathesis's worker threads, and
   the run then reports a "Runtime Error" for whichever operation was being
   generated. `ast.parse` is serialized with a lock.

2. Schemathesis (4.32.5) rewrites every response schema's `prefixItems` into the
   Draft 4 `items: [...]` array form, then builds its validator for Draft 2020-12,
   which refuses that form: every response holding a tuple fails as "Invalid
   Schema Object in response definition" although the document is valid (the
   GeoJSON positions of GET /things/{id}/geometry, a 2- or 3-item tuple). Before
   the document is loaded, each tuple in a response schema is written as
   `items: {anyOf: [...]}` with its `minItems`/`maxItems` kept: the length is still
   checked, and each coordinate against the schemas of the tuple's positions.
   Request bodies keep their tuples, which Schemathesis generates from correctly.

3. An `Idempotency-Key` stands for one request: the same key with another
   request is a 422, and a repeat gets the first answer. Generated keys are
   short and repeat ("0", "A"), so two different generated requests would
   share one. Every well-formed generated key is replaced by a fresh UUID (still
   well-formed) before the call; malformed ones are sent as generated, so the
   header's negative cases still reach the API and must be refused.
"""

import ast
import re
import threading
import uuid

import schemathesis

_parse = ast.parse
_parsing = threading.Lock()


def _parse_one_at_a_time(*args, **kwargs):
    with _parsing:
        return _parse(*args, **kwargs)


ast.parse = _parse_one_at_a_time


def _relax_tuples(node):
    if isinstance(node, list):
        for item in node:
            _relax_tuples(item)
    elif isinstance(node, dict):
        prefix = node.pop("prefixItems", None)
        if isinstance(prefix, list):
            node["items"] = {"anyOf": prefix}
        for value in node.values():
            _relax_tuples(value)


@schemathesis.hook
def before_load_schema(context, raw_schema):
    for operations in raw_schema.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict):
                _relax_tuples(operation.get("responses", {}))


# The documented rule of the header (functions/shared/http/idempotency.ts).
_WELL_FORMED_KEY = re.compile(r"^[!-~](?:[ -~]*[!-~])?$")
_KEY_HEADER = "idempotency-key"


@schemathesis.hook
def before_call(context, case, **kwargs):
    for name, value in list((case.headers or {}).items()):
        if name.lower() == _KEY_HEADER and isinstance(value, str):
            if len(value) <= 255 and _WELL_FORMED_KEY.match(value):
                case.headers[name] = str(uuid.uuid4())

"""The llama.cpp server wrapper's request rewriting (llm-runtime/llamacpp/pulse_llamacpp_server.py), without the
server: pure functions and the ASGI layer driven by hand. The end-to-end check is the gateway's RealModelGatewayTest."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "llamacpp"))

import pulse_llamacpp_server as server  # noqa: E402

SCHEMA = {"type": "object", "properties": {
    "label": {"type": "string", "enum": ["negative", "neutral", "positive"]},
    "score": {"type": "number", "minimum": 0, "maximum": 1},
    "rationale": {"type": "string", "maxLength": 200},
    "count": {"type": "number"}}, "required": ["label", "score"], "additionalProperties": False}


def test_openai_json_schema_becomes_llama_cpp_json_object_with_bounded_numbers_as_an_enum():
    body = {"model": "m", "response_format": {"type": "json_schema", "json_schema": {"name": "x", "strict": True,
                                                                                    "schema": SCHEMA}}}
    assert server.translate_response_format(body)
    fmt = body["response_format"]
    assert fmt["type"] == "json_object"
    props = fmt["schema"]["properties"]
    assert props["score"] == {"enum": [round(k / 20, 4) for k in range(21)]}
    assert props["count"] == {"type": "number"}          # unbounded: kept
    assert props["rationale"] == {"type": "string", "maxLength": 200}
    assert props["label"]["enum"] == ["negative", "neutral", "positive"]
    assert fmt["schema"]["required"] == ["label", "score"]


def test_other_formats_are_left_alone():
    body = {"response_format": {"type": "json_object"}}
    assert not server.translate_response_format(body)
    assert body == {"response_format": {"type": "json_object"}}
    assert not server.translate_response_format({"messages": []})


def _call(app, body: dict):
    sent, seen = [], {}
    raw = json.dumps(body).encode()
    chunks = [{"type": "http.request", "body": raw[:10], "more_body": True},
              {"type": "http.request", "body": raw[10:], "more_body": False}]

    async def receive():
        return chunks.pop(0) if chunks else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    async def inner(scope, receive, send):
        seen["body"] = json.loads((await receive())["body"])
        seen["length"] = dict(scope["headers"])[b"content-length"]
        await send({"type": "http.response.start", "status": 200, "headers": []})

    wrapped = server.JsonSchemaDialect(inner, ["base", "tweets"])
    scope = {"type": "http", "method": "POST", "path": "/v1/chat/completions",
             "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())]}
    asyncio.run(wrapped(scope, receive, send))
    return sent, seen


def test_the_rewritten_body_reaches_the_server_with_its_new_length():
    body = {"model": "tweets", "response_format": {"type": "json_schema", "json_schema": {"schema": SCHEMA}}}
    sent, seen = _call(None, body)
    assert seen["body"]["response_format"]["type"] == "json_object"
    assert int(seen["length"]) == len(json.dumps(seen["body"]).encode())
    assert sent[0]["status"] == 200


def test_a_model_name_not_served_is_404_not_the_first_model():
    sent, seen = _call(None, {"model": "tweetz", "messages": []})
    assert "body" not in seen
    assert sent[0]["status"] == 404
    error = json.loads(sent[1]["body"])["error"]
    assert error["code"] == 404 and "tweetz" in error["message"] and "tweets" in error["message"]

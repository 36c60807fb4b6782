"""llama.cpp's OpenAI-compatible server (llama-cpp-python) as Pulse runs it, on CPU.

The gateway speaks the OpenAI dialect that vLLM speaks: structured output is requested as
``response_format: {"type": "json_schema", "json_schema": {"name": ..., "schema": {...}}}``.
llama-cpp-python 0.3.36 only knows ``{"type": "json_object", "schema": {...}}`` (and answers 422 to
the other form), so this wrapper rewrites the first form into the second before the server sees it;
the server then turns the schema into a grammar and constrained decoding cannot leave it, as with
vLLM's guided decoding. Everything else is llama-cpp-python's own server, started from its config
file format (models, each with an alias and optionally a LoRA adapter in llama.cpp's GGUF format).

It also refuses a model name it does not serve (HTTP 404 with an OpenAI error object, as vLLM does):
llama-cpp-python would silently answer with its first model instead, so a misspelt adapter name
would pass for the adapter.

    python pulse_llamacpp_server.py --config_file server.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys

CHAT_PATH = "/v1/chat/completions"


GRID_STEPS = 20


def bound_numbers(schema):
    """llama-cpp-python's JSON-schema grammar ignores minimum/maximum (a 135M model then answers a confidence
    of 10). A number with both bounds becomes an enum of GRID_STEPS + 1 evenly spaced values between them, which
    the grammar does enforce; everything else is kept. Returns a new schema."""
    if isinstance(schema, list):
        return [bound_numbers(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    if schema.get("type") == "number" and "minimum" in schema and "maximum" in schema:
        low, high = float(schema["minimum"]), float(schema["maximum"])
        if high > low:
            values = sorted({round(low + (high - low) * k / GRID_STEPS, 4) for k in range(GRID_STEPS + 1)})
            return {k: v for k, v in schema.items() if k not in ("type", "minimum", "maximum")} | {"enum": values}
    return {k: bound_numbers(v) for k, v in schema.items()}


def translate_response_format(body: dict) -> bool:
    """Rewrites an OpenAI json_schema response_format into llama-cpp-python's form, in place.

    Returns whether anything changed.
    """
    fmt = body.get("response_format")
    if not isinstance(fmt, dict) or fmt.get("type") != "json_schema":
        return False
    schema = (fmt.get("json_schema") or {}).get("schema")
    body["response_format"] = ({"type": "json_object", "schema": bound_numbers(schema)} if schema
                               else {"type": "json_object"})
    return True


def unknown_model(name: str, served) -> bytes:
    return json.dumps({"error": {
        "message": f"The model `{name}` does not exist; served: {', '.join(sorted(served))}",
        "type": "NotFoundError", "param": "model", "code": 404}}).encode("utf-8")


class JsonSchemaDialect:
    """ASGI middleware for chat completion requests: rewrites response_format (see translate_response_format)
    and answers 404 for a model name that is not served."""

    def __init__(self, app, served_models):
        self.app = app
        self.served = set(served_models)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "POST" or scope.get("path") != CHAT_PATH:
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                # The client went away before sending its body: let the app see that.
                await self.app(scope, _replay([message], receive), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        raw = b"".join(chunks)
        try:
            body = json.loads(raw)
        except ValueError:
            body = None  # not JSON: the server answers its own 422
        if isinstance(body, dict):
            model = body.get("model")
            if isinstance(model, str) and model not in self.served:
                payload = unknown_model(model, self.served)
                await send({"type": "http.response.start", "status": 404,
                            "headers": [(b"content-type", b"application/json"),
                                        (b"content-length", str(len(payload)).encode("ascii"))]})
                await send({"type": "http.response.body", "body": payload})
                return
            if translate_response_format(body):
                raw = json.dumps(body).encode("utf-8")
        headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(raw)).encode("ascii")))
        scope = dict(scope, headers=headers)
        await self.app(scope, _replay([{"type": "http.request", "body": raw, "more_body": False}], receive), send)


def _replay(messages, upstream):
    """The body already read, then the connection's own receive: the server polls it to notice a client
    that went away (a made-up disconnect would cancel every request)."""
    pending = list(messages)

    async def receive():
        if pending:
            return pending.pop(0)
        return await upstream()

    return receive


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config_file", required=True, help="llama-cpp-python's server config (JSON)")
    args = parser.parse_args(argv)

    import uvicorn
    from llama_cpp.server.app import create_app
    from llama_cpp.server.settings import ConfigFileSettings, ServerSettings

    with open(args.config_file, "rb") as f:
        config = ConfigFileSettings.model_validate_json(f.read())
    server = ServerSettings.model_validate(config)
    app = create_app(server_settings=server, model_settings=config.models)
    print(
        "pulse llama.cpp server: models "
        + ", ".join(f"{m.model_alias or m.model} (lora: {m.lora_path or 'none'})" for m in config.models),
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(
        JsonSchemaDialect(app, [m.model_alias or m.model for m in config.models]),
        host=os.getenv("HOST", server.host),
        port=int(os.getenv("PORT", server.port)),
        log_level=os.getenv("PULSE_LLAMACPP_LOG_LEVEL", "warning"),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

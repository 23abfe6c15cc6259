"""A recording reverse proxy: sits between the MLflow client and a server and appends every exchange to a JSONL file.

It listens on 127.0.0.1 (port 0: a free one), forwards each request unchanged to the upstream server (minus
hop-by-hop headers and ``Accept-Encoding``, so bodies come back plain) and writes one line per exchange to the file
named by ``output`` (switched between scenarios): method, path, query, the request headers that matter, request body,
status, the response headers that matter, response body. Bodies that are not UTF-8 text are base64, bodies over 8 KB
gzipped and base64 (they are most of the bytes: batches, binary files). An exchange whose
request or response body is larger than ``max_body`` bytes is not written; it is counted in ``skipped``.
"""
import base64
import gzip
import http.client
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

MAX_BODY = 256 * 1024
GZIP_OVER = 8 * 1024
REQUEST_HEADERS = ("content-type",)
RESPONSE_HEADERS = ("content-type", "location")
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
              "host", "content-length", "accept-encoding"}


def encode_body(data):
    """``{"body": text}`` for UTF-8 text, ``{"body_base64": ...}`` otherwise, ``{"body_gzip": base64 of the gzipped
    bytes}`` for bodies over ``GZIP_OVER`` bytes (big batches, binary files), ``{}`` when empty."""
    if not data:
        return {}
    if len(data) > GZIP_OVER:
        return {"body_gzip": base64.b64encode(gzip.compress(data, mtime=0)).decode("ascii")}
    try:
        return {"body": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"body_base64": base64.b64encode(data).decode("ascii")}


def decode_body(message):
    """The bytes of a recorded request or response body."""
    if "body_gzip" in message:
        return gzip.decompress(base64.b64decode(message["body_gzip"]))
    if "body_base64" in message:
        return base64.b64decode(message["body_base64"])
    return message.get("body", "").encode("utf-8")


def body_text(message):
    """A recorded body as text, or None when it is not UTF-8."""
    try:
        return decode_body(message).decode("utf-8") if any(
            k in message for k in ("body", "body_base64", "body_gzip")) else None
    except UnicodeDecodeError:
        return None


class RecordingProxy:
    """Start with ``start()``, point the client at ``url``, set ``output`` per scenario, ``stop()`` at the end."""

    def __init__(self, upstream, max_body=MAX_BODY):
        parts = urlsplit(upstream)
        self.upstream_host = parts.hostname
        self.upstream_port = parts.port or 80
        self.upstream_prefix = parts.path.rstrip("/")
        self.max_body = max_body
        self.output = None
        self.counter = 0
        self.skipped = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _read_body(self):
                if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                    chunks = []
                    while True:
                        size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                        if size == 0:
                            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                                pass
                            break
                        chunks.append(self.rfile.read(size))
                        self.rfile.readline()
                    return b"".join(chunks)
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            def _forward(self):
                body = self._read_body()
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                headers["Host"] = f"{proxy.upstream_host}:{proxy.upstream_port}"
                if body or self.command in ("POST", "PUT", "PATCH", "DELETE"):
                    headers["Content-Length"] = str(len(body))
                conn = http.client.HTTPConnection(proxy.upstream_host, proxy.upstream_port, timeout=600)
                try:
                    conn.request(self.command, proxy.upstream_prefix + self.path, body=body or None, headers=headers)
                    response = conn.getresponse()
                    data = response.read()
                    status, reason = response.status, response.reason
                    response_headers = response.getheaders()
                finally:
                    conn.close()
                self.send_response(status, reason)
                for key, value in response_headers:
                    if key.lower() not in HOP_BY_HOP:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
                proxy._record(self.command, self.path, self.headers, body, status, response_headers, data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _forward

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def _record(self, method, raw_path, request_headers, body, status, response_headers, data):
        path, _, query = raw_path.partition("?")
        with self._lock:
            if self.output is None:
                return
            if len(body) > self.max_body or len(data) > self.max_body:
                self.skipped.append(f"{method} {path} ({len(body)} B request, {len(data)} B response)")
                return
            self.counter += 1
            exchange = {
                "method": method,
                "path": path,
                "query": query,
                "request": {"headers": _pick(request_headers.items(), REQUEST_HEADERS), **encode_body(body)},
                "response": {"status": status, "headers": _pick(response_headers, RESPONSE_HEADERS),
                             **encode_body(data)},
            }
            with open(self.output, "a", encoding="utf-8") as out:
                out.write(json.dumps(exchange, ensure_ascii=False, sort_keys=False) + "\n")


def _pick(headers, names):
    picked = {}
    for key, value in headers:
        if key.lower() in names:
            picked[key.lower()] = value
    return picked

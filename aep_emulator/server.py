"""A threaded Werkzeug server with HTTP/1.1 keep-alive.

Werkzeug 3's WSGIRequestHandler always answers `Connection: close` and then drains the socket for
10 ms, because http.server cannot know whether an app read the whole body. This app always reads
the body first (or asks to close), so the handler below can keep connections open. Request parsing
stays with http.server and Werkzeug; only the answering step differs.
"""

import logging
import socket
import traceback

from werkzeug.serving import WSGIRequestHandler, make_server

from .app import CLOSE, DROP

log = logging.getLogger("aep_emulator")

_CRASH = (b'{"type":"urn:xcore-emulator:problem:internal","title":"Internal Server Error",'
          b'"status":500,"detail":"The emulator failed on this request (a bug)"}')


class KeepAliveHandler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 120  # seconds an idle keep-alive connection may hold a thread
    # Buffer the answer so status, headers and a small body leave in one send, not two
    # (http.server flushes wfile after every request).
    wbufsize = -1
    access_log = False

    def setup(self):
        super().setup()
        # A large body goes out in several writes; without NODELAY, Nagle + delayed ACK add 40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_request(self, code="-", size="-"):
        if self.access_log:
            super().log_request(code, size)

    def run_wsgi(self):
        if self.headers.get("Expect", "").lower().strip(" \t") == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            self.wfile.flush()
        self.environ = environ = self.make_environ()
        started, chunks = [], []

        def start_response(status, headers, exc_info=None):
            started[:] = [status, headers]
            return chunks.append

        try:
            result = self.server.app(environ, start_response)
            try:
                chunks.extend(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        except Exception:
            log.error("error on request:\n%s", traceback.format_exc())
            started[:] = ["500 INTERNAL SERVER ERROR", [("Content-Type", "application/problem+json")]]
            chunks[:] = [_CRASH]
            environ[CLOSE] = True

        if environ.get(DROP):
            self.close_connection = True  # the "lost response": the write is committed, no answer
            return
        status, headers = started
        code_text, _, reason = status.partition(" ")
        code = int(code_text)
        body = b"".join(chunks)
        self.send_response(code, reason)
        names = set()
        for name, value in headers:
            self.send_header(name, value)
            names.add(name.lower())
        if "content-length" not in names and code >= 200 and code not in (204, 304):
            self.send_header("Content-Length", str(len(body)))
        if environ.get(CLOSE):
            self.send_header("Connection", "close")  # also sets self.close_connection
        self.end_headers()
        if body and self.command != "HEAD" and code not in (204, 304):
            self.wfile.write(body)


def build_server(app, host, port, access_log=False, tls_cert=None, tls_key=None):
    """A threaded server; HTTPS when tls_cert and tls_key (PEM files) are given."""
    handler = type("Handler", (KeepAliveHandler,), {"access_log": access_log})
    ssl_context = (tls_cert, tls_key) if tls_cert else None
    return make_server(host, port, app, threaded=True, request_handler=handler, ssl_context=ssl_context)

"""A minimal `http` image function: the agent protocol's /healthz and /run, nothing else.

Hearth starts this container with no network and a host folder at /run/hearth; the server
listens on /run/hearth/agent.sock. Each /run gets the event as JSON and answers the result as
JSON, after an optional log prefix whose length is given in X-Hearth-Log-Bytes.
"""
import datetime
import http.server
import json
import os
import socketserver

SOCKET = "/run/hearth/agent.sock"
calls = 0


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: Hearth reuses its connection

    def do_GET(self):
        if self.path == "/healthz":
            self.answer(200, b"", {"ready": True})
        else:
            self.answer(404, b"", {"errorType": "NotFound", "errorMessage": self.path})

    def do_POST(self):
        global calls
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path != "/run":
            self.answer(404, b"", {"errorType": "NotFound", "errorMessage": self.path})
            return
        calls += 1
        request_id = self.headers.get("X-Hearth-Request-Id", "")
        event = json.loads(body or b"null")
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        log = f"{now}\t{request_id}\tstdout\techo call {calls}\n".encode()
        result = {"echo": event, "calls": calls, "pid": os.getpid(),
                  "function": os.environ.get("HEARTH_FUNCTION_NAME"), "greeting": os.environ.get("GREETING")}
        self.answer(200, log, result)

    def answer(self, status, log, result):
        payload = json.dumps(result).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Hearth-Log-Bytes", str(len(log)))
        self.send_header("Content-Length", str(len(log) + len(payload)))
        self.end_headers()
        self.wfile.write(log + payload)

    def log_message(self, *args):
        pass  # diagnostics only; the client address of a Unix socket is empty


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


if __name__ == "__main__":
    # Bind under another name and rename, so the socket appears only once it accepts connections.
    temporary = SOCKET + ".tmp"
    if os.path.exists(temporary):
        os.unlink(temporary)
    server = Server(temporary, Handler)
    os.rename(temporary, SOCKET)
    server.serve_forever()

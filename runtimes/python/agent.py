"""Hearth Python agent: serves one function inside one container.

Speaks HTTP/1.1 on a Unix domain socket (the container has no network). The protocol is
described in runtimes/README.md: GET /healthz, POST /init exactly once, then POST /run per
invocation. Standard library only, so the image stays small and the agent starts fast.
"""
import http.server
import importlib
import io
import json
import os
import socketserver
import sys
import time
import traceback

MAX_BODY = 6 * 1024 * 1024
MAX_LOG = 64 * 1024


class LogCapture:
    """Collects what the function writes, as tagged lines, for the next /run answer.

    Lines are kept raw and tagged with the request id when handed over, so lines written while
    the function loads go out with its first invocation. At most MAX_LOG bytes are kept.
    """

    def __init__(self):
        self.lines = []
        self.size = 0
        self.dropped = 0
        self.partial = {"stdout": "", "stderr": ""}

    def write(self, stream, text):
        pieces = (self.partial[stream] + text).split("\n")
        self.partial[stream] = pieces.pop()
        for piece in pieces:
            self._add(stream, piece)

    def _add(self, stream, line):
        cost = len(line.encode("utf-8", "replace")) + 64
        if self.size + cost > MAX_LOG:
            self.dropped += cost
            return
        self.lines.append((time.time(), stream, line))
        self.size += cost

    def drain(self, request_id):
        for stream, rest in self.partial.items():
            if rest:
                self._add(stream, rest)
                self.partial[stream] = ""
        out = []
        for stamp, stream, line in self.lines:
            millis = int(stamp * 1000) % 1000
            out.append("%s.%03dZ\t%s\t%s\t%s\n" % (time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(stamp)), millis,
                                                   request_id, stream, line))
        if self.dropped:
            out.append("%s\t%s\tstderr\t[hearth] log truncated: %d bytes dropped\n" % (
                time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()), request_id, self.dropped))
        self.lines, self.size, self.dropped = [], 0, 0
        return "".join(out).encode("utf-8", "replace")


class CapturedStream(io.TextIOBase):
    """Stands in for sys.stdout or sys.stderr while the function runs."""

    def __init__(self, capture, name):
        self.capture = capture
        self.name = name

    def writable(self):
        return True

    def write(self, text):
        self.capture.write(self.name, str(text))
        return len(text)


LOGS = LogCapture()
AGENT_PID = os.getpid()


def leave_if_forked():
    """A process the handler forked must never answer on the agent's connection."""
    if os.getpid() != AGENT_PID:
        os._exit(70)


class Context:
    """The Lambda-style context object handed to the handler."""

    def __init__(self, fn, request_id, deadline_ms):
        self.aws_request_id = request_id
        self.function_name = fn["functionName"]
        self.function_version = fn["functionVersion"]
        self.memory_limit_in_mb = fn["memoryMb"]
        self.invoked_function_arn = "hrn:hearth:function:%s:%s" % (fn["functionName"], fn["functionVersion"])
        self.log_group_name = "/hearth/" + fn["functionName"]
        self.log_stream_name = fn["functionVersion"]
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline_ms - time.time() * 1000))


def error_body(error_type, exc=None, message=None):
    body = {"errorType": error_type, "errorMessage": message if message is not None else str(exc)}
    if exc is not None:
        body["stackTrace"] = traceback.format_exception(type(exc), exc, exc.__traceback__)
    return body


def load_handler(spec):
    """Imports 'module.function' from the code directory, as Lambda does."""
    code_dir = spec["codeDir"]
    module_name, _, function_name = spec["handler"].rpartition(".")
    if not module_name or not function_name:
        return None, error_body("Runtime.MalformedHandlerName", message="handler must be 'module.function', got %r" % spec["handler"])
    os.environ.update(spec.get("env") or {})
    sys.path.insert(0, code_dir)
    os.chdir(code_dir)
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # a broken module must not take the agent down
        return None, error_body("Runtime.ImportModuleError", exc, "cannot import module %r: %s" % (module_name, exc))
    handler = getattr(module, function_name, None)
    if not callable(handler):
        return None, error_body("Runtime.HandlerNotFound", message="%s has no callable %r" % (module_name, function_name))
    return handler, None


class Agent:
    def __init__(self):
        self.function = None
        self.handler = None

    def init(self, spec):
        if self.function is not None:
            return 409, error_body("Runtime.AlreadyInitialized", message="this container already serves %s" % self.function["functionName"])
        for key in ("handler", "codeDir", "functionName", "functionVersion", "memoryMb"):
            if key not in spec:
                return 400, error_body("Runtime.BadInit", message="missing %r" % key)
        started = time.perf_counter()
        handler, error = load_handler(spec)
        self.function = spec
        if error is not None:
            return 500, error
        self.handler = handler
        return 200, {"initMs": round((time.perf_counter() - started) * 1000, 3)}

    def run(self, event, request_id, deadline_ms):
        if self.handler is None:
            reason = "not initialized" if self.function is None else "initialization failed"
            return 409, error_body("Runtime.NotInitialized", message="this container is " + reason)
        context = Context(self.function, request_id, deadline_ms)
        try:
            result = self.handler(event, context)
        except BaseException as exc:  # SystemExit too: a handler never takes the agent down
            leave_if_forked()
            return 500, error_body(type(exc).__name__, exc)
        leave_if_forked()
        try:
            return 200, json.dumps(result, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError, RecursionError) as exc:
            return 500, error_body("Runtime.MarshalError", exc, "result is not JSON serializable: %s" % exc)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    agent = Agent()

    def log_message(self, format, *args):
        pass

    def address_string(self):
        return "unix"

    def do_GET(self):
        if self.path == "/healthz":
            self.reply(200, {"initialized": self.agent.function is not None})
        else:
            self.reply(404, error_body("NotFound", message=self.path))

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.rfile.read(length)
            return self.reply(413, error_body("Runtime.RequestTooLarge", message="body over %d bytes" % MAX_BODY))
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw) if raw else None
        except ValueError as exc:
            return self.reply(400, error_body("Runtime.InvalidJson", exc))
        if self.path == "/run":
            deadline = float(self.headers.get("X-Hearth-Deadline-Ms") or (time.time() * 1000 + 3000))
            status, result = self.agent.run(body, self.headers.get("X-Hearth-Request-Id", ""), deadline)
        elif self.path == "/init":
            if not isinstance(body, dict):
                return self.reply(400, error_body("Runtime.BadInit", message="init body must be a JSON object"))
            status, result = self.agent.init(body)
        else:
            return self.reply(404, error_body("NotFound", message=self.path))
        self.reply(status, result)

    def reply(self, status, body):
        data = (body if isinstance(body, str) else json.dumps(body, separators=(",", ":"))).encode()
        self.send_response_only(status)
        self.send_header("Content-Type", "application/json")
        if self.path == "/run":
            logs = LOGS.drain(self.headers.get("X-Hearth-Request-Id", ""))
            self.send_header("X-Hearth-Log-Bytes", str(len(logs)))
            data = logs + data
            if status >= 500:
                self.send_header("X-Hearth-Function-Error", "Unhandled")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Server(socketserver.UnixStreamServer):
    # One invocation at a time per container, as on Lambda: the pool manager never sends two.
    def handle_error(self, request, client_address):
        traceback.print_exc(file=sys.__stderr__)


def warm_import_machinery():
    """Imports a throwaway module from source once, before any function arrives.

    The first source import in a process sets up the path finder and source loader (over a
    millisecond); paying it here, while the container waits in the pool, takes it off the
    function's first call. Nothing of it remains: module, path entry and files are removed.
    """
    folder = "/tmp/.hearth-warm-%d" % os.getpid()  # not tempfile: its imports cost more memory than this saves time
    source = os.path.join(folder, "_hearth_warm.py")
    try:
        os.mkdir(folder, 0o700)
        with open(source, "w") as f:
            f.write("def handler(event, context):\n    return event\n")
        sys.path.insert(0, folder)
        importlib.import_module("_hearth_warm")
    except OSError:
        pass  # no writable /tmp: the first call pays instead
    finally:
        if folder in sys.path:
            sys.path.remove(folder)
        sys.modules.pop("_hearth_warm", None)
        sys.path_importer_cache.pop(folder, None)
        for leftover in (source, folder):
            try:
                os.remove(leftover) if leftover == source else os.rmdir(leftover)
            except OSError:
                pass


def main():
    path = sys.argv[1]
    warm_import_machinery()
    if os.path.exists(path):
        os.unlink(path)
    # Bind under a temporary name and rename: the host sees the socket only once it listens.
    tmp = path + ".tmp"
    if os.path.exists(tmp):
        os.unlink(tmp)
    server = Server(tmp, Handler)
    sys.stdout = CapturedStream(LOGS, "stdout")
    sys.stderr = CapturedStream(LOGS, "stderr")
    os.rename(tmp, path)
    server.serve_forever()


if __name__ == "__main__":
    main()

"""Hearth Python agent: serves one function inside one container.

Speaks HTTP/1.1 on a Unix domain socket (the container has no network). The protocol is
described in runtimes/README.md: GET /healthz, POST /init exactly once, then POST /run per
invocation. Standard library only, so the image stays small and the agent starts fast.

What the function sees is Lambda's Python runtime: the root logger's handler and line format,
the context object's fields, handler strings and error documents (errorMessage, errorType,
requestId, stackTrace as Lambda formats frames, the agent's own frames left out).
"""
import importlib
import io
import json
import logging
import os
import socketserver
import sys
import time
import traceback

MAX_BODY = 6 * 1024 * 1024
MAX_LOG = 64 * 1024
MAX_LINE = 8 * 1024
MAX_HEADERS = 64
REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 409: "Conflict", 413: "Content Too Large",
           414: "URI Too Long", 431: "Request Header Fields Too Large", 500: "Internal Server Error",
           501: "Not Implemented"}


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
AGENT_FILE = os.path.abspath(__file__)
current_request_id = ""  # the invocation running now, for the lines the function logs


def leave_if_forked():
    """A process the handler forked must never answer on the agent's connection."""
    if os.getpid() != AGENT_PID:
        os._exit(70)


class RequestIdFilter(logging.Filter):
    """Tags every record with the invocation it was logged in (empty while the function loads)."""

    def filter(self, record):
        record.aws_request_id = current_request_id
        return True


class LambdaLogHandler(logging.Handler):
    """Lambda's root handler: each record becomes a line of the invocation's log."""

    def emit(self, record):
        try:
            LOGS.write("stdout", self.format(record))
        except Exception:
            self.handleError(record)


def install_lambda_logging():
    """Gives the root logger Lambda's handler, so logger.info() lines reach the log and
    logging.basicConfig() does nothing, as on Lambda (the root already has a handler)."""
    logging.Formatter.converter = time.gmtime
    handler = LambdaLogHandler()
    handler.setFormatter(logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S"))
    handler.addFilter(RequestIdFilter())
    logging.getLogger().addHandler(handler)


def apply_log_level(value):
    """AWS_LAMBDA_LOG_LEVEL, Lambda's names (TRACE is DEBUG); anything else leaves the level alone."""
    if not value:
        return
    level = {"TRACE": "DEBUG"}.get(value.upper(), value.upper())
    if level in logging.getLevelNamesMapping():
        logging.getLogger().setLevel(level)


class CognitoIdentity:
    """context.identity: Hearth has no Cognito, so both ids are None, as for any non-mobile caller."""
    __slots__ = ("cognito_identity_id", "cognito_identity_pool_id")

    def __init__(self):
        self.cognito_identity_id = None
        self.cognito_identity_pool_id = None

    def __repr__(self):
        return "CognitoIdentity([cognito_identity_id=%s,cognito_identity_pool_id=%s])" % (
            self.cognito_identity_id, self.cognito_identity_pool_id)


def function_facts(fn):
    """The context's fixed fields, from Lambda's environment variables when Hearth set them,
    else from the /init request (older control planes)."""
    env = os.environ
    name = env.get("AWS_LAMBDA_FUNCTION_NAME") or fn["functionName"]
    version = env.get("AWS_LAMBDA_FUNCTION_VERSION") or str(fn["functionVersion"])
    region, account = env.get("AWS_REGION"), env.get("HEARTH_ACCOUNT_ID")
    arn = ("arn:aws:lambda:%s:%s:function:%s" % (region, account, name) if region and account
           else "hrn:hearth:function:%s:%s" % (name, version))
    return {"function_name": name, "function_version": version,
            "memory_limit_in_mb": env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE") or str(fn["memoryMb"]),
            "invoked_function_arn": arn,
            "log_group_name": env.get("AWS_LAMBDA_LOG_GROUP_NAME") or "/hearth/" + name,
            "log_stream_name": env.get("AWS_LAMBDA_LOG_STREAM_NAME") or version}


class Client:
    """context.client_context.client: the calling app, as the AWS mobile SDKs describe it."""
    __slots__ = ("installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name")


class ClientContext:
    """context.client_context: what the caller sent as X-Amz-Client-Context (synchronous calls only)."""
    __slots__ = ("custom", "env", "client")


def from_fields(cls, value):
    """An object of cls with the dict's entries for cls's slots (others ignored, missing ones None)."""
    obj = cls()
    for name in cls.__slots__:
        setattr(obj, name, value.get(name) if isinstance(value, dict) else None)
    return obj


def client_context(header):
    """The ClientContext of a call's base64 JSON header (checked by the control plane), or None."""
    if not header:
        return None
    import base64  # here, not at the top: few calls carry one, and every agent's start would pay for it
    try:
        value = json.loads(base64.b64decode(header, validate=True))
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    context = from_fields(ClientContext, value)
    if isinstance(context.client, dict):
        context.client = from_fields(Client, context.client)
    return context


class Context:
    """The context object handed to the handler, with Lambda's fields (memory_limit_in_mb a string)."""

    def __init__(self, facts, request_id, deadline_ms, qualifier=None, client=None):
        self.aws_request_id = request_id
        self.__dict__.update(facts)
        if qualifier:
            # Lambda's invoked ARN names the qualifier the caller used (an alias, a version, $LATEST).
            self.invoked_function_arn = facts["invoked_function_arn"] + ":" + qualifier
        self.client_context = client
        self.identity = CognitoIdentity()
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline_ms - time.time() * 1000))

    def log(self, msg):
        LOGS.write("stdout", str(msg))

    def __repr__(self):
        fields = ("aws_request_id", "log_group_name", "log_stream_name", "function_name", "memory_limit_in_mb",
                  "function_version", "invoked_function_arn", "client_context", "identity")
        return "LambdaContext([%s])" % ",".join("%s=%s" % (f, getattr(self, f)) for f in fields)


def error_body(error_type, message, stack_trace=(), request_id=None):
    """An error document as Lambda's: errorMessage, errorType, requestId, stackTrace (always a list)."""
    body = {"errorMessage": message or "", "errorType": error_type}
    if request_id is not None:
        body["requestId"] = request_id
    body["stackTrace"] = list(stack_trace)
    return body


def is_runtime_frame(filename):
    return filename == AGENT_FILE or filename.startswith("<frozen importlib") or filename == importlib.__file__


def user_frames(tb):
    """The traceback as Lambda formats it, one '  File "...", line N, in f\\n    code\\n' string per
    frame, without the agent's (and the import machinery's) frames leading to the function's."""
    frames = traceback.extract_tb(tb)
    first = next((i for i, frame in enumerate(frames) if not is_runtime_frame(frame.filename)), 0)
    return traceback.format_list([(f.filename, f.lineno, f.name, f.line) for f in frames[first:]])


def exception_body(exc, request_id=None):
    return error_body(type(exc).__name__, str(exc), user_frames(exc.__traceback__), request_id)


def log_error(body):
    """Writes the error to the log as Lambda does: one line, its parts separated by CR, the
    trace's indentation as no-break spaces."""
    head = "[ERROR] " + body["errorType"] + (": " + body["errorMessage"] if body["errorMessage"] else "")
    lines = [head, "Traceback (most recent call last):"]
    for element in body["stackTrace"]:
        for line in element.splitlines():
            stripped = line.lstrip(" ")
            lines.append("\u00a0" * (len(line) - len(stripped)) + stripped)
    LOGS.write("stdout", "\r".join(lines) + "\n")


def load_handler(spec):
    """Imports the handler as Lambda does: 'module.function', the module a dotted or slashed
    path from the code directory ('lambda_function.lambda_handler', 'src/app.handler', 'pkg.mod.fn')."""
    handler = spec["handler"]
    module_name, _, function_name = handler.rpartition(".")
    if not module_name or not function_name or module_name.startswith((".", "/")) or "//" in module_name:
        return None, error_body("Runtime.MalformedHandlerName", "Bad handler '%s': expected module.function" % handler, (), "")
    if module_name.split(".")[0] in sys.builtin_module_names:
        return None, error_body("Runtime.BuiltInModuleConflict",
                                "Cannot use built-in module %s as a handler module" % module_name, (), "")
    os.environ.update(spec.get("env") or {})
    apply_log_level(os.environ.get("AWS_LAMBDA_LOG_LEVEL"))
    sys.path.insert(0, spec["codeDir"])
    os.chdir(spec["codeDir"])
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as exc:
        return None, error_body("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, exc), (), "")
    except SyntaxError as exc:
        trace = ['  File "%s" Line %s\n    %s' % (exc.filename, exc.lineno, exc.text)]
        return None, error_body("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_name, exc), trace, "")
    except Exception as exc:  # raised while the module ran: its own type, as on Lambda
        return None, exception_body(exc, "")
    handler = getattr(module, function_name, None)
    if not callable(handler):
        return None, error_body("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_name), (), "")
    return handler, None


class Agent:
    def __init__(self):
        self.function = None
        self.facts = None
        self.handler = None

    def init(self, spec):
        if self.function is not None:
            return 409, error_body("Runtime.AlreadyInitialized", "this container already serves %s" % self.function["functionName"])
        for key in ("handler", "codeDir", "functionName", "functionVersion", "memoryMb"):
            if key not in spec:
                return 400, error_body("Runtime.BadInit", "missing %r" % key)
        started = time.perf_counter()
        handler, error = load_handler(spec)
        self.function = spec
        if error is not None:
            return 500, error
        self.facts = function_facts(spec)
        self.handler = handler
        return 200, {"initMs": round((time.perf_counter() - started) * 1000, 3)}

    def run(self, event, request_id, deadline_ms, qualifier=None, client=None):
        global current_request_id
        if self.handler is None:
            reason = "not initialized" if self.function is None else "initialization failed"
            return 409, error_body("Runtime.NotInitialized", "this container is " + reason)
        current_request_id = request_id
        context = Context(self.facts, request_id, deadline_ms, qualifier, client)
        try:
            result = self.handler(event, context)
        except BaseException as exc:  # SystemExit too: a handler never takes the agent down
            leave_if_forked()
            return 500, self.failed(exception_body(exc, request_id))
        leave_if_forked()
        try:
            return 200, json.dumps(result, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError, RecursionError) as exc:
            return 500, self.failed(error_body("Runtime.MarshalError", "Unable to marshal response: %s" % exc, (), request_id))

    @staticmethod
    def failed(body):
        log_error(body)
        return body


class BadRequest(Exception):
    """A request the agent cannot read: answered with this status, then the connection is closed."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def read_request(rfile):
    """The next request's method, target, version and headers (names in lower case), or None
    when the peer closed the connection before its headers ended. HTTP/1.x as the pool manager
    speaks it; anything else raises BadRequest."""
    line = rfile.readline(MAX_LINE + 1)
    if not line:
        return None
    if len(line) > MAX_LINE:
        raise BadRequest(414, "request line over %d bytes" % MAX_LINE)
    parts = line.rstrip(b"\r\n").split(b" ")
    if len(parts) != 3 or not parts[0] or not parts[1].startswith(b"/") or parts[2] not in (b"HTTP/1.1", b"HTTP/1.0"):
        raise BadRequest(400, "malformed request line")
    headers = {}
    while True:
        line = rfile.readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            raise BadRequest(431, "header line over %d bytes" % MAX_LINE)
        if line in (b"\r\n", b"\n"):
            break
        if not line:
            return None  # the peer went away inside the headers
        name, colon, value = line.partition(b":")
        if not colon or not name or name != name.strip() or not line.endswith(b"\n"):
            raise BadRequest(400, "malformed header line")
        if len(headers) == MAX_HEADERS:
            raise BadRequest(431, "more than %d header fields" % MAX_HEADERS)
        name = name.decode("latin-1").lower()
        value = value.strip().decode("latin-1")
        if name in headers and (name == "content-length" or headers[name] != value):
            raise BadRequest(400, "header %s given twice" % name)
        headers[name] = value
    return parts[0].decode("latin-1"), parts[1].decode("latin-1"), parts[2], headers


def content_length(headers):
    if "transfer-encoding" in headers:
        raise BadRequest(501, "only bodies with a Content-Length are read")
    value = headers.get("content-length", "0")
    if not (value.isascii() and value.isdigit()):
        raise BadRequest(400, "malformed Content-Length")
    length = int(value)
    if length > MAX_BODY:
        raise BadRequest(413, "body over %d bytes" % MAX_BODY)
    return length


class Connection(socketserver.StreamRequestHandler):
    """One connection from the pool manager: requests one after another, kept alive until the
    peer closes it, asks to close it, or sends one the agent cannot read."""
    agent = Agent()

    def handle(self):
        try:
            self.exchange()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the peer left before its answer: nobody is there to tell

    def exchange(self):
        while True:
            try:
                request = read_request(self.rfile)
                if request is None:
                    return
                method, path, version, headers = request
                length = content_length(headers)
            except BadRequest as exc:
                kind = "Runtime.RequestTooLarge" if exc.status == 413 else "Runtime.BadRequest"
                return self.reply(exc.status, error_body(kind, str(exc)), close=True)
            raw = self.rfile.read(length) if length else b""
            if len(raw) < length:
                return  # the peer went away inside the body
            close = version == b"HTTP/1.0" or headers.get("connection", "").lower() == "close"
            self.serve(method, path, headers, raw, close)
            if close:
                return

    def serve(self, method, path, headers, raw, close):
        if method not in ("GET", "POST"):
            return self.reply(501, error_body("NotImplemented", method), close=close)
        if method == "GET":
            if path == "/healthz":
                return self.reply(200, {"initialized": self.agent.function is not None}, close=close)
            return self.reply(404, error_body("NotFound", path), close=close)
        if path not in ("/run", "/init"):
            return self.reply(404, error_body("NotFound", path), close=close)
        try:
            body = json.loads(raw) if raw else None
        except ValueError as exc:
            return self.reply(400, error_body("Runtime.InvalidJson", str(exc)), close=close)
        if path == "/init":
            if not isinstance(body, dict):
                return self.reply(400, error_body("Runtime.BadInit", "init body must be a JSON object"), close=close)
            status, result = self.agent.init(body)
            return self.reply(status, result, close=close)
        request_id = headers.get("x-hearth-request-id", "")
        deadline = float(headers.get("x-hearth-deadline-ms") or (time.time() * 1000 + 3000))
        status, result = self.agent.run(body, request_id, deadline, headers.get("x-hearth-qualifier"),
                                        client_context(headers.get("x-hearth-client-context")))
        logs = LOGS.drain(request_id)
        extra = "X-Hearth-Log-Bytes: %d\r\n%s" % (len(logs), "X-Hearth-Function-Error: Unhandled\r\n" if status >= 500 else "")
        self.reply(status, result, logs, extra, close)

    def reply(self, status, body, prefix=b"", extra="", close=False):
        """Writes the whole answer at once: status line, headers, the logs' prefix and the body."""
        data = prefix + (body if isinstance(body, str) else json.dumps(body, separators=(",", ":"))).encode()
        head = "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n%s%sContent-Length: %d\r\n\r\n" % (
            status, REASONS.get(status, "Error"), extra, "Connection: close\r\n" if close else "", len(data))
        self.wfile.write(head.encode("latin-1") + data)


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
    server = Server(tmp, Connection)
    install_lambda_logging()
    sys.stdout = CapturedStream(LOGS, "stdout")
    sys.stderr = CapturedStream(LOGS, "stderr")
    os.rename(tmp, path)
    server.serve_forever()


if __name__ == "__main__":
    main()

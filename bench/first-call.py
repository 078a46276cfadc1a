#!/usr/bin/env python3
"""First-call and warm-call latency of an echo function through Hearth's REST API, per runtime,
next to the original design (one `docker run` per invocation) of the same Python handler.

Usage: start Hearth (./hearth up), then  python3 bench/first-call.py [--url URL] [--runtimes python,node,java]
Talks only to the given Hearth (loopback by default) and the local Docker engine; bounded.
"""
import argparse
import http.client
import json
import os
import statistics
import subprocess
import tempfile
import time
import urllib.parse
import uuid

HANDLER = "def handler(event, context):\n    return {'echo': event}\n"
SOURCES = {
    "python": ("main.handler", "main.py", HANDLER),
    "node": ("index.handler", "index.js", "exports.handler = async (event) => ({ echo: event });\n"),
    "java": ("example.Echo", "Echo.java",
             "package example;\n"
             "import com.amazonaws.services.lambda.runtime.Context;\n"
             "import com.amazonaws.services.lambda.runtime.RequestHandler;\n"
             "import java.util.Map;\n"
             "public class Echo implements RequestHandler<Map<String, Object>, Map<String, Object>> {\n"
             "  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {\n"
             "    return Map.of(\"echo\", event);\n  }\n}\n"),
}


class Client:
    def __init__(self, url):
        u = urllib.parse.urlparse(url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=60)
        self.token = None

    def call(self, method, path, body=None):
        headers = {"Authorization": "Bearer " + self.token} if self.token else {}
        data = body if isinstance(body, bytes) else (json.dumps(body).encode() if body is not None else None)
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        return response, response.read()

    def timed_invoke(self, name, event=b'{"a":1}'):
        started = time.perf_counter()
        response, body = self.call("POST", "/v1/functions/%s/invoke" % name, event)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise SystemExit("invoke %s answered %d: %s" % (name, response.status, body))
        return elapsed, response.getheader("X-Hearth-Start")


def docker_run_ms(image, runs):
    """The original design: create, start, run, collect and remove one container per call."""
    code = tempfile.mkdtemp(prefix="hearth-bench-")
    with open(os.path.join(code, "main.py"), "w") as f:
        f.write(HANDLER)
    os.chmod(code, 0o755)
    shim = "import sys,json; sys.path.insert(0,'/code'); import main; print(json.dumps(main.handler(json.load(sys.stdin), None)))"
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(["docker", "run", "--rm", "-i", "--network", "none", "--read-only", "--user", "1000:1000",
                        "-v", code + ":/code:ro", "--entrypoint", "python3", image, "-c", shim],
                       input=b'{"a":1}', check=True, capture_output=True)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:" + os.environ.get("HEARTH_PORT", "8080"))
    parser.add_argument("--functions", type=int, default=15, help="never-invoked functions to call once each")
    parser.add_argument("--warm-calls", type=int, default=2000)
    parser.add_argument("--docker-runs", type=int, default=10)
    parser.add_argument("--image", default="hearth/runtime-python:latest")
    parser.add_argument("--runtimes", default="python,node,java")
    args = parser.parse_args()

    client = Client(args.url)
    user = "bench" + uuid.uuid4().hex[:8]
    client.call("POST", "/v1/users", {"username": user, "password": "bench-password"})
    client.token = json.loads(client.call("POST", "/v1/tokens", {"username": user, "password": "bench-password"})[1])["token"]

    def create(runtime, name, salt):
        handler, filename, code = SOURCES[runtime]
        # A per-function comment makes every function's code distinct: nothing is shared or cached.
        marker = ("# " if runtime == "python" else "// ") + salt + "\n"
        response, body = client.call("POST", "/v1/functions", {"name": name, "runtime": runtime, "handler": handler,
                                                               "source": {"filename": filename, "content": code + marker}})
        if response.status not in (201, 202):
            raise SystemExit("create %s answered %d: %s" % (name, response.status, body))
        while json.loads(client.call("GET", "/v1/functions/" + name)[1])["status"] == "building":
            time.sleep(0.2)

    rows = []
    for runtime in args.runtimes.split(","):
        create(runtime, runtime + "-warm", "warm")
        for _ in range(5000):  # let the JIT compile the request path before anything is measured
            client.timed_invoke(runtime + "-warm")
        pool = []
        for i in range(args.functions):
            name = "%s-first%d" % (runtime, i)
            create(runtime, name, uuid.uuid4().hex)
            time.sleep(1.0)  # the pool refills behind each first call
            ms, start = client.timed_invoke(name)
            if start != "pool":
                raise SystemExit("first call of %s started %s, not pool" % (name, start))
            pool.append(ms)
        warm = sorted(client.timed_invoke(runtime + "-warm")[0] for _ in range(args.warm_calls))
        rows.append((runtime, statistics.median(pool), statistics.median(warm), warm[int(len(warm) * 0.99)]))

    print("runtime  pool first call (median, n=%d)  warm call median  warm p99" % args.functions)
    for runtime, p50_pool, p50_warm, p99_warm in rows:
        print("%-8s %10.2f ms %24.3f ms %10.3f ms" % (runtime, p50_pool, p50_warm, p99_warm))
    if "python" in args.runtimes.split(","):
        docker = docker_run_ms(args.image, args.docker_runs)
        p50_docker = statistics.median(docker)
        print("docker run per call, python (n=%d): median %.1f ms = %.0fx the python pool first call"
              % (len(docker), p50_docker, p50_docker / rows[[r[0] for r in rows].index("python")][1]))


if __name__ == "__main__":
    main()

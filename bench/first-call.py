#!/usr/bin/env python3
"""First-call and warm-call latency of a Python function through Hearth's REST API, next to
the original design (one `docker run` per invocation) of the same handler.

Usage: start Hearth (./hearth up), then  python3 bench/first-call.py [--url URL] [--functions N]
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
    args = parser.parse_args()

    client = Client(args.url)
    user = "bench" + uuid.uuid4().hex[:8]
    client.call("POST", "/v1/users", {"username": user, "password": "bench-password"})
    client.token = json.loads(client.call("POST", "/v1/tokens", {"username": user, "password": "bench-password"})[1])["token"]

    def create(name):
        response, body = client.call("POST", "/v1/functions", {"name": name, "runtime": "python", "source": {"filename": "main.py", "content": HANDLER}})
        if response.status != 201:
            raise SystemExit("create %s answered %d: %s" % (name, response.status, body))

    create("warm")
    for _ in range(5000):  # let the JIT compile the request path before anything is measured
        client.timed_invoke("warm")

    pool = []
    for i in range(args.functions):
        create("first%d" % i)
        time.sleep(0.7)  # the pool refills behind each first call
        ms, start = client.timed_invoke("first%d" % i)
        if start != "pool":
            raise SystemExit("first call of first%d started %s, not pool" % (i, start))
        pool.append(ms)

    warm = sorted(client.timed_invoke("warm")[0] for _ in range(args.warm_calls))
    docker = docker_run_ms(args.image, args.docker_runs)

    p50_pool, p50_docker = statistics.median(pool), statistics.median(docker)
    print("first call, from the pool (n=%d): median %.2f ms" % (len(pool), p50_pool))
    print("warm call (n=%d):                 median %.3f ms, p99 %.3f ms" % (len(warm), statistics.median(warm), warm[int(len(warm) * 0.99)]))
    print("docker run per call (n=%d):       median %.1f ms" % (len(docker), p50_docker))
    print("docker run / pool first call:     %.0fx" % (p50_docker / p50_pool))


if __name__ == "__main__":
    main()

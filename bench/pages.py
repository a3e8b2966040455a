#!/usr/bin/env python3
"""Load benchmark of the main pages, on SQLite and on PostgreSQL, in one run.

Builds the release binary (unless --binary is given), and for each database: loads the demo data
into a fresh database, starts the server, signs in (the secretary `bithu`; the reviewer `danguy`
for the committee dashboard) and loads each page with wrk (16 connections, 2 threads) for
--seconds, then a topic save (POST). Every figure is also given as a share of the server's own
static stylesheet, so that runs on different machines compare. It prints a Markdown table with
requests per second, p50 and p99 latency at full load, p50 and p99 again with the dynamic pages
paced at 80 % of the rate each reached (wrk's Lua `delay`), the server's resident memory after
each page (VmRSS) and its peak (VmHWM), and the bytes of the plan page with and without gzip.

    python3 bench/pages.py                      # both databases, 5 s per page
    python3 bench/pages.py --seconds 10 --backends sqlite
    python3 bench/pages.py --binary path/to/chuyende   # an existing build (e.g. of main)

Needs wrk (installed with apt-get when missing) and Python's standard library.
PostgreSQL: a database is created and dropped on the server at $CHUYENDE_BENCH_POSTGRES_URL
(default postgres://postgres@127.0.0.1:5432/postgres) with psql.

Targets (issue 12), checked by eye, not asserted: plan page >= 10 % of static on SQLite and
>= 5 % on PostgreSQL; home >= 20 %; RSS under 100 MB after the PDF load; the documents no
worse than before.
"""

import argparse
import html.parser
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "chuyende-demo"
# A base version newer than any: the save never conflicts, so every request really writes.
FRESH_VERSION = "999999999"
# The pages whose latency is also measured at 80 % of their peak rate.
PACED = ("`/` home", "`/plans/{id}`", "`/me/work`", "print view", "committee dashboard",
         "topic save (POST)")


def log(message):
    print(message, file=sys.stderr, flush=True)


def ensure_wrk():
    if shutil.which("wrk"):
        return
    log("installing wrk (apt-get install -y wrk)…")
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, stdout=subprocess.DEVNULL)
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "update"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, stdout=subprocess.DEVNULL)


def build():
    log("cargo build --release …")
    subprocess.run(["cargo", "build", "--release"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "release", "chuyende")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Form(html.parser.HTMLParser):
    """The fields of the first form posting to `action` (inputs, textareas, selects)."""

    def __init__(self, action):
        super().__init__()
        self.action = action
        self.inside = False
        self.done = False
        self.fields = []
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and a.get("action") == self.action:
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button"):
                return
            self.fields.append([a["name"], a.get("value", "")])
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]
            self.fields.append(self.textarea)
        elif tag == "select" and a.get("name"):
            self.select = [a["name"], None]
            self.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            if self.select[1] is None or "selected" in a:
                self.select[1] = a.get("value", "")

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            if self.select is not None and self.select[1] is None:
                self.select[1] = ""
            self.select = None
        elif tag == "form" and self.inside:
            self.inside = False
            self.done = True


def lowered(headers):
    """The headers with lower-case names (HTTP/1 servers may send them so: hyper does)."""
    return {name.lower(): value for name, value in headers.items()}


class Client:
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def get(self, path, headers=None):
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with self.opener.open(request) as response:
                return response.status, lowered(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, lowered(error.headers), error.read()

    def post(self, path, fields):
        body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(
            self.base + path,
            data=body,
            headers={"Origin": self.base, "Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with self.opener.open(request) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def login(self, login):
        _, _, page = self.get("/login")
        token = re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()
        status, _ = self.post(
            "/login", [("csrf_token", token), ("login", login), ("password", PASSWORD)]
        )
        assert status == 303, f"login as {login}: {status}"
        return self

    def cookie(self):
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def links(self, path, pattern):
        _, _, page = self.get(path)
        return re.findall(pattern, page.decode())


def rss(pid):
    """(VmRSS, VmHWM) of the process, in MB."""
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def seconds_of(text):
    number = float(re.match(r"[\d.]+", text).group(0))
    unit = text[len(re.match(r"[\d.]+", text).group(0)):]
    return number * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def wrk(url, cookie, seconds, connections, script=None):
    command = [
        "wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency",
        "-H", f"Cookie: {cookie}",
    ]
    if script:
        command += ["-s", script]
    output = subprocess.run(command + [url], check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = seconds_of(re.search(r"\s50%\s+(\S+)", output).group(1))
    p99 = seconds_of(re.search(r"\s99%\s+(\S+)", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: .*", output)
    if bad or errors:
        log(f"  {url}: {bad.group(0) if bad else ''} {errors.group(0) if errors else ''}")
    return rate, p50, p99


def paced(url, cookie, seconds, peak, share, workdir, body=None):
    """p50/p99 at `share` of the `peak` rate: wrk's connections each wait between requests
    (its Lua `delay`, whole milliseconds), with enough connections that a connection's cycle is
    about 20 ms; a short first run measures the latency to take off the wait. Returns the rate
    reached, p50 and p99."""
    target = peak * share
    connections = max(16, int(target * 0.02) + 1)
    cycle_ms = connections * 1000 / target

    def script(delay_ms):
        path = os.path.join(workdir, "paced.lua")
        with open(path, "w") as lua:
            if body is not None:
                lua.write(body)
            lua.write(f"function delay() return {max(0, round(delay_ms))} end\n")
        return path

    first = max(0, int(cycle_ms))
    rate, _, _ = wrk(url, cookie, 2, connections, script(first))
    latency_ms = max(0.0, connections * 1000 / rate - first) if rate else 0.0
    return wrk(url, cookie, seconds, connections, script(cycle_ms - latency_ms))


def database(backend, workdir):
    """A fresh database URL for `backend`, and how to drop it."""
    if backend == "sqlite":
        return f"sqlite://{workdir}/bench.db", lambda: None
    admin = os.environ.get(
        "CHUYENDE_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
    )
    name = f"chuyende_bench_{os.getpid()}"
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    prefix = admin.rsplit("/", 1)[0]

    def drop():
        subprocess.run(
            ["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=False
        )

    return f"{prefix}/{name}", drop


def run_backend(binary, backend, seconds, connections):
    workdir = tempfile.mkdtemp(prefix="chuyende-bench-")
    url, drop = database(backend, workdir)
    env = dict(os.environ, CHUYENDE_DATABASE_URL=url, CHUYENDE_LOG="warn")
    subprocess.run([binary, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([binary, "serve"], env=dict(env, CHUYENDE_BIND=f"127.0.0.1:{port}"))
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz").read()
                break
            except OSError:
                time.sleep(0.1)
        idle = rss(server.pid)[0]
        secretary = Client(base).login("bithu")
        reviewer = Client(base).login("danguy")
        cell = secretary.links("/", r'href="/orgs/(\d+)"')[0]
        plan = secretary.links(f"/orgs/{cell}", r'href="/plans/(\d+)"')[0]
        topic = secretary.links(f"/plans/{plan}", r'href="/topics/(\d+)"')[0]
        commune = reviewer.links("/", r'href="/orgs/(\d+)"')[0]

        _, _, form = secretary.get(f"/topics/{topic}")
        parser = Form(f"/topics/{topic}")
        parser.feed(form.decode())
        fields = [(k, FRESH_VERSION if k == "version" else v) for k, v in parser.fields]
        body = urllib.parse.urlencode(fields)
        status, _ = secretary.post(f"/topics/{topic}", fields)
        assert status == 303, f"topic save answered {status}"
        script = os.path.join(workdir, "save.lua")
        with open(script, "w") as lua:
            lua.write(
                'wrk.method = "POST"\n'
                f"wrk.body = {lua_string(body)}\n"
                'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
                f'wrk.headers["Origin"] = "{base}"\n'
            )

        _, _, plain = secretary.get(f"/plans/{plan}")
        _, headers, gzipped = secretary.get(f"/plans/{plan}", {"Accept-Encoding": "gzip"})
        sizes = (len(plain), len(gzipped), headers.get("content-encoding", "none"))

        pages = [
            ("`/static/app.css`", "/static/app.css", secretary, None),
            ("`/healthz`", "/healthz", secretary, None),
            ("`/` home", "/", secretary, None),
            ("`/plans/{id}`", f"/plans/{plan}", secretary, None),
            ("`/me/work`", "/me/work", secretary, None),
            ("print view", f"/plans/{plan}/document", secretary, None),
            ("DOCX", f"/plans/{plan}/document.docx", secretary, None),
            ("PDF", f"/plans/{plan}/document.pdf", secretary, None),
            ("committee dashboard", f"/orgs/{commune}/dashboard", reviewer, None),
            ("topic save (POST)", f"/topics/{topic}", secretary, script),
        ]
        results = {}
        for label, path, client, lua in pages:
            rate, p50, p99 = wrk(base + path, client.cookie(), seconds, connections, lua)
            results[label] = (rate, p50, p99, rss(server.pid)[0])
            log(f"{backend:8} {label:24} {rate:9.0f} req/s  p50 {p50 * 1e3:7.2f} ms  "
                f"p99 {p99 * 1e3:7.2f} ms  RSS {results[label][3]:.0f} MB")
        # Latency below saturation: the pages again at 80 % of the rate each reached above.
        at80 = {}
        for label, path, client, lua in pages:
            if label not in PACED:
                continue
            body = None
            if lua:
                with open(lua) as script_file:
                    body = script_file.read()
            at80[label] = paced(base + path, client.cookie(), seconds, results[label][0], 0.8,
                                workdir, body)
            rate, p50, p99 = at80[label]
            log(f"{backend:8} {label:24} {rate:9.0f} req/s  p50 {p50 * 1e3:7.2f} ms  "
                f"p99 {p99 * 1e3:7.2f} ms  (paced at 80 %)")
        peak = rss(server.pid)[1]
        return results, idle, peak, sizes, at80
    finally:
        server.terminate()
        server.wait()
        drop()
        shutil.rmtree(workdir, ignore_errors=True)


def lua_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", help="an existing release build (skips cargo build)")
    parser.add_argument("--seconds", type=int, default=5, help="per page (default 5)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()

    ensure_wrk()
    binary = args.binary or build()
    backends = args.backends.split(",")
    runs = {b: run_backend(binary, b, args.seconds, args.connections) for b in backends}

    labels = list(next(iter(runs.values()))[0].keys())
    head = "| page |" + "".join(
        f" {b} req/s | % of static | p50 ms | p99 ms | p50/p99 ms at 80 % | RSS MB |"
        for b in backends
    )
    print(head)
    print("|---|" + "---|---|---|---|---|---|" * len(backends))
    for label in labels:
        row = f"| {label} |"
        for b in backends:
            results, at80 = runs[b][0], runs[b][4]
            static = results["`/static/app.css`"][0]
            rate, p50, p99, resident = results[label]
            paced_cell = "–"
            if label in at80:
                _, q50, q99 = at80[label]
                paced_cell = f"{q50 * 1e3:.2f} / {q99 * 1e3:.2f}"
            row += (f" {rate:,.0f} | {100 * rate / static:.1f} | {p50 * 1e3:.2f} | "
                    f"{p99 * 1e3:.2f} | {paced_cell} | {resident:.0f} |")
        print(row)
    print()
    for b in backends:
        _, idle, peak, (plain, gzipped, encoding), _ = runs[b]
        print(f"- {b}: RSS {idle:.0f} MB idle, peak {peak:.0f} MB; plan page {plain:,} bytes, "
              f"{gzipped:,} bytes with Accept-Encoding: gzip ({encoding})")


if __name__ == "__main__":
    main()

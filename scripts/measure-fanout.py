#!/usr/bin/env python3
"""Measure a running ChatServer with many open streams on one lobby.

Reports the server's resident memory before and after opening the streams (per stream), and for
each of a number of posts, the time from the post's answer to the moment the last subscriber has
the event. The client is one Python process on epoll, so its own reading time is included in the
latency figures: they are an upper bound.

    scripts/measure-fanout.py --base-url http://127.0.0.1:3000 --server-pid PID --streams 1000 --posts 50
"""
import argparse, http.client, json, os, selectors, socket, statistics, sys, time, urllib.parse


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def call(host, port, method, path, body=None):
    connection = http.client.HTTPConnection(host, port, timeout=10)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    connection.request(method, path, json.dumps(body) if body is not None else None, headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, json.loads(data) if data else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", default="http://127.0.0.1:3000")
    parser.add_argument("--server-pid", type=int, required=True)
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--posts", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=10.0)
    arguments = parser.parse_args()
    url = urllib.parse.urlparse(arguments.base_url)
    host, port = url.hostname, url.port

    status, user = call(host, port, "POST", "/chat/user", {"name": "bench"})
    assert status == 201, status
    status, lobby = call(host, port, "POST", "/chat", {})
    assert status == 201, status
    room = lobby["room"]
    assert call(host, port, "POST", f"/chat/{room}/join", {"userId": user["id"]})[0] == 200

    time.sleep(0.5)
    before = rss_kib(arguments.server_pid)
    selector = selectors.DefaultSelector()
    sockets = []
    request = f"GET /events/{room}?userId={user['id']} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n".encode()
    for _ in range(arguments.streams):
        stream = socket.create_connection((host, port))
        stream.sendall(request)
        sockets.append(stream)
    # Wait until every stream has its head and opening comment.
    opened = 0
    for stream in sockets:
        stream.settimeout(arguments.timeout)
        data = b""
        while b"\r\n\r\n" not in data or b":" not in data.split(b"\r\n\r\n", 1)[1]:
            chunk = stream.recv(65536)
            if not chunk:
                sys.exit("a stream closed while opening")
            data += chunk
        assert data.startswith(b"HTTP/1.1 200"), data[:40]
        stream.setblocking(False)
        selector.register(stream, selectors.EVENT_READ)
        opened += 1
    time.sleep(1.0)
    after = rss_kib(arguments.server_pid)

    latencies = []
    for index in range(arguments.posts):
        marker = f"post-{index}-{time.time_ns()}"
        status, _ = call(host, port, "POST", f"/chat/{room}/message", {"userId": user["id"], "message": marker})
        answered = time.perf_counter()
        assert status == 201, status
        waiting = set(sockets)
        buffers = {stream: b"" for stream in sockets}
        deadline = answered + arguments.timeout
        last = answered
        while waiting and time.perf_counter() < deadline:
            for key, _ in selector.select(timeout=0.5):
                stream = key.fileobj
                chunk = stream.recv(65536)
                if not chunk:
                    sys.exit("a stream closed")
                buffers[stream] += chunk
                if stream in waiting and marker.encode() in buffers[stream]:
                    waiting.discard(stream)
                    last = time.perf_counter()
        if waiting:
            sys.exit(f"{len(waiting)} streams did not receive post {index}")
        latencies.append((last - answered) * 1000)

    latencies.sort()
    result = {
        "streams": opened,
        "rss_before_kib": before,
        "rss_after_kib": after,
        "kib_per_stream": round((after - before) / opened, 2),
        "posts": len(latencies),
        "answer_to_last_subscriber_ms": {
            "p50": round(statistics.median(latencies), 2),
            "p99": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 2),
            "max": round(latencies[-1], 2),
        },
    }
    print(json.dumps(result, indent=2))
    for stream in sockets:
        stream.close()


if __name__ == "__main__":
    main()

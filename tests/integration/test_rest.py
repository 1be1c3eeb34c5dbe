"""Every REST route, its answer and each of its errors (all JSON)."""

import socket

import harness
from harness import Server, check


def test_health_and_stats():
    with Server() as s:
        status, body, headers = s.get("/healthz")
        check(status == 200 and body["status"] == "ok", f"healthz: {status} {body}")
        check(headers["Content-Type"].startswith("application/json"), f"content type {headers['Content-Type']}")
        status, body, _ = s.get("/api/v1/ws/stats")
        check(status == 200, f"stats: {status}")
        check(body["total_connections"] == 0 and body["active_analyses"] == 0, f"stats at start: {body}")
        for key in ("total_connections", "total_events_sent", "total_reconnections", "rejected_connections"):
            check(body["stats"][key] == 0, f"stats.{key} at start: {body['stats']}")


def test_submit_then_result_and_status():
    with Server(loadgen={"count": 5}) as s:
        body = s.submit("rest-1")
        check(body["analysis_id"] == "rest-1", f"202 body: {body}")
        check(body["stream_url"] == f"ws://127.0.0.1:{s.port}/api/v1/ws/analysis/rest-1", f"stream_url: {body}")
        status = s.wait_complete("rest-1")
        check(status["analysis_id"] == "rest-1" and status["connections"] == 0, f"status: {status}")
        check(status["head_sequence"] >= 8 and status["oldest_sequence"] == 1, f"status sequences: {status}")
        check(status["buffer_size"] == status["head_sequence"], f"buffer_size: {status}")
        check(status["progress"]["analysis_id"] == "rest-1", f"status progress: {status['progress']}")
        code, result, _ = s.get("/api/v1/analyses/rest-1")
        check(code == 200 and result["state"] == "complete" and result["bill_id"] == "test-bill", f"{code} {result}")
        check("result" in result, f"a finished analysis carries its result: {list(result)}")
        stats = s.stats()
        check(stats["active_analyses"] == 1, f"active_analyses: {stats}")
        check(stats["stats"]["events_stored"] == status["head_sequence"], f"events_stored: {stats}")


def test_submit_picks_an_id_when_none_given():
    with Server(loadgen={"count": 1}) as s:
        status, body, _ = s.request("POST", "/api/v1/analyses", {"text": harness.BILL_TEXT})
        check(status == 202 and body["analysis_id"], f"{status} {body}")
        s.wait_complete(body["analysis_id"])


def expect_error(s, method, path, body, status, fragment, headers=None):
    code, answer, response_headers = s.request(method, path, body, headers)
    check(code == status, f"{method} {path}: expected {status}, got {code} {answer}")
    check(isinstance(answer.get("error"), str) and fragment in answer["error"],
          f"{method} {path}: error should mention {fragment!r}: {answer}")
    return response_headers


def test_submit_errors():
    with Server(server={"max_request_bytes": 4000}, pipeline={"max_bill_bytes": 1000}) as s:
        expect_error(s, "POST", "/api/v1/analyses", b"{not json", 400, "JSON object")
        expect_error(s, "POST", "/api/v1/analyses", b"[1, 2]", 400, "JSON object")
        expect_error(s, "POST", "/api/v1/analyses", {"bill_id": "x"}, 400, "\"text\"")
        expect_error(s, "POST", "/api/v1/analyses", {"text": ""}, 400, "\"text\"")
        expect_error(s, "POST", "/api/v1/analyses", {"text": 42}, 400, "\"text\"")
        expect_error(s, "POST", "/api/v1/analyses", {"text": "x", "title": 3}, 400, "must be strings")
        expect_error(s, "POST", "/api/v1/analyses", {"text": "x", "analysis_id": "no/slash"}, 400, "invalid")
        expect_error(s, "POST", "/api/v1/analyses", {"text": "x", "analysis_id": "a" * 65}, 400, "invalid")
        expect_error(s, "POST", "/api/v1/analyses", {"text": "y" * 5000}, 413, "max_request_bytes")
        expect_error(s, "POST", "/api/v1/analyses", {"text": "y" * 2000}, 413, "max_bill_bytes")
        s.submit("dup-1")
        expect_error(s, "POST", "/api/v1/analyses", {"text": "x", "analysis_id": "dup-1"}, 409, "already in use")
        s.wait_complete("dup-1")
        expect_error(s, "POST", "/api/v1/analyses", {"text": "x", "analysis_id": "dup-1"}, 409, "already in use")


def raw_http(port, request):
    """Sends raw bytes; returns the status line and the body."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < content_length(data):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(), body


def content_length(data):
    for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    return 0


def test_post_without_body_or_length():
    with Server() as s:
        status, body = raw_http(s.port, b"POST /api/v1/analyses HTTP/1.1\r\nHost: x\r\n"
                                        b"Content-Type: application/json\r\n\r\n")
        check(" 411 " in status and b"Content-Length" in body, f"no Content-Length: {status} {body}")
        status, body = raw_http(s.port, b"POST /api/v1/analyses HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        check(" 400 " in status and b"body required" in body, f"empty body: {status} {body}")


def test_routes_methods_and_ids():
    with Server(loadgen={"count": 1}) as s:
        expect_error(s, "GET", "/nope", None, 404, "no such path")
        expect_error(s, "GET", "/api/v1/analyses/x/y", None, 404, "no such path")
        expect_error(s, "GET", "/healthz/", None, 404, "no such path")
        headers = expect_error(s, "DELETE", "/healthz", None, 405, "GET")
        check(headers["Allow"] == "GET", f"Allow header: {headers.get('Allow')}")
        headers = expect_error(s, "GET", "/api/v1/analyses", None, 405, "POST")
        check(headers["Allow"] == "POST", f"Allow header: {headers.get('Allow')}")
        expect_error(s, "POST", "/api/v1/ws/stats", b"{}", 405, "GET")
        expect_error(s, "PUT", "/api/v1/analyses/abc", b"{}", 405, "GET")
        expect_error(s, "GET", "/api/v1/analyses/bad.id", None, 400, "invalid analysis id")
        expect_error(s, "GET", "/api/v1/ws/analysis/" + "z" * 65 + "/status", None, 400, "invalid analysis id")
        expect_error(s, "GET", "/api/v1/analyses/unknown-1", None, 404, "unknown analysis")
        expect_error(s, "GET", "/api/v1/ws/analysis/unknown-1/status", None, 404, "unknown analysis")
        expect_error(s, "GET", "/api/v1/ws/analysis/abc", None, 426, "WebSocket")


if __name__ == "__main__":
    harness.main([test_health_and_stats, test_submit_then_result_and_status, test_submit_picks_an_id_when_none_given,
                  test_submit_errors, test_post_without_body_or_length, test_routes_methods_and_ids])

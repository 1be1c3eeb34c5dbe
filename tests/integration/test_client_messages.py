"""What a client may send, and the answer to everything else: an error reply
and the connection stays up; too big -> 1009; binary -> 1003; a bad path,
id or last_sequence -> 1008."""

import re

import websockets

import harness
from harness import Server, check, receive

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


async def open_stream(s, analysis_id):
    ws = await harness.connect(f"{s.ws}/{analysis_id}")
    first = await receive(ws)
    check(first["event_type"] == "progress_update", f"progress first: {first}")
    return ws


async def expect_close(ws, code, fragment):
    try:
        while True:
            await receive(ws)
    except websockets.ConnectionClosed:
        pass
    check(ws.close_code == code, f"expected close {code}, got {ws.close_code} {ws.close_reason!r}")
    check(fragment in ws.close_reason, f"close reason should mention {fragment!r}: {ws.close_reason!r}")


async def test_ping_and_progress_request():
    with Server(loadgen={"count": 3}) as s:
        s.submit("msg-1")
        s.wait_complete("msg-1")
        ws = await open_stream(s, "msg-1")
        try:
            await ws.send('{"type":"ping"}')
            pong = None
            while pong is None:
                m = await receive(ws)
                pong = m if m.get("type") == "pong" else None
            check(set(pong) == {"type", "timestamp"} and TIMESTAMP.match(pong["timestamp"]), f"pong: {pong}")
            await ws.send('{"type":"progress_request"}')
            progress = None
            while progress is None:
                m = await receive(ws)
                progress = m if m.get("event_type") == "progress_update" and m["sequence"] is None else None
            check(progress["data"]["analysis_id"] == "msg-1" and progress["data"]["stage"] == "complete",
                  f"progress_update answer: {progress['data']}")
            check(progress["data"]["overall_progress"] == 1, f"finished analysis at 100%: {progress['data']}")
        finally:
            await ws.close()
        check(s.stats()["stats"]["total_messages_received"] == 2, "two client messages counted")


async def test_bad_messages_get_errors_and_stay_connected():
    cases = [
        ('{"type":"subscribe"}', 'unknown message type "subscribe"'),
        ('{"kind":"ping"}', 'needs a string "type"'),
        ('{"type": 7}', 'needs a string "type"'),
        ("{not json", "malformed JSON"),
        ('{"type":"ping"} trailing', "malformed JSON"),
        ("", "malformed JSON"),
        ("[1,2]", "not an array"),
        ('"ping"', "not a string"),
        ("42", "not a number"),
        ("true", "not a boolean"),
        ("null", "not null"),
    ]
    with Server() as s:
        ws = await open_stream(s, "msg-2")
        try:
            for text, fragment in cases:
                await ws.send(text)
                reply = await receive(ws)
                check(reply.get("type") == "error" and fragment in reply.get("error", ""),
                      f"{text!r}: expected an error mentioning {fragment!r}, got {reply}")
            await ws.send('{"type":"ping"}')
            check((await receive(ws))["type"] == "pong", "still connected after every bad message")
        finally:
            await ws.close()


async def test_size_limit():
    with Server(server={"max_message_bytes": 4096}) as s:
        ws = await open_stream(s, "msg-3")
        exactly = '{"type":"ping","pad":"' + "x" * (4096 - 24) + '"}'
        check(len(exactly) == 4096, "a message of exactly the limit")
        await ws.send(exactly)
        check((await receive(ws))["type"] == "pong", "4096 bytes is allowed")
        await ws.send("x" * 4097)
        await expect_close(ws, 1009, "4096")
        ws = await open_stream(s, "msg-3")
        await ws.send(iter(["{" + "x" * 3000, "y" * 3000 + "}"]))  # one message in two fragments
        await expect_close(ws, 1009, "4096")


async def test_binary_frames_are_refused():
    with Server() as s:
        ws = await open_stream(s, "msg-4")
        await ws.send(b'{"type":"ping"}')
        await expect_close(ws, 1003, "binary")


async def test_bad_urls_are_refused():
    with Server() as s:
        for path, fragment in [("/api/v1/ws/analysis/bad.id", "invalid analysis id"),
                               ("/api/v1/ws/analysis/" + "a" * 65, "invalid analysis id"),
                               ("/api/v1/ws/analysis/ok-1?last_sequence=-1", "last_sequence"),
                               ("/api/v1/ws/analysis/ok-1?last_sequence=12abc", "last_sequence"),
                               ("/api/v1/ws/analysis/ok-1?last_sequence=99999999999999999999999", "last_sequence"),
                               ("/api/v1/ws/elsewhere", "unknown WebSocket path")]:
            async with harness.connect(f"ws://127.0.0.1:{s.port}{path}") as ws:
                await expect_close(ws, 1008, fragment)
        check(s.stats()["stats"]["invalid_connections"] == 6, f"counted: {s.stats()['stats']}")
        check(s.stats()["total_connections"] == 0, "refused clients are not connections")


if __name__ == "__main__":
    harness.main([test_ping_and_progress_request, test_bad_messages_get_errors_and_stay_connected, test_size_limit,
                  test_binary_frames_are_refused, test_bad_urls_are_refused])

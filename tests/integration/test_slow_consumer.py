"""A client that stops reading is closed with 4008 while 99 others keep their
pace and get every event; it can then resume with last_sequence and is told
what it missed."""

import asyncio
import json
import re
import socket

import websockets

import harness
from harness import Server, check, check_contiguous

ITEMS = 1000
SEQUENCE_AT_END = re.compile(r'"sequence":(\d+|null)}$')


async def keeping_up(url):
    """Reads everything, cheaply: the sequence is the last field of a wire event."""
    sequences = []
    async with harness.connect(url) as ws:
        while True:
            text = await asyncio.wait_for(ws.recv(), 60)
            m = SEQUENCE_AT_END.search(text)
            if m and m.group(1) != "null":
                sequences.append(int(m.group(1)))
                if '"event_type":"analysis_complete"' in text:
                    return sequences


async def not_reading(s, url):
    """Connects with a tiny receive buffer, reads nothing until the server has
    given up on it, then drains: the stream ends with close 4008."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", s.port))
    ws = await harness.connect(url, sock=sock, max_queue=1, read_limit=4096)
    while (await asyncio.to_thread(s.stats))["stats"]["slow_client_disconnects"] == 0:
        await asyncio.sleep(0.05)  # polling the server's counter, not a blind wait
    sequences = []
    try:
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), 30))
            if harness.sequence_of(message) is not None:
                sequences.append(message["sequence"])
    except websockets.ConnectionClosed:
        pass
    return sequences, ws.close_code, ws.close_reason


async def test_slow_consumer_is_closed_others_unaffected():
    with Server(server={"message_buffer_size": 400, "slow_client_timeout_seconds": 2},
                loadgen={"count": ITEMS, "rate": 150, "payload_bytes": 4000}) as s:
        url = f"{s.ws}/slow-1"
        slow = asyncio.create_task(not_reading(s, url))
        others = [asyncio.create_task(keeping_up(url)) for _ in range(99)]
        await asyncio.to_thread(harness.wait_for, lambda: s.connections("slow-1") == 100, 20,
                                "100 clients to connect")
        s.submit("slow-1")
        sequences, code, reason = await slow
        check(code == 4008 and "slow consumer" in reason, f"the slow client is closed 4008: {code} {reason!r}")
        check_contiguous(sequences, 1, len(sequences), "what the slow client got before the close")
        results = await asyncio.gather(*others)
        head = s.stream_status("slow-1")["head_sequence"]
        for i, got in enumerate(results):
            check_contiguous(got, 1, head, f"client {i} while another was slow")
        check(s.stats()["stats"]["slow_client_disconnects"] == 1, "only the slow one was closed")
        # it resumes where it stopped and is told what it missed
        last = sequences[-1]
        messages, _ = await harness.collect(f"{url}?last_sequence={last}", harness.has_complete)
        notice = messages[0]
        check(notice["type"] == "resume" and notice["recovered"] is False and notice["reason"] == "too_old"
              and notice["missed"] == notice["resumed_from"] - last - 1, f"resume after 4008: {notice}")
        check_contiguous(harness.stream_sequences(messages), notice["resumed_from"], head, "after resuming")


if __name__ == "__main__":
    harness.main([test_slow_consumer_is_closed_others_unaffected])

"""Connection limits (1013 with a JSON reason), keepalive pings and the
hang-up of a peer that does not answer them, and the connection timeout."""

import asyncio
import base64
import json
import os
import socket
import time

import websockets

import harness
from harness import Server, check, receive, wait_for


async def refused_with(url):
    async with harness.connect(url) as ws:
        try:
            while True:
                await receive(ws)
        except websockets.ConnectionClosed:
            return ws.close_code, json.loads(ws.close_reason)


async def test_connection_limits():
    with Server(server={"max_connections_per_analysis": 2, "max_total_connections": 3}) as s:
        a1 = await harness.connect(f"{s.ws}/lim-a")
        a2 = await harness.connect(f"{s.ws}/lim-a")
        code, reason = await refused_with(f"{s.ws}/lim-a")
        check(code == 1013 and reason == {"error": "too many connections to this analysis", "limit": 2},
              f"per-analysis limit: {code} {reason}")
        b1 = await harness.connect(f"{s.ws}/lim-b")
        code, reason = await refused_with(f"{s.ws}/lim-c")
        check(code == 1013 and reason == {"error": "too many connections to this server", "limit": 3},
              f"total limit: {code} {reason}")
        stats = s.stats()
        check(stats["total_connections"] == 3 and stats["stats"]["rejected_connections"] == 2, f"stats: {stats}")
        for ws in (a1, a2, b1):
            await ws.send('{"type":"ping"}')
            while (await receive(ws)).get("type") != "pong":
                pass
            await ws.close()
        wait_for(lambda: s.stats()["total_connections"] == 0, 5, "the clients to be gone")
        c1 = await harness.connect(f"{s.ws}/lim-a")  # room again once others left
        check((await receive(c1))["event_type"] == "progress_update", "admitted after the others left")
        await c1.close()


class RawClient:
    """A WebSocket client that never answers pings (the handshake by hand)."""

    def __init__(self, port, path):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
                          .encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.sock.recv(4096)
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        check(head.startswith(b"HTTP/1.1 101"), f"handshake: {head[:40]}")

    def _need(self, n, deadline):
        while len(self.buffer) < n:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            chunk = self.sock.recv(65536)
            if not chunk:
                return False
            self.buffer += chunk
        return True

    def next_frame(self, timeout):
        """(opcode, payload), or None once the server has closed the TCP connection."""
        deadline = time.monotonic() + timeout
        if not self._need(2, deadline):
            return None
        length = self.buffer[1] & 0x7F
        header = 2 + {126: 2, 127: 8}.get(length, 0)
        if not self._need(header, deadline):
            return None
        if length >= 126:
            length = int.from_bytes(self.buffer[2:header], "big")
        if not self._need(header + length, deadline):
            return None
        opcode, payload = self.buffer[0] & 0x0F, self.buffer[header:header + length]
        self.buffer = self.buffer[header + length:]
        return opcode, payload

    def frames_until_hung_up(self, timeout):
        """The opcodes of every frame received until the server drops the connection."""
        opcodes = []
        while (frame := self.next_frame(timeout)) is not None:
            opcodes.append(frame[0])
        return opcodes


async def test_pings_and_hang_up():
    with Server(server={"ping_interval_seconds": 1}) as s:
        answering = await harness.connect(f"{s.ws}/live-1")  # python3-websockets answers pings itself
        raw = RawClient(s.port, "/api/v1/ws/analysis/live-1")
        started = time.monotonic()
        opcodes = await asyncio.to_thread(raw.frames_until_hung_up, 8)  # the event loop keeps answering pings
        elapsed = time.monotonic() - started
        check(0x9 in opcodes, f"the server pinged: opcodes {opcodes}")
        check(1.5 <= elapsed <= 6, f"a silent peer is hung up after about two intervals: {elapsed:.1f} s")
        await answering.send('{"type":"ping"}')
        while (await receive(answering)).get("type") != "pong":
            pass  # still up: it answered the pings
        await answering.close()


async def test_connection_timeout():
    with Server(server={"connection_timeout_seconds": 1}) as s:
        started = time.monotonic()
        async with harness.connect(f"{s.ws}/timeout-1") as ws:
            try:
                while True:
                    await receive(ws, 10)
            except websockets.ConnectionClosed:
                pass
        check(ws.close_code == 1000 and ws.close_reason == "connection timeout",
              f"closed {ws.close_code} {ws.close_reason!r}")
        check(time.monotonic() - started < 4, "closed about when the timeout says")
        check(s.stats()["stats"]["timed_out_connections"] == 1, "counted")


if __name__ == "__main__":
    harness.main([test_connection_limits, test_pings_and_hang_up, test_connection_timeout])

"""Graceful shutdown: SIGTERM cancels the running analysis, every client gets
every stored event (analysis_complete last) and then 1001, the process exits
0; polisim-watch reconnects by itself to the restarted server."""

import asyncio
import signal
import subprocess

import websockets

import harness
from harness import Server, check, check_contiguous, stream_sequences, wait_for


async def read_until_closed(url):
    messages = []
    async with harness.connect(url) as ws:
        try:
            while True:
                messages.append(await harness.receive(ws, 60))
        except websockets.ConnectionClosed:
            return messages, ws.close_code, ws.close_reason


async def test_graceful_shutdown_and_watch_reconnect():
    port = harness.free_port()
    with Server(port=port, loadgen={"count": 100000, "rate": 200}) as s:
        url = f"{s.ws}/shut-1"
        watch = subprocess.Popen([harness.ARGS.watch, "--quiet", "--retries", "20", url],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        clients = [asyncio.create_task(read_until_closed(url)) for _ in range(3)]
        await asyncio.to_thread(wait_for, lambda: s.connections("shut-1") == 4, 20,
                                "the clients to connect")
        s.submit("shut-1")
        await asyncio.to_thread(wait_for, lambda: s.stream_status("shut-1")["head_sequence"] > 50, 20,
                                "the analysis to be streaming")
        rc = await asyncio.to_thread(s.stop)
        check(rc == 0, f"exit status after SIGTERM: {rc}")
        check(s.find_log(r"shutting down: 1 analysis\(es\) running"), "shutdown logged")
        for messages, code, reason in await asyncio.gather(*clients):
            check(code == 1001 and reason == "server shutting down", f"closed {code} {reason!r}")
            stream = [m for m in messages if harness.sequence_of(m) is not None]
            check_contiguous(stream_sequences(messages), 1, stream[-1]["sequence"], "stream before shutdown")
            check(stream[-1]["event_type"] == "analysis_complete" and stream[-1]["data"]["status"] == "error",
                  f"the cancelled analysis still ends with analysis_complete: {stream[-1]}")

    # the same port again: polisim-watch has been retrying and reconnects
    with Server(port=port, loadgen={"count": 5}) as s2:
        wait_for(lambda: s2.connections("shut-1") == 1, 30, "polisim-watch to reconnect")
        s2.submit("shut-1")
        head = s2.wait_complete("shut-1")["head_sequence"]
        wait_for(lambda: s2.stats()["stats"]["total_events_sent"] == head, 20, "polisim-watch to get the new stream")
        watch.send_signal(signal.SIGINT)
        _, err = watch.communicate(timeout=30)
        check(watch.returncode == 0, f"polisim-watch exit {watch.returncode}: {err}")
        check("disconnected by the server (1001)" in err, f"watch saw the 1001: {err}")
        check("NOT recovered (unknown_position)" in err, f"the new server says it does not know the position: {err}")
        check("0 gap(s), 0 duplicate(s)" in err, f"no gap: {err}")


if __name__ == "__main__":
    harness.main([test_graceful_shutdown_and_watch_reconnect])

"""The seam between replay and live, under load: clients that keep dropping
and reconnecting with last_sequence while events pour in end up with every
event exactly once, in order."""

import asyncio
import random
import threading

import harness
from harness import Server, check, check_contiguous, run_watch

ITEMS = 3000


async def hopping_client(url, seed):
    """Reconnects after a random number of events each time (even seeds close
    properly, odd ones drop the TCP connection); returns every sequence it saw."""
    rng = random.Random(seed)
    seen, last, connects = [], 0, 0
    while True:
        connects += 1
        async with harness.connect(f"{url}?last_sequence={last}", max_queue=None) as ws:
            budget = rng.randint(1, 400)
            while budget > 0:
                message = await harness.receive(ws, 30)
                if message.get("type") == "resume":
                    check(message["recovered"] is True and message["resumed_from"] == last + 1,
                          f"client {seed}: resume at {last} not recovered: {message}")
                    continue
                if harness.sequence_of(message) is None:
                    continue
                seen.append(message["sequence"])
                last = message["sequence"]
                budget -= 1
                if message["event_type"] == "analysis_complete":
                    return seen, connects
            if seed % 2:
                ws.transport.abort()  # a dropped connection: no closing handshake


async def test_seam_under_load():
    with Server(server={"message_buffer_size": 10000},
                loadgen={"count": ITEMS, "rate": 1500, "kind": "custom"}) as s:
        url = f"{s.ws}/seam-1"
        watch = {}
        watcher = threading.Thread(target=lambda: watch.update(
            result=run_watch(url, "--until-complete", "--quiet", timeout=120)))
        watcher.start()
        harness.wait_for(lambda: s.connections("seam-1") == 1, 10, "polisim-watch to connect")
        clients = [hopping_client(url, seed) for seed in range(8)]
        s.submit("seam-1")
        results = await asyncio.gather(*clients)
        head = s.stream_status("seam-1")["head_sequence"]
        check(head > ITEMS, f"head {head}")
        for seed, (seen, connects) in enumerate(results):
            check(connects > 3, f"client {seed} reconnected only {connects} time(s)")
            check_contiguous(seen, 1, head, f"client {seed} across {connects} connections")
        watcher.join(120)
        rc, _, err = watch["result"]
        check(rc == 0 and f"{head} event(s) received, last sequence {head}" in err and "0 gap(s), 0 duplicate(s)"
              in err, f"polisim-watch: {rc} {err}")


if __name__ == "__main__":
    harness.main([test_seam_under_load])

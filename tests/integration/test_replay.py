"""Replay: a late joiner gets everything; last_sequence=N gets exactly N+1..head;
and what a client is told when that is not possible (too_old, expired,
unknown_position)."""

import asyncio

import harness
from harness import (Server, check, check_contiguous, collect, has_complete, run_watch, stream_sequences,
                     wait_for)


async def test_late_join_gets_everything():
    with Server(loadgen={"count": 50}) as s:
        s.submit("late-1")
        head = s.wait_complete("late-1")["head_sequence"]
        messages, _ = await collect(f"{s.ws}/late-1", has_complete)
        check(messages[0].get("event_type") == "progress_update" and messages[0]["sequence"] is None,
              f"first message is the current progress: {messages[0]}")
        check(not any(m.get("type") == "resume" for m in messages), "no resume notice for a full replay")
        check_contiguous(stream_sequences(messages), 1, head, "late join")
        loads = [m for m in messages if m.get("event_type") == "agent_event"]
        check([m["data"]["data"]["seq"] for m in loads] == list(range(1, 51)), "the 50 load items, in order")
        check(messages[-1]["event_type"] == "analysis_complete", "analysis_complete is last")
        # our own client: same stream, exits 0 after analysis_complete, no gap or duplicate
        rc, lines, err = run_watch(f"{s.ws}/late-1", "--until-complete")
        check(rc == 0, f"polisim-watch exit {rc}: {err}")
        numbered = [line for line in lines if line.startswith("#")]
        check(len(numbered) == head and numbered[-1].split()[1] == "analysis_complete", f"watch lines: {lines[-3:]}")
        check(f"{head} event(s) received, last sequence {head}" in err and "0 gap(s), 0 duplicate(s)" in err, err)


async def test_reconnect_at_several_positions():
    with Server(loadgen={"count": 40}) as s:
        s.submit("re-1")
        head = s.wait_complete("re-1")["head_sequence"]
        for n in (1, 2, head // 2, head - 1):
            messages, _ = await collect(f"{s.ws}/re-1?last_sequence={n}", has_complete)
            notice = messages[0]
            check(notice == {"type": "resume", "recovered": True, "reason": None, "last_sequence": n,
                             "resumed_from": n + 1, "missed": 0, "oldest_sequence": 1, "head_sequence": head},
                  f"resume notice at N={n}: {notice}")
            check(messages[1]["event_type"] == "progress_update" and messages[1]["sequence"] is None,
                  f"progress follows the notice: {messages[1]}")
            check_contiguous(stream_sequences(messages), n + 1, head, f"last_sequence={n}")
        # N = head: recovered, nothing to replay; a ping proves the stream is idle, not cut
        async with harness.connect(f"{s.ws}/re-1?last_sequence={head}") as ws:
            notice = await harness.receive(ws)
            check(notice["recovered"] is True and notice["resumed_from"] == head + 1, f"at head: {notice}")
            check((await harness.receive(ws))["event_type"] == "progress_update", "progress at head")
            await ws.send('{"type":"ping"}')
            check((await harness.receive(ws))["type"] == "pong", "nothing replayed at head")
        rc, lines, err = run_watch(f"{s.ws}/re-1", "--from", str(head - 3), "--until-complete")
        check(rc == 0 and len([x for x in lines if x.startswith("#")]) == 3, f"watch --from: {rc} {lines} {err}")
        check("resume: recovered" in err, f"watch reports the notice: {err}")
        stats = s.stats()["stats"]
        check(stats["total_reconnections"] == 6, f"total_reconnections counts connects with N > 0: {stats}")


async def test_too_old():
    with Server(server={"message_buffer_size": 30}, loadgen={"count": 60}) as s:
        s.submit("old-1")
        status = s.wait_complete("old-1")
        head, oldest = status["head_sequence"], status["oldest_sequence"]
        check(status["buffer_size"] == 30 and oldest == head - 29, f"ring of 30: {status}")
        for n in (0, 5):
            messages, _ = await collect(f"{s.ws}/old-1?last_sequence={n}", has_complete)
            check(messages[0] == {"type": "resume", "recovered": False, "reason": "too_old", "last_sequence": n,
                                  "resumed_from": oldest, "missed": oldest - n - 1, "oldest_sequence": oldest,
                                  "head_sequence": head}, f"too_old notice at N={n}: {messages[0]}")
            check_contiguous(stream_sequences(messages), oldest, head, "after too_old")
        rc, _, err = run_watch(f"{s.ws}/old-1", "--from", "3", "--until-complete", "--quiet")
        check(rc == 0 and "NOT recovered (too_old)" in err and "0 gap(s)" in err, f"watch: {rc} {err}")


async def test_expired_and_unknown_position():
    with Server(server={"message_buffer_ttl_seconds": 1}, loadgen={"count": 10}) as s:
        s.submit("exp-1")
        head = s.wait_complete("exp-1")["head_sequence"]
        # unknown position: ahead of head
        messages, _ = await collect(f"{s.ws}/exp-1?last_sequence={head + 100}", lambda m: len(m) >= 1)
        notice = messages[0]
        check(notice["recovered"] is False and notice["reason"] == "unknown_position" and notice["missed"] == 0
              and notice["head_sequence"] == head, f"unknown_position: {notice}")
        # expired: the buffer empties after its TTL; the head stays known
        wait_for(lambda: s.stream_status("exp-1")["buffer_size"] == 0, 10, "the buffer to expire")
        status = s.stream_status("exp-1")
        check(status["oldest_sequence"] is None and status["head_sequence"] == head, f"expired status: {status}")
        for n in (0, 4):
            async with harness.connect(f"{s.ws}/exp-1?last_sequence={n}") as ws:
                notice = await harness.receive(ws)
                check(notice == {"type": "resume", "recovered": False, "reason": "expired", "last_sequence": n,
                                 "resumed_from": head + 1, "missed": head - n, "oldest_sequence": None,
                                 "head_sequence": head}, f"expired notice at N={n}: {notice}")
                progress = await harness.receive(ws)
                check(progress["event_type"] == "progress_update" and progress["data"]["stage"] == "complete",
                      f"the final progress is kept after the buffer expired: {progress}")


async def test_join_before_the_analysis_exists():
    with Server(loadgen={"count": 10}) as s:
        async with harness.connect(f"{s.ws}/early-1") as ws:
            first = await harness.receive(ws)
            check(first["event_type"] == "progress_update" and first["sequence"] is None, f"early join: {first}")
            wait_for(lambda: s.connections("early-1") == 1, 5, "the early client to be counted")
            s.submit("early-1")
            messages = []
            while not has_complete(messages):
                messages.append(await harness.receive(ws))
        check_contiguous(stream_sequences(messages), 1, s.stream_status("early-1")["head_sequence"], "early join")


if __name__ == "__main__":
    harness.main([test_late_join_gets_everything, test_reconnect_at_several_positions, test_too_old,
                  test_expired_and_unknown_position, test_join_before_the_analysis_exists])

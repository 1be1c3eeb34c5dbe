"""Thought batching keeps order with the other events; pacing (the default
50 events/s) delays and merges but loses nothing; coalesced client
wake-ups (write_coalesce_ms) hold events back for at most one interval."""

import asyncio
import re

import harness
from harness import Server, check, check_contiguous, collect, has_complete, stream_sequences

THOUGHT_FIELDS = {"thought_id", "agent_id", "thought_type", "thought_label", "content", "confidence",
                  "related_section", "timestamp"}


def item_number(text):
    return int(re.match(r"seq=(\d+) ", text).group(1))


def items_in_stream_order(messages):
    """The load items as the stream delivers them: (item numbers, batch sizes)."""
    items, batches = [], []
    for m in messages:
        if harness.sequence_of(m) is None:
            continue
        data = m["data"]
        if m["event_type"] == "agent_thinking":
            check(data["batch_size"] == len(data["thoughts"]), f"batch_size matches thoughts[]: {data['batch_size']}")
            check(data["agent_id"] == "loadgen", f"one agent's batch names it: {data['agent_id']}")
            for thought in data["thoughts"]:
                check(THOUGHT_FIELDS <= set(thought), f"thought fields: {sorted(thought)}")
                items.append(item_number(thought["content"]))
            batches.append(data["batch_size"])
        elif m["event_type"] == "agent_finding" and data.get("category") == "load":
            items.append(item_number(data["description"]))
    return items, batches


async def test_batching_keeps_order():
    with Server(server={"thought_batch_window_ms": 100},
                loadgen={"count": 300, "kind": "mixed", "finding_every": 5}) as s:
        s.submit("batch-1")
        head = s.wait_complete("batch-1")["head_sequence"]
        messages, _ = await collect(f"{s.ws}/batch-1", has_complete)
        check_contiguous(stream_sequences(messages), 1, head, "batched stream")
        items, batches = items_in_stream_order(messages)
        check(items == list(range(1, 301)), f"every item once, in emission order (first wrong at "
              f"{next((i for i, v in enumerate(items) if v != i + 1), None)})")
        check(max(batches) > 1, f"thoughts within the window were batched: sizes {batches[:20]}")
        check(len(batches) < 240, f"240 thoughts became {len(batches)} batches")


async def test_pacing_loses_nothing():
    # the default pacing (50 events/s) and batch window (100 ms)
    with Server(server={"max_events_per_second": 50, "thought_batch_window_ms": 100},
                loadgen={"count": 1000, "kind": "mixed", "finding_every": 10}) as s:
        s.submit("pace-1")
        messages, _ = await collect(f"{s.ws}/pace-1", has_complete, timeout=90)
        items, _ = items_in_stream_order(messages)
        check(items == list(range(1, 1001)), f"all 1000 items arrive, in order ({len(items)} arrived)")
        stream = [m for m in messages if harness.sequence_of(m) is not None]
        check(stream[-1]["event_type"] == "analysis_complete", f"analysis_complete last: {stream[-1]['event_type']}")
        check_contiguous(stream_sequences(messages), 1, stream[-1]["sequence"], "paced stream")
        completed = [m for m in stream if m["event_type"] == "agent_completed"]
        check(len(completed) == 1 and completed[0]["data"]["status"] == "completed", "the lifecycle survives pacing")


async def test_coalesced_wakeups_send_the_last_events():
    """While events stream, a live client is woken once per write_coalesce_ms;
    the events stored after the last wake-up go out when the interval ends,
    with no later event to carry them."""
    with Server(server={"write_coalesce_ms": 100, "max_events_per_second": 0},
                loadgen={"count": 300, "rate": 1000}) as s:
        url = f"{s.ws}/coalesce-1"
        client = asyncio.create_task(collect(url, has_complete))
        await asyncio.to_thread(harness.wait_for, lambda: s.connections("coalesce-1") == 1, 20,
                                "the client to connect")
        s.submit("coalesce-1")
        messages, _ = await client
        head = s.stream_status("coalesce-1")["head_sequence"]
        check_contiguous(stream_sequences(messages), 1, head, "a live client, write_coalesce_ms 100")


if __name__ == "__main__":
    harness.main([test_batching_keeps_order, test_pacing_loses_nothing,
                  test_coalesced_wakeups_send_the_last_events])

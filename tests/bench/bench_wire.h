/*
 * bench_wire — reads what the benchmark needs from one server message
 * (schemas/protocol.md), without allocating: a stream event's sequence and
 * type, a resume notice's resumed_from, and, for a load item of the loadgen
 * plugin (agent_event "load", data {seq, mono_ns, pad}), its number and
 * CLOCK_MONOTONIC stamp.
 *
 * It walks the JSON for real (strings with escapes, nested values, any key
 * order), so it does not depend on how the server lays the message out;
 * it only skips what it does not need instead of building it.
 */
#ifndef PS_BENCH_WIRE_H
#define PS_BENCH_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define WIRE_TYPE_SIZE 40

typedef struct wire_message {
    char event_type[WIRE_TYPE_SIZE]; /* a wire event's event_type; "" otherwise */
    char type[WIRE_TYPE_SIZE];       /* a control message's type (resume, pong, error); "" otherwise */
    int numbered;                    /* "sequence" is a number: the event is in the stream */
    uint64_t sequence;
    uint64_t resumed_from;           /* resume notice; 0 when absent or null */
    int load_item;                   /* a loadgen item: item and stamp_ns are set */
    uint64_t item;                   /* data.data.seq */
    int64_t stamp_ns;                /* data.data.mono_ns */
} wire_message;

/* Fills *out from one message. Returns 0, or -1 if it is not a JSON object
 * or a field the benchmark reads has the wrong type. */
int wire_read(const char *json, size_t length, wire_message *out);

#endif

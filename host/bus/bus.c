/*
 * bus — the multi-producer MessagePack event queue (see bus.h).
 *
 * A singly linked FIFO of messages, each one malloc'd block holding its own
 * copy of the bytes, guarded by one mutex. Publishing appends at the tail in
 * O(1); draining detaches the whole list under the lock and delivers it
 * outside the lock, so producers never wait for subscribers.
 */
#include "bus/bus.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct bus_message {
    struct bus_message *next;
    size_t length;
    uint8_t bytes[];
} bus_message;

typedef struct bus_subscriber {
    bus_subscriber_fn fn;
    void *ctx;
} bus_subscriber;

struct bus {
    pthread_mutex_t lock;
    pthread_cond_t queued;          /* signalled on publish; uses CLOCK_MONOTONIC */
    bus_message *head;
    bus_message *tail;
    uint64_t published;
    bus_wakeup_fn wakeup;
    void *wakeup_ctx;
    bus_subscriber *subscribers;    /* touched by the consumer thread only */
    size_t subscriber_count;
};

bus *bus_new(void)
{
    bus *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    int failed = pthread_mutex_init(&b->lock, NULL) != 0;
    if (!failed && pthread_cond_init(&b->queued, &attr) != 0) {
        pthread_mutex_destroy(&b->lock);
        failed = 1;
    }
    pthread_condattr_destroy(&attr);
    if (failed) {
        free(b);
        return NULL;
    }
    return b;
}

static void free_messages(bus_message *m)
{
    while (m) {
        bus_message *next = m->next;
        free(m);
        m = next;
    }
}

void bus_free(bus *b)
{
    if (!b)
        return;
    free_messages(b->head);
    free(b->subscribers);
    pthread_cond_destroy(&b->queued);
    pthread_mutex_destroy(&b->lock);
    free(b);
}

int bus_subscribe(bus *b, bus_subscriber_fn fn, void *ctx)
{
    bus_subscriber *grown = realloc(b->subscribers, (b->subscriber_count + 1) * sizeof *grown);
    if (!grown)
        return -1;
    grown[b->subscriber_count++] = (bus_subscriber){fn, ctx};
    b->subscribers = grown;
    return 0;
}

void bus_set_wakeup(bus *b, bus_wakeup_fn fn, void *ctx)
{
    pthread_mutex_lock(&b->lock);
    b->wakeup = fn;
    b->wakeup_ctx = ctx;
    pthread_mutex_unlock(&b->lock);
}

int bus_publish(bus *b, const void *message, size_t length)
{
    if (length > SIZE_MAX - sizeof(bus_message))
        return -1;
    bus_message *m = malloc(sizeof *m + length);
    if (!m)
        return -1;
    m->next = NULL;
    m->length = length;
    if (length)
        memcpy(m->bytes, message, length);

    pthread_mutex_lock(&b->lock);
    if (b->tail)
        b->tail->next = m;
    else
        b->head = m;
    b->tail = m;
    b->published++;
    bus_wakeup_fn wakeup = b->wakeup;
    void *wakeup_ctx = b->wakeup_ctx;
    pthread_cond_signal(&b->queued);
    pthread_mutex_unlock(&b->lock);

    if (wakeup)
        wakeup(wakeup_ctx);
    return 0;
}

size_t bus_drain(bus *b)
{
    pthread_mutex_lock(&b->lock);
    bus_message *m = b->head;
    b->head = b->tail = NULL;
    pthread_mutex_unlock(&b->lock);

    size_t delivered = 0;
    while (m) {
        for (size_t i = 0; i < b->subscriber_count; i++)
            b->subscribers[i].fn(b->subscribers[i].ctx, m->bytes, m->length);
        bus_message *next = m->next;
        free(m);
        m = next;
        delivered++;
    }
    return delivered;
}

static struct timespec deadline_after_ms(int timeout_ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += timeout_ms / 1000;
    t.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

int bus_wait(bus *b, int timeout_ms)
{
    struct timespec deadline = deadline_after_ms(timeout_ms < 0 ? 0 : timeout_ms);
    pthread_mutex_lock(&b->lock);
    while (!b->head) {
        if (timeout_ms < 0) {
            pthread_cond_wait(&b->queued, &b->lock);
        } else if (pthread_cond_timedwait(&b->queued, &b->lock, &deadline) == ETIMEDOUT) {
            break;
        }
    }
    int pending = b->head != NULL;
    pthread_mutex_unlock(&b->lock);
    return pending;
}

uint64_t bus_published(bus *b)
{
    pthread_mutex_lock(&b->lock);
    uint64_t n = b->published;
    pthread_mutex_unlock(&b->lock);
    return n;
}

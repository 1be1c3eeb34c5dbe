/*
 * workers — the bounded worker pool that runs plugin callbacks.
 *
 * Owns its threads and the FIFO of queued jobs. Size is
 * pipeline.max_parallel_agents; a job that never returns occupies one worker
 * and nothing else.
 */
#include <pthread.h>
#include <stdlib.h>
#include "pipeline/internal.h"

typedef struct job {
    job_fn fn;
    void *arg;
    struct job *next;
} job;

struct worker_pool {
    pthread_mutex_t lock;
    pthread_cond_t available;
    job *head, *tail;
    int stopping;
    unsigned thread_count;
    pthread_t *threads;
};

static void *worker_main(void *arg)
{
    struct worker_pool *wp = arg;
    for (;;) {
        pthread_mutex_lock(&wp->lock);
        while (!wp->head && !wp->stopping)
            pthread_cond_wait(&wp->available, &wp->lock);
        job *j = wp->head;
        if (!j) {
            pthread_mutex_unlock(&wp->lock);
            return NULL;
        }
        wp->head = j->next;
        if (!wp->head)
            wp->tail = NULL;
        pthread_mutex_unlock(&wp->lock);
        j->fn(j->arg);
        free(j);
    }
}

struct worker_pool *workers_start(unsigned threads)
{
    struct worker_pool *wp = calloc(1, sizeof *wp);
    if (!wp)
        return NULL;
    wp->threads = calloc(threads, sizeof *wp->threads);
    if (!wp->threads) {
        free(wp);
        return NULL;
    }
    pthread_mutex_init(&wp->lock, NULL);
    pthread_cond_init(&wp->available, NULL);
    for (unsigned i = 0; i < threads; i++) {
        if (pthread_create(&wp->threads[i], NULL, worker_main, wp) != 0)
            break;
        wp->thread_count++;
    }
    if (wp->thread_count == 0) {
        workers_stop(wp);
        return NULL;
    }
    return wp;
}

int workers_submit(struct worker_pool *wp, job_fn fn, void *arg)
{
    job *j = malloc(sizeof *j);
    if (!j)
        return -1;
    j->fn = fn;
    j->arg = arg;
    j->next = NULL;
    pthread_mutex_lock(&wp->lock);
    if (wp->tail)
        wp->tail->next = j;
    else
        wp->head = j;
    wp->tail = j;
    pthread_cond_signal(&wp->available);
    pthread_mutex_unlock(&wp->lock);
    return 0;
}

void workers_stop(struct worker_pool *wp)
{
    if (!wp)
        return;
    pthread_mutex_lock(&wp->lock);
    wp->stopping = 1;
    pthread_cond_broadcast(&wp->available);
    pthread_mutex_unlock(&wp->lock);
    for (unsigned i = 0; i < wp->thread_count; i++)
        pthread_join(wp->threads[i], NULL);
    pthread_mutex_destroy(&wp->lock);
    pthread_cond_destroy(&wp->available);
    free(wp->threads);
    free(wp);
}

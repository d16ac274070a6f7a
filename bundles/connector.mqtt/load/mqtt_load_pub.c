/*
 * Load publisher for the BioTwin MQTT connector harness: libmosquitto, QoS 1, MQTT 3.1.1.
 *
 *   mqtt_load_pub HOST PORT COUNT MODE UNITS TAGS
 *     MODE single : one JSON value per message on plant/BR-1NN/tK   {"ts":<ms>,"value":..,"uom":"%"}
 *                   (units and tags round-robin: UNITS x TAGS series)
 *     MODE batch  : one JSON batch per message on plant/BR-1NN with TAGS values (tags t0..tN-1, uom "%")
 *
 * Time stamps are the wall clock in ms, as a plant sends them, made unique per series (unit, tag) by taking
 * max(now, previous + 1 ms): the connector's and the historian's de-duplication never fire, and the data stays in
 * time order as long as no series gets more than one message per ms (so choose UNITS x TAGS, or UNITS in batch
 * mode, above the expected messages per ms). Publishes as fast as libmosquitto's in-flight window allows, waits for
 * every PUBACK, prints "published N messages in S s" and exits 0.
 */
#include <mosquitto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile long acked = 0;

static void on_publish(struct mosquitto *m, void *obj, int mid) { (void)m; (void)obj; (void)mid; __sync_fetch_and_add(&acked, 1); }

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 7) {
        fprintf(stderr, "usage: %s HOST PORT COUNT single|batch UNITS TAGS\n", argv[0]);
        return 2;
    }
    const char *host = argv[1];
    int port = atoi(argv[2]);
    long count = atol(argv[3]);
    int batch = strcmp(argv[4], "batch") == 0;
    int units = atoi(argv[5]);
    int tags = atoi(argv[6]);
    long long *last = calloc((size_t)units * (size_t)(tags > 0 ? tags : 1), sizeof(long long));
    mosquitto_lib_init();
    char id[64];
    snprintf(id, sizeof id, "load-pub-%d", (int)getpid());
    struct mosquitto *m = mosquitto_new(id, true, NULL);
    mosquitto_publish_callback_set(m, on_publish);
    mosquitto_max_inflight_messages_set(m, 100);
    if (mosquitto_connect(m, host, port, 60) != MOSQ_ERR_SUCCESS) {
        fprintf(stderr, "connect failed\n");
        return 1;
    }
    mosquitto_loop_start(m);
    struct timespec wall;
    char topic[64];
    char *payload = malloc(64 + (size_t)tags * 64);
    double t0 = now_s();
    for (long i = 0; i < count; i++) {
        int u = (int)(i % units);
        int unit = 101 + u;
        int tag = batch ? 0 : (int)((i / units) % tags);
        long long *prev = &last[(size_t)u * (size_t)(tags > 0 ? tags : 1) + (size_t)tag];
        clock_gettime(CLOCK_REALTIME, &wall);
        long long ts = (long long)wall.tv_sec * 1000 + wall.tv_nsec / 1000000;
        if (ts <= *prev) {
            ts = *prev + 1;
        }
        *prev = ts;
        int len;
        if (!batch) {
            snprintf(topic, sizeof topic, "plant/BR-%d/t%d", unit, tag);
            len = sprintf(payload, "{\"ts\":%lld,\"value\":%.2f,\"uom\":\"%%\"}", ts, 30.0 + (i % 400) / 10.0);
        } else {
            snprintf(topic, sizeof topic, "plant/BR-%d", unit);
            len = sprintf(payload, "{\"ts\":%lld,\"values\":{", ts);
            for (int t = 0; t < tags; t++) {
                len += sprintf(payload + len, "%s\"t%d\":{\"value\":%.3f,\"uom\":\"%%\"}", t ? "," : "", t,
                               20.0 + t + (i % 100) / 100.0);
            }
            len += sprintf(payload + len, "}}");
        }
        int rc;
        while ((rc = mosquitto_publish(m, NULL, topic, len, payload, 1, false)) == MOSQ_ERR_NOMEM) {
            usleep(100);
        }
        if (rc != MOSQ_ERR_SUCCESS) {
            fprintf(stderr, "publish failed: %s\n", mosquitto_strerror(rc));
            return 1;
        }
        /* keep the library's internal queue bounded: wait while far ahead of the PUBACKs */
        while (i - acked > 5000) {
            usleep(50);
        }
    }
    while (acked < count) {
        usleep(200);
    }
    double t1 = now_s();
    printf("published %ld messages in %.3f s (%.0f msg/s at the publisher)\n", count, t1 - t0, count / (t1 - t0));
    mosquitto_disconnect(m);
    mosquitto_loop_stop(m, false);
    mosquitto_destroy(m);
    mosquitto_lib_cleanup();
    free(payload);
    free(last);
    return 0;
}

package org.biotwin.host.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class QuestDbServerTest {

    @Test
    void workerPoolsParkByDefaultAndHostPropertiesBecomeQuestDbSettings() {
        Map<String, String> defaults = QuestDbServer.tuning(Map.of("biotwin.mqtt.uri", "tcp://127.0.0.1:1883"));
        assertThat(defaults).containsEntry("QDB_SHARED_WORKER_SLEEP_TIMEOUT", "1")
                .containsEntry("QDB_WAL_APPLY_WORKER_NAP_THRESHOLD", "20").hasSize(8);

        Map<String, String> tuned = QuestDbServer.tuning(Map.of(
                "biotwin.questdb.conf.cairo.commit.lag", "5s",
                "biotwin.questdb.conf.shared.worker.sleep.timeout", "10",
                "biotwin.questdb.conf.", "ignored: no key"));
        assertThat(tuned).containsEntry("QDB_CAIRO_COMMIT_LAG", "5s")
                .containsEntry("QDB_SHARED_WORKER_SLEEP_TIMEOUT", "10").hasSize(9);
    }
}

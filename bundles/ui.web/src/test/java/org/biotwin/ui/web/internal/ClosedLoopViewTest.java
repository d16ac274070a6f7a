package org.biotwin.ui.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.biotwin.api.advisory.ClosedLoopStatus;
import org.biotwin.api.advisory.SetpointLimit;
import org.biotwin.api.advisory.SetpointWrite;
import org.junit.jupiter.api.Test;

class ClosedLoopViewTest {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void anEnabledUnitShowsWhoWhenTheLimitsTheAdvisoryAndTheWritesNewestFirst() {
        ClosedLoopStatus st = new ClosedLoopStatus("BR-101", true, "sup1", "Sam Supervisor", T0, "sig-7",
                List.of(new SetpointLimit("F_feed", 0, 4, 0.5, 0.01)), "adv-3",
                List.of(new SetpointWrite(T0.plusSeconds(60), 31.0, "F_feed", 0.8, "plant/BR-101/setpoint/F_feed",
                        "adv-3"), new SetpointWrite(T0.plusSeconds(120), 32.5, "F_feed", 1.2,
                                "plant/BR-101/setpoint/F_feed", "adv-3")),
                "F_feed = 9.0 is outside the closed-loop limits [0.0, 4.0]");
        JsonNode n = Views.closedLoop(st);

        assertThat(n.get("unit").asText()).isEqualTo("BR-101");
        assertThat(n.get("available").asBoolean()).isTrue();
        assertThat(n.get("configured").asBoolean()).isTrue();
        assertThat(n.get("enabled").asBoolean()).isTrue();
        assertThat(n.get("enabledBy").asText()).isEqualTo("sup1");
        assertThat(n.get("enabledByName").asText()).isEqualTo("Sam Supervisor");
        assertThat(n.get("enabledAt").asText()).isEqualTo("2026-11-30T10:00:00Z");
        assertThat(n.get("signatureId").asText()).isEqualTo("sig-7");
        assertThat(n.get("executing").asText()).isEqualTo("adv-3");
        assertThat(n.get("limits").toString())
                .isEqualTo("[{\"input\":\"F_feed\",\"min\":0.0,\"max\":4.0,\"maxStep\":0.5,\"resolution\":0.01}]");
        assertThat(n.get("writes")).hasSize(2);
        assertThat(n.get("writes").get(0).get("value").asDouble()).as("newest first").isEqualTo(1.2);
        assertThat(n.get("writes").get(0).get("batchAge_h").asDouble()).isEqualTo(32.5);
        assertThat(n.get("writes").get(0).get("topic").asText()).isEqualTo("plant/BR-101/setpoint/F_feed");
        assertThat(n.get("writes").get(1).get("time").asText()).isEqualTo("2026-11-30T10:01:00Z");
        assertThat(n.get("lastRefusal").asText()).contains("outside the closed-loop limits");
    }

    @Test
    void indirectControlHasNoSignerAndNullsRatherThanMadeUpValues() {
        JsonNode n = Views.closedLoop(new ClosedLoopStatus("BR-102", false, null, null, null, null,
                List.of(new SetpointLimit("F_feed", 0, 2, 0.2)), null, List.of(), null));
        assertThat(n.get("enabled").asBoolean()).isFalse();
        assertThat(n.get("enabledBy").isNull()).isTrue();
        assertThat(n.get("enabledAt").isNull()).isTrue();
        assertThat(n.get("executing").isNull()).isTrue();
        assertThat(n.get("lastRefusal").isNull()).isTrue();
        assertThat(n.get("writes")).isEmpty();
    }

    @Test
    void aUnitWithoutClosedLoopSaysWhy() {
        JsonNode n = Views.closedLoopUnavailable("BR-103", false, "Closed loop is not available on this host");
        assertThat(n.get("available").asBoolean()).isFalse();
        assertThat(n.get("configured").asBoolean()).isFalse();
        assertThat(n.get("enabled").asBoolean()).isFalse();
        assertThat(n.get("reason").asText()).contains("not available");
    }
}

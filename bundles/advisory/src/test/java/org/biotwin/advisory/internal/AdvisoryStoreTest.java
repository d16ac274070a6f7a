package org.biotwin.advisory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.biotwin.api.advisory.Advisory;
import org.biotwin.api.advisory.AdvisoryStatus;
import org.biotwin.api.advisory.Decision;
import org.biotwin.api.advisory.ProposedAction;
import org.biotwin.api.advisory.WhatIfResult;
import org.biotwin.api.model.InputProfile;
import org.biotwin.api.twin.PlanningBasis;
import org.biotwin.api.twin.PredictionBand;
import org.biotwin.kinetics.internal.optimisation.CvpFeedOptimizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The advisory store: open and decided advisories survive a restart (a new book on the same directory); a damaged
 * file is moved or copied aside and reported, never silently dropped. Advisories are real what-if results of the
 * CHO batch of {@link HarvestAdviceTest}.
 */
class AdvisoryStoreTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-05T10:00:00Z"), ZoneOffset.UTC);
    static ExecutorService pool;
    static Advisory feed;
    static Advisory harvest;

    @BeforeAll
    static void advisories() {
        pool = Executors.newFixedThreadPool(2);
        AdvisorCore core = new AdvisorCore(HarvestAdviceTest.SIM, new CvpFeedOptimizer(HarvestAdviceTest.SIM), pool,
                CLOCK);
        PlanningBasis b = HarvestAdviceTest.basis(HarvestAdviceTest.PLANNED_HARVEST);
        // no price: the value is NaN, which must survive the round trip
        AdvisoryPolicy noPrice = HarvestAdviceTest.policy(Map.of("price", 0.0, "ensembleSize", 10));
        WhatIfResult f = core.whatIf(b, noPrice, ProposedAction.feed(new InputProfile("F_feed",
                new double[] {72, 120}, new double[] {1.0, 1.4}), "Feed F_feed at 1.4 L/h from 120 h"), 1);
        WhatIfResult h = core.whatIf(b, HarvestAdviceTest.policy(Map.of("ensembleSize", 10)),
                ProposedAction.harvestAt(240, "Harvest at 240 h instead of 192 h"), 1);
        feed = new Advisory("a-feed", "BR-103", "B-2026-043", CLOCK.instant(), "cho-mab:1.0.0",
                List.of("target: titre"), f, AdvisoryStatus.OPEN, null);
        harvest = new Advisory("a-harvest", "BR-103", "B-2026-043", CLOCK.instant().plusSeconds(60),
                "cho-mab:1.0.0", List.of("target: titre"), h, AdvisoryStatus.OPEN, null);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    @Test
    void openAndDecidedAdvisoriesSurviveARestart(@TempDir Path dir) throws IOException {
        AdvisoryBook before = new AdvisoryBook(new AdvisoryStore(dir, CLOCK));
        before.propose(feed);
        before.propose(harvest);
        Decision d = new Decision("op1", "Olga Operator", CLOCK.instant(), true, "titre target", "sig-1");
        Advisory accepted = before.decide("a-harvest", a -> a.with(AdvisoryStatus.ACCEPTED, d));
        Advisory open = new Advisory("a-open", "BR-104", null, CLOCK.instant(), "cho-mab:1.0.0", List.of("risk"),
                feed.whatIf(), AdvisoryStatus.OPEN, null);
        before.propose(open);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left behind")
                    .containsExactly(AdvisoryStore.FILE);
        }

        AdvisoryBook after = new AdvisoryBook(new AdvisoryStore(dir, CLOCK));
        assertThat(after.loadProblems()).isEmpty();
        List<Advisory> unit = after.advisories("BR-103");
        assertThat(unit).extracting(Advisory::id).containsExactly("a-harvest", "a-feed");
        assertThat(unit).extracting(Advisory::status).containsExactly(AdvisoryStatus.ACCEPTED,
                AdvisoryStatus.SUPERSEDED);
        assertSame(unit.get(0), accepted);
        assertSame(unit.get(1), feed.with(AdvisoryStatus.SUPERSEDED, null));
        assertThat(after.advisories("BR-104")).hasSize(1);
        assertSame(after.advisories("BR-104").get(0), open);
        assertThat(after.advisory("a-open").orElseThrow().batchId()).isNull();
        // the restored open advisory can still be decided, the decided one cannot
        assertThatThrownBy(() -> after.decide("a-harvest", a -> a)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ACCEPTED");
        after.decide("a-open", a -> a.with(AdvisoryStatus.REJECTED, d));
        assertThat(new AdvisoryBook(new AdvisoryStore(dir, CLOCK)).advisory("a-open").orElseThrow().status())
                .isEqualTo(AdvisoryStatus.REJECTED);
    }

    @Test
    void aCorruptFileIsReportedAndMovedAsideNotDropped(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(AdvisoryStore.FILE);
        String garbage = "{\"format\": \"biotwin-advisories/1\", \"advisories\": [ {\"id\": \"x\", ";
        Files.writeString(file, garbage);
        AdvisoryBook book = new AdvisoryBook(new AdvisoryStore(dir, CLOCK));
        assertThat(book.loadProblems()).singleElement().asString().contains(file.toString())
                .contains("not valid JSON");
        assertThat(book.advisories("BR-103")).isEmpty();
        Path aside = dir.resolve(AdvisoryStore.FILE + ".corrupt-20260305T100000000Z");
        assertThat(aside).exists().hasContent(garbage);
        assertThat(file).doesNotExist();
        assertThat(book.storeStatus()).contains("damaged at load").contains("not valid JSON");
        // the store works on: a new advisory is kept, the damaged file stays aside
        book.propose(feed);
        assertThat(new AdvisoryBook(new AdvisoryStore(dir, CLOCK)).advisories("BR-103")).hasSize(1);
        assertThat(aside).hasContent(garbage);

        Files.writeString(file, "[1, 2, 3]");
        Clock later = Clock.offset(CLOCK, java.time.Duration.ofSeconds(1));
        assertThat(new AdvisoryBook(new AdvisoryStore(dir, later)).loadProblems()).singleElement().asString()
                .contains("not a JSON object");
        Files.writeString(file, "{\"format\": \"something-else/9\", \"advisories\": []}");
        later = Clock.offset(CLOCK, java.time.Duration.ofSeconds(2));
        assertThat(new AdvisoryBook(new AdvisoryStore(dir, later)).loadProblems()).singleElement().asString()
                .contains("unknown format 'something-else/9'");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().contains(".corrupt-"))).hasSize(3);
        }
    }

    @Test
    void aDamagedEntryIsReportedTheOthersAreKeptAndTheFileIsCopiedAside(@TempDir Path dir) throws IOException {
        AdvisoryBook book = new AdvisoryBook(new AdvisoryStore(dir, CLOCK));
        book.propose(feed);
        book.propose(harvest);
        Path file = dir.resolve(AdvisoryStore.FILE);
        String original = Files.readString(file, StandardCharsets.UTF_8);
        // the newest entry (a-harvest, first in the file) gets a status no version of the API knows
        String damaged = original.replaceFirst("\"status\":\"OPEN\"", "\"status\":\"MAYBE\"");
        assertThat(damaged).isNotEqualTo(original);
        Files.writeString(file, damaged);
        AdvisoryBook after = new AdvisoryBook(new AdvisoryStore(dir, CLOCK));
        assertThat(after.loadProblems()).singleElement().asString().contains("entry 0").contains("a-harvest")
                .contains("MAYBE");
        assertThat(after.advisories("BR-103")).extracting(Advisory::id).containsExactly("a-feed");
        assertThat(dir.resolve(AdvisoryStore.FILE + ".corrupt-20260305T100000000Z")).exists().hasContent(damaged);
    }

    /** Equal content: what the operator decides on (hash), status, decision, and the numbers of both outcomes. */
    private static void assertSame(Advisory actual, Advisory expected) {
        assertThat(AdvisorComponent.hash(actual)).isEqualTo(AdvisorComponent.hash(expected));
        assertThat(actual.status()).isEqualTo(expected.status());
        assertThat(actual.decision()).isEqualTo(expected.decision());
        assertThat(actual.createdAt()).isEqualTo(expected.createdAt());
        WhatIfResult a = actual.whatIf();
        WhatIfResult e = expected.whatIf();
        assertThat(a.action()).isEqualTo(e.action());
        assertThat(a.gainP05()).isEqualTo(e.gainP05());
        assertThat(a.gainP95()).isEqualTo(e.gainP95());
        assertThat(Double.valueOf(a.value())).as("value, NaN included").isEqualTo(Double.valueOf(e.value()));
        assertThat(a.currency()).isEqualTo(e.currency());
        assertThat(a.computedAt()).isEqualTo(e.computedAt());
        for (boolean base : new boolean[] {true, false}) {
            var oa = base ? a.baseline() : a.withAction();
            var oe = base ? e.baseline() : e.withAction();
            assertThat(oa.p50()).isEqualTo(oe.p50());
            assertThat(oa.harvestAge()).isEqualTo(oe.harvestAge());
            assertThat(oa.violationRisk()).isEqualTo(oe.violationRisk());
            assertThat(oa.trajectories()).hasSameSizeAs(oe.trajectories());
            for (int i = 0; i < oa.trajectories().size(); i++) {
                PredictionBand x = oa.trajectories().get(i);
                PredictionBand y = oe.trajectories().get(i);
                assertThat(x.variable()).isEqualTo(y.variable());
                assertThat(x.unit()).isEqualTo(y.unit());
                assertThat(x.times()).containsExactly(y.times());
                assertThat(x.p05()).containsExactly(y.p05());
                assertThat(x.p50()).containsExactly(y.p50());
                assertThat(x.p95()).containsExactly(y.p95());
            }
        }
    }
}

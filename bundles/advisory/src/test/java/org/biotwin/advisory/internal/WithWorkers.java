package org.biotwin.advisory.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Test classes of the advisor's searches: two worker threads for the ensembles, as the component's default. */
abstract class WithWorkers {

    static ExecutorService pool;

    @BeforeAll
    static void startWorkers() {
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stopWorkers() {
        pool.shutdownNow();
    }
}

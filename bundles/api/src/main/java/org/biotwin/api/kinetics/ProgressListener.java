package org.biotwin.api.kinetics;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives progress reports of a long-running task, on the thread that runs the task. Implementations must return
 * quickly. To cancel a task, interrupt the thread that runs it; the task then ends with an exception.
 */
@ConsumerType
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores every report. */
    ProgressListener NONE = p -> {
    };

    void progress(Progress progress);
}

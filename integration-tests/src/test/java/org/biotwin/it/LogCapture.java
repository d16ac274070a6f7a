package org.biotwin.it;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Records every entry of the OSGi Log Service (all LogReaderServices) while open: what an operator's log shows.
 */
public final class LogCapture implements AutoCloseable, LogListener {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final ServiceTracker<LogReaderService, LogReaderService> readers;

    public LogCapture(BundleContext context) {
        this.readers = new ServiceTracker<>(context, LogReaderService.class, null) {
            @Override
            public LogReaderService addingService(ServiceReference<LogReaderService> ref) {
                LogReaderService r = super.addingService(ref);
                r.addLogListener(LogCapture.this);
                return r;
            }

            @Override
            public void removedService(ServiceReference<LogReaderService> ref, LogReaderService r) {
                r.removeLogListener(LogCapture.this);
                super.removedService(ref, r);
            }
        };
        readers.open();
    }

    /** Whether a Log Service implementation is present at all. */
    public boolean hasReader() {
        return readers.getTrackingCount() > 0 && readers.size() > 0;
    }

    @Override
    public void logged(LogEntry e) {
        StringBuilder sb = new StringBuilder();
        sb.append(e.getLogLevel()).append(" [").append(e.getBundle() == null ? "?" : e.getBundle().getSymbolicName())
                .append("] ").append(e.getMessage());
        for (Throwable t = e.getException(); t != null; t = t.getCause()) {
            sb.append(" | ").append(t);
        }
        lines.add(sb.toString());
    }

    /** Lines so far that contain every one of {@code parts}. */
    public List<String> matching(String... parts) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            boolean all = true;
            for (String p : parts) {
                all &= l.contains(p);
            }
            if (all) {
                out.add(l);
            }
        }
        return out;
    }

    public List<String> all() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        readers.close();
    }
}

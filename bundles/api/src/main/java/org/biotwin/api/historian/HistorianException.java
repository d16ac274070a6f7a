package org.biotwin.api.historian;

/**
 * A historian operation that was refused or failed. The {@link #reason()} tells the caller what to do: a refused write
 * was not stored and is the caller's to keep or retry; nothing already accepted is affected.
 */
public class HistorianException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why an operation failed. */
    public enum Reason {
        /**
         * The store-and-forward buffer stayed full for the configured wait: the write was refused, nothing of it was
         * stored. The historian has raised an alarm. Retry later or hold the data upstream.
         */
        BUFFER_FULL,
        /** The points could not be stored (disk error, historian closed). Nothing of this write was acknowledged. */
        NOT_STORED,
        /** A read query failed or the server is unreachable. */
        READ_FAILED,
        /** The request is not supported by the configured backend, for example a dialect it does not speak. */
        UNSUPPORTED
    }

    private final Reason reason;

    public HistorianException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public HistorianException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Why the operation failed. */
    public Reason reason() {
        return reason;
    }
}

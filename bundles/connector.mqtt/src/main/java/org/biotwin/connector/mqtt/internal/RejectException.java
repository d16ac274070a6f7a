package org.biotwin.connector.mqtt.internal;

import org.biotwin.api.sample.RejectReason;

/** A refused message or value, with the reason and a human-readable detail. Carries no stack trace (it is control flow). */
public final class RejectException extends Exception {

    private static final long serialVersionUID = 1L;
    private final RejectReason reason;

    public RejectException(RejectReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}

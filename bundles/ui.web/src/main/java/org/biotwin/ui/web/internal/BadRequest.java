package org.biotwin.ui.web.internal;

/** A request the panel refuses with 400 and this message, which names what is wrong. */
final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
        super(message);
    }
}

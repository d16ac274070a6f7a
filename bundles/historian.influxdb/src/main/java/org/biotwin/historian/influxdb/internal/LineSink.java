package org.biotwin.historian.influxdb.internal;

/** Where the forwarder sends line protocol and schema statements: the server. */
public interface LineSink extends AutoCloseable {

    /**
     * Sends lines; returns when the server acknowledged them (HTTP 2xx).
     *
     * @throws SinkException with the HTTP status (0 when the server was not reached)
     */
    void write(Precision precision, String lines) throws SinkException;

    /**
     * Runs a schema statement (QuestDB {@code CREATE TABLE ...}); no-op for backends without one.
     *
     * @throws SinkException with the HTTP status (0 when the server was not reached)
     */
    void execute(String sql) throws SinkException;

    @Override
    void close();

    /** A failed request. {@link #rejected()} tells whether retrying the same data can never succeed. */
    final class SinkException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        public SinkException(int status, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        /** HTTP status, 0 if no response. */
        public int status() {
            return status;
        }

        /**
         * Whether the server rejected the content itself (400 bad line or type conflict, 422 unprocessable). Other
         * failures (unreachable, 5xx, 429, 401/403/404 configuration) are retried, because the data is fine.
         */
        public boolean rejected() {
            return status == 400 || status == 422;
        }
    }
}

package org.biotwin.tools.modelcli;

/** A failure with the exit code the tool ends with and a message for the user. */
final class CliException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Exit codes; documented in the README. */
    static final int OK = 0;
    static final int NEGATIVE = 1;
    static final int USAGE = 2;
    static final int BAD_INPUT = 3;
    static final int BAD_MODEL = 4;
    static final int COMPUTATION = 5;
    static final int IO = 6;

    final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }
}

/*
 * Replaces Paho 1.2.5's class of the same name inside the BioTwin wrap (same package, same public API), under the
 * wrap's licence (EPL-2.0 OR BSD-3-Clause). Paho's version overrides only read(): every readFully() of a PUBLISH's
 * topic and payload then went through InputStream's default byte-at-a-time loop, one synchronized
 * ByteArrayInputStream.read() per byte. Under load that loop took three quarters of Paho's receiver thread
 * (features/host/load/README.md). This one passes bulk reads and skips through and counts what they return.
 */
package org.eclipse.paho.mqttv5.common.packet.util;

import java.io.IOException;
import java.io.InputStream;

/** An input stream that counts the bytes read (and skipped) through it since construction or the last reset. */
public class CountingInputStream extends InputStream {

    private final InputStream inputStream;
    private int counter;

    /**
     * Constructs a counting stream over {@code inputStream}.
     *
     * @param inputStream the stream to read from
     */
    public CountingInputStream(InputStream inputStream) {
        this.inputStream = inputStream;
    }

    @Override
    public int read() throws IOException {
        int i = inputStream.read();
        if (i != -1) {
            counter++;
        }
        return i;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = inputStream.read(b, off, len);
        if (n > 0) {
            counter += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = inputStream.skip(n);
        if (skipped > 0) {
            counter += (int) skipped;
        }
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return inputStream.available();
    }

    /**
     * Returns the number of bytes read since construction or the last reset.
     *
     * @return the counter
     */
    public int getCounter() {
        return counter;
    }

    /** Resets the counter to zero. */
    public void resetCounter() {
        counter = 0;
    }
}

package org.acme.sse.ssevsws;

/** The bytes both endpoints send for the "data format" comparison: 0, 1, 2, ... 255, every possible byte once. */
final class SampleBytes {

    private SampleBytes() {
    }

    static byte[] get() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }
}

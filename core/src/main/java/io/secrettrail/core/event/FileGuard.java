package io.secrettrail.core.event;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts what a file decompresses to and stops it at {@link ReadLimits#maxFileBytes()} or, for
 * gzip, at {@link ReadLimits#maxFileRatio()} times the compressed bytes consumed: a 1 MB gzip of
 * 1 GB of whitespace ends after about 16 MB, with an error naming the limit.
 */
final class FileGuard {
    private FileGuard() {}

    /** The file hit a limit: the rest of it is not read. */
    static final class LimitException extends IOException {
        private static final long serialVersionUID = 1L;

        LimitException(String message) {
            super(message);
        }
    }

    /** Counts the compressed bytes read from the file. */
    static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += Math.max(0, s);
            return s;
        }
    }

    /** The decompressed stream, checked against the limits; {@code compressed} is null for a plain file. */
    static InputStream guard(InputStream decompressed, Counting compressed, ReadLimits limits) {
        return new FilterInputStream(decompressed) {
            long out;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                // Through read, so a skip over a bomb is checked like a read.
                byte[] scratch = new byte[(int) Math.min(n, 1 << 16)];
                int r = read(scratch, 0, scratch.length);
                return Math.max(r, 0);
            }

            private void count(int n) throws LimitException {
                out += n;
                if (out > limits.maxFileBytes()) {
                    throw new LimitException("decompressed size exceeds --max-file-bytes " + limits.maxFileBytes()
                            + "; the rest of the file is not read");
                }
                if (compressed != null
                        && out > ReadLimits.RATIO_FLOOR_BYTES
                        && out / Math.max(1, compressed.count) > limits.maxFileRatio()) {
                    throw new LimitException("gzip expands more than " + limits.maxFileRatio() + " times ("
                            + compressed.count + " bytes to more than " + out
                            + ", --max-file-ratio); the rest of the file is not read");
                }
            }
        };
    }
}

package org.mlpservice.dataset;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The uploaded bytes as they stream by: counted against the upload limit (a 413 as soon as it is
 * passed, without reading the rest) and digested with SHA-256, so the file is read only once.
 */
final class UploadStream extends FilterInputStream {

    private final long limit;
    private final MessageDigest digest;
    private long count;

    UploadStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            counted(1);
            digest.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            counted(n);
            digest.update(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes would be missing from the digest: read them instead.
        byte[] buffer = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Bytes read so far. */
    long count() {
        return count;
    }

    /** Hex SHA-256 of the bytes read so far (of the whole upload once it has been read to the end). */
    String sha256() {
        return HexFormat.of().formatHex(digest.digest());
    }

    private void counted(int n) {
        count += n;
        if (count > limit) {
            throw new UploadTooLargeException(limit);
        }
    }
}

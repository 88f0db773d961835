package io.hearth.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body up to a limit and no further: a body without {@code Content-Length} (chunked) that goes past the
 * limit is refused after {@code limit + 1} bytes, while it streams, instead of being read whole into memory first. The
 * heap used is bounded by the limit, whatever the client sends.
 */
public final class BoundedBody {

    private static final int CHUNK = 64 * 1024;

    private BoundedBody() {
    }

    /** The whole body, or null when it is longer than {@code limit} bytes (reading stops there). */
    public static byte[] read(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(CHUNK, Math.max(16, limit)));
        byte[] buffer = new byte[CHUNK];
        long total = 0;
        int n;
        while ((n = in.read(buffer, 0, (int) Math.min(buffer.length, limit + 1 - total))) > 0) {
            total += n;
            if (total > limit) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}

package io.hearth.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

import org.junit.jupiter.api.Test;

class BoundedBodyTest {

    /** An endless body that counts what was read from it. */
    static final class Endless extends InputStream {
        long read;

        @Override
        public int read() {
            read++;
            return 'a';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 'a');
            read += len;
            return len;
        }
    }

    @Test
    void aBodyUpToTheLimitIsReadWhole() throws Exception {
        assertThat(BoundedBody.read(new ByteArrayInputStream(new byte[1000]), 1000)).hasSize(1000);
        assertThat(BoundedBody.read(new ByteArrayInputStream(new byte[0]), 1000)).isEmpty();
        assertThat(BoundedBody.read(new ByteArrayInputStream("héllo".getBytes()), 1 << 20)).isEqualTo("héllo".getBytes());
    }

    @Test
    void readingStopsOneByteAfterTheLimit() throws Exception {
        Endless endless = new Endless();
        assertThat(BoundedBody.read(endless, 1_000_000)).isNull();
        assertThat(endless.read).as("bytes taken from an endless body").isEqualTo(1_000_001);

        assertThat(BoundedBody.read(new ByteArrayInputStream(new byte[1001]), 1000)).isNull();
    }
}

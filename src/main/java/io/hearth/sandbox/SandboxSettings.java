package io.hearth.sandbox;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The sandbox's settings ({@code hearth.sandbox.*}, see docs/sandbox.md).
 *
 * @param port            HTTP port (0: any free port); env HEARTH_SANDBOX_PORT
 * @param host            bind address (loopback by default)
 * @param storeDir        where its H2 database lives ({@code <data-dir>/sandbox})
 * @param metadataDir     the SFDX project whose objects/fields it serves ({@code ./salesforce})
 * @param seed            JSON seed file loaded into an empty store; null for none
 * @param dailyApiBudget  API calls per day before 403 REQUEST_LIMIT_EXCEEDED
 */
public record SandboxSettings(int port, String host, String clientId, String clientSecret, Duration tokenTtl, Path storeDir,
                              Path metadataDir, Path seed, long dailyApiBudget, Faults faults) {

    /** Faults active from the start; the admin endpoint changes them at run time. */
    public record Faults(Duration latency, Duration unavailableEvery, Duration unavailableFor, boolean requestLimitExceeded,
                         double lockRowRate) {
        public static Faults none() {
            return new Faults(Duration.ZERO, Duration.ZERO, Duration.ZERO, false, 0.0);
        }
    }

    /** Defaults for a sandbox on its own (tests): free port, sandbox/sandbox, 2 h tokens, 15,000 calls a day, no seed. */
    public static SandboxSettings defaults(Path storeDir, Path metadataDir) {
        return new SandboxSettings(0, "127.0.0.1", "sandbox", "sandbox", Duration.ofHours(2), storeDir, metadataDir, null, 15_000,
                Faults.none());
    }

    public SandboxSettings withPort(int port) {
        return new SandboxSettings(port, host, clientId, clientSecret, tokenTtl, storeDir, metadataDir, seed, dailyApiBudget, faults);
    }

    public SandboxSettings withSeed(Path seed) {
        return new SandboxSettings(port, host, clientId, clientSecret, tokenTtl, storeDir, metadataDir, seed, dailyApiBudget, faults);
    }

    public SandboxSettings withTokenTtl(Duration tokenTtl) {
        return new SandboxSettings(port, host, clientId, clientSecret, tokenTtl, storeDir, metadataDir, seed, dailyApiBudget, faults);
    }

    public SandboxSettings withDailyApiBudget(long dailyApiBudget) {
        return new SandboxSettings(port, host, clientId, clientSecret, tokenTtl, storeDir, metadataDir, seed, dailyApiBudget, faults);
    }

    public SandboxSettings withFaults(Faults faults) {
        return new SandboxSettings(port, host, clientId, clientSecret, tokenTtl, storeDir, metadataDir, seed, dailyApiBudget, faults);
    }
}

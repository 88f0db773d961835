package io.hearth.rules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules in force. Loaded at startup (an invalid file stops the hub with a {@link RulesException}); afterwards the
 * file's modification time and size are checked at most every {@code checkEvery} when the rules are asked for, and a
 * changed file is loaded again. An invalid edit keeps the previous rules: the error is logged and shown in health
 * ({@link #lastError()}) until a valid edit replaces it.
 */
public class RulesHolder {

    private static final Logger LOG = LoggerFactory.getLogger(RulesHolder.class);

    private final Path file;
    private final RulesLoader loader;
    private final Clock clock;
    private final Duration checkEvery;

    private volatile Rules rules;
    private volatile Instant loadedAt;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile Instant checkedAt;
    private volatile String stamp;
    private volatile String sha256;
    /** Told of every load and of every check of the file (io.hearth.rules.RulesInForce); null: nobody. */
    private volatile Listener listener;

    /** What is told of the rules this hub runs. */
    public interface Listener {
        /** New rules are in force ({@code sha256} of the file's bytes). */
        void loaded(Rules rules, String sha256, Instant at);

        /** The file was checked (changed or not). */
        void checked(Instant at);
    }

    public RulesHolder(Path file, RulesLoader loader, Clock clock, Duration checkEvery) {
        this.file = file;
        this.loader = loader;
        this.clock = clock;
        this.checkEvery = checkEvery;
        this.stamp = stampOf(file);
        this.sha256 = sha256Of(file);
        this.rules = loader.load(file);
        this.loadedAt = clock.instant();
        this.checkedAt = loadedAt;
        LOG.info("Rules '{}' loaded from {}: {} reward(s), {} advocate tier(s), cases {}", rules.programme(),
                RulesLoader.display(file), rules.rewards().size(),
                rules.advocates() == null ? 0 : rules.advocates().tiers().size(),
                rules.cases() == null || !rules.cases().enabled() ? "off" : "on");
    }

    public Rules current() {
        Instant now = clock.instant();
        if (Duration.between(checkedAt, now).compareTo(checkEvery) >= 0) {
            reloadIfChanged();
        }
        return rules;
    }

    /** Loads the file again if it changed since the last load or attempt; true when new rules are in force. */
    public synchronized boolean reloadIfChanged() {
        checkedAt = clock.instant();
        tellChecked();
        String now = stampOf(file);
        if (now.equals(stamp)) {
            return false;
        }
        stamp = now;
        try {
            String hash = sha256Of(file);
            Rules loaded = loader.load(file);
            rules = loaded;
            sha256 = hash;
            loadedAt = clock.instant();
            tellLoaded();
            lastError = null;
            lastErrorAt = null;
            LOG.info("Rules '{}' reloaded from {}: {} reward(s)", loaded.programme(), RulesLoader.display(file),
                    loaded.rewards().size());
            return true;
        } catch (RulesException e) {
            lastError = e.getMessage();
            lastErrorAt = clock.instant();
            LOG.error("Rules not reloaded, the previous rules stay in force: {}", e.getMessage());
            return false;
        }
    }

    /**
     * Tells {@code listener} of the rules in force now and of every later load and check. A failing listener never
     * changes the rules in force: its error is logged.
     */
    public synchronized void listen(Listener listener) {
        this.listener = listener;
        tellLoaded();
    }

    private void tellLoaded() {
        Listener l = listener;
        if (l != null) {
            try {
                l.loaded(rules, sha256, loadedAt);
            } catch (RuntimeException e) {
                LOG.warn("Rules in force not recorded: {}", e.toString());
            }
        }
    }

    private void tellChecked() {
        Listener l = listener;
        if (l != null) {
            try {
                l.checked(checkedAt);
            } catch (RuntimeException e) {
                LOG.debug("Rules check not recorded: {}", e.toString());
            }
        }
    }

    /** SHA-256 (hex) of the file the rules in force were loaded from. */
    public String sha256() {
        return sha256;
    }

    public Duration checkEvery() {
        return checkEvery;
    }

    public Path file() {
        return file;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    public String lastError() {
        return lastError;
    }

    public Instant lastErrorAt() {
        return lastErrorAt;
    }

    private static String sha256Of(Path file) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            return "missing";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String stampOf(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis() + "/" + Files.size(file);
        } catch (IOException e) {
            return "missing";
        }
    }
}

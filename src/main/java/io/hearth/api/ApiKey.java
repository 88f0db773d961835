package io.hearth.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The hub's main bearer key ({@code hearth.api-key}, all roles; docs/security.md). Compared in constant time; never logged. */
public final class ApiKey {

    private final byte[] key;

    public ApiKey(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("API key must not be blank");
        }
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    /** The key's bytes (a copy), for {@link io.hearth.api.security.HearthCredentials}. */
    public byte[] bytes() {
        return key.clone();
    }

    /** @param authorization the request's Authorization header, may be null */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(key, presented);
    }
}

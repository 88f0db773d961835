package io.hearth.api.security;

/**
 * The roles of the hub's callers (docs/security.md). Spring Security's {@code hasRole("OPERATOR")} checks the authority
 * {@code ROLE_OPERATOR}.
 * <ul>
 * <li>{@link #OPERATOR}: changes state on behalf of people — erasure, deleted mentions, link codes, unlinking, DLQ
 * replay, and every {@code /api} endpoint not named otherwise; the dead-letter operations ({@code /api/dead-letters/**});</li>
 * <li>{@link #VIEWER}: reads — {@code /actuator} (metrics, health details, info), the rules' reports (leaderboards,
 * prospects) and the OpenAPI description ({@code /api/openapi.json});</li>
 * <li>{@link #INGEST}: posts native payloads to {@code /api/ingest/{channel}}.</li>
 * </ul>
 */
public final class Roles {

    public static final String OPERATOR = "OPERATOR";
    public static final String VIEWER = "VIEWER";
    public static final String INGEST = "INGEST";

    private Roles() {
    }
}

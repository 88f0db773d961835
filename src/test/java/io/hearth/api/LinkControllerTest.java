package io.hearth.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Principal;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.config.HearthConfigurationException;
import io.hearth.identity.AuthorKeys;
import io.hearth.identity.DirectoryStore;
import io.hearth.identity.linking.CrmIdentities;
import io.hearth.identity.linking.LinkCodes;
import io.hearth.identity.linking.LinkRateLimits;
import io.hearth.identity.linking.LinkStore;
import io.hearth.identity.linking.LinkingSettings;
import io.hearth.support.MutableClock;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.env.MockEnvironment;

/**
 * Issue 10: POST /api/links binds a code to a named handle, and is rate-limited per caller and per contact (429 with
 * Retry-After). The controller on a real (in-memory) state database; the CRM look-up answers from a fixed set.
 */
class LinkControllerTest {

    static final String C1 = "003000000000001AAA";
    static final String C2 = "003000000000002AAA";

    final MutableClock clock = new MutableClock();
    final ObjectMapper json = new ObjectMapper();
    JdbcTemplate jdbc;
    LinkStore store;
    LinkController controller;

    @BeforeEach
    void setUp() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:link-controller-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        store = new LinkStore(jdbc);
        MockEnvironment env = new MockEnvironment()
                .withProperty("hearth.linking.max-open-codes", "50")
                .withProperty("hearth.linking.codes-per-contact", "2")
                .withProperty("hearth.linking.codes-per-contact-window", "1h")
                .withProperty("hearth.linking.requests-per-caller", "4")
                .withProperty("hearth.linking.requests-per-caller-window", "1m");
        LinkingSettings settings = LinkingSettings.from(env);
        CrmIdentities crm = new CrmIdentities(null, null, settings) {
            @Override
            public Optional<Contact> contactById(String contactId) {
                return Set.of(C1, C2).contains(contactId) ? Optional.of(new Contact(contactId, true)) : Optional.empty();
            }
        };
        controller = new LinkController(settings, new LinkCodes(new SecureRandom()), store, crm,
                new DirectoryStore(jdbc, clock, env), clock, LinkRateLimits.from(env).limiters(jdbc, clock));
    }

    @Test
    void aNamedHandleIsBoundToTheCode() throws Exception {
        ResponseEntity<Map<String, Object>> r = issue(Map.of("contactId", C1, "channel", "X", "handle", "@Jane_NG"), "site");
        assertThat(r.getStatusCode().value()).as(String.valueOf(r.getBody())).isEqualTo(201);
        assertThat(r.getBody()).containsEntry("handle", "jane_ng");
        LinkStore.Code stored = store.find(LinkCodes.hash((String) r.getBody().get("code"))).orElseThrow();
        assertThat(stored.boundAuthorKey()).isEqualTo(AuthorKeys.of("x", "jane_ng"));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hearth_link_code WHERE bound_author_key LIKE '%jane%'",
                Integer.class)).as("no clear handle stored").isZero();

        ResponseEntity<Map<String, Object>> unbound = issue(Map.of("contactId", C2, "channel", "x"), "site");
        assertThat(unbound.getBody()).doesNotContainKey("handle");
        assertThat(store.find(LinkCodes.hash((String) unbound.getBody().get("code"))).orElseThrow().boundAuthorKey()).isNull();
    }

    @Test
    void aBadHandleIs400() throws Exception {
        for (String body : new String[] {"{\"contactId\":\"" + C1 + "\",\"channel\":\"x\",\"handle\":\"\"}",
                "{\"contactId\":\"" + C1 + "\",\"channel\":\"x\",\"handle\":\"@\"}",
                "{\"contactId\":\"" + C1 + "\",\"channel\":\"x\",\"handle\":42}"}) {
            ResponseEntity<Map<String, Object>> r = controller.issue(json.readTree(body), () -> "site");
            assertThat(r.getStatusCode().value()).as(body).isEqualTo(400);
            assertThat(r.getBody()).containsEntry("error", "invalid_request");
        }
    }

    @Test
    void codesPerContactAreRateLimited() throws Exception {
        assertThat(issue(Map.of("contactId", C1, "channel", "x"), "site").getStatusCode().value()).isEqualTo(201);
        clock.advance(Duration.ofMinutes(10));
        assertThat(issue(Map.of("contactId", C1, "channel", "x"), "other").getStatusCode().value()).isEqualTo(201);
        ResponseEntity<Map<String, Object>> third = issue(Map.of("contactId", C1, "channel", "x"), "third");
        assertThat(third.getStatusCode().value()).isEqualTo(429);
        assertThat(third.getBody()).containsEntry("error", "too_many_codes");
        assertThat(third.getHeaders().getFirst("Retry-After")).isEqualTo("3000");   // 50 minutes: the first code's hour
        assertThat(issue(Map.of("contactId", C2, "channel", "x"), "third").getStatusCode().value()).as("another contact")
                .isEqualTo(201);
        clock.advance(Duration.ofMinutes(50));
        assertThat(issue(Map.of("contactId", C1, "channel", "x"), "fourth").getStatusCode().value()).isEqualTo(201);
    }

    @Test
    void requestsPerCallerAreRateLimitedBeforeTheCrmLookUp() throws Exception {
        assertThat(issue(Map.of("contactId", "003000000000099AAA", "channel", "x"), "site").getStatusCode().value())
                .as("unknown contact: counted all the same").isEqualTo(404);
        assertThat(issue(Map.of("contactId", C1, "channel", "x"), "site").getStatusCode().value()).isEqualTo(201);
        assertThat(issue(Map.of("contactId", C2, "channel", "x"), "site").getStatusCode().value()).isEqualTo(201);
        assertThat(issue(Map.of("contactId", "003000000000098AAA", "channel", "x"), "site").getStatusCode().value())
                .isEqualTo(404);
        ResponseEntity<Map<String, Object>> fifth = issue(Map.of("contactId", C2, "channel", "x"), "site");
        assertThat(fifth.getStatusCode().value()).isEqualTo(429);
        assertThat(fifth.getBody()).containsEntry("error", "too_many_requests");
        assertThat(Long.parseLong(fifth.getHeaders().getFirst("Retry-After"))).isBetween(1L, 60L);
        assertThat(issue(Map.of("contactId", C2, "channel", "x"), "another-caller").getStatusCode().value()).isEqualTo(201);
        clock.advance(Duration.ofMinutes(1));
        assertThat(issue(Map.of("contactId", "003000000000097AAA", "channel", "x"), "site").getStatusCode().value())
                .isEqualTo(404);
    }

    @Test
    void badLimitSettingsStopTheStart() {
        try {
            LinkRateLimits.from(new MockEnvironment().withProperty("hearth.linking.codes-per-contact", "0"));
            throw new AssertionError("accepted 0");
        } catch (HearthConfigurationException e) {
            assertThat(e.getMessage()).contains("hearth.linking.codes-per-contact");
        }
    }

    private ResponseEntity<Map<String, Object>> issue(Map<String, String> body, String caller) {
        JsonNode node = json.valueToTree(body);
        Principal principal = () -> caller;
        return controller.issue(node, principal);
    }
}

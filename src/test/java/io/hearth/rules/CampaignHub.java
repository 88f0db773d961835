package io.hearth.rules;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.channel.ChannelRegistry;
import io.hearth.mention.Mention;
import io.hearth.queue.BrokerConfiguration;
import io.hearth.support.QueueProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A whole hub for the campaign scenarios: HTTP ingest of native payloads, the pipeline with the rules judge, the CRM
 * writer against the built-in sandbox, and the test's own SOQL view of the org. The rules file is a copy the test
 * swaps per campaign (the hub reloads it, as it would an edited config/rules.yml).
 */
abstract class CampaignHub {

    static final String KEY = "campaign-scenario-key";
    static final ObjectMapper JSON = new ObjectMapper();
    static final int SANDBOX_PORT = freePort();

    @Autowired
    ProducerTemplate producer;
    @Autowired
    MeterRegistry meters;
    @Autowired
    BrokerConfiguration.EmbeddedBroker broker;
    @Autowired
    RulesHolder rules;
    @Autowired
    ChannelRegistry channels;
    @Autowired
    ObjectMapper objectMapper;
    @LocalServerPort
    int port;

    private final HttpClient http = io.hearth.support.TestHttp.client();
    private String token;
    private String adminToken;
    /** What the scenario ingested, to replay it. */
    final List<String[]> ingested = new ArrayList<>();
    private static final AtomicLong STAMP = new AtomicLong(1_700_000_000_000L);

    static void hub(DynamicPropertyRegistry registry, Path dataDir, Path rulesFile, Path seed) {
        registry.add("hearth.data-dir", dataDir::toString);
        registry.add("hearth.api-key", () -> KEY);
        registry.add("hearth.sources.inbox.enabled", () -> "false");
        registry.add("hearth.sandbox.port", () -> String.valueOf(SANDBOX_PORT));
        registry.add("hearth.sandbox.seed", seed::toString);
        registry.add("hearth.sandbox.daily-api-budget", () -> "1000000");
        registry.add("hearth.crm.writer.enabled", () -> "true");
        registry.add("hearth.crm.writer.batch-window", () -> "20");
        registry.add("hearth.queues.concurrent-consumers", () -> "1");
        registry.add("hearth.directory.enabled", () -> "true");
        registry.add("hearth.directory.initial-delay", () -> "3600000");
        registry.add("hearth.directory.sync-interval", () -> "3600000");
        registry.add("hearth.rules.enabled", () -> "true");
        registry.add("hearth.rules.file", rulesFile::toString);
        registry.add("hearth.rules.check-interval", () -> "1h");
    }

    /** Puts a campaign's rules in force (copy + reload, as an edit of the file would). */
    void useRules(Path rulesFile, String example) throws IOException {
        useRules(rulesFile, example, s -> s);
    }

    /** The example, edited on the way (e.g. a campaign window moved to the test's dates). */
    void useRules(Path rulesFile, String example, java.util.function.UnaryOperator<String> edit) throws IOException {
        Files.writeString(rulesFile, edit.apply(Files.readString(Path.of("config/examples", example))));
        Files.setLastModifiedTime(rulesFile, FileTime.fromMillis(STAMP.addAndGet(1000)));
        rules.reloadIfChanged();
        if (rules.lastError() != null) {
            throw new IllegalStateException(rules.lastError());
        }
    }

    /** POST of JSON on the hub's API with the API key; the JSON answer (2xx expected). */
    JsonNode apiPost(String path, String json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** POST of JSON on the hub's API with the API key: "status body", whatever the status. */
    String apiPostAnswer(String path, String json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    /** The platform events of this type the sandbox recorded (its admin API), oldest first. */
    List<JsonNode> platformEvents(String type) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/sandbox/admin/events/" + type))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        "sandbox:sandbox".getBytes(StandardCharsets.UTF_8))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("events " + type + ": " + r.statusCode() + " " + r.body());
        }
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.body()).get("records").forEach(out::add);
        return out;
    }

    /** GET on the hub's API with the API key; the JSON answer. */
    JsonNode api(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** A canonical mention's JSON with engagement counts added. */
    static String engaged(String mentionJson, long likes, long reposts) throws IOException {
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(mentionJson);
        node.putObject("engagement").put("likes", likes).put("reposts", reposts).put("replies", 0).put("quotes", 0);
        return JSON.writeValueAsString(node);
    }

    void syncDirectory() {
        producer.requestBody("direct:job-directory-sync", (Object) "");
    }

    /** POSTs a native payload to /api/ingest/{channel}, waits until the pipeline and the writer are idle. */
    void ingest(String channel, String payload) throws Exception {
        ingest(channel, payload, true);
    }

    /** {@code fresh}: the mentions are new (wait until enrich took them); else the normaliser drops them as duplicates. */
    void ingest(String channel, String payload, boolean fresh) throws Exception {
        ingested.add(new String[] {channel, payload});
        double before = consumed("social.mentions");
        double inbound = consumed("social.inbound");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ingest/" + channel))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("ingest " + channel + ": " + r.statusCode() + " " + r.body());
        }
        int accepted = JSON.readTree(r.body()).path("accepted").asInt();
        if (!fresh) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> consumed("social.inbound") > inbound);
        }
        settle(fresh ? before + accepted : before);
    }

    /**
     * Replays the whole scenario: every payload again through HTTP (normalise drops the duplicates) and every
     * canonical mention straight onto social.mentions, as a redelivery after a crash would (the judge sees each again).
     */
    void replay() throws Exception {
        List<String[]> all = new ArrayList<>(ingested);
        for (String[] p : all) {
            ingest(p[0], p[1], false);
        }
        ingested.subList(all.size(), ingested.size()).clear();
        for (String[] p : all) {
            double before = consumed("social.mentions");
            List<Mention> mentions = channels.mapperFor(p[0]).mapPayload(p[1]).mentions();
            for (Mention m : mentions) {
                producer.sendBody("queue:social.mentions", objectMapper.writeValueAsString(m));
            }
            settle(before + mentions.size());
        }
    }

    /**
     * Waits until enrich has taken {@code mentionsConsumed} mentions and the pipeline is idle: nothing in
     * social.inbound, social.mentions, crm.outbound or service.replies (an agent's reply queued by a poll is posted
     * before a scenario counts the posts). The broker's own count is asked (no cache, unlike QueueDepths' 1 s); it
     * counts delivered, unacknowledged messages too, a stage forwards in the transaction that acknowledges what it
     * took, and the writer acknowledges after the CRM answered: so all of them at 0 means every command is in the CRM.
     * Two looks in a row with crm.outbound's committed count unchanged between them, so that a commit caught half-way
     * (acknowledged, its forwarded message not yet queued) cannot pass for idle. This used to sleep at least 600 ms
     * per ingest (a 300 ms poll delay on the cached depth, twice), most of the scenarios' run time.
     */
    void settle(double mentionsConsumed) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> consumed("social.mentions") >= mentionsConsumed);
        double[] last = {-1};
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ofMillis(20)).pollInterval(Duration.ofMillis(25))
                .until(() -> {
                    double now = consumed("crm.outbound");
                    boolean empty = QueueProbe.messageCount(broker, "social.inbound") == 0
                            && QueueProbe.messageCount(broker, "social.mentions") == 0
                            && QueueProbe.messageCount(broker, "crm.outbound") == 0
                            && QueueProbe.messageCount(broker, "service.replies") == 0;
                    boolean idle = empty && now == last[0];
                    last[0] = empty ? now : -1;
                    return idle;
                });
    }

    double consumed(String queue) {
        Counter c = meters.find("hearth.queue.consumed").tag("queue", queue).counter();
        return c == null ? 0 : c.count();
    }

    int deadLetters() throws Exception {
        return QueueProbe.of(broker).browse("DLQ.crm.outbound").size();
    }

    List<String> deadLetterReasons() throws Exception {
        List<String> out = new ArrayList<>();
        for (jakarta.jms.Message m : QueueProbe.of(broker).browse("DLQ.crm.outbound")) {
            out.add(m.getStringProperty("HearthFailureReason"));
        }
        return out;
    }

    // --- the org, over HTTP ---

    List<JsonNode> soql(String q) throws Exception {
        if (token == null) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/services/oauth2/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=sandbox&client_secret=sandbox"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            token = JSON.readTree(r.body()).get("access_token").asText();
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/services/data/v62.0/query?q="
                        + URLEncoder.encode(q, StandardCharsets.UTF_8))).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("SOQL " + r.statusCode() + ": " + r.body());
        }
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.body()).get("records").forEach(out::add);
        return out;
    }

    /** Creates a record in the org over its REST API as the org's administrator (a CRM user, not the hub); its id. */
    String create(String sobject, Map<String, Object> fields) throws Exception {
        if (adminToken == null) {
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base() + "/services/oauth2/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=sandbox&client_secret=sandbox"
                            + "&username=admin%40sandbox&password=test")).build(), HttpResponse.BodyHandlers.ofString());
            adminToken = JSON.readTree(login.body()).get("access_token").asText();
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/services/data/v62.0/sobjects/" + sobject))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(fields))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("create " + sobject + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).get("id").asText();
    }

    /** The CRM API calls the hub has made so far (all operations). */
    double crmApiCalls() {
        return meters.find("hearth.crm.api.calls").counters().stream().mapToDouble(Counter::count).sum();
    }

    JsonNode one(String q) throws Exception {
        List<JsonNode> rows = soql(q);
        if (rows.size() != 1) {
            throw new AssertionError("expected one record of " + q + ", got " + rows);
        }
        return rows.get(0);
    }

    private static String base() {
        return "http://127.0.0.1:" + SANDBOX_PORT;
    }

    // --- fixtures ---

    /** A Salesforce-shaped 18-character Contact id of the scenarios' own. */
    static String contactId(int n) {
        String id15 = "003RU" + String.format("%010d", n);
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
        StringBuilder suffix = new StringBuilder();
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                char c = id15.charAt(chunk * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    bits |= 1 << i;
                }
            }
            suffix.append(chars.charAt(bits));
        }
        return id15 + suffix;
    }

    /** Seed: contacts (id n → last name, consent) and their identities (channel:handle). */
    static Path seed(Path dir, Object[][] people) throws IOException {
        List<Map<String, Object>> contacts = new ArrayList<>();
        List<Map<String, Object>> identities = new ArrayList<>();
        for (Object[] p : people) {
            String id = contactId((Integer) p[0]);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("Id", id);
            c.put("LastName", p[1]);
            c.put("Social_Consent__c", p[2]);
            contacts.add(c);
            for (int i = 3; i < p.length; i++) {
                String[] ch = ((String) p[i]).split(":", 2);
                if (ch[0].equals("loyalty")) {
                    c.put("Loyalty_Number__c", ch[1]);
                    continue;
                }
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("Contact__c", id);
                s.put("Channel__c", ch[0]);
                s.put("Handle__c", ch[1]);
                s.put("External_Id__c", ch[0] + ":" + ch[1].toLowerCase(java.util.Locale.ROOT));
                s.put("Verified__c", true);
                identities.add(s);
            }
        }
        Files.createDirectories(dir);
        Path seed = dir.resolve("seed.json");
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("Contact", contacts);
        all.put("Social_Identity__c", identities);
        JSON.writeValue(seed.toFile(), all);
        return seed;
    }

    /** A canonical mention (channel {@code mention} payload) as JSON. */
    static String mention(String channel, String nativeId, String kind, String handle, long followers, Instant at,
                          String text, String repostOf, String inReplyTo, String conversationId) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", "hearth.mention/v1");
        m.put("channel", channel);
        m.put("nativeId", nativeId);
        m.put("kind", kind);
        m.put("text", text);
        m.put("createdAt", at.toString());
        m.put("author", Map.of("handle", handle, "followers", followers));
        List<String> tags = new ArrayList<>();
        List<String> handles = new ArrayList<>();
        for (String w : text.split("[^\\p{L}\\p{N}_#@]+")) {
            if (w.startsWith("#") && w.length() > 1) {
                tags.add(w.substring(1));
            } else if (w.startsWith("@") && w.length() > 1) {
                handles.add(w);
            }
        }
        m.put("hashtags", tags);
        m.put("mentions", handles);
        if (repostOf != null) {
            m.put("repostOf", repostOf);
        }
        if (inReplyTo != null) {
            m.put("inReplyTo", inReplyTo);
        }
        if (conversationId != null) {
            m.put("conversationId", conversationId);
        }
        return JSON.writeValueAsString(m);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

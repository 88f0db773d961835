package io.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.support.ChildHub;
import io.hearth.support.ScriptedHttpServer;
import io.hearth.support.ScriptedHttpServer.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, acceptance slice (profile {@code -Pcluster}, run by .ci/run after the main suite): real processes only.
 * An external Artemis from the official distribution ({@code docker/artemis/run-local.sh}, {@code docker/artemis/broker.xml}),
 * a fresh PostgreSQL database, the stand-alone sandbox as the shared CRM, and two hub JVMs given only broker, database
 * and Salesforce settings (so leader election defaults to postgres). Mentions of known consenting authors are posted
 * half to each hub: every {@code Social_Mention__c} lands exactly once and both hubs enriched a share. A forum source
 * enabled on both hubs is polled by one hub only.
 */
@Tag("cluster")
class ScaleOutClusterTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
    private static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
    private static final int MENTIONS = Integer.getInteger("cluster.mentions", 1000);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private Process artemis;
    private String database;

    @AfterEach
    void stopAll() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            try {
                cleanup.get(i).close();
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
        if (artemis != null) {
            artemis.destroy();
            if (!artemis.waitFor(30, TimeUnit.SECONDS)) {
                artemis.destroyForcibly();
            }
        }
        if (database != null) {
            try (Connection c = DriverManager.getConnection(PG + "postgres", "postgres", "")) {
                c.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    @Test
    void twoHubsShareTheWorkAndOnePollsTheForum() throws Exception {
        long t0 = System.nanoTime();
        int brokerPort = freePort();
        artemis = startArtemis(brokerPort);
        database = "hearth_scale_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(PG + "postgres", "postgres", "")) {
            c.createStatement().execute("CREATE DATABASE " + database);
        }

        ChildHub sandbox = ChildHub.builder("scale-sandbox", temp.resolve("sandbox"))
                .env("HEARTH_SANDBOX_ONLY", "true")
                .env("HEARTH_SANDBOX_SEED", ROOT.resolve("config/sandbox-seed.json").toString())
                .jvmArg("-Xmx256m").build().start();
        cleanup.add(sandbox);
        String sandboxUrl = awaitSandbox(sandbox);

        AtomicLong firstFeedRequest = new AtomicLong();
        ScriptedHttpServer forum = new ScriptedHttpServer(request -> {
            firstFeedRequest.compareAndSet(0, System.nanoTime());
            return new Response(200,
                Map.of("Content-Type", "application/rss+xml; charset=UTF-8"),
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Board</title>"
                        + "<link>https://board.example/</link><description>b</description></channel></rss>\n");
        });
        cleanup.add(forum);
        awaitPort(brokerPort, Duration.ofSeconds(180), "Artemis");

        List<ChildHub> hubs = new ArrayList<>();
        for (String name : List.of("scale-hub-a", "scale-hub-b")) {
            ChildHub hub = ChildHub.builder(name, temp.resolve(name))
                    .env("HEARTH_BROKER_URL", "tcp://127.0.0.1:" + brokerPort)
                    .env("HEARTH_BROKER_USER", "hearth").env("HEARTH_BROKER_PASSWORD", "hearth")
                    .env("HEARTH_DB_URL", PG + database).env("HEARTH_DB_USER", "postgres")
                    .env("HEARTH_SALESFORCE_LOGIN_URL", sandboxUrl)
                    .env("HEARTH_SALESFORCE_CLIENT_ID", "sandbox").env("HEARTH_SALESFORCE_CLIENT_SECRET", "sandbox")
                    .env("HEARTH_FORUM_ENABLED", "true").env("HEARTH_FORUM_FEEDS", forum.baseUrl() + "/board.rss")
                    .arg("--hearth.sources.forum.poll-interval=500")
                    .arg("--hearth.directory.enabled=true").arg("--hearth.directory.initial-delay=1000")
                    .arg("--hearth.crm.writer.enabled=true")
                    .build().start();
            cleanup.add(hub);
            hubs.add(hub);
        }
        for (ChildHub hub : hubs) {
            hub.awaitReady(Duration.ofSeconds(240));
        }
        // the directory (shared state database) is filled by whichever hub leads job-directory-sync
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> hubs.get(0).metric("hearth_directory_entries", "") > 0);

        List<String> expected = new ArrayList<>();
        List<StringBuilder> payloads = List.of(new StringBuilder(), new StringBuilder());
        List<JsonNode> identities = consentingIdentities();
        for (int n = 0; n < MENTIONS; n++) {
            JsonNode identity = identities.get(n % identities.size());
            String channel = identity.path("Channel__c").asText();
            payloads.get(n % 2).append(JSON.writeValueAsString(Map.of("channel", channel, "nativeId", "scale-" + n,
                    "text", "Loving the new app, post " + n, "createdAt", "2026-12-04T10:00:00Z",
                    "author", Map.of("handle", identity.path("Handle__c").asText())))).append('\n');
            expected.add(channel + ":scale-" + n);
        }
        long posted = System.nanoTime();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> answer = hubs.get(i).post("/api/ingest/mention", "application/x-ndjson", payloads.get(i).toString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        }

        String token = token(sandboxUrl);
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(2))
                .until(() -> count(sandboxUrl, token) >= MENTIONS);
        long landed = System.nanoTime();
        // anything doubled or late would show: the count stays at MENTIONS at every look for 3 s
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
                .until(() -> count(sandboxUrl, token) == MENTIONS);
        List<String> ids = externalIds(sandboxUrl, token);
        assertThat(ids).as("every Social_Mention__c exactly once").hasSize(MENTIONS).doesNotHaveDuplicates();
        assertThat(new HashSet<>(ids)).isEqualTo(new HashSet<>(expected));

        double enrichA = hubs.get(0).metric("camel_exchanges_total", "routeId=\"pipeline-enrich\"");
        double enrichB = hubs.get(1).metric("camel_exchanges_total", "routeId=\"pipeline-enrich\"");
        double forumA = hubs.get(0).metric("camel_exchanges_total", "routeId=\"source-forum\"");
        double forumB = hubs.get(1).metric("camel_exchanges_total", "routeId=\"source-forum\"");
        long forumRequests = forum.requests().size();
        double window = (System.nanoTime() - firstFeedRequest.get()) / 1e9; // since the first poll
        String figures = String.format("cluster: %d mentions, enrich a=%.0f b=%.0f, forum polls a=%.0f b=%.0f, feed requests %d"
                        + " in %.0f s since the first; mentions landed %.1f s after posting; whole test so far %.0f s",
                MENTIONS, enrichA, enrichB, forumA, forumB, forumRequests, window, (landed - posted) / 1e9,
                (System.nanoTime() - t0) / 1e9);
        System.out.println(figures);
        Files.createDirectories(ROOT.resolve("target"));
        Files.writeString(ROOT.resolve("target/cluster-figures.txt"), figures + "\n");

        assertThat(enrichA).as("hub a consumed a share").isGreaterThan(0);
        assertThat(enrichB).as("hub b consumed a share").isGreaterThan(0);
        assertThat(enrichA + enrichB).isGreaterThanOrEqualTo(MENTIONS);
        assertThat(forumA + forumB).as("the forum was polled").isGreaterThan(0);
        assertThat(Math.min(forumA, forumB)).as("by one hub only").isZero();
        // one poller every 500 ms: at most one request per interval (+1), not two
        assertThat((double) forumRequests).isLessThanOrEqualTo(window / 0.5 + 2);

        // kill -9 the forum's leader: the other hub takes the source over within ttl + renew-interval + Camel's 1 s
        // start delay (15 s + 2 s + 1 s with the defaults; docs/scaling.md), and only then polls
        ChildHub leader = forumA > 0 ? hubs.get(0) : hubs.get(1);
        ChildHub survivor = leader == hubs.get(0) ? hubs.get(1) : hubs.get(0);
        long killed = System.nanoTime();
        leader.kill9();
        int requestsAtKill = forum.requests().size();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> survivor.metric("camel_exchanges_total", "routeId=\"source-forum\"") > 0);
        Duration takeOver = Duration.ofNanos(System.nanoTime() - killed);
        String kill = String.format("cluster: forum leader killed (-9), survivor polled %d ms later; feed requests in between: %d",
                takeOver.toMillis(), forum.requests().size() - requestsAtKill - 1);
        System.out.println(kill);
        Files.writeString(ROOT.resolve("target/cluster-figures.txt"), figures + "\n" + kill + "\n");
        assertThat(takeOver).isLessThan(Duration.ofSeconds(15 + 2 + 1 + 3));
    }

    private Process startArtemis(int port) throws IOException {
        Path log = ROOT.resolve("target/child-hubs/scale-artemis.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("docker/artemis/run-local.sh").toString())
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("ARTEMIS_WORK_DIR", ROOT.resolve("target/artemis").toString());
        pb.environment().put("ARTEMIS_PORT", Integer.toString(port));
        pb.environment().put("JAVA_ARGS", "-Xms64m -Xmx384m -XX:+UseSerialGC --add-opens java.base/jdk.internal.misc=ALL-UNNAMED");
        return pb.start();
    }

    private static String awaitSandbox(ChildHub sandbox) {
        Pattern at = Pattern.compile("Stand-alone Salesforce sandbox at (http://\\S+) ");
        String[] url = new String[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).until(() -> {
            assertThat(sandbox.isAlive()).as(() -> "sandbox exited: " + sandbox.tail(40)).isTrue();
            Matcher m = at.matcher(sandbox.output());
            if (m.find()) {
                url[0] = m.group(1);
                return true;
            }
            return false;
        });
        return url[0];
    }

    private static void awaitPort(int port, Duration timeout, String what) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static List<JsonNode> consentingIdentities() throws IOException {
        JsonNode seed = JSON.readTree(ROOT.resolve("config/sandbox-seed.json").toFile());
        Set<String> consenting = new HashSet<>();
        seed.path("Contact").forEach(c -> {
            if (c.path("Social_Consent__c").asBoolean(false)) {
                consenting.add(c.path("Id").asText());
            }
        });
        List<JsonNode> identities = new ArrayList<>();
        seed.path("Social_Identity__c").forEach(i -> {
            if (consenting.contains(i.path("Contact__c").asText())) {
                identities.add(i);
            }
        });
        return identities;
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String token(String base) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=sandbox&client_secret=sandbox"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    private static JsonNode query(String base, String token, String soql) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/services/data/v62.0/query?q="
                + URLEncoder.encode(soql, StandardCharsets.UTF_8))).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static int count(String base, String token) throws Exception {
        return query(base, token, "SELECT COUNT() FROM Social_Mention__c").path("totalSize").asInt();
    }

    private static List<String> externalIds(String base, String token) throws Exception {
        List<String> ids = new ArrayList<>();
        JsonNode page = query(base, token, "SELECT External_Id__c FROM Social_Mention__c");
        while (true) {
            page.path("records").forEach(r -> ids.add(r.path("External_Id__c").asText()));
            String next = page.path("nextRecordsUrl").asText("");
            if (next.isEmpty() || page.path("done").asBoolean(true)) {
                return ids;
            }
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + next))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            page = JSON.readTree(r.body());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

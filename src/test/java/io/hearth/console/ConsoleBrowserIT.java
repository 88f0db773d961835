package io.hearth.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.crm.SandboxClient;
import io.hearth.support.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 11, the console in a real headless Chromium (Debian's chromium + chromium-driver, driven by Selenium) against a
 * running hub in sandbox mode (the Salesforce-compatible sandbox, its demo contacts and the bundled sample mentions):
 * anonymous gets the login; a viewer sees every page with real data but no operator buttons (and the API refuses the
 * replay); an operator sees the flow page update as mentions are posted, sees a CRM write that failed in
 * {@code DLQ.crm.outbound} with its reason, replays it from the page once the fault is cleared, and the record lands in
 * the sandbox (SOQL). Screenshots of each page go to {@code target/console-screenshots/} (or to the folder named by
 * {@code -Dhearth.console.screenshots=docs/console}, how docs/console/*.png are made).
 * <p>
 * Skipped, saying so, when no Chromium is installed; with {@code CI=true} a missing Chromium fails instead (.ci/run
 * installs it).
 */
@Tag("browser")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

    static final String KEY = "hk-console-test-admin-8Jd";
    static final String OPERATOR_KEY = "hk-console-test-operator-3Wm";
    static final String VIEWER_KEY = "hk-console-test-viewer-6Hs";
    static final Path CHROMIUM = Path.of(System.getProperty("hearth.test.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("hearth.test.chromedriver", "/usr/bin/chromedriver"));
    static final int SANDBOX_PORT = SandboxClient.freePort();
    /** A consenting demo contact of config/sandbox-seed.json (Ava Lindqvist, x:ava_lindqvist). */
    static final String AVA = "Ava_Lindqvist";

    @TempDir
    static Path dataDir;
    @TempDir
    static Path browserProfile;

    static ChromeDriver browser;
    static boolean prepared;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("hearth.data-dir", dataDir::toString);
        registry.add("hearth.api-key", () -> KEY);
        registry.add("hearth.security.operator-key", () -> OPERATOR_KEY);
        registry.add("hearth.security.viewer-key", () -> VIEWER_KEY);
        registry.add("hearth.sources.inbox.enabled", () -> "false");
        registry.add("hearth.sandbox.port", () -> String.valueOf(SANDBOX_PORT));
        registry.add("hearth.sandbox.daily-api-budget", () -> "1000000");
        // the hub as `./mvnw spring-boot:run` runs it (src/test/resources turns these off for other tests): directory sync,
        // the rules of config/rules.yml, the CRM writer, the erasure job
        registry.add("hearth.directory.enabled", () -> "true");
        registry.add("hearth.rules.enabled", () -> "true");
        registry.add("hearth.crm.writer.enabled", () -> "true");
        registry.add("hearth.privacy.erasure.enabled", () -> "true");
        // the bundled sample mentions, all at once: every page has real data within seconds
        registry.add("hearth.sandbox.replay", () -> "true");
        registry.add("hearth.sandbox.replay-interval", () -> "100");
        registry.add("hearth.sandbox.replay-batch", () -> "100");
        // a refused CRM record reaches DLQ.crm.outbound after one quick retry
        registry.add("hearth.crm.writer.record-retries", () -> "1");
        registry.add("hearth.crm.writer.retry-initial-delay", () -> "10ms");
    }

    @BeforeAll
    static void chromium() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String missing = "no Chromium at " + CHROMIUM + " / " + CHROMEDRIVER + ": the console's browser tests are skipped"
                + " (install with: apt-get install -y chromium chromium-driver; .ci/run does)";
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(missing + "; CI=true requires them");
        }
        if (!present) {
            System.out.println(missing);
        }
        Assumptions.assumeTrue(present, missing);
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());   // no Selenium Manager download
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // the machine's network is closed: no background connections, a fresh profile
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--window-size=1280,1000", "--user-data-dir=" + browserProfile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    @AfterAll
    static void quit() {
        if (browser != null) {
            browser.quit();
        }
    }

    @LocalServerPort
    int port;

    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = TestHttp.client();
    final SandboxClient sandbox = new SandboxClient(SANDBOX_PORT);

    /** Once: the sample mentions are through the pipeline; a link code and an erasure give the privacy page numbers. */
    @BeforeEach
    void prepare() throws Exception {
        if (prepared) {
            return;
        }
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode flow = json.readTree(get("/api/console/flow", VIEWER_KEY).body());
            long waiting = 0;
            for (JsonNode q : flow.get("queues")) {
                waiting += Math.max(0, q.get("depth").asLong());
            }
            assertThat(flow.at("/mentionsPerMinute/total").asLong() >= 250 && waiting == 0)
                    .as("the sample mentions through the pipeline; flow now: " + flow).isTrue();
        });
        assertThat(send("POST", "/api/links", OPERATOR_KEY,
                "{\"contactId\":\"003000000000002AAA\",\"channel\":\"mastodon\"}").statusCode()).isBetween(200, 201);
        assertThat(send("POST", "/api/erasure", OPERATOR_KEY,
                "{\"channel\":\"x\",\"handle\":\"console_test_erased\"}").statusCode()).isBetween(200, 202);
        prepared = true;
    }

    @Test
    @Order(1)
    void anonymousGetsTheLogin() throws Exception {
        browser.get(base() + "/console");
        waitFor(By.id("login"));
        assertThat(browser.getCurrentUrl()).endsWith("/console/index.html");
        browser.get(base() + "/console/dead-letters.html");
        waitFor(By.id("login"));
        assertThat(browser.getCurrentUrl()).contains("/console/index.html?next=dead-letters.html");
        assertThat(browser.findElements(By.cssSelector("table"))).isEmpty();
        screenshot("login");

        browser.findElement(By.id("key")).sendKeys("not-a-key");
        browser.findElement(By.id("login-button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(
                ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "not known"));
        assertThat(get("/api/console/flow", null).statusCode()).as("the data needs a key").isEqualTo(401);
    }

    @Test
    @Order(2)
    void viewerSeesEveryPageWithRealDataAndNoOperatorButtons() throws Exception {
        login(VIEWER_KEY, "flow.html");
        waitLoaded();
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("Role: viewer");
        assertThat(number(By.cssSelector("#mentions-hour .figure-value"))).isGreaterThanOrEqualTo(250);
        assertThat(browser.findElements(By.cssSelector("svg.chart path"))).as("a line per channel").hasSizeGreaterThan(1);
        assertThat(browser.findElement(By.id("queues")).getText()).contains("social.inbound", "DLQ.crm.outbound");
        assertThat(browser.findElement(By.id("directory")).getText()).contains("UP");

        open("community.html");
        assertThat(browser.findElement(By.id("leaderboards")).getText()).contains("monthly").contains("003");
        assertThat(browser.findElement(By.id("rewards")).findElements(By.cssSelector("tbody tr"))).hasSizeGreaterThan(3);
        browser.findElement(By.cssSelector("#prospects button[type=submit]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#prospects-result table")));
        screenshot("community");

        open("cases.html");
        assertThat(browser.findElements(By.cssSelector("#cases-table tbody tr ol.conversation"))).isNotEmpty();
        assertThat(browser.findElement(By.id("cases-table")).getText()).containsPattern("High|Medium|Low");
        screenshot("cases");

        open("campaigns.html");
        assertThat(browser.findElement(By.id("campaign-campaign-post")).getText()).contains("#hearthcampaign", "participants");
        assertThat(browser.findElements(By.cssSelector("#campaign-campaign-post svg.chart"))).hasSize(2);
        screenshot("campaigns");

        open("privacy.html");
        assertThat(browser.findElement(By.id("links")).getText()).contains("issued");
        assertThat(browser.findElement(By.id("erasures")).findElements(By.cssSelector("tbody tr td span.pill"))).isNotEmpty();
        assertThat(browser.getPageSource()).doesNotContain("console_test_erased");
        screenshot("privacy");

        open("dead-letters.html");
        assertThat(browser.findElements(By.id("viewer-note"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector("button.replay, button.discard, button.replay-all")))
                .as("a viewer has no operator buttons").isEmpty();
        assertThat(send("POST", "/api/dead-letters/DLQ.crm.outbound/replay", VIEWER_KEY, "{}").statusCode())
                .as("and the API refuses a viewer's replay").isEqualTo(403);
        assertThat(get("/api/dead-letters", VIEWER_KEY).statusCode()).isEqualTo(403);

        // readable on a phone: nothing wider than the screen but the tables, which scroll in their own box
        browser.manage().window().setSize(new Dimension(390, 844));
        open("flow.html");
        Long overflow = (Long) ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - window.innerWidth;");
        assertThat(overflow).as("horizontal overflow at 390 px").isLessThanOrEqualTo(0L);
        browser.manage().window().setSize(new Dimension(1280, 1000));
        logout();
    }

    @Test
    @Order(3)
    void flowPageUpdatesAsMentionsArePosted() throws Exception {
        login(OPERATOR_KEY, "flow.html");
        waitLoaded();
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("Role: operator");
        long before = number(By.cssSelector("#mentions-hour .figure-value"));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            lines.append(mention("flow-" + i, "someone_new_" + i, "Trying the console #flowtest")).append('\n');
        }
        assertThat(send("POST", "/api/ingest/mention", KEY, lines.toString(), "application/x-ndjson").statusCode())
                .isEqualTo(202);
        // the page refreshes itself every 5 s
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d ->
                number(By.cssSelector("#mentions-hour .figure-value")) >= before + 7);
        screenshot("flow");
    }

    @Test
    @Order(4)
    void operatorReplaysAFailedCrmWriteFromTheDeadLettersPage() throws Exception {
        // the CRM refuses every record write (UNABLE_TO_LOCK_ROW) while Ava's mention goes through
        sandboxFaults("{\"lockRowFailures\":100000}");
        String id = "console-replay-" + System.nanoTime();
        assertThat(send("POST", "/api/ingest/mention", KEY, mention(id, AVA, "Thanks @hearth_brand, the console works"),
                "application/x-ndjson").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> deadLetters("DLQ.crm.outbound") > 0
                && depth("crm.outbound") == 0 && depth("social.mentions") == 0);
        sandboxFaults("{\"reset\":true}");
        String soql = "SELECT Id FROM Social_Mention__c WHERE External_Id__c = 'x:" + id + "'";
        assertThat(sandbox.count(soql)).as("not in the CRM yet").isZero();

        login(OPERATOR_KEY, "dead-letters.html");
        waitLoaded();
        WebElement table = browser.findElement(By.cssSelector("table[data-queue='DLQ.crm.outbound']"));
        assertThat(table.getText()).contains("UNABLE_TO_LOCK_ROW");
        assertThat(browser.findElements(By.cssSelector("table[data-queue='DLQ.crm.outbound'] button.replay"))).isNotEmpty();
        screenshot("dead-letters");

        // replay each message from the page, confirming in the dialog
        for (int round = 0; round < 20; round++) {
            List<WebElement> buttons = browser.findElements(By.cssSelector("table[data-queue='DLQ.crm.outbound'] button.replay"));
            if (buttons.isEmpty()) {
                break;
            }
            String loaded = browser.findElement(By.tagName("body")).getAttribute("data-loaded");
            buttons.get(0).click();
            WebElement dialog = waitFor(By.id("confirm"));
            assertThat(dialog.getText()).contains("Replay message").contains("crm.outbound");
            browser.findElement(By.id("confirm-yes")).click();
            new WebDriverWait(browser, Duration.ofSeconds(20)).until(d ->
                    !loaded.equals(d.findElement(By.tagName("body")).getAttribute("data-loaded")));
            assertThat(browser.findElement(By.id("status")).getText()).contains("1 replayed");
        }
        assertThat(browser.findElements(By.cssSelector("table[data-queue='DLQ.crm.outbound'] button.replay"))).isEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.count(soql) == 1);
        assertThat(deadLetters("DLQ.crm.outbound")).isZero();

        // the audit log has the operator's replays
        JsonNode audit = json.readTree(get("/api/dead-letters/audit", OPERATOR_KEY).body());
        assertThat(audit.toString()).contains("\"operator\"").contains("replay");
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    String base() {
        return "http://127.0.0.1:" + port;
    }

    void login(String key, String page) {
        browser.get(base() + "/console/index.html?next=" + page);
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear();");
        browser.get(base() + "/console/index.html?next=" + page);
        waitFor(By.id("key")).sendKeys(key);
        browser.findElement(By.id("login-button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("/console/" + page));
    }

    void logout() {
        browser.findElement(By.id("logout")).click();
        waitFor(By.id("login"));
    }

    void open(String page) {
        browser.get(base() + "/console/" + page);
        waitLoaded();
    }

    void waitLoaded() {
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d ->
                d.findElement(By.tagName("body")).getAttribute("data-loaded") != null);
        assertThat(browser.findElement(By.id("status")).getAttribute("class")).as(
                browser.findElement(By.id("status")).getText()).isNotEqualTo("error");
    }

    WebElement waitFor(By by) {
        return new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    long number(By by) {
        return Long.parseLong(browser.findElement(by).getText().trim());
    }

    void screenshot(String name) {
        try {
            Path dir = Path.of(System.getProperty("hearth.console.screenshots", "target/console-screenshots"));
            Files.createDirectories(dir);
            ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0);");
            Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String mention(String nativeId, String handle, String text) {
        return "{\"channel\":\"x\",\"nativeId\":\"" + nativeId + "\",\"text\":\"" + text + "\",\"createdAt\":\""
                + Instant.now() + "\",\"author\":{\"handle\":\"" + handle + "\"}}";
    }

    long deadLetters(String queue) throws Exception {
        for (JsonNode q : json.readTree(get("/api/console/dead-letters", VIEWER_KEY).body()).get("queues")) {
            if (q.get("queue").asText().equals(queue)) {
                return q.get("count").asLong();
            }
        }
        throw new IllegalStateException("no " + queue);
    }

    long depth(String queue) throws Exception {
        for (JsonNode q : json.readTree(get("/api/console/flow", VIEWER_KEY).body()).get("queues")) {
            if (q.get("queue").asText().equals(queue)) {
                return q.get("depth").asLong();
            }
        }
        throw new IllegalStateException("no " + queue);
    }

    void sandboxFaults(String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + SANDBOX_PORT
                        + "/sandbox/admin/faults"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "sandbox:sandbox".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        return send(method, path, key, body, "application/json");
    }

    HttpResponse<String> send(String method, String path, String key, String body, String type) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

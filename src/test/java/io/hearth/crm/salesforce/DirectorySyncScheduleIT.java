package io.hearth.crm.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import io.hearth.identity.ContactDirectory;
import io.hearth.identity.DirectorySyncStatus;

/** The job runs by itself on its timer (hearth.directory.*): the default demo seed lands in the directory. */
@SpringBootTest(properties = {"server.port=0", "hearth.api-key=hk_directory_schedule_test_key_0123456789",
        "hearth.sources.inbox.enabled=false", "hearth.directory.enabled=true", "hearth.directory.initial-delay=0",
        "hearth.directory.sync-interval=500"})
class DirectorySyncScheduleIT {

    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        dataDir = Files.createTempDirectory("hearth-directory-schedule");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        registry.add("hearth.data-dir", dataDir::toString);
        registry.add("hearth.sandbox.port", () -> port);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        FileSystemUtils.deleteRecursively(dataDir);
    }

    @Autowired
    DirectorySyncStatus status;
    @Autowired
    ContactDirectory directory;

    @Test
    void theTimerRunsAFullLoadThenIncrementalSyncs() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            DirectorySyncStatus.Sync last = status.last();
            assertThat(last).as("last error: %s", status.lastError()).isNotNull();
            assertThat(last.full()).as("a later, incremental sync").isFalse();
        });
        assertThat(directory.size()).as("the 60 identities of config/sandbox-seed.json").isEqualTo(60);
        ContactDirectory.Entry anouk = directory.lookup("x", "@Anouk_Vos").orElseThrow();
        assertThat(anouk.verified()).isTrue();
        assertThat(directory.lookup("mastodon", "@AnoukVos@Hachyderm.io")).isPresent();
    }
}

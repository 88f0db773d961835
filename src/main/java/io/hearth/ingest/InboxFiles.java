package io.hearth.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The file-drop source's decisions: which channel a file belongs to, and the failure note. */
@Component("inboxFiles")
public class InboxFiles {

    private static final Logger LOG = LoggerFactory.getLogger(InboxFiles.class);

    /** {@code <inbox>/<channel>/<file>}: the channel is the name of the file's folder. */
    public String channelOf(Exchange exchange) {
        String parent = exchange.getMessage().getHeader(Exchange.FILE_PARENT, String.class);
        return Path.of(parent).getFileName().toString();
    }

    /** Writes {@code failed/<file>.error} beside the failed file with the reason, for the operator. */
    public void writeErrorFile(Exchange exchange) throws IOException {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (cause == null) {
            cause = exchange.getException();
        }
        Path parent = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PARENT, String.class));
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        Path failed = Files.createDirectories(parent.resolve("failed"));
        String reason = cause == null ? "unknown failure" : cause.getMessage();
        Files.writeString(failed.resolve(name + ".error"), reason + System.lineSeparator(), StandardCharsets.UTF_8);
        LOG.warn("Inbox file {} failed and moves to {}: {}", name, failed, cause == null ? "unknown" : cause.getClass().getSimpleName());
    }
}

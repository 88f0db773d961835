package io.hearth.rules.triggers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one reward trigger from {@code rewards.triggers} (route {@code rewards-trigger-send}): the platform event
 * through the Salesforce REST API (sObject create on Hearth_Reward__e, route {@code crm-salesforce-publish-event}), the
 * webhook as a signed POST ({@link WebhookSignature}). An event already marked delivered is skipped (a redelivery after
 * the mark committed); a crash between the target's answer and the mark sends the same id and body again, which the
 * receiver recognises by the id ({@code X-Hearth-Event-Id}, {@code Event_Id__c}).
 * A refusal ({@link TriggerRefusedException}) goes to {@code DLQ.rewards.triggers} at once; a failure
 * ({@link TriggerFailedException}) is retried with back-off first. The secret is never logged.
 */
public class RewardTriggerSender {

    public static final String EVENT_ID_HEADER = "HearthTriggerEventId";
    public static final String TARGET_HEADER = "HearthTriggerTarget";

    private static final Logger log = LoggerFactory.getLogger(RewardTriggerSender.class);

    private final RewardTriggers triggers;
    private final ProducerTemplate producer;
    private final Clock clock;
    private final URI webhookUrl;
    private final byte[] secret;
    private final Duration timeout;
    private final HttpClient http;

    public RewardTriggerSender(RewardTriggers triggers, ProducerTemplate producer, Clock clock, String webhookUrl,
                               String secret, Duration timeout) {
        this.triggers = triggers;
        this.producer = producer;
        this.clock = clock;
        this.webhookUrl = webhookUrl == null || webhookUrl.isBlank() ? null : URI.create(webhookUrl);
        this.secret = secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public void send(Exchange exchange) {
        String eventId = exchange.getMessage().getHeader(EVENT_ID_HEADER, String.class);
        String target = exchange.getMessage().getHeader(TARGET_HEADER, String.class);
        String body = exchange.getMessage().getBody(String.class);
        if (eventId == null || target == null || body == null) {
            throw new TriggerRefusedException("not a reward trigger (event id, target and body needed)");
        }
        if (triggers.isDelivered(eventId, target)) {
            return;
        }
        switch (target) {
            case "webhook" -> webhook(eventId, body);
            case "salesforce" -> platformEvent(body);
            default -> throw new TriggerRefusedException("unknown trigger target " + target);
        }
        triggers.delivered(eventId, target, clock.instant());
    }

    private void webhook(String eventId, String body) {
        if (webhookUrl == null) {
            throw new TriggerFailedException("no webhook url configured (hearth.rewards.webhook.url)");
        }
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(webhookUrl).timeout(timeout)
                .header("Content-Type", "application/json")
                .header(WebhookSignature.EVENT_ID, eventId)
                .header(WebhookSignature.TIMESTAMP, Long.toString(timestamp))
                .header(WebhookSignature.SIGNATURE, WebhookSignature.sign(secret, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        HttpResponse<Void> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new TriggerFailedException("webhook " + webhookUrl.getHost() + " unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TriggerFailedException("interrupted");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        if (status >= 500 || status == 408 || status == 429) {
            throw new TriggerFailedException("webhook answered HTTP " + status);
        }
        log.warn("Reward webhook refused an event: HTTP {}", status);
        throw new TriggerRefusedException("webhook refused the event: HTTP " + status);
    }

    private void platformEvent(String body) {
        Exchange result = producer.request("direct:crm-salesforce-publish-event", e -> {
            // an InputStream: camel-salesforce would serialise a String as a JSON string, not send it as the object
            e.getMessage().setBody(new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
            e.getMessage().setHeader("sObjectName", "Hearth_Reward__e");
        });
        Exception failure = result.getException();
        if (failure == null) {
            return;
        }
        int status = statusOf(failure);
        if (status == 400 || status == 404) {
            throw new TriggerRefusedException("Salesforce refused Hearth_Reward__e: HTTP " + status + " " + errorsOf(failure));
        }
        throw new TriggerFailedException("Salesforce publish of Hearth_Reward__e failed: "
                + (status > 0 ? "HTTP " + status : failure.getClass().getSimpleName()));
    }

    /** Salesforce's error codes and fields (no values: they could quote personal data). */
    private static String errorsOf(Throwable t) {
        for (; t != null; t = t.getCause()) {
            if (t instanceof org.apache.camel.component.salesforce.api.SalesforceException se && se.getErrors() != null
                    && !se.getErrors().isEmpty()) {
                return se.getErrors().stream().map(e -> e.getErrorCode()
                        + (e.getFields() == null || e.getFields().isEmpty() ? "" : " " + e.getFields())).toList().toString();
            }
        }
        return "";
    }

    private static int statusOf(Throwable t) {
        for (; t != null; t = t.getCause()) {
            if (t instanceof org.apache.camel.component.salesforce.api.SalesforceException se) {
                return se.getStatusCode();
            }
        }
        return 0;
    }
}

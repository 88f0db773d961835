package io.hearth.api;

import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.identity.AuthorKeys;
import io.hearth.identity.DirectoryStore;
import io.hearth.identity.HandleNormaliser;
import io.hearth.identity.linking.CrmIdentities;
import io.hearth.identity.linking.LinkCodes;
import io.hearth.identity.linking.LinkRateLimits;
import io.hearth.identity.linking.LinkStore;
import io.hearth.identity.linking.LinkingSettings;
import io.hearth.identity.linking.SlidingWindowLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Verified linking for the brand's loyalty site (docs/privacy.md), behind the API key like all of {@code /api}:
 * <ul>
 * <li>{@code POST /api/links} {@code {"contactId": "003…"} or {"loyaltyNumber": "…"}, "channel": "x", "handle": "@jane"}
 * → {@code 201 {"code", "handle", "text", "expiresAt"}}; the contact is looked up in the CRM (404 when there is none).
 * With {@code handle} (recommended) only that handle's post links; without, any author on the channel who posts the
 * code first. Rate-limited per caller and per contact (429 with {@code Retry-After}), and open codes per contact;</li>
 * <li>{@code DELETE /api/links/{channel}/{handle}} → removes the handle's identities from the directory and the CRM.</li>
 * </ul>
 */
@RestController
@RequestMapping("/api/links")
public class LinkController {

    private static final Logger LOG = LoggerFactory.getLogger(LinkController.class);

    private final LinkingSettings settings;
    private final LinkCodes codes;
    private final LinkStore store;
    private final CrmIdentities crm;
    private final DirectoryStore directory;
    private final Clock clock;
    private final LinkRateLimits.Limiters limiters;

    public LinkController(LinkingSettings settings, LinkCodes codes, LinkStore store, CrmIdentities crm,
                          DirectoryStore directory, Clock clock, LinkRateLimits.Limiters limiters) {
        this.settings = settings;
        this.codes = codes;
        this.store = store;
        this.crm = crm;
        this.directory = directory;
        this.clock = clock;
        this.limiters = limiters;
    }

    @PostMapping
    public ResponseEntity<Map<String, Object>> issue(@RequestBody(required = false) JsonNode body, Principal caller) {
        if (!settings.enabled()) {
            return error(HttpStatus.NOT_FOUND, "linking_disabled", "verified linking is off (hearth.linking.enabled)");
        }
        if (body == null || !body.isObject()) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request",
                    "send {\"contactId\": \"003…\"} or {\"loyaltyNumber\": \"…\"}, plus \"channel\" and (recommended)"
                            + " \"handle\"");
        }
        String channel = text(body, "channel");
        String contactId = text(body, "contactId");
        String loyalty = text(body, "loyaltyNumber");
        if (channel == null || !channel.strip().matches("[A-Za-z0-9_-]{1,32}")) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request", "\"channel\" is required (e.g. \"x\", \"mastodon\")");
        }
        if ((contactId == null) == (loyalty == null)) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request", "send exactly one of \"contactId\" and \"loyaltyNumber\"");
        }
        if (contactId != null && !contactId.matches("[A-Za-z0-9]{15}([A-Za-z0-9]{3})?")) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request", "\"contactId\" must be a 15- or 18-character Salesforce id");
        }
        if (loyalty != null && loyalty.length() > 255) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request", "\"loyaltyNumber\" is too long");
        }
        String normalisedChannel = HandleNormaliser.channel(channel);
        String handle = text(body, "handle");
        String boundTo = null;
        if (body.has("handle") && !body.get("handle").isNull()) {
            String normalised = handle == null || handle.length() > 255 ? null : HandleNormaliser.normalise(normalisedChannel, handle);
            if (normalised == null) {
                return error(HttpStatus.BAD_REQUEST, "invalid_request", "\"handle\", when sent, must be the member's handle"
                        + " on the channel (e.g. \"@jane\")");
            }
            boundTo = normalised;
        }
        // Per caller, before the CRM look-up: a caller cannot turn this endpoint into a stream of CRM queries
        SlidingWindowLimiter.Decision callerLimit = limiters.callers().tryAcquire(caller == null ? "-" : caller.getName());
        if (!callerLimit.allowed()) {
            return tooManyRequests(callerLimit.retryAfter(), "too_many_requests", "this caller asked for too many link"
                    + " codes (hearth.linking.requests-per-caller); retry later");
        }
        Optional<CrmIdentities.Contact> contact = contactId != null ? crm.contactById(contactId)
                : crm.contactByLoyaltyNumber(loyalty);
        if (contact.isEmpty()) {
            return error(HttpStatus.NOT_FOUND, "unknown_contact", "no contact with this " + (contactId != null ? "id" : "loyalty number"));
        }
        Instant now = clock.instant();
        // A contact's open codes are limited: a caller cannot mint codes for one member without end
        LinkStore.OpenCodes open = store.openCodes(contact.get().id(), now);
        if (open.count() >= settings.maxOpenCodes()) {
            long wait = Math.max(1, java.time.Duration.between(now, open.firstExpiry()).toSeconds());
            ResponseEntity<Map<String, Object>> tooMany = error(HttpStatus.TOO_MANY_REQUESTS, "too_many_codes",
                    "this contact already has " + open.count() + " open codes (hearth.linking.max-open-codes); one must be"
                            + " used or expire first");
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header("Retry-After", Long.toString(wait))
                    .body(tooMany.getBody());
        }
        SlidingWindowLimiter.Decision contactLimit = limiters.contacts().tryAcquire(contact.get().id());
        if (!contactLimit.allowed()) {
            return tooManyRequests(contactLimit.retryAfter(), "too_many_codes", "too many codes were issued for this"
                    + " contact lately (hearth.linking.codes-per-contact); retry later");
        }
        Instant expires = now.plus(settings.codeTtl());
        String code = codes.next();
        store.issue(LinkCodes.hash(code), contact.get().id(), normalisedChannel, contact.get().consent(), now, expires,
                boundTo == null ? null : AuthorKeys.of(normalisedChannel, boundTo));
        // Old codes and attempts go when new ones come: no job needed for a table this small.
        store.purge(now.minus(settings.codeTtl()), now.minus(settings.lockoutWindow()));
        LOG.info("Linking: code issued for contact {} on {} (valid until {}; {})", contact.get().id(), normalisedChannel,
                expires, boundTo == null ? "any handle" : "bound to one handle");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("code", code);
        if (boundTo != null) {
            answer.put("handle", boundTo);
        }
        answer.put("text", settings.textFor(code));
        answer.put("expiresAt", expires.toString());
        return ResponseEntity.status(HttpStatus.CREATED).body(answer);
    }

    @DeleteMapping("/{channel}/{handle}")
    public ResponseEntity<Map<String, Object>> unlink(@PathVariable String channel, @PathVariable String handle) {
        String c;
        String h;
        try {
            c = HandleNormaliser.channel(channel);
            h = HandleNormaliser.normalise(c, handle);
        } catch (IllegalArgumentException e) {
            h = null;
            c = null;
        }
        if (h == null) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request", "channel and handle are required");
        }
        List<String> inCrm = crm.identityIds(c + ":" + h);
        if (inCrm.isEmpty() && directory.hasPendingLink(c, h)) {
            // The link's Social_Identity__c is still on its way (crm.outbound): deleting now would let the writer
            // create it afterwards. The caller retries once the CRM has it.
            return error(HttpStatus.CONFLICT, "link_pending", "this handle was linked moments ago and the CRM does not"
                    + " have the identity yet; retry in a minute");
        }
        List<String> local = directory.removeHandle(c, h);
        int deleted = crm.deleteIdentities(inCrm, local);
        LOG.info("Linking: author {} on {} unlinked ({} directory rows, {} CRM identities)", AuthorKeys.shortOf(c, h), c,
                local.size(), deleted);
        if (local.isEmpty() && deleted == 0) {
            return error(HttpStatus.NOT_FOUND, "not_linked", "no identity of this handle on this channel");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("directoryEntries", local.size());
        answer.put("crmIdentities", deleted);
        return ResponseEntity.ok(answer);
    }

    @ExceptionHandler(CrmIdentities.CrmUnavailableException.class)
    ResponseEntity<Map<String, Object>> crmUnavailable(CrmIdentities.CrmUnavailableException e) {
        LOG.warn("Linking: {}", e.getMessage());
        return error(HttpStatus.BAD_GATEWAY, "crm_unavailable", e.getMessage() + "; retry later");
    }

    @ExceptionHandler(CrmIdentities.AmbiguousContactException.class)
    ResponseEntity<Map<String, Object>> ambiguous(CrmIdentities.AmbiguousContactException e) {
        return error(HttpStatus.CONFLICT, "ambiguous_contact", e.getMessage() + "; send the contactId instead");
    }

    private static ResponseEntity<Map<String, Object>> tooManyRequests(java.time.Duration retryAfter, String code,
                                                                       String message) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header("Retry-After", Long.toString(seconds))
                .body(error(HttpStatus.TOO_MANY_REQUESTS, code, message).getBody());
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() || !v.isTextual() || v.asText().isBlank() ? null : v.asText().strip();
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return ResponseEntity.status(status).body(body);
    }
}

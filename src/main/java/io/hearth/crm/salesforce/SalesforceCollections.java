package io.hearth.crm.salesforce;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.Limits;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.apache.camel.component.salesforce.api.dto.SaveSObjectResult;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The Salesforce side of the CRM writer: sObject Collections upsert/update and the limits resource, through the
 * routes {@code direct:crm-salesforce-*} (routes/pipeline/crm-writer.camel.yaml, camel-salesforce). Counts every
 * call by operation ({@code hearth.crm.api.calls}), reads {@code Sforce-Limit-Info}, and turns failures of a whole
 * call into a {@link CrmCallException} of the right kind. Decides nothing about retrying.
 */
@Component
public class SalesforceCollections {

    public static final String UPSERT = "compositeUpsertSObjectCollections";
    public static final String UPDATE = "compositeUpdateSObjectCollections";
    public static final String LIMITS = "limits";
    public static final String RESOURCES = "getResources";
    /** Salesforce's cap on records per sObject Collections call. */
    public static final int MAX_RECORDS = 200;

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceCollections.class);
    private static final Pattern OAUTH_ERROR = Pattern.compile("[a-z][a-z_]*");
    private static final Pattern API_USAGE = Pattern.compile("api-usage=(\\d+)/(\\d+)");

    /** One record's outcome, in request order. {@code errorCode} null when it succeeded. */
    public record RecordResult(boolean success, String id, String errorCode, String message, List<String> fields) {
    }

    /** What a call returned: per-record results and the API usage the org reported with it (null if none). */
    public record CallResult(List<RecordResult> records, ApiUsage usage) {
    }

    public record ApiUsage(long used, long max) {
        public double share() {
            return max <= 0 ? 0 : (double) used / max;
        }

        @Override
        public String toString() {
            return used + "/" + max;
        }
    }

    private final ProducerTemplate producer;
    private final MeterRegistry meters;
    private final Map<String, Counter> calls = new ConcurrentHashMap<>();
    private final WriteHeaders writeHeaders;

    public SalesforceCollections(ProducerTemplate producer, MeterRegistry meters) {
        this(producer, meters, WriteHeaders.DEFAULTS);
    }

    @org.springframework.beans.factory.annotation.Autowired
    public SalesforceCollections(ProducerTemplate producer, MeterRegistry meters, org.springframework.core.env.Environment environment) {
        this(producer, meters, WriteHeaders.from(environment));
    }

    SalesforceCollections(ProducerTemplate producer, MeterRegistry meters, WriteHeaders writeHeaders) {
        this.producer = producer;
        this.meters = meters;
        this.writeHeaders = writeHeaders;
    }

    public CallResult upsert(String object, String externalIdField, List<Map<String, Object>> records) throws CrmCallException {
        List<SObjectRecord> body = new ArrayList<>(records.size());
        for (Map<String, Object> fields : records) {
            body.add(new SObjectRecord(object, WriteHeaders.salesforceValues(fields)));
        }
        CallResult result = collections(UPSERT, "direct:crm-salesforce-upsert", object, externalIdField, body);
        List<String> created = lastCreated.get();
        lastCreated.remove();
        if (writeHeaders.assignNewRecords(object) && created != null && !created.isEmpty()) {
            // Written with Sforce-Auto-Assign: FALSE (an upsert may update a case an agent owns); the ones it created get
            // the org's assignment rules now, once: an update of nothing but the Id, with Sforce-Auto-Assign: TRUE.
            List<SObjectRecord> assign = new ArrayList<>();
            for (String id : created) {
                SObjectRecord r = new SObjectRecord(object, Map.of());
                r.setId(id);
                assign.add(r);
            }
            assignNow.set(Boolean.TRUE);
            try {
                CallResult assigned = collections(UPDATE, "direct:crm-salesforce-update", object, null, assign);
                long failed = assigned.records().stream().filter(r -> !r.success()).count();
                if (failed > 0) {
                    LOG.warn("Assignment rules could not run on {} new {} record(s): {}", failed, object,
                            assigned.records().stream().filter(r -> !r.success()).findFirst().map(RecordResult::errorCode).orElse(""));
                }
                return new CallResult(result.records(), assigned.usage() != null ? assigned.usage() : result.usage());
            } catch (CrmCallException e) {
                // the records are written; only their assignment is missing (they stay with the integration user)
                LOG.warn("Assignment rules could not run on {} new {} record(s): {}", created.size(), object, e.getMessage());
            } finally {
                assignNow.remove();
            }
        }
        return result;
    }

    /** Ids of the records the last upsert on this thread created (for assignment rules on creation). */
    private final ThreadLocal<List<String>> lastCreated = new ThreadLocal<>();
    /** Set while the assignment call runs: Sforce-Auto-Assign TRUE. */
    private final ThreadLocal<Boolean> assignNow = new ThreadLocal<>();

    /** Each map must hold the record's {@code Id}. */
    public CallResult update(String object, List<Map<String, Object>> records) throws CrmCallException {
        List<SObjectRecord> body = new ArrayList<>(records.size());
        for (Map<String, Object> fields : records) {
            SObjectRecord record = new SObjectRecord(object, Map.of());
            WriteHeaders.salesforceValues(fields).forEach((name, value) -> {
                if (name.equals("Id")) {
                    record.setId((String) value);
                } else {
                    record.field(name, value);
                }
            });
            body.add(record);
        }
        return collections(UPDATE, "direct:crm-salesforce-update", object, null, body);
    }

    /** The org's daily API usage from {@code /limits} (itself one call). */
    public ApiUsage limits() throws CrmCallException {
        Exchange exchange = call(LIMITS, "direct:crm-salesforce-limits", new DefaultExchange(producer.getCamelContext()));
        Limits limits = exchange.getMessage().getBody(Limits.class);
        if (limits == null || limits.getDailyApiRequests() == null) {
            return usageOf(exchange);
        }
        Limits.Usage daily = limits.getDailyApiRequests();
        return new ApiUsage(daily.getMax() - daily.getRemaining(), daily.getMax());
    }

    /**
     * The org's API usage for the writer's probe after a pause: {@code /limits}, or, when the org refuses that (403: the
     * integration user lacks "View Setup and Configuration"), the {@code Sforce-Limit-Info} header of the cheapest data
     * call there is ({@code GET /services/data/vNN.N/}, the resource list, which every API user may read). Either way one
     * API call. Other failures are thrown as they are (the probe decides).
     */
    public ApiUsage probeUsage() throws CrmCallException {
        try {
            return limits();
        } catch (CrmCallException e) {
            // A 403 on /limits alone is the missing permission (classified ACCESS like any non-limit 403); a refused login
            // (ACCESS, 400) is not, and a 403 on the fallback call below is then a real access refusal.
            boolean limitsRefused = e.kind() == CrmCallException.Kind.REJECTED
                    || (e.kind() == CrmCallException.Kind.ACCESS && e.status() == 403);
            if (!limitsRefused) {
                throw e;
            }
            if (limitsRefusedLogged.compareAndSet(false, true)) {
                LOG.warn("Salesforce refuses /limits ({}): the integration user lacks 'View Setup and Configuration' (ViewSetup);"
                        + " the writer's probe reads the Sforce-Limit-Info header of a cheap call instead. Grant the permission set"
                        + " Hearth_Integration (salesforce/README.md) to see the org's limits.", e.errorCode());
            }
            Exchange done = call(RESOURCES, "direct:crm-salesforce-resources", new DefaultExchange(producer.getCamelContext()));
            return usageOf(done);
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean limitsRefusedLogged = new java.util.concurrent.atomic.AtomicBoolean();

    private CallResult collections(String operation, String uri, String object, String externalIdField, List<SObjectRecord> body)
            throws CrmCallException {
        if (body.size() > MAX_RECORDS) {
            throw new IllegalArgumentException("at most " + MAX_RECORDS + " records a call, got " + body.size());
        }
        Exchange exchange = new DefaultExchange(producer.getCamelContext());
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(SalesforceEndpointConfig.SOBJECT_NAME, object);
        exchange.getMessage().setHeader(SalesforceEndpointConfig.ALL_OR_NONE, "false");
        if (externalIdField != null) {
            exchange.getMessage().setHeader(SalesforceEndpointConfig.SOBJECT_EXT_ID_NAME, externalIdField);
        }
        // camel-salesforce sends message headers named Sforce-* as HTTP headers
        writeHeaders.headers(object, Boolean.TRUE.equals(assignNow.get())).forEach(exchange.getMessage()::setHeader);
        LOG.debug("Salesforce {} {} ({} records)", operation, object, body.size());
        Exchange done = call(operation, uri, exchange);
        List<?> results = done.getMessage().getBody(List.class);
        if (results == null || results.size() != body.size()) {
            throw new CrmCallException(CrmCallException.Kind.UNAVAILABLE, 0, "UNEXPECTED_RESPONSE",
                    operation + " answered " + (results == null ? "no results" : results.size() + " results") + " for "
                            + body.size() + " records", null);
        }
        List<RecordResult> out = new ArrayList<>(results.size());
        List<String> created = new ArrayList<>();
        lastCreated.set(created);
        for (Object o : results) {
            SaveSObjectResult r = (SaveSObjectResult) o;
            if (r instanceof org.apache.camel.component.salesforce.api.dto.UpsertSObjectResult u && Boolean.TRUE.equals(u.getCreated())
                    && r.getId() != null) {
                created.add(r.getId());
            }
            if (Boolean.TRUE.equals(r.getSuccess())) {
                out.add(new RecordResult(true, r.getId(), null, null, List.of()));
            } else {
                RestError e = r.getErrors() == null || r.getErrors().isEmpty() ? null : r.getErrors().get(0);
                out.add(new RecordResult(false, r.getId(), e == null ? "UNKNOWN_ERROR" : e.getErrorCode(),
                        e == null ? "no error given" : e.getMessage(), e == null || e.getFields() == null ? List.of() : e.getFields()));
            }
        }
        return new CallResult(out, usageOf(done));
    }

    private Exchange call(String operation, String uri, Exchange exchange) throws CrmCallException {
        calls.computeIfAbsent(operation, op -> Counter.builder("hearth.crm.api.calls").tag("operation", op)
                .description("CRM API calls made by the hub, by operation").register(meters)).increment();
        LOG.debug("CRM API call: {}", operation);
        Exchange done = producer.send(uri, exchange);
        Exception failure = done.getException();
        if (failure != null) {
            throw classify(operation, failure);
        }
        return done;
    }

    public static CrmCallException classify(String operation, Exception failure) {
        SalesforceException sf = find(failure, SalesforceException.class);
        int status = sf == null ? 0 : sf.getStatusCode();
        String code = null;
        String message = null;
        if (sf != null && sf.getErrors() != null && !sf.getErrors().isEmpty()) {
            code = sf.getErrors().get(0).getErrorCode();
            message = sf.getErrors().get(0).getMessage();
        }
        if (message == null) {
            message = failure.getMessage();
        }
        String what = operation + " failed: " + (status > 0 ? "HTTP " + status + " " : "") + (code == null ? "" : code + " ") + message;
        if ("REQUEST_LIMIT_EXCEEDED".equals(code) || (status == 403 && message != null && message.contains("REQUEST_LIMIT_EXCEEDED"))) {
            return new CrmCallException(CrmCallException.Kind.REQUEST_LIMIT, status, "REQUEST_LIMIT_EXCEEDED", what, failure);
        }
        if (isLoginRefusal(status, code) || status == 403) {
            return new CrmCallException(CrmCallException.Kind.ACCESS, status, code == null ? "HTTP_" + status : code, what, failure);
        }
        boolean transientFailure = status == 0 || status >= 500 || status == 401 || status == 408 || status == 429
                || find(failure, TimeoutException.class) != null || find(failure, IOException.class) != null;
        if (transientFailure) {
            return new CrmCallException(CrmCallException.Kind.UNAVAILABLE, status, code == null ? "UNAVAILABLE" : code, what, failure);
        }
        return new CrmCallException(CrmCallException.Kind.REJECTED, status, code == null ? "HTTP_" + status : code, what, failure);
    }

    /**
     * camel-salesforce reports a refused login as HTTP 400 with the token endpoint's OAuth {@code error} as the code
     * (lower case: {@code invalid_grant}, {@code invalid_client}, ...); the REST API's own codes are upper case
     * ({@code INVALID_FIELD}). Salesforce's login rate limit ({@code rate_limit_exceeded}) is not a refusal.
     */
    static boolean isLoginRefusal(int status, String code) {
        return status == 400 && code != null && !code.equals("rate_limit_exceeded") && OAUTH_ERROR.matcher(code).matches();
    }

    static ApiUsage usageOf(Exchange exchange) {
        String header = exchange.getMessage().getHeader("Sforce-Limit-Info", String.class);
        if (header == null) {
            return null;
        }
        Matcher m = API_USAGE.matcher(header);
        return m.find() ? new ApiUsage(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))) : null;
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}

package io.hearth.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;

import io.hearth.sandbox.SandboxOrg.SaveResult;

/** The partner SOAP API of the sandbox: {@code emptyRecycleBin} only. */
final class SoapEndpoint {

    private final SandboxAuth auth;
    private final ApiUsage usage;
    private final SandboxFaults faults;
    private final SandboxOrg org;

    SoapEndpoint(SandboxAuth auth, ApiUsage usage, SandboxFaults faults, SandboxOrg org) {
        this.auth = auth;
        this.usage = usage;
        this.faults = faults;
        this.org = org;
    }

    private static final Pattern SESSION_ID = Pattern.compile("<(?:\\w+:)?sessionId>\\s*([^<\\s]+)\\s*</(?:\\w+:)?sessionId>");
    private static final Pattern SOAP_IDS = Pattern.compile("<(?:\\w+:)?ids>\\s*([^<\\s]+)\\s*</(?:\\w+:)?ids>");
    private static final Pattern SOAP_CALL = Pattern.compile("<(?:\\w+:)?Body[^>]*>\\s*<(?:\\w+:)?(\\w+)");

    /**
     * {@code POST /services/Soap/u/NN.N}: the partner API's {@code emptyRecycleBin} (the only SOAP call the sandbox has):
     * session from the SessionHeader, ≤ 200 ids, one result per id. Counts as an API call. Other calls: a SOAP fault.
     */
    void serve(HttpExchange exchange) throws IOException {
        String body = SandboxHttp.readBody(exchange);
        int status = 200;
        String answer;
        Matcher session = SESSION_ID.matcher(body);
        Matcher call = SOAP_CALL.matcher(body);
        String token = session.find() ? session.group(1) : null;
        if (!auth.liveSession(token)) {
            status = 500;
            answer = soapFault("sf:INVALID_SESSION_ID", "INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session");
        } else if (faults.requestLimitExceeded() || !usage.count()) {
            status = 500;
            answer = soapFault("sf:REQUEST_LIMIT_EXCEEDED", "REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.");
        } else if (!call.find() || !call.group(1).equals("emptyRecycleBin")) {
            status = 500;
            answer = soapFault("sf:UNSUPPORTED_API_VERSION", "the sandbox's SOAP API has emptyRecycleBin only");
        } else {
            List<String> ids = new ArrayList<>();
            for (Matcher m = SOAP_IDS.matcher(body); m.find(); ) {
                ids.add(m.group(1));
            }
            if (ids.size() > 200) {
                status = 500;
                answer = soapFault("sf:EXCEEDED_ID_LIMIT", "EXCEEDED_ID_LIMIT: emptyRecycleBin takes at most 200 ids");
            } else {
                StringBuilder results = new StringBuilder();
                for (SaveResult r : org.emptyRecycleBin(ids)) {
                    results.append("<result>");
                    for (SfError e : r.errors()) {
                        results.append("<errors><message>").append(xml(e.message())).append("</message><statusCode>").append(e.code())
                                .append("</statusCode></errors>");
                    }
                    results.append(r.id() == null ? "<id xsi:nil=\"true\"/>" : "<id>" + r.id() + "</id>")
                            .append("<success>").append(r.success()).append("</success></result>");
                }
                answer = "<emptyRecycleBinResponse>" + results + "</emptyRecycleBinResponse>";
            }
        }
        byte[] bytes = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\""
                + " xmlns=\"urn:partner.soap.sforce.com\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body>" + answer
                + "</soapenv:Body></soapenv:Envelope>").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        exchange.close();
    }

    private static String soapFault(String code, String message) {
        return "<soapenv:Fault><faultcode>" + code + "</faultcode><faultstring>" + xml(message) + "</faultstring></soapenv:Fault>";
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

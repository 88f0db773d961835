package io.hearth.sandbox;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;

/**
 * The JSON body of the request being served: the HTTP body, or, while a composite subrequest runs on this thread, the
 * subrequest's body (so the resources serve both alike).
 */
final class RequestBodies {

    /** Work that may read the body. */
    interface Call<T> {
        T run() throws IOException;
    }

    private final ObjectMapper json;
    private final ThreadLocal<JsonNode> subrequestBody = new ThreadLocal<>();

    RequestBodies(ObjectMapper json) {
        this.json = json;
    }

    JsonNode read(HttpExchange exchange) throws IOException {
        JsonNode subrequest = subrequestBody.get();
        if (subrequest != null) {
            return subrequest.deepCopy();
        }
        String body = SandboxHttp.readBody(exchange);
        try {
            return body.isBlank() ? JsonNodeFactory.instance.objectNode() : json.readTree(body);
        } catch (JsonProcessingException e) {
            throw SandboxApiException.badRequest("JSON_PARSER_ERROR", "Unexpected character at [line:" + e.getLocation().getLineNr()
                    + ", column:" + e.getLocation().getColumnNr() + "]");
        }
    }

    /** Whether this thread is running a composite subrequest. */
    boolean inSubrequest() {
        return subrequestBody.get() != null;
    }

    /** Runs {@code call} with {@code body} as the request body on this thread. */
    <T> T withSubrequestBody(JsonNode body, Call<T> call) throws IOException {
        subrequestBody.set(body);
        try {
            return call.run();
        } finally {
            subrequestBody.remove();
        }
    }
}

package io.hearth.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The tests' way to call a running hub's HTTP API: {@code http://127.0.0.1:<port>}, a bearer key (or none: anonymous),
 * the {@link TestHttp} client (connect and request timeouts), answers as text. {@link #as(String)} asks the same hub with
 * another key; {@link #raw()} gives the plain-socket client for requests a client library would not send as written.
 */
public final class HubHttp {

    private static final HttpClient HTTP = TestHttp.client();

    private final int port;
    private final String key;

    private HubHttp(int port, String key) {
        this.port = port;
        this.key = key;
    }

    /** The hub at {@code port}, every request with {@code Authorization: Bearer <key>} ({@code key} null: none). */
    public static HubHttp at(int port, String key) {
        return new HubHttp(port, key);
    }

    /** The same hub, asked with another bearer key (null: anonymously). */
    public HubHttp as(String otherKey) {
        return new HubHttp(port, otherKey);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    /** A POST of JSON ({@code body} null: an empty body). */
    public HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return post(path, "application/json", body);
    }

    public HttpResponse<String> post(String path, String contentType, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Any request: this hub's key added. */
    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** HTTP/1.1 over a plain socket to the same hub (the request target goes on the wire exactly as given). */
    public RawHttp raw() {
        return new RawHttp(port);
    }
}

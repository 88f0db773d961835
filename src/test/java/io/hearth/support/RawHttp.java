package io.hearth.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket: the request target goes on the wire exactly as given (no client normalises
 * {@code ;x=1}, {@code %61}, {@code %2e}, {@code //} or {@code ..} away, as the JDK HttpClient and URI may).
 * One request per connection ({@code Connection: close}); the answer is read to the end of the stream. For ordinary
 * API calls use {@link HubHttp}; this is for requests a client library would not send as written.
 */
public final class RawHttp {

    public record Answer(int status, String head, String body) {
        /** The value of the {@code error} field of a JSON error body, or null. */
        public String error() {
            int i = body.indexOf("\"error\":\"");
            if (i < 0) {
                return null;
            }
            int start = i + 9;
            int end = body.indexOf('"', start);
            return end < 0 ? null : body.substring(start, end);
        }
    }

    private final int port;

    public RawHttp(int port) {
        this.port = port;
    }

    public Answer send(String method, String target, String authorization, String contentType, byte[] body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder()
                    .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n")
                    .append("Connection: close\r\n");
            if (authorization != null) {
                request.append("Authorization: ").append(authorization).append("\r\n");
            }
            if (body != null) {
                request.append("Content-Type: ").append(contentType).append("\r\n")
                        .append("Content-Length: ").append(body.length).append("\r\n");
            }
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            int headEnd = text.indexOf("\r\n\r\n");
            String head = headEnd < 0 ? text : text.substring(0, headEnd);
            String rest = headEnd < 0 ? "" : text.substring(headEnd + 4);
            if (!head.startsWith("HTTP/1.1 ")) {
                throw new IOException("not an HTTP answer to " + method + " " + target + ": " + head);
            }
            int status = Integer.parseInt(head.substring(9, 12));
            return new Answer(status, head, rest);
        }
    }
}

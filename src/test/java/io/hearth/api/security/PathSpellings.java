package io.hearth.api.security;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The spellings of one path under which a request may reach the same handler while a check on the raw URI sees
 * something else: path parameters, percent-encoded letters, encoded and plain dot segments, doubled and trailing
 * slashes, upper case. Keys name the spelling (for the figures), values are request targets.
 */
final class PathSpellings {

    private PathSpellings() {
    }

    static Map<String, String> of(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException(path);
        }
        int second = path.indexOf('/', 1);
        String first = second < 0 ? path.substring(1) : path.substring(1, second);   // "api"
        String rest = second < 0 ? "" : path.substring(second);                      // "/rules/prospects"
        Map<String, String> s = new LinkedHashMap<>();
        s.put("plain", path);
        s.put(";param first segment", "/" + first + ";x=1" + rest);
        s.put(";param last segment", path + ";x=1");
        s.put(";jsessionid", "/" + first + ";jsessionid=0" + rest);
        s.put("%-encoded letter", "/" + encode(first.charAt(0), false) + first.substring(1) + rest);
        s.put("%-encoded letter (upper hex)", "/" + encode(first.charAt(0), true) + first.substring(1) + rest);
        s.put("all letters %-encoded", "/" + encodeAll(first) + rest);
        s.put("%2e segment", "/%2e" + path);
        s.put("%2e%2e back", "/x/%2e%2e" + path);
        s.put(".. back", "/x/.." + path);
        s.put(". segment", "/." + path);
        s.put("encoded slash", "/" + first + "%2f" + rest.replaceFirst("^/", ""));
        s.put("// leading", "/" + path);
        s.put("// inside", "/" + first + "/" + rest);
        s.put("trailing /", path + "/");
        s.put("upper case", path.toUpperCase(Locale.ROOT));
        s.put("upper case first segment", "/" + first.toUpperCase(Locale.ROOT) + rest);
        s.put("backslash", "/" + first + "%5c" + rest.replaceFirst("^/", ""));
        return s;
    }

    private static String encode(char c, boolean upper) {
        String hex = String.format(upper ? "%%%02X" : "%%%02x", (int) c);
        return hex;
    }

    private static String encodeAll(String segment) {
        StringBuilder b = new StringBuilder();
        for (char c : segment.toCharArray()) {
            b.append(encode(c, false));
        }
        return b.toString();
    }
}

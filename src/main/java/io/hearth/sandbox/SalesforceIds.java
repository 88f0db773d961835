package io.hearth.sandbox;

/**
 * Salesforce-style record ids: 3-character key prefix, 12 characters (here {@code "HS"} and a base-62 sequence
 * number), and the 3-character case-safe suffix that turns the 15-character id into the 18-character one.
 */
final class SalesforceIds {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    private SalesforceIds() {
    }

    static String of(String keyPrefix, long sequence) {
        StringBuilder number = new StringBuilder();
        long n = sequence;
        do {
            number.insert(0, BASE62.charAt((int) (n % 62)));
            n /= 62;
        } while (n > 0);
        while (number.length() < 10) {
            number.insert(0, '0');
        }
        return to18(keyPrefix + "HS" + number);
    }

    /** The 18-character form of a 15-character id (Salesforce's case-safe checksum). */
    static String to18(String id15) {
        if (id15.length() != 15) {
            throw new IllegalArgumentException("not a 15-character id: " + id15);
        }
        StringBuilder suffix = new StringBuilder(3);
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                char c = id15.charAt(chunk * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    bits |= 1 << i;
                }
            }
            suffix.append(SUFFIX.charAt(bits));
        }
        return id15 + suffix;
    }

    /** An id as the API accepts it: 15 or 18 alphanumeric characters, in the 18-character form; null if malformed. */
    static String normalise(String id) {
        if (id == null || !(id.length() == 15 || id.length() == 18)) {
            return null;
        }
        for (int i = 0; i < id.length(); i++) {
            if (BASE62.indexOf(id.charAt(i)) < 0) {
                return null;
            }
        }
        String full = to18(id.substring(0, 15));
        if (id.length() == 18 && !full.equalsIgnoreCase(id)) {
            return null;
        }
        return full;
    }
}

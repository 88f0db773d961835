package io.hearth.sandbox.soql;

/** A query Salesforce would refuse: MALFORMED_QUERY, INVALID_FIELD or INVALID_TYPE with Salesforce's message. */
public class SoqlException extends RuntimeException {

    private final String errorCode;

    public SoqlException(String errorCode, String message) {
        super(message, null, false, false);
        this.errorCode = errorCode;
    }

    public String errorCode() {
        return errorCode;
    }

    /** Salesforce's shape: "\n<query>\n<spaces>^\nERROR at Row:r:Column:c\n<reason>". */
    public static SoqlException at(String code, String soql, int offset, String reason) {
        int row = 1;
        int lineStart = 0;
        for (int i = 0; i < offset && i < soql.length(); i++) {
            if (soql.charAt(i) == '\n') {
                row++;
                lineStart = i + 1;
            }
        }
        int lineEnd = soql.indexOf('\n', lineStart);
        String line = soql.substring(lineStart, lineEnd < 0 ? soql.length() : lineEnd);
        int column = offset - lineStart + 1;
        return new SoqlException(code, "\n" + line + "\n" + " ".repeat(Math.max(0, column - 1)) + "^\nERROR at Row:" + row
                + ":Column:" + column + "\n" + reason);
    }
}

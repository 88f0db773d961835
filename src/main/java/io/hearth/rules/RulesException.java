package io.hearth.rules;

import io.hearth.config.ExplainedFailure;

/**
 * A rules file the hub cannot use: names the file, the line and column, and the field ({@code rewards[1].cap.per-day}).
 * At startup it stops the hub with that one line; on a reload the previous rules stay and the error shows in health.
 */
public class RulesException extends RuntimeException implements ExplainedFailure {

    private final String file;
    private final int line;
    private final String field;

    public RulesException(String file, int line, int column, String field, String problem) {
        super(file + (line > 0 ? " line " + line + ", column " + column : "") + ": "
                + (field == null || field.isEmpty() ? "" : field + ": ") + problem);
        this.file = file;
        this.line = line;
        this.field = field;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String field() {
        return field;
    }

    @Override
    public String failureDescription() {
        return "Hearth rules error: " + getMessage();
    }

    @Override
    public String failureAction() {
        return "Correct " + file + " (hearth.rules.file; docs/rules.md lists every field).";
    }
}

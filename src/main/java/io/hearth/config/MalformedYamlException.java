package io.hearth.config;

/** A configuration file that is not valid YAML; names the file and the position of the problem. */
public class MalformedYamlException extends RuntimeException {

    private final String file;

    public MalformedYamlException(String file, int line, int column, String problem, Throwable cause) {
        super("malformed YAML in " + file + (line > 0 ? " at line " + line + ", column " + column : "")
                + (problem == null || problem.isBlank() ? "" : ": " + problem.strip()), cause);
        this.file = file;
    }

    public String file() {
        return file;
    }
}

package io.hearth.config;

/** Configuration the hub cannot start with. {@link #setting()} names the setting to fix. */
public class HearthConfigurationException extends RuntimeException {

    private final String setting;

    public HearthConfigurationException(String setting, String message) {
        super(setting + ": " + message);
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }
}

package io.hearth.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a setting (a component of a settings record) whose value is a secret: a token, key or password. Set it from
 * the environment or config/secrets.yml, never in a committed file; the README's settings tables say "secret" for it
 * (checked by {@code SettingsTableTest}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface Secret {
}

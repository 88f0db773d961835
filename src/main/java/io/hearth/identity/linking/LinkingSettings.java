package io.hearth.identity.linking;

import java.time.Duration;

import io.hearth.config.HearthConfigurationException;
import io.hearth.crm.salesforce.Soql;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * {@code hearth.linking.*}: verified linking (docs/privacy.md). Defaults in code.
 *
 * @param enabled       codes are issued and honoured (off: POST /api/links answers 404, mentions link nothing)
 * @param codeTtl       how long a code stays valid
 * @param maxWrongCodes wrong codes an author may post within {@code lockoutWindow} before their codes are ignored
 * @param lockoutWindow the window wrong codes are counted over (a locked author is free again when it has passed)
 * @param loyaltyField  the Contact field holding loyalty numbers ({@code {"loyaltyNumber": …}} requests)
 * @param text          the text the member posts; {@code {code}} is replaced by the code
 * @param pendingGrace  how long the directory sync keeps a hub-linked identity the CRM does not show yet
 * @param maxOpenCodes  codes of one contact that may be open (issued, unused, unexpired) at once; more → 429
 */
public record LinkingSettings(boolean enabled, Duration codeTtl, int maxWrongCodes, Duration lockoutWindow,
                             String loyaltyField, String text, Duration pendingGrace, int maxOpenCodes) {

    public static LinkingSettings from(Environment env) {
        String p = "hearth.linking.";
        Binder b = Binder.get(env);   // Spring Boot's conversions (24h, 10m) whatever the environment
        LinkingSettings s = new LinkingSettings(
                b.bind(p + "enabled", Boolean.class).orElse(true),
                b.bind(p + "code-ttl", Duration.class).orElse(Duration.ofHours(24)),
                b.bind(p + "max-wrong-codes", Integer.class).orElse(5),
                b.bind(p + "lockout-window", Duration.class).orElse(Duration.ofHours(1)),
                b.bind(p + "loyalty-field", String.class).orElse("Loyalty_Number__c").strip(),
                b.bind(p + "text", String.class).orElse("Linking my account to my membership: {code}"),
                b.bind(p + "pending-grace", Duration.class).orElse(Duration.ofHours(24)),
                b.bind(p + "max-open-codes", Integer.class).orElse(5));
        if (s.codeTtl.isNegative() || s.codeTtl.isZero()) {
            throw new HearthConfigurationException(p + "code-ttl", "must be positive, was " + s.codeTtl);
        }
        if (s.maxWrongCodes < 1) {
            throw new HearthConfigurationException(p + "max-wrong-codes", "must be at least 1, was " + s.maxWrongCodes);
        }
        if (s.maxOpenCodes < 1) {
            throw new HearthConfigurationException(p + "max-open-codes", "must be at least 1, was " + s.maxOpenCodes);
        }
        if (s.lockoutWindow.isNegative() || s.lockoutWindow.isZero()) {
            throw new HearthConfigurationException(p + "lockout-window", "must be positive, was " + s.lockoutWindow);
        }
        try {
            Soql.identifier(s.loyaltyField);
        } catch (IllegalArgumentException e) {
            throw new HearthConfigurationException(p + "loyalty-field", "'" + s.loyaltyField
                    + "' is not a Salesforce field API name (e.g. Loyalty_Number__c)");
        }
        if (!s.text.contains("{code}")) {
            throw new HearthConfigurationException(p + "text", "must contain {code} (where the code goes)");
        }
        return s;
    }

    public String textFor(String code) {
        return text.replace("{code}", code);
    }
}

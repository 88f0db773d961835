package io.hearth.crm.salesforce;

import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.hearth.config.HearthConfigurationException;

/**
 * The Camel {@code salesforce} component, configured from {@code hearth.salesforce.*} (see {@link SalesforceSettings}).
 * Routes use it as {@code salesforce:query}, {@code salesforce:queryMore}, {@code salesforce:compositeSObjectCollections…}.
 */
@Configuration(proxyBeanMethods = false)
public class SalesforceConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SalesforceConfiguration.class);

    @Bean
    SalesforceSettings salesforceSettings(Environment environment) {
        return SalesforceSettings.from(environment);
    }

    @Bean("salesforce")
    SalesforceComponent salesforceComponent(SalesforceSettings settings,
            @org.springframework.beans.factory.annotation.Value("${hearth.salesforce.connect-timeout:10s}") java.time.Duration connectTimeout,
            @org.springframework.beans.factory.annotation.Value("${hearth.salesforce.request-timeout:60s}") java.time.Duration requestTimeout) {
        SalesforceComponent component = new SalesforceComponent();
        // Bounded HTTP calls: a Salesforce (or sandbox) that stops answering fails the call, it never hangs a route.
        component.setHttpClientConnectionTimeout(positive("hearth.salesforce.connect-timeout", connectTimeout));
        component.setHttpRequestTimeout(positive("hearth.salesforce.request-timeout", requestTimeout));
        AuthenticationType type;
        try {
            type = AuthenticationType.valueOf(settings.authType());
        } catch (IllegalArgumentException e) {
            throw new HearthConfigurationException("hearth.salesforce.auth-type", "'" + settings.authType()
                    + "' is not one of CLIENT_CREDENTIALS, USERNAME_PASSWORD, REFRESH_TOKEN, JWT");
        }
        component.setAuthenticationType(type);
        component.setLoginUrl(settings.loginUrl());
        component.setClientId(settings.clientId());
        switch (type) {
            case CLIENT_CREDENTIALS -> {
                require(settings.clientSecret(), "hearth.salesforce.client-secret (HEARTH_SALESFORCE_CLIENT_SECRET)", type);
                component.setClientSecret(settings.clientSecret());
            }
            case USERNAME_PASSWORD -> {
                require(settings.clientSecret(), "hearth.salesforce.client-secret (HEARTH_SALESFORCE_CLIENT_SECRET)", type);
                require(settings.username(), "hearth.salesforce.username (HEARTH_SALESFORCE_USERNAME)", type);
                require(settings.password(), "hearth.salesforce.password (HEARTH_SALESFORCE_PASSWORD)", type);
                component.setClientSecret(settings.clientSecret());
                component.setUserName(settings.username());
                component.setPassword(settings.password());
            }
            case REFRESH_TOKEN -> {
                require(settings.refreshToken(), "hearth.salesforce.refresh-token (HEARTH_SALESFORCE_REFRESH_TOKEN)", type);
                component.setClientSecret(settings.clientSecret().isBlank() ? null : settings.clientSecret());
                component.setRefreshToken(settings.refreshToken());
            }
            case JWT -> {
                require(settings.username(), "hearth.salesforce.username (HEARTH_SALESFORCE_USERNAME)", type);
                require(settings.jwtKeystore(), "hearth.salesforce.jwt.keystore (HEARTH_SALESFORCE_JWT_KEYSTORE)", type);
                component.setUserName(settings.username());
                KeyStoreParameters keystore = new KeyStoreParameters();
                keystore.setResource(settings.jwtKeystore());
                keystore.setPassword(settings.jwtKeystorePassword());
                keystore.setType(settings.jwtKeystoreType());
                component.setKeystore(keystore);
                if (!settings.jwtAudience().isBlank()) {
                    component.setJwtAudience(settings.jwtAudience());
                }
            }
        }
        component.setLazyLogin(settings.lazyLogin());
        SalesforceEndpointConfig config = new SalesforceEndpointConfig();
        config.setApiVersion(settings.apiVersion());
        component.setConfig(config);
        log.info("Salesforce: {} login at {} (API v{}){}", type, settings.loginUrl(), settings.apiVersion(),
                settings.sandboxMode() ? " - sandbox mode, the built-in sandbox's OAuth client" : "");
        return component;
    }

    private static void require(String value, String what, AuthenticationType type) {
        if (value == null || value.isBlank()) {
            throw new HearthConfigurationException(what, what + " is required for hearth.salesforce.auth-type " + type);
        }
    }

    private static long positive(String name, java.time.Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new HearthConfigurationException(name, name + " must be a positive duration, was " + value);
        }
        return value.toMillis();
    }
}

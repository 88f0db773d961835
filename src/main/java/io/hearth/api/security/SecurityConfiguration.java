package io.hearth.api.security;

import io.hearth.api.ApiKey;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * The hub's trust boundary in one place (docs/security.md): one stateless {@link SecurityFilterChain} for every
 * request, Spring Security's {@link StrictHttpFirewall} in front of it, and the roles each path needs.
 * <p>
 * Spring Security matches the servlet path the container decoded and normalised (the path Spring MVC routes by), and the
 * firewall rejects what could be read two ways ({@code ;}, encoded {@code /} or {@code .}, {@code //}, {@code ..}).
 * Open without credentials: the health status ({@code GET|HEAD /actuator/health[/**]}, details only with credentials),
 * the operator console's static pages ({@code GET|HEAD /console/**}: no data in them; docs/console.md)
 * and the webhook receivers ({@code GET|POST /webhooks/meta|x}, which check the sender's signature themselves).
 * Everything else, unknown paths included, needs credentials; a rule added for a new endpoint goes here.
 */
@Configuration(proxyBeanMethods = false)
// A context without a web server (route tests, tools) has no HttpSecurity and nothing to protect.
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties({SecuritySettings.class, ManagementSettings.class})
public class SecurityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityConfiguration.class);

    /** Scripts, styles, images and fetches only from the hub itself; no framing, no plugins, no inline script. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";

    @Bean
    HearthCredentials hearthCredentials(ApiKey apiKey, SecuritySettings keys, ManagementSettings management) {
        HearthCredentials credentials = new HearthCredentials(apiKey, keys, management);
        LOG.info("Security: credentials configured: {} (docs/security.md)", credentials.names());
        return credentials;
    }

    @Bean
    SecurityFilterChain hearthSecurity(HttpSecurity http, HearthCredentials credentials, MeterRegistry meters)
            throws Exception {
        http
                .csrf(AbstractHttpConfigurer::disable)            // no cookies, no sessions: nothing for CSRF to ride on
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)       // Basic is read by AuthorizationHeaderFilter
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                // the console's pages run only the hub's own scripts and styles (the key they hold is worth protecting)
                .headers(h -> h.contentSecurityPolicy(c -> c.policyDirectives(CONTENT_SECURITY_POLICY)))
                .addFilterBefore(new AuthorizationHeaderFilter(new ProviderManager(credentials)),
                        AnonymousAuthenticationFilter.class)
                .exceptionHandling(e -> e
                        .authenticationEntryPoint(SecurityErrors.unauthorized())
                        .accessDeniedHandler(SecurityErrors.forbidden()))
                .authorizeHttpRequests(requests -> requests
                        // the error page of a request that has already passed (or been refused by) these rules
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        // open: health status (details need credentials: management.endpoint.health.show-details)
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers(HttpMethod.HEAD, "/actuator/health", "/actuator/health/**").permitAll()
                        // open: webhook receivers, which accept only bodies signed by the sender (docs/webhooks.md)
                        .requestMatchers(HttpMethod.GET, "/webhooks/meta", "/webhooks/x").permitAll()
                        .requestMatchers(HttpMethod.POST, "/webhooks/meta", "/webhooks/x").permitAll()
                        // the operator console's static pages (docs/console.md): they hold no data, so anyone may
                        // load them (the login page); everything they show comes from /api/console/** with a key
                        .requestMatchers(HttpMethod.GET, "/console", "/console/", "/console/**").permitAll()
                        .requestMatchers(HttpMethod.HEAD, "/console", "/console/", "/console/**").permitAll()
                        // management: metrics, health details, info
                        .requestMatchers("/actuator", "/actuator/**").hasRole(Roles.VIEWER)
                        // ingest
                        .requestMatchers(HttpMethod.POST, "/api/ingest/*").hasRole(Roles.INGEST)
                        // read-only reports
                        .requestMatchers(HttpMethod.GET, "/api/rules/leaderboards/*", "/api/rules/prospects")
                                .hasRole(Roles.VIEWER)
                        // the console's read-only figures (counts, scores, states; no post texts or handles)
                        .requestMatchers(HttpMethod.GET, "/api/console/**").hasRole(Roles.VIEWER)
                        // the API's OpenAPI description (springdoc: /api/openapi.json, its .yaml and group variants)
                        .requestMatchers(HttpMethod.GET, "/api/openapi.json", "/api/openapi.json/**",
                                "/api/openapi.json.yaml").hasRole(Roles.VIEWER)
                        // dead-letter operations: list, look, replay, discard, their audit log (bodies and reasons may
                        // quote personal data; docs/operations.md)
                        .requestMatchers("/api/dead-letters", "/api/dead-letters/**").hasRole(Roles.OPERATOR)
                        // operations on people's data: erasure, deleted mentions, link codes, unlinking
                        .requestMatchers("/api/erasure", "/api/erasure/**", "/api/mentions/**", "/api/links",
                                "/api/links/**").hasRole(Roles.OPERATOR)
                        // any other /api endpoint (e.g. DLQ replay) is an operator's until a rule here says otherwise
                        .requestMatchers("/api/**").hasRole(Roles.OPERATOR)
                        .anyRequest().authenticated());
        return http.build();
    }

    /** Spring Security's strict firewall (its defaults: no ';', encoded '/', '\\', '.', '%', no '//', normalised paths). */
    @Bean
    StrictHttpFirewall httpFirewall() {
        return new StrictHttpFirewall();
    }

    @Bean
    WebSecurityCustomizer hearthFirewall(StrictHttpFirewall firewall, MeterRegistry meters) {
        return web -> web.httpFirewall(firewall).requestRejectedHandler(SecurityErrors.rejected(meters));
    }
}

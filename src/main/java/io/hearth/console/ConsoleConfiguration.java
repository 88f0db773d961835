package io.hearth.console;

import java.util.concurrent.TimeUnit;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The operator console (docs/console.md): its static pages, served from {@code classpath:/console/} under
 * {@code /console/**} (plain HTML, CSS and JavaScript in the jar: no CDN, no front-end build), {@code /console} redirected
 * to its login page, and the read model behind {@code /api/console/**}. The pages hold no data: everything they show is
 * fetched with the key the operator typed in ({@code Authorization: Bearer}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ConsoleConfiguration implements WebMvcConfigurer {

    @Bean
    ConsoleReports consoleReports(JdbcTemplate jdbc) {
        return new ConsoleReports(jdbc);
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/console/**").addResourceLocations("classpath:/console/")
                .setCacheControl(CacheControl.maxAge(0, TimeUnit.SECONDS).cachePrivate().mustRevalidate());
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/console", "/console/index.html");
        registry.addRedirectViewController("/console/", "/console/index.html");
    }
}

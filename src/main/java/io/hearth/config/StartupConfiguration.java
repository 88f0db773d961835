package io.hearth.config;

import java.util.List;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class StartupConfiguration {

    /** The file-drop source: JSON/JSONL files in {@code <data>/inbox/<channel>/}. */
    @Bean
    SourceDescriptor inboxSource() {
        return new SourceDescriptor("inbox", List.of());
    }

    @Bean
    InitializingBean configurationCheck(HearthProperties properties, List<SourceDescriptor> sources) {
        return () -> ConfigurationValidator.validate(properties, sources);
    }
}

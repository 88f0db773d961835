package io.hearth;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Hearth: social channels in, canonical mentions through Artemis stage queues, CRM writes out. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HearthApplication {

    public static void main(String[] args) {
        SpringApplication.run(HearthApplication.class, args);
    }
}

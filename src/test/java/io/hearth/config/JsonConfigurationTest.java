package io.hearth.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import io.hearth.channel.mention.CanonicalMentionMapper;
import io.hearth.crm.CrmCommand;
import io.hearth.mention.Mention;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Blackbird (issue 14 item 2) is registered on the application's ObjectMapper, and it changes no byte of the JSON the
 * pipeline writes: every reference payload (the canonical mentions of src/test/resources/fixtures, as received and as
 * the enrich stage scores and matches them, and CRM commands) is written identically with and without it, and read
 * back into equal objects.
 */
class JsonConfigurationTest {

    /** Spring Boot's mapper with config/application.yml's spring.jackson settings. */
    private final ApplicationContextRunner spring = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
            .withPropertyValues("spring.jackson.default-property-inclusion=non_null",
                    "spring.jackson.serialization.write-dates-as-timestamps=false");

    @Test
    void theApplicationsObjectMapperHasBlackbird() {
        spring.withUserConfiguration(JsonConfiguration.class).run(context ->
                assertThat(context.getBean(ObjectMapper.class).getRegisteredModuleIds())
                        .contains(new BlackbirdModule().getTypeId()));
    }

    @Test
    void theJsonOfTheReferencePayloadsIsByteIdenticalWithAndWithoutBlackbird() {
        spring.run(plainContext -> spring.withUserConfiguration(JsonConfiguration.class).run(blackbirdContext -> {
            ObjectMapper plain = plainContext.getBean(ObjectMapper.class);
            ObjectMapper blackbird = blackbirdContext.getBean(ObjectMapper.class);
            assertThat(plain.getRegisteredModuleIds()).doesNotContain(new BlackbirdModule().getTypeId());
            List<Mention> mentions = referenceMentions(plain);
            assertThat(mentions).hasSizeGreaterThan(30);
            for (Mention m : mentions) {
                String json = plain.writeValueAsString(m);
                assertThat(blackbird.writeValueAsString(m)).as(m.id()).isEqualTo(json);
                Mention read = blackbird.readValue(json, Mention.class);
                assertThat(read).as(m.id()).isEqualTo(plain.readValue(json, Mention.class));
                assertThat(plain.writeValueAsString(read)).as(m.id()).isEqualTo(json);
                CrmCommand command = command(m);
                String commandJson = plain.writeValueAsString(command);
                assertThat(blackbird.writeValueAsString(command)).isEqualTo(commandJson);
                assertThat(blackbird.readValue(commandJson, CrmCommand.class))
                        .isEqualTo(plain.readValue(commandJson, CrmCommand.class));
            }
        }));
    }

    /** Each fixture mention as received, scored, and scored and matched to a contact. */
    private static List<Mention> referenceMentions(ObjectMapper plain) throws IOException {
        List<Mention> received = new ArrayList<>(new CanonicalMentionMapper(plain)
                .map(Files.readString(Path.of("src/test/resources/fixtures/mention/mentions.jsonl"))));
        try (Stream<Path> files = Files.walk(Path.of("src/test/resources/fixtures"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".expected.jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank()) {
                        received.add(plain.readValue(line, Mention.class));
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        List<Mention> all = new ArrayList<>();
        for (Mention m : received) {
            all.add(m);
            Mention scored = m.withScores(-0.125, "complaint", 42);
            all.add(scored);
            all.add(scored.withMatch(new Mention.Match("003000000000001AAA", "verified-identity", 1.0)));
        }
        return all;
    }

    private static CrmCommand command(Mention m) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Channel__c", m.channel());
        f.put("Text__c", m.text());
        f.put("Posted_At__c", m.createdAt() == null ? null : m.createdAt().toString());
        f.put("Sentiment__c", -0.13);
        f.put("Likes__c", m.engagement() == null ? null : m.engagement().likes());
        f.put("Hashtags__c", m.hashtags());
        return CrmCommand.upsert("Social_Mention__c", "External_Id__c", m.id(), f);
    }
}

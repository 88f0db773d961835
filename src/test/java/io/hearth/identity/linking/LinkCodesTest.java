package io.hearth.identity.linking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import io.hearth.config.HearthConfigurationException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class LinkCodesTest {

    @Test
    void codesAreLongUnambiguousAndDistinct() {
        LinkCodes codes = new LinkCodes(new SecureRandom());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String code = codes.next();
            assertThat(code).matches("HEARTH-[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{10}");
            assertThat(seen.add(code)).isTrue();
        }
    }

    @Test
    void findsCodesInAnyCaseAndCodeShapedGuesses() {
        assertThat(LinkCodes.find("Linking my account: hearth-abcd2345ef #brand")).containsExactly("HEARTH-ABCD2345EF");
        assertThat(LinkCodes.find("HEARTH-AAAA and HEARTH-AAAA again, HEARTH-BBBB")).containsExactly("HEARTH-AAAA", "HEARTH-BBBB");
        assertThat(LinkCodes.find("my member number is HL-0001")).isEmpty();
        assertThat(LinkCodes.find("XHEARTH-ABCD2345EF")).as("not inside a word").isEmpty();
        assertThat(LinkCodes.find(null)).isEmpty();
    }

    @Test
    void hashesIgnoreCaseAndNeverEqualTheCode() {
        assertThat(LinkCodes.hash("hearth-abcd2345ef")).isEqualTo(LinkCodes.hash("HEARTH-ABCD2345EF"))
                .hasSize(64).doesNotContainIgnoringCase("ABCD2345EF");
    }

    @Test
    void settingsHaveDefaultsAndRefuseNonsense() {
        LinkingSettings s = LinkingSettings.from(new MockEnvironment());
        assertThat(s.loyaltyField()).isEqualTo("Loyalty_Number__c");
        assertThat(s.maxWrongCodes()).isEqualTo(5);
        assertThat(s.textFor("HEARTH-X")).contains("HEARTH-X");
        assertThatThrownBy(() -> LinkingSettings.from(new MockEnvironment().withProperty("hearth.linking.loyalty-field", "x' OR 1")))
                .isInstanceOf(HearthConfigurationException.class).hasMessageContaining("loyalty-field");
        assertThatThrownBy(() -> LinkingSettings.from(new MockEnvironment().withProperty("hearth.linking.text", "no code")))
                .isInstanceOf(HearthConfigurationException.class);
        assertThatThrownBy(() -> LinkingSettings.from(new MockEnvironment().withProperty("hearth.linking.max-wrong-codes", "0")))
                .isInstanceOf(HearthConfigurationException.class);
    }
}

package io.hearth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16 items 1 and 2: the sandbox's schema loader refuses what a Metadata API deploy refuses; Case.Origin 'Social'. */
class DeployRulesTest {

    static final Path SHIPPED = Path.of("salesforce");
    static final String OBJECTS = "force-app/main/default/objects/";

    @TempDir
    Path tmp;

    @Test
    void theShippedMetadataWouldDeploy() {
        assertThat(DeployRules.check(SHIPPED)).isEmpty();
    }

    @Test
    void controlledByParentWithoutAMasterDetailIsRefusedAsADeployWould() throws Exception {
        Path copy = copy();
        edit(copy, OBJECTS + "Social_Mention__c/Social_Mention__c.object-meta.xml",
                "<sharingModel>Read</sharingModel>", "<sharingModel>ControlledByParent</sharingModel>");
        assertThat(DeployRules.check(copy)).singleElement().asString().contains("Social_Mention__c",
                "Cannot set sharingModel to ControlledByParent on a CustomObject without a MasterDetail relationship field");
        assertThatThrownBy(() -> SandboxSchema.load(copy)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Salesforce would refuse to deploy").hasMessageContaining("ControlledByParent");
    }

    @Test
    void aMasterDetailNeedsControlledByParentAndNoDeleteConstraint() throws Exception {
        Path copy = copy();
        edit(copy, OBJECTS + "Social_Reward__c/fields/Contact__c.field-meta.xml", "<type>Lookup</type>", "<type>MasterDetail</type>");
        assertThat(DeployRules.check(copy)).anySatisfy(p -> assertThat(p).contains("Cannot set sharingModel to Read on a CustomObject"
                + " with a MasterDetail")).anySatisfy(p -> assertThat(p).contains("'deleteConstraint' for a CustomField of type MasterDetail"));
    }

    @Test
    void fieldTypesLengthsFlagsLookupsAndPicklistsAreChecked() throws Exception {
        Path copy = copy();
        Map<String, String[]> edits = Map.of(
                "Social_Mention__c/fields/Channel__c", new String[] {"<length>40</length>", "<length>300</length>"},
                "Social_Mention__c/fields/Text__c", new String[] {"<length>32768</length>", "<length>200000</length>"},
                "Social_Mention__c/fields/Sentiment__c", new String[] {"<precision>3</precision>", "<precision>19</precision>"},
                "Social_Mention__c/fields/Posted_At__c", new String[] {"<externalId>false</externalId>", "<externalId>true</externalId>"},
                "Contact/fields/Advocate__c", new String[] {"<defaultValue>false</defaultValue>", ""},
                "Social_Identity__c/fields/Contact__c", new String[] {"<required>false</required>", "<required>true</required>"},
                "Social_Mention__c/fields/Contact__c", new String[] {"<referenceTo>Contact</referenceTo>", "<referenceTo>Contakt</referenceTo>"},
                "Social_Reward__c/fields/Mention__c", new String[] {"<deleteConstraint>SetNull</deleteConstraint>",
                        "<deleteConstraint>Cascade</deleteConstraint>"});
        for (Map.Entry<String, String[]> e : edits.entrySet()) {
            edit(copy, OBJECTS + e.getKey() + ".field-meta.xml", e.getValue()[0], e.getValue()[1]);
        }
        Path tier = copy.resolve(OBJECTS + "Contact/fields/Advocate_Tier__c.field-meta.xml");
        String xml = Files.readString(tier);
        int value = xml.indexOf("<value>");
        Files.writeString(tier, xml.substring(0, value) + xml.substring(value, xml.indexOf("</value>") + 8).repeat(2) + xml.substring(
                xml.indexOf("</value>") + 8));
        List<String> problems = DeployRules.check(copy);
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("Channel__c", "Length must be between 1 and 255"))
                .anySatisfy(p -> assertThat(p).contains("Text__c", "between 256 and 131072"))
                .anySatisfy(p -> assertThat(p).contains("Sentiment__c", "precision must be 1..18"))
                .anySatisfy(p -> assertThat(p).contains("Posted_At__c", "'externalId' for a CustomField of type DateTime"))
                .anySatisfy(p -> assertThat(p).contains("Advocate__c", "'defaultValue' for a CustomField of type Checkbox"))
                .anySatisfy(p -> assertThat(p).contains("Social_Identity__c/fields/Contact__c", "required lookup must have deleteConstraint Restrict"))
                .anySatisfy(p -> assertThat(p).contains("'Contakt' does not resolve"))
                .anySatisfy(p -> assertThat(p).contains("Mention__c", "Cascade"))
                .anySatisfy(p -> assertThat(p).contains("Advocate_Tier__c", "Duplicate picklist value"));
        assertThat(problems).hasSize(9);
    }

    @Test
    void caseOriginSocialComesFromTheShippedStandardValueSet() throws Exception {
        try (SandboxFixture org = new SandboxFixture(tmp.resolve("a")).login()) {
            assertThat(org.post(SandboxFixture.V + "/sobjects/Case", Map.of("Subject", "s", "Origin", "Social")).status()).isEqualTo(201);
            SandboxFixture.Reply bad = org.post(SandboxFixture.V + "/sobjects/Case", Map.of("Subject", "s", "Origin", "Twitter"));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body().get(0).get("errorCode").asText()).isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        }
        // without the value set (an org as created): 'Social' is not a Case Origin
        Path copy = copy();
        Files.delete(copy.resolve("force-app/main/default/standardValueSets/CaseOrigin.standardValueSet-meta.xml"));
        try (SandboxFixture org = new SandboxFixture(tmp.resolve("b"), s -> SandboxSettings.defaults(s.storeDir(), copy)).login()) {
            SandboxFixture.Reply r = org.post(SandboxFixture.V + "/sobjects/Case", Map.of("Subject", "s", "Origin", "Social"));
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body().get(0).get("errorCode").asText()).isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        }
    }

    private Path copy() throws IOException {
        Path target = Files.createTempDirectory(tmp, "sfdx");
        try (Stream<Path> files = Files.walk(SHIPPED)) {
            for (Path p : files.toList()) {
                Path to = target.resolve(SHIPPED.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return target;
    }

    private static void edit(Path root, String file, String from, String to) throws IOException {
        Path p = root.resolve(file);
        String xml = Files.readString(p);
        assertThat(xml).as(file).contains(from);
        Files.writeString(p, xml.replace(from, to));
    }
}

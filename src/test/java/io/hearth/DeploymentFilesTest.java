package io.hearth;

import static org.assertj.core.api.Assertions.assertThat;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.hearth.cluster.ClusterServiceKind;
import io.hearth.cluster.ClusterSettings;
import io.hearth.sandbox.SandboxOnlyApplication;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.yaml.snakeyaml.Yaml;

/**
 * Issue 12: the deployment files (docker/compose.yaml, deploy/kubernetes/*.yaml) against the application, since no
 * container engine runs here. Every environment variable they give the hub's image is a setting of the hub (the
 * relaxed-binding name of a {@code @ConfigurationProperties} property, a property of config/application.yml, or a
 * variable application.yml or the hub reads); container ports are server.port; probes are actuator health groups; images
 * are the one docker/Dockerfile and the README build; secrets come from Secrets or from docker/.env, never inline; the
 * Kubernetes Deployment elects its leader on a Lease it may use (RBAC) and can become Ready before any pod leads.
 */
class DeploymentFilesTest {

    private static final Path COMPOSE = Path.of("docker/compose.yaml");
    private static final Path KUBERNETES = Path.of("deploy/kubernetes");
    private static final Path APPLICATION_YML = Path.of("config/application.yml");
    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|TOKEN|KEY).*");

    /** One container of the hub's image as a deployment file declares it. */
    record Container(String file, String name, String image, Map<String, Object> env, List<Integer> ports) {
        /** Literal environment values (compose values, Kubernetes {@code value:}), for the checks that need them. */
        String literal(String variable) {
            Object v = env.get(variable);
            if (v instanceof Map<?, ?> k8s) {
                Object value = k8s.get("value");
                return value == null ? null : String.valueOf(value);
            }
            return v == null ? null : String.valueOf(v);
        }
    }

    // --- the hub's settings ------------------------------------------------------------------------------------------

    private static Set<String> known;

    /** Every property the hub declares, in canonical environment form; map-valued ones end with "_" (any key below). */
    static synchronized Set<String> knownVariables() throws Exception {
        if (known == null) {
            known = Set.copyOf(scanKnownVariables());
        }
        return known;
    }

    private static Set<String> scanKnownVariables() throws Exception {
        Set<String> known = new TreeSet<>();
        for (String property : declaredProperties()) {
            known.add(canonical(property));
        }
        Map<String, Object> yml = new Yaml().load(Files.readString(APPLICATION_YML));
        flatten("", yml, known);
        Matcher placeholder = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]").matcher(Files.readString(APPLICATION_YML));
        while (placeholder.find()) {
            known.add(placeholder.group(1));
        }
        known.add(SandboxOnlyApplication.ENV); // read from the environment before Spring starts
        // properties the hub reads through Spring's Binder or Environment rather than a settings class
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher read = Pattern.compile("(?:bind|getProperty)\\(\"([a-z][a-z0-9.-]*)\"").matcher(Files.readString(source));
                while (read.find()) {
                    known.add(canonical(read.group(1)));
                }
            }
        }
        return known;
    }

    /** True when {@code variable} binds to a known setting (exactly, or below a map-valued one). */
    static boolean isSetting(String variable, Set<String> known) {
        return known.contains(variable) || known.stream().anyMatch(k -> k.endsWith("_") && variable.startsWith(k));
    }

    /** Spring Boot's relaxed binding from the environment: upper case, '.' → '_', '-' dropped. */
    static String canonical(String property) {
        return property.replace("-", "").replace('.', '_').replace("[*]", "_").toUpperCase(Locale.ROOT);
    }

    private static void flatten(String prefix, Object node, Set<String> known) {
        if (node instanceof Map<?, ?> map && !map.isEmpty()) {
            map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, known));
        } else {
            known.add(canonical(prefix));
        }
    }

    static Set<String> declaredProperties() throws Exception {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        Set<String> properties = new TreeSet<>();
        for (var candidate : scanner.findCandidateComponents("io.hearth")) {
            Class<?> type = Class.forName(candidate.getBeanClassName());
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
            walk(prefix, type, properties, 0);
        }
        return properties;
    }

    private static void walk(String prefix, Class<?> type, Set<String> properties, int depth) {
        if (depth > 6) {
            return;
        }
        if (type.isRecord()) {
            for (RecordComponent c : type.getRecordComponents()) {
                property(prefix + "." + kebab(c.getName()), c.getType(), c.getGenericType(), properties, depth);
            }
        } else {
            for (PropertyDescriptor d : BeanUtils.getPropertyDescriptors(type)) {
                if (d.getReadMethod() == null || d.getName().equals("class")) {
                    continue;
                }
                property(prefix + "." + kebab(d.getName()), d.getPropertyType(), d.getReadMethod().getGenericReturnType(),
                        properties, depth);
            }
        }
    }

    private static void property(String name, Class<?> type, Type generic, Set<String> properties, int depth) {
        properties.add(name);
        if (Map.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type)) {
            properties.add(name + "[*]");
            if (generic instanceof ParameterizedType p) {
                Type[] args = p.getActualTypeArguments();
                if (args[args.length - 1] instanceof Class<?> element && settingsType(element)) {
                    walk(name + "[*]", element, properties, depth + 1);
                }
            }
        } else if (settingsType(type)) {
            walk(name, type, properties, depth + 1);
        }
    }

    private static boolean settingsType(Class<?> type) {
        return type.getName().startsWith("io.hearth.") && !type.isEnum() && !type.isInterface();
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    // --- the deployment files ----------------------------------------------------------------------------------------

    /** The image docker/Dockerfile documents ({@code docker build -f docker/Dockerfile -t <image> .}). */
    static String hubImage() throws IOException {
        Matcher m = Pattern.compile("docker build -f docker/Dockerfile -t (\\S+) \\.").matcher(Files.readString(Path.of("docker/Dockerfile")));
        assertThat(m.find()).as("docker/Dockerfile names its image in its build command").isTrue();
        return m.group(1);
    }

    @SuppressWarnings("unchecked")
    static List<Container> composeContainers(String composeText, String image) {
        Map<String, Object> compose = new Yaml().load(composeText);
        List<Container> containers = new ArrayList<>();
        ((Map<String, Object>) compose.get("services")).forEach((name, value) -> {
            Map<String, Object> service = (Map<String, Object>) value;
            if (!image.equals(service.get("image"))) {
                return;
            }
            Map<String, Object> env = new LinkedHashMap<>((Map<String, Object>) service.getOrDefault("environment", Map.of()));
            List<Integer> ports = new ArrayList<>();
            for (Object port : (List<Object>) service.getOrDefault("ports", List.of())) {
                String[] parts = String.valueOf(port).split(":");
                ports.add(Integer.parseInt(parts[parts.length - 1].replace("/tcp", "")));
            }
            containers.add(new Container("docker/compose.yaml", name, image, env, ports));
        });
        return containers;
    }

    static List<Map<String, Object>> manifests() throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(KUBERNETES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : new Yaml().loadAll(Files.readString(file))) {
                    if (document instanceof Map<?, ?> map) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) map);
                        m.put("__file", file.toString());
                        documents.add(m);
                    }
                }
            }
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    static List<Container> kubernetesContainers(List<Map<String, Object>> manifests, String image) {
        List<Container> containers = new ArrayList<>();
        for (Map<String, Object> m : manifests) {
            if (!"Deployment".equals(m.get("kind"))) {
                continue;
            }
            Map<String, Object> pod = (Map<String, Object>) at(m, "spec.template.spec");
            for (Map<String, Object> c : (List<Map<String, Object>>) pod.get("containers")) {
                Map<String, Object> env = new LinkedHashMap<>();
                for (Map<String, Object> e : (List<Map<String, Object>>) c.getOrDefault("env", List.of())) {
                    env.put((String) e.get("name"), e);
                }
                List<Integer> ports = ((List<Map<String, Object>>) c.getOrDefault("ports", List.of())).stream()
                        .map(p -> (Integer) p.get("containerPort")).toList();
                containers.add(new Container((String) m.get("__file"), (String) c.get("name"), (String) c.get("image"), env, ports));
            }
        }
        return containers;
    }

    static Object at(Map<String, Object> map, String dotted) {
        Object node = map;
        for (String part : dotted.split("\\.")) {
            if (!(node instanceof Map<?, ?> m)) {
                return null;
            }
            node = m.get(part);
        }
        return node;
    }

    /** The variables of these containers that are not settings of the hub: file, container and variable. */
    static List<String> unknownVariables(List<Container> containers, Set<String> known) {
        List<String> unknown = new ArrayList<>();
        for (Container c : containers) {
            for (String variable : c.env().keySet()) {
                if (!isSetting(variable, known)) {
                    unknown.add(c.file() + " " + c.name() + ": " + variable);
                }
            }
        }
        return unknown;
    }

    private static List<Container> allHubContainers() throws IOException {
        String image = hubImage();
        List<Container> all = new ArrayList<>(composeContainers(Files.readString(COMPOSE), image));
        all.addAll(kubernetesContainers(manifests(), image));
        return all;
    }

    // --- the checks --------------------------------------------------------------------------------------------------

    @Test
    void everyEnvironmentVariableTheFilesSetIsASettingOfTheHub() throws Exception {
        Set<String> known = knownVariables();
        assertThat(known).as("settings known to the check").contains("HEARTH_CLUSTER_KUBERNETES_PODNAME", "HEARTH_DB_URL",
                "HEARTH_BROKER_URL", "MANAGEMENT_ENDPOINT_HEALTH_GROUP_READINESS_INCLUDE", "HEARTH_SANDBOX_PORT",
                "HEARTH_SOURCES_X_BEARERTOKEN", "HEARTH_X_BEARER_TOKEN");
        List<Container> containers = allHubContainers();
        assertThat(containers).extracting(Container::name).contains("hearth-1", "hearth-2", "sandbox", "hearth");
        assertThat(unknownVariables(containers, known)).as("variables that no setting of the hub reads").isEmpty();
    }

    @Test
    void aMisspelledVariableIsCaught() throws Exception {
        Set<String> known = knownVariables();
        String compose = Files.readString(COMPOSE).replace("  HEARTH_CLUSTER_SERVICE: postgres", "  HEARTH_CLUSTER_SERVCE: postgres");
        assertThat(unknownVariables(composeContainers(compose, hubImage()), known))
                .containsExactlyInAnyOrder("docker/compose.yaml hearth-1: HEARTH_CLUSTER_SERVCE",
                        "docker/compose.yaml hearth-2: HEARTH_CLUSTER_SERVCE");
        assertThat(isSetting("HEARTH_CLUSTER_KUBERNETES_LEASENAME", known)).isTrue();
        assertThat(isSetting("HEARTH_CLUSTER_KUBERNETES_LEASE_NAME", known)).as("not how Spring binds it").isFalse();
        assertThat(isSetting("HEARTH_SERVICE_BRANDACCOUNTS_X", known)).as("below a map-valued setting").isTrue();
    }

    @Test
    void imagesArePortsAndProbesAgreeWithTheApplication() throws Exception {
        String image = hubImage();
        assertThat(Files.readString(Path.of("README.md"))).contains("docker build -f docker/Dockerfile -t " + image + " .");
        assertThat(Files.readString(Path.of("docs/operations.md"))).contains("docker build -f docker/Dockerfile -t " + image + " .");
        String dockerfile = Files.readString(Path.of("docker/Dockerfile"));
        Map<String, Object> yml = new Yaml().load(Files.readString(APPLICATION_YML));
        int serverPort = defaultOf(String.valueOf(at(yml, "server.port")));
        assertThat(dockerfile).contains("EXPOSE " + serverPort);

        List<Map<String, Object>> manifests = manifests();
        List<Container> k8s = kubernetesContainers(manifests, image);
        assertThat(k8s).as("every container of the Deployment runs the hub's image").isNotEmpty()
                .allSatisfy(c -> assertThat(c.image()).isEqualTo(image));
        for (Container c : allHubContainers()) {
            int port = c.env().containsKey(SandboxOnlyApplication.ENV) ? Integer.parseInt(c.literal("HEARTH_SANDBOX_PORT"))
                    : c.literal("HEARTH_PORT") != null ? Integer.parseInt(c.literal("HEARTH_PORT")) : serverPort;
            assertThat(c.ports()).as(c.file() + " " + c.name() + ": container port").containsExactly(port);
        }

        Set<String> groups = healthGroups(yml);
        assertThat(groups).contains("liveness", "readiness");
        Matcher healthcheck = Pattern.compile("curl -fsS http://127\\.0\\.0\\.1:(\\d+)(/\\S*)").matcher(dockerfile);
        assertThat(healthcheck.find()).isTrue();
        assertThat(Integer.parseInt(healthcheck.group(1))).isEqualTo(serverPort);
        assertThat(healthcheck.group(2)).matches("/actuator/health(/(" + String.join("|", groups) + "))?");
        List<String> probes = new ArrayList<>();
        for (Map<String, Object> m : manifests) {
            if ("Deployment".equals(m.get("kind"))) {
                collectProbes(m, probes);
            }
        }
        assertThat(probes).contains("readinessProbe /actuator/health/readiness http", "livenessProbe /actuator/health/liveness http");
        for (String probe : probes) {
            String[] parts = probe.split(" ");
            assertThat(parts[1]).as(probe).matches("/actuator/health/(" + String.join("|", groups) + ")");
            assertThat(parts[2]).as(probe + ": the container port's name").isEqualTo("http");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void secretsComeFromSecretsOrDockerEnvAndNeverInline() throws Exception {
        Map<String, Object> yml = new Yaml().load(Files.readString(APPLICATION_YML));
        String sandboxSecret = String.valueOf(defaultString(String.valueOf(at(yml, "hearth.sandbox.client-secret"))));
        for (Container c : composeContainers(Files.readString(COMPOSE), hubImage())) {
            c.env().forEach((variable, value) -> {
                if (SECRET_NAME.matcher(variable).matches()) {
                    Matcher m = Pattern.compile("\\$\\{" + variable + "(:-|:\\?)?([^}]*)}").matcher(String.valueOf(value));
                    assertThat(m.matches()).as("compose %s: %s comes from docker/.env", c.name(), variable).isTrue();
                    if (":-".equals(m.group(1))) {
                        assertThat(m.group(2)).as("compose %s: %s's default (none, or the sandbox's own client)", c.name(), variable)
                                .isIn("", sandboxSecret);
                    }
                }
            });
        }
        for (Map<String, Object> m : manifests()) {
            assertThat(m.get("kind")).as(m.get("__file") + ": no Secret with values in the repository").isNotEqualTo("Secret");
        }
        for (Container c : kubernetesContainers(manifests(), hubImage())) {
            c.env().forEach((variable, entry) -> {
                if (SECRET_NAME.matcher(variable).matches() || variable.endsWith("_USER")) {
                    assertThat((Map<String, Object>) entry).as("%s: %s", c.file(), variable).doesNotContainKey("value");
                    assertThat(at((Map<String, Object>) entry, "valueFrom.secretKeyRef.name")).as("%s: %s from a Secret",
                            c.file(), variable).isNotNull();
                }
            });
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theKubernetesDeploymentElectsItsLeaderOnALeaseItMayUseAndCanBecomeReadyFirst() throws Exception {
        List<Map<String, Object>> manifests = manifests();
        Map<String, Object> deployment = manifests.stream().filter(m -> "Deployment".equals(m.get("kind"))).findFirst().orElseThrow();
        assertThat(at(deployment, "spec.replicas")).isEqualTo(2);
        Map<String, Object> podLabels = (Map<String, Object>) at(deployment, "spec.template.metadata.labels");
        assertThat((Map<String, Object>) at(deployment, "spec.selector.matchLabels")).isEqualTo(podLabels);
        Container hub = kubernetesContainers(manifests, hubImage()).get(0);

        // the combination the hub checks at start: kubernetes needs PostgreSQL, the Lease settings must be valid
        assertThat(ClusterServiceKind.resolve(hub.literal("HEARTH_CLUSTER_SERVICE"), hub.literal("HEARTH_DB_URL")))
                .isEqualTo(ClusterServiceKind.KUBERNETES);
        assertThat(at((Map<String, Object>) hub.env().get("HEARTH_CLUSTER_KUBERNETES_PODNAME"), "valueFrom.fieldRef.fieldPath"))
                .isEqualTo("metadata.name");
        ClusterSettings.Kubernetes lease = new ClusterSettings.Kubernetes("", "hearth-leaders",
                hub.literal("HEARTH_CLUSTER_KUBERNETES_CLUSTERLABELS"), "", java.time.Duration.ofSeconds(15),
                java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(2), "");
        assertThat(lease.check("pod-0")).isEqualTo("pod-0");
        assertThat(podLabels).as("the cluster labels select this Deployment's pods").containsAllEntriesOf(lease.labels());

        // RBAC: the pod's service account may use Leases and list pods in its namespace
        String account = (String) at(deployment, "spec.template.spec.serviceAccountName");
        assertThat(manifests).anySatisfy(m -> {
            assertThat(m.get("kind")).isEqualTo("ServiceAccount");
            assertThat(at(m, "metadata.name")).isEqualTo(account);
        });
        Map<String, Object> binding = manifests.stream().filter(m -> "RoleBinding".equals(m.get("kind"))
                && ((List<Map<String, Object>>) m.get("subjects")).stream().anyMatch(s -> account.equals(s.get("name"))))
                .findFirst().orElseThrow();
        Map<String, Object> role = manifests.stream().filter(m -> "Role".equals(m.get("kind"))
                && at(m, "metadata.name").equals(at(binding, "roleRef.name"))).findFirst().orElseThrow();
        Map<String, Set<String>> verbs = new TreeMap<>();
        for (Map<String, Object> rule : (List<Map<String, Object>>) role.get("rules")) {
            for (Object resource : (List<Object>) rule.get("resources")) {
                verbs.computeIfAbsent(String.valueOf(resource), r -> new TreeSet<>()).addAll((List<String>) rule.get("verbs"));
            }
        }
        assertThat(verbs.get("leases")).containsAll(List.of("get", "list", "watch", "create", "update", "patch"));
        assertThat(verbs.get("pods")).as("camel-kubernetes lists the pods to find the Ready candidates").contains("get", "list");

        // Camel 4.17 lets only Ready pods lead, and the directory sync that the hub's readiness group waits for is a
        // master: job: the probe's readiness group must not wait for it, or no pod of a new deployment is ever Ready.
        Map<String, Object> yml = new Yaml().load(Files.readString(APPLICATION_YML));
        String readiness = hub.literal("MANAGEMENT_ENDPOINT_HEALTH_GROUP_READINESS_INCLUDE");
        String effective = readiness != null ? readiness : String.valueOf(at(yml, "management.endpoint.health.group.readiness.include"));
        assertThat(effective).as("the readiness group in the pods").doesNotContain("directoryReadiness").contains("readinessState");

        Map<String, Object> service = manifests.stream().filter(m -> "Service".equals(m.get("kind"))).findFirst().orElseThrow();
        assertThat((Map<String, Object>) at(service, "spec.selector")).isEqualTo(podLabels);
        assertThat(((List<Map<String, Object>>) at(service, "spec.ports")).get(0).get("targetPort")).isEqualTo("http");
    }

    @SuppressWarnings("unchecked")
    private static void collectProbes(Object node, List<String> probes) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (String.valueOf(k).endsWith("Probe") && v instanceof Map<?, ?> probe) {
                    Map<String, Object> get = (Map<String, Object>) probe.get("httpGet");
                    probes.add(k + " " + (get == null ? null : get.get("path")) + " " + (get == null ? null : get.get("port")));
                } else {
                    collectProbes(v, probes);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectProbes(item, probes));
        }
    }

    /** Health groups: liveness and readiness when probes are enabled, plus management.endpoint.health.group.*. */
    @SuppressWarnings("unchecked")
    private static Set<String> healthGroups(Map<String, Object> yml) {
        Set<String> groups = new TreeSet<>();
        if (Boolean.TRUE.equals(at(yml, "management.endpoint.health.probes.enabled"))) {
            groups.addAll(List.of("liveness", "readiness"));
        }
        Object configured = at(yml, "management.endpoint.health.group");
        if (configured instanceof Map<?, ?> map) {
            groups.addAll((Set<String>) map.keySet());
        }
        return groups;
    }

    /** The default of {@code ${VARIABLE:default}}, or the value itself. */
    private static String defaultString(String value) {
        Matcher m = Pattern.compile("\\$\\{[A-Z0-9_]+:([^}]*)}").matcher(value);
        return m.matches() ? m.group(1) : value;
    }

    private static int defaultOf(String value) {
        return Integer.parseInt(defaultString(value));
    }
}

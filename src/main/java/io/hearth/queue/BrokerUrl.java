package io.hearth.queue;

import java.beans.BeanInfo;
import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.hearth.config.HearthConfigurationException;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Checks {@code hearth.broker.url} (an external Artemis) before the hub starts: a TCP URL, or a parenthesised list of
 * them (an HA pair or a cluster: {@code (tcp://primary:61616,tcp://backup:61616)?ha=true&reconnectAttempts=-1}), whose
 * parameters are all known to the Artemis client. The client itself ignores a parameter it does not know, so a typo
 * ({@code reconectAttempts=-1}) would silently leave a hub without fail-over: here it stops the start, naming it.
 * Known: the connection factory's settings (reconnectAttempts, retryInterval, retryIntervalMultiplier, maxRetryInterval,
 * initialConnectAttempts, callTimeout, clientFailureCheckPeriod, connectionTTL, confirmationWindowSize, ...), {@code ha},
 * and the Netty transport's keys (sslEnabled, trustStorePath, ...).
 */
public final class BrokerUrl {

    private static final Pattern PARAMETER = Pattern.compile("[?&]([^=&?,()]+)=");
    private static final Pattern HOST = Pattern.compile("tcp://[^\\s,()?&/]+:\\d{1,5}(\\?[^,()]*)?");
    private static final Set<String> KNOWN = known();

    private BrokerUrl() {
    }

    /** Throws {@link HearthConfigurationException} for {@code hearth.broker.url} when the URL is not one the hub accepts. */
    public static void check(String url) {
        String u = url.strip();
        String hosts;
        if (u.startsWith("(")) {
            int close = u.indexOf(')');
            if (close < 0) {
                throw bad(u, "a list of brokers must be closed with ')': (tcp://a:61616,tcp://b:61616)?ha=true");
            }
            hosts = u.substring(1, close);
            String rest = u.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith("?")) {
                throw bad(u, "only ?parameters may follow the list of brokers");
            }
        } else {
            int q = u.indexOf('?');
            hosts = q < 0 ? u : u.substring(0, q);
        }
        for (String host : hosts.split(",")) {
            String h = host.strip();
            if (!HOST.matcher(h).matches()) {
                String shown = h.contains("?") ? h.substring(0, h.indexOf('?')) : h; // parameters may hold a password
                throw bad(u, "'" + shown + "' is not tcp://host:port (the hub speaks Artemis core over TCP to an external broker)");
            }
        }
        Set<String> unknown = new TreeSet<>();
        Matcher m = PARAMETER.matcher(u);
        while (m.find()) {
            if (m.group(1).equalsIgnoreCase("user") || m.group(1).equalsIgnoreCase("password")) {
                throw bad(u, "no credentials in the URL (it is shown in logs and health): set hearth.broker.user and"
                        + " hearth.broker.password (HEARTH_BROKER_USER, HEARTH_BROKER_PASSWORD)");
            }
            if (!KNOWN.contains(m.group(1))) {
                unknown.add(m.group(1));
            }
        }
        if (!unknown.isEmpty()) {
            throw bad(u, "unknown parameter(s) " + unknown + " (the Artemis client would ignore them); known include ha,"
                    + " reconnectAttempts, retryInterval, retryIntervalMultiplier, maxRetryInterval, initialConnectAttempts,"
                    + " callTimeout, sslEnabled");
        }
        if (ha(u) && !u.matches(".*[?&]reconnectAttempts=-?[1-9]\\d*(&.*)?$")) {
            throw bad(u, "ha=true fails over only with reconnectAttempts set (not 0): add &reconnectAttempts=-1");
        }
        try {
            new ActiveMQConnectionFactory(u).close();
        } catch (RuntimeException e) {
            throw bad(u, "the Artemis client refuses it (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** True when the URL asks for client fail-over between a primary and its backup ({@code ha=true}). */
    public static boolean ha(String url) {
        return url.matches(".*[?&]ha=true(&.*)?$");
    }

    private static HearthConfigurationException bad(String url, String problem) {
        return new HearthConfigurationException("hearth.broker.url", problem);
    }

    private static Set<String> known() {
        Set<String> names = new TreeSet<>(TransportConstants.ALLOWABLE_CONNECTOR_KEYS);
        names.add("ha");
        try {
            BeanInfo info = Introspector.getBeanInfo(ActiveMQConnectionFactory.class);
            for (PropertyDescriptor p : info.getPropertyDescriptors()) {
                if (p.getWriteMethod() != null) {
                    names.add(p.getName());
                }
            }
        } catch (IntrospectionException e) {
            throw new IllegalStateException(e);
        }
        return Set.copyOf(names);
    }
}

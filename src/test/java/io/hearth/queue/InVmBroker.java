package io.hearth.queue;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;

/**
 * The configuration of a throw-away embedded broker for focused tests: not persistent, no security, no JMX, reachable
 * in this JVM only at {@link #url()}. Ids come from one counter, so brokers of different tests never share an address.
 */
record InVmBroker(ConfigurationImpl config, String url) {

    private static final AtomicInteger IDS = new AtomicInteger(9_000);

    static InVmBroker named(String prefix) {
        int id = IDS.incrementAndGet();
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName(prefix + "-" + id);
        config.setPersistenceEnabled(false);
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);
        try {
            config.addAcceptorConfiguration("in-vm", "vm://" + id);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new InVmBroker(config, "vm://" + id);
    }
}

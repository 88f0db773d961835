package io.hearth.ops;

import io.hearth.queue.QueueDepths;
import io.hearth.queue.StageQueues;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Queue gauges for /actuator/prometheus: hearth_queue_depth{queue=...} and hearth_dead_letters{stage=...}. */
@Configuration(proxyBeanMethods = false)
public class OpsConfiguration {

    @Bean
    SmartInitializingSingleton queueGauges(MeterRegistry registry, QueueDepths depths) {
        return () -> {
            for (String queue : StageQueues.all()) {
                Gauge.builder("hearth.queue.depth", depths, d -> d.depth(queue))
                        .tag("queue", queue).description("messages waiting in the queue (-1: broker unreachable)")
                        .register(registry);
            }
            for (String stage : StageQueues.STAGES) {
                Gauge.builder("hearth.dead.letters", depths, d -> d.depth(StageQueues.deadLetterQueueOf(stage)))
                        .tag("stage", stage).description("messages in the stage's dead-letter queue")
                        .register(registry);
            }
        };
    }
}

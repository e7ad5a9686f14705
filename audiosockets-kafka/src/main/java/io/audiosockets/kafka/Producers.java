package io.audiosockets.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The idempotent producers the bridge and the Kafka recorder write with: one place for the settings they share. */
final class Producers {
    private Producers() {
    }

    /**
     * An idempotent producer (enable.idempotence=true, acks=all: a record is acknowledged once every in-sync
     * replica has it, and the producer's own retries never write it twice) for {@code bootstrap}, with
     * {@code settings} on top of those; {@code overrides} (may be empty) last, for the site's own needs (TLS, SASL).
     *
     * @throws IllegalArgumentException naming {@code who} and the bootstrap if Kafka's client rejects the settings
     */
    static KafkaProducer<byte[], byte[]> idempotent(String who, String bootstrap, Map<String, Object> settings,
                                                    Map<String, Object> overrides) {
        Objects.requireNonNull(bootstrap, "bootstrap == null");
        if (bootstrap.isBlank()) {
            throw new IllegalArgumentException(who + ": no Kafka bootstrap servers given; expected HOST:PORT[,HOST:PORT...]");
        }
        Map<String, Object> config = new HashMap<>(settings);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "audiosockets-" + who.replaceAll("[^A-Za-z0-9._-]", "_"));
        config.putAll(overrides);
        try {
            return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        } catch (KafkaException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException(who + ": cannot make a Kafka producer for " + bootstrap + ": " + cause.getMessage(), e);
        }
    }

    /** Checks a topic name as Kafka would (letters, digits, '.', '_', '-'; 1..249 characters). */
    static String checkTopic(String who, String topic) {
        Objects.requireNonNull(topic, "topic == null");
        if (topic.isEmpty() || topic.length() > 249 || !topic.matches("[A-Za-z0-9._-]+") || topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException(who + ": '" + topic + "' is not a Kafka topic name; expected 1..249 letters, digits, "
                    + "'.', '_' or '-'");
        }
        return topic;
    }
}

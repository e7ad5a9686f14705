/**
 * Streams through Apache Kafka: a bridge from the mailman, a recorder straight to Kafka,
 * processors as consumer groups.
 */
package io.audiosockets.kafka;

/**
 * How streams travel through Kafka behind {@link io.audiosockets.kafka}: the record layout, the
 * producer and consumer plumbing. Internal: not a supported API.
 */
package io.audiosockets.internal.kafka;

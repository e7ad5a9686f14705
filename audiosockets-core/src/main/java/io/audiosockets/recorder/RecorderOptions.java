package io.audiosockets.recorder;

import io.audiosockets.client.ClientListener;
import io.audiosockets.client.IoThreads;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.internal.protocol.Names;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Recorder} runs: its stream name, chunk period and network configuration.
 * Build with {@link #builder()}; defaults are the {@code DEFAULT_*} constants.
 *
 * @param stream the stream's name, unique among the mailman's live recorders
 * @param period audio per chunk
 * @param config the network configuration
 * @param ioThreads network threads shared with other clients, or {@code null} for a thread of its own
 * @param listener connection events, or {@code null}
 * @param shutdownHook whether {@link Recorder#start()} closes the recorder when the JVM is asked to stop (Ctrl-C,
 *     SIGTERM): it sends what it can, says goodbye and releases the source (default true)
 * @param replayBudget a bound on the acknowledged audio this recorder keeps together with the others given the same
 *     budget, or {@code null} for its own bound only ({@code RECORDER_BUFFER_SECONDS/BYTES})
 */
public record RecorderOptions(String stream, Duration period, NetworkConfig config, IoThreads ioThreads,
                              ClientListener listener, boolean shutdownHook, ReplayBudget replayBudget) {
    /** Default stream name: {@value}. */
    public static final String DEFAULT_STREAM = "default";
    /** Default chunk period: 0.5 s, the paper's. */
    public static final Duration DEFAULT_PERIOD = Duration.ofMillis(500);
    /** Longest chunk period: 10 s. */
    public static final Duration MAX_PERIOD = Duration.ofSeconds(10);

    /** Validates the fields. */
    public RecorderOptions {
        Names.check(stream, "stream name");
        Objects.requireNonNull(period, "period == null");
        Objects.requireNonNull(config, "config == null");
        if (period.isNegative() || period.isZero() || period.compareTo(MAX_PERIOD) > 0) {
            throw new IllegalArgumentException("period : " + period.toMillis() / 1000.0 + " s (expected: > 0 and <= 10 s)");
        }
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        return new Builder().stream(stream).period(period).config(config).ioThreads(ioThreads).listener(listener)
                .shutdownHook(shutdownHook).replayBudget(replayBudget);
    }

    /** Builds {@link RecorderOptions}. */
    public static final class Builder {
        private String stream = DEFAULT_STREAM;
        private Duration period = DEFAULT_PERIOD;
        private NetworkConfig config = NetworkConfig.defaults();
        private IoThreads ioThreads;
        private ClientListener listener;
        private boolean shutdownHook = true;
        private ReplayBudget replayBudget;

        Builder() {
        }

        /** The stream name (letters, digits, '.', '_', '-'). */
        public Builder stream(String stream) {
            this.stream = Names.check(stream, "stream name");
            return this;
        }

        /** Audio per chunk: 0.5 s by default; 20 ms for low latency. */
        public Builder period(Duration period) {
            this.period = Objects.requireNonNull(period, "period == null");
            return this;
        }

        /** The network configuration. */
        public Builder config(NetworkConfig config) {
            this.config = Objects.requireNonNull(config, "config == null");
            return this;
        }

        /** Run on these shared network threads (the recorder does not stop them). */
        public Builder ioThreads(IoThreads threads) {
            this.ioThreads = threads;
            return this;
        }

        /** Connection events. */
        public Builder listener(ClientListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * Whether {@link Recorder#start()} installs a JVM shutdown hook that closes the recorder on
         * Ctrl-C or SIGTERM (default true). Turn it off if your program stops the recorder itself.
         */
        public Builder shutdownHook(boolean install) {
            this.shutdownHook = install;
            return this;
        }

        /**
         * Share this bound on acknowledged audio with the other recorders given it (a program with many
         * recorders); see {@link ReplayBudget}.
         */
        public Builder replayBudget(ReplayBudget budget) {
            this.replayBudget = budget;
            return this;
        }

        /** The options. @throws IllegalArgumentException naming the field out of range */
        public RecorderOptions build() {
            return new RecorderOptions(stream, period, config, ioThreads, listener, shutdownHook, replayBudget);
        }
    }
}

package io.audiosockets.processor;

import io.audiosockets.client.ClientListener;
import io.audiosockets.client.IoThreads;
import io.audiosockets.config.NetworkConfig;
import io.audiosockets.internal.protocol.Names;
import io.audiosockets.protocol.StartPosition;
import java.util.List;
import java.util.Objects;

/**
 * How a processor runs: its name, the streams it wants, where it starts, and how many chunks
 * may be in flight to it. Build with {@link #builder(String)}.
 *
 * @param name the processor's name, unique among the mailman's live processors (the paper's first argument)
 * @param config the network configuration
 * @param subscriptions the streams to receive; empty means every stream, including later ones
 * @param start where to start in a stream it has no position for: resume by name (default), live, oldest, or some seconds back
 * @param window chunks per stream the mailman may send ahead of this processor's acknowledgements
 * @param ioThreads network threads shared with other clients, or {@code null} for a thread of its own
 * @param listener connection events, or {@code null}
 * @param shutdownHook whether {@link BaseProcessor#start()} closes the processor when the JVM is asked to stop (Ctrl-C,
 *                     SIGTERM): it says goodbye to the mailman and runs {@code onStop()}. Default true; false leaves
 *                     stopping to you ({@link BaseProcessor#startAsync()} never installs the hook)
 * @param processorThreads threads shared with other processors for the user code, or {@code null} (the default) for a
 *                         thread of its own ("processor-NAME")
 */
public record ProcessorOptions(String name, NetworkConfig config, List<String> subscriptions, StartPosition start, int window,
                               IoThreads ioThreads, ClientListener listener, boolean shutdownHook,
                               ProcessorThreads processorThreads) {

    /** Validates the fields. */
    public ProcessorOptions {
        Names.check(name, "processor name");
        Objects.requireNonNull(config, "config == null");
        Objects.requireNonNull(start, "start == null");
        subscriptions = List.copyOf(subscriptions);
        subscriptions.forEach(s -> Names.check(s, "subscribed stream name"));
        if (window < 1 || window > 0xFFFF) {
            throw new IllegalArgumentException("window : " + window + " (expected: 1..65535)");
        }
    }

    /** Options whose user code runs on a thread of the processor's own (no {@code processorThreads}). */
    public ProcessorOptions(String name, NetworkConfig config, List<String> subscriptions, StartPosition start, int window,
                            IoThreads ioThreads, ClientListener listener, boolean shutdownHook) {
        this(name, config, subscriptions, start, window, ioThreads, listener, shutdownHook, null);
    }

    /** A builder for a processor named {@code name}, with the defaults. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds {@link ProcessorOptions}. */
    public static final class Builder {
        private final String name;
        private NetworkConfig config = NetworkConfig.defaults();
        private List<String> subscriptions = List.of();
        private StartPosition start = StartPosition.RESUME;
        private Integer window;
        private IoThreads ioThreads;
        private ClientListener listener;
        private boolean shutdownHook = true;
        private ProcessorThreads processorThreads;

        Builder(String name) {
            this.name = Names.check(name, "processor name");
        }

        /** The network configuration; its {@code PROCESSOR_WINDOW} is the default window. */
        public Builder config(NetworkConfig config) {
            this.config = Objects.requireNonNull(config, "config == null");
            return this;
        }

        /** Receive only these streams (default: all). */
        public Builder subscribe(String... streams) {
            this.subscriptions = List.of(streams);
            return this;
        }

        /** Where to start in streams without a known position. */
        public Builder start(StartPosition start) {
            this.start = Objects.requireNonNull(start, "start == null");
            return this;
        }

        /** Chunks per stream in flight to this processor (default {@code PROCESSOR_WINDOW}). */
        public Builder window(int window) {
            this.window = window;
            return this;
        }

        /** Run on these shared network threads (the processor does not stop them). */
        public Builder ioThreads(IoThreads threads) {
            this.ioThreads = threads;
            return this;
        }

        /**
         * Run the processor's code ({@code processData}, {@code onGap}...) on these threads, shared with other
         * processors, instead of a thread of its own (the processor does not stop them). Order per stream, one
         * chunk at a time, and acknowledgement after {@code processData} are kept; see {@link ProcessorThreads}.
         */
        public Builder processorThreads(ProcessorThreads threads) {
            this.processorThreads = threads;
            return this;
        }

        /** Connection events. */
        public Builder listener(ClientListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * Whether {@link BaseProcessor#start()} installs a JVM shutdown hook that closes the processor on Ctrl-C or
         * SIGTERM (default true). Turn it off when the application stops its processors itself, in its own hook or order.
         */
        public Builder shutdownHook(boolean install) {
            this.shutdownHook = install;
            return this;
        }

        /** The options. @throws IllegalArgumentException naming the field out of range */
        public ProcessorOptions build() {
            return new ProcessorOptions(name, config, subscriptions, start, window != null ? window : config.processorWindow(),
                    ioThreads, listener, shutdownHook, processorThreads);
        }
    }
}

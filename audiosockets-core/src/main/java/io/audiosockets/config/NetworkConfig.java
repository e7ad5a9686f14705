package io.audiosockets.config;

import io.audiosockets.internal.config.ConfigLoader;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The network configuration every role reads: the paper's {@code server_info.json}, plus our
 * optional keys. {@link #load} reads it from JSON; {@link #builder()} makes one in code;
 * command-line flags override a loaded file through {@link #toBuilder()}.
 *
 * <p>The paper's keys keep their meaning: {@code SERVER} and {@code PORT} are where the mailman
 * listens and the clients connect; {@code DISCONNECT_MSG} is the text of the goodbye (BYE)
 * frame; {@code logging_format}/{@code logging_level} set up logging. {@code HEADER} was the
 * size of the paper's text length header: our binary header is always 8 bytes, so the value is
 * checked and kept but changes nothing on the wire. {@code FORMAT} was the text encoding: our
 * strings are UTF-8 on the wire, so only UTF-8 and its subset ASCII are accepted.
 *
 * @param server {@code SERVER}: address to bind (mailman) and connect to (clients); empty means
 *               loopback, which the mailman says when it starts
 * @param port {@code PORT}
 * @param header {@code HEADER}
 * @param format {@code FORMAT}
 * @param disconnectMsg {@code DISCONNECT_MSG}
 * @param loggingFormat {@code logging_format}, Python style
 * @param loggingLevel {@code logging_level}
 * @param maxFrameBytes {@code MAX_FRAME_BYTES}: the largest frame payload accepted
 * @param recorderWindow {@code ACK_WINDOW}: chunks a recorder may have unacknowledged (1 = the paper's stop-and-wait)
 * @param processorWindow {@code PROCESSOR_WINDOW}: chunks the mailman may have unacknowledged at a processor
 * @param ackDelay {@code ACK_DELAY_MILLIS}: how long the mailman may hold back an ACK to a recorder or publisher
 *                 of protocol version 3, to cover more chunks with one (PROTOCOL.md §5.2); zero: one per read batch
 * @param retention {@code RETENTION_SECONDS}: audio the mailman keeps per stream for processors that fall behind
 * @param retentionBytes {@code RETENTION_BYTES}: the same bound in bytes; whichever is hit first evicts
 * @param recorderBuffer {@code RECORDER_BUFFER_SECONDS}: audio a recorder keeps, acknowledged or not, to resend after
 *                       a reconnect and to replay to a restarted mailman
 * @param recorderBufferBytes {@code RECORDER_BUFFER_BYTES}: the same bound in bytes; whichever is hit first drops the oldest
 * @param heartbeat {@code HEARTBEAT_SECONDS}: idle time after which a PING is sent
 * @param heartbeatTimeout {@code HEARTBEAT_TIMEOUT_SECONDS}: silence after which a peer is declared dead
 * @param handshakeTimeout {@code HANDSHAKE_TIMEOUT_SECONDS}: time a new connection has to send HELLO
 * @param reconnectInterval {@code RECONNECT_SECONDS}: wait between connection attempts (the paper's 1 Hz)
 * @param security tokens and TLS ({@code TOKEN}, {@code TLS_CERT}, ...)
 * @param limits what one mailman accepts at most ({@code MAX_CONNECTIONS}, ...)
 * @param monitoring how the mailman is watched ({@code HTTP_PORT}, {@code HTTP_HOST}, {@code LAG_WARN_SECONDS})
 */
public record NetworkConfig(Optional<String> server, int port, int header, Charset format, String disconnectMsg,
                            String loggingFormat, LogLevel loggingLevel, int maxFrameBytes, int recorderWindow,
                            int processorWindow, Duration ackDelay, Duration retention, long retentionBytes, Duration recorderBuffer,
                            long recorderBufferBytes, Duration heartbeat, Duration heartbeatTimeout, Duration handshakeTimeout,
                            Duration reconnectInterval, Security security, Limits limits,
                            Monitoring monitoring) {

    /** Default {@code PORT}, the paper's: {@value}. */
    public static final int DEFAULT_PORT = 5050;
    /** Default {@code HEADER}, the paper's: {@value}. */
    public static final int DEFAULT_HEADER = 64;
    /** Default {@code DISCONNECT_MSG}, the paper's: {@value}. */
    public static final String DEFAULT_DISCONNECT_MSG = "DISCONNECT";
    /** Default {@code logging_format}: {@value}. */
    public static final String DEFAULT_LOGGING_FORMAT = "%(asctime)s %(levelname)-5s [%(threadName)s] %(name)s - %(message)s";
    /** Default {@code MAX_FRAME_BYTES}: {@value} (4 MiB, 10 s of 48 kHz stereo float). */
    public static final int DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;
    /** Largest accepted {@code MAX_FRAME_BYTES}: {@value} (1 GiB). */
    public static final int MAX_MAX_FRAME_BYTES = 1 << 30;
    /** Default {@code ACK_WINDOW}: {@value} chunks. */
    public static final int DEFAULT_RECORDER_WINDOW = 64;
    /** Default {@code PROCESSOR_WINDOW}: {@value} chunks. */
    public static final int DEFAULT_PROCESSOR_WINDOW = 64;
    /**
     * Default {@code ACK_DELAY_MILLIS}: 50 ms. At 20 ms chunks a recorder of version 3 then gets about one ACK for
     * every two or three chunks instead of one for each: a fifth less of the mailman's CPU per chunk at real time
     * (BENCHMARKS.md), while its window of 64 chunks (1.3 s) stays far from full.
     */
    public static final Duration DEFAULT_ACK_DELAY = Duration.ofMillis(50);
    /** Largest {@code ACK_DELAY_MILLIS}: 1000 ms. */
    public static final Duration MAX_ACK_DELAY = Duration.ofSeconds(1);
    /** Default {@code RETENTION_SECONDS}: 30 s. */
    public static final Duration DEFAULT_RETENTION = Duration.ofSeconds(30);
    /** Default {@code RETENTION_BYTES}: {@value} (64 MiB). */
    public static final long DEFAULT_RETENTION_BYTES = 64L * 1024 * 1024;
    /** Default {@code RECORDER_BUFFER_SECONDS}: 30 s. */
    public static final Duration DEFAULT_RECORDER_BUFFER = Duration.ofSeconds(30);
    /** Default {@code RECORDER_BUFFER_BYTES}: {@value} (64 MiB). */
    public static final long DEFAULT_RECORDER_BUFFER_BYTES = 64L * 1024 * 1024;
    /** Default {@code HEARTBEAT_SECONDS}: 5 s. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
    /** Default {@code HEARTBEAT_TIMEOUT_SECONDS}: 15 s. */
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(15);
    /** Default {@code HANDSHAKE_TIMEOUT_SECONDS}: 10 s. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@code RECONNECT_SECONDS}: 1 s, the paper's 1 Hz. */
    public static final Duration DEFAULT_RECONNECT_INTERVAL = Duration.ofSeconds(1);
    /** The address used when {@code SERVER} is not given: {@value}. */
    public static final String LOOPBACK = "127.0.0.1";

    /** Validates every field, naming the config key in the message. */
    public NetworkConfig {
        Objects.requireNonNull(server, "server == null");
        Objects.requireNonNull(format, "format == null");
        Objects.requireNonNull(disconnectMsg, "disconnectMsg == null");
        Objects.requireNonNull(loggingFormat, "loggingFormat == null");
        Objects.requireNonNull(loggingLevel, "loggingLevel == null");
        check(port >= 0 && port <= 65535, "PORT", port, "0..65535 (0 = any free port)");
        check(header > 0, "HEADER", header, "> 0");
        check(format.equals(StandardCharsets.UTF_8) || format.equals(StandardCharsets.US_ASCII), "FORMAT", format,
                "utf-8 (or ascii): the protocol's text is UTF-8");
        check(!disconnectMsg.isEmpty() && disconnectMsg.length() <= 1024, "DISCONNECT_MSG", disconnectMsg, "1..1024 characters");
        check(maxFrameBytes >= 1024 && maxFrameBytes <= MAX_MAX_FRAME_BYTES, "MAX_FRAME_BYTES", maxFrameBytes, "1024.." + MAX_MAX_FRAME_BYTES);
        check(recorderWindow >= 1 && recorderWindow <= 65535, "ACK_WINDOW", recorderWindow, "1..65535");
        check(processorWindow >= 1 && processorWindow <= 65535, "PROCESSOR_WINDOW", processorWindow, "1..65535");
        Objects.requireNonNull(ackDelay, "ackDelay == null");
        check(!ackDelay.isNegative() && ackDelay.compareTo(MAX_ACK_DELAY) <= 0, "ACK_DELAY_MILLIS", ackDelay.toMillis(),
                "0.." + MAX_ACK_DELAY.toMillis() + "; 0 for an ACK per read batch");
        check(!retention.isNegative() && !retention.isZero(), "RETENTION_SECONDS", retention, "> 0");
        check(retentionBytes >= maxFrameBytes, "RETENTION_BYTES", retentionBytes, ">= MAX_FRAME_BYTES (" + maxFrameBytes + ")");
        check(!recorderBuffer.isNegative(), "RECORDER_BUFFER_SECONDS", recorderBuffer, ">= 0");
        check(recorderBufferBytes >= maxFrameBytes, "RECORDER_BUFFER_BYTES", recorderBufferBytes,
                ">= MAX_FRAME_BYTES (" + maxFrameBytes + ")");
        check(!heartbeat.isNegative() && !heartbeat.isZero(), "HEARTBEAT_SECONDS", heartbeat, "> 0");
        check(heartbeatTimeout.compareTo(heartbeat) > 0, "HEARTBEAT_TIMEOUT_SECONDS", heartbeatTimeout,
                "> HEARTBEAT_SECONDS (" + heartbeat.toMillis() / 1000.0 + ")");
        check(!handshakeTimeout.isNegative() && !handshakeTimeout.isZero(), "HANDSHAKE_TIMEOUT_SECONDS", handshakeTimeout, "> 0");
        check(!reconnectInterval.isNegative() && !reconnectInterval.isZero(), "RECONNECT_SECONDS", reconnectInterval, "> 0");
    }

    private static void check(boolean ok, String key, Object value, String expected) {
        if (!ok) {
            throw new ConfigException("key '" + key + "': " + value + " (expected: " + expected + ")");
        }
    }

    /**
     * Reads a network file (the paper's {@code server_info.json}: JSON, the keys of README
     * "Configuration"), with the tokens of the environment variables in place of the file's.
     *
     * @throws ConfigException if the file cannot be read, is not a JSON object, or a key is unknown or has a
     *         bad value; the message names the file and the key
     */
    public static NetworkConfig load(Path file) {
        return ConfigLoader.load(file);
    }

    /** All defaults: loopback, port 5050. */
    public static NetworkConfig defaults() {
        return builder().build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration, for overrides. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The host the mailman binds and clients connect to: {@code SERVER}, or loopback. */
    public String host() {
        return server.orElse(LOOPBACK);
    }

    /** Builds a {@link NetworkConfig}; every setter has the default of its {@code DEFAULT_*} constant. */
    public static final class Builder {
        private Optional<String> server = Optional.empty();
        private int port = DEFAULT_PORT;
        private int header = DEFAULT_HEADER;
        private Charset format = StandardCharsets.UTF_8;
        private String disconnectMsg = DEFAULT_DISCONNECT_MSG;
        private String loggingFormat = DEFAULT_LOGGING_FORMAT;
        private LogLevel loggingLevel = LogLevel.INFO;
        private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        private int recorderWindow = DEFAULT_RECORDER_WINDOW;
        private int processorWindow = DEFAULT_PROCESSOR_WINDOW;
        private Duration ackDelay = DEFAULT_ACK_DELAY;
        private Duration retention = DEFAULT_RETENTION;
        private long retentionBytes = DEFAULT_RETENTION_BYTES;
        private Duration recorderBuffer = DEFAULT_RECORDER_BUFFER;
        private long recorderBufferBytes = DEFAULT_RECORDER_BUFFER_BYTES;
        private Duration heartbeat = DEFAULT_HEARTBEAT;
        private Duration heartbeatTimeout = DEFAULT_HEARTBEAT_TIMEOUT;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private Duration reconnectInterval = DEFAULT_RECONNECT_INTERVAL;
        private Security security = Security.NONE;
        private Limits limits = Limits.DEFAULTS;
        private Monitoring monitoring = Monitoring.DEFAULTS;

        Builder() {
        }

        Builder(NetworkConfig c) {
            server = c.server;
            port = c.port;
            header = c.header;
            format = c.format;
            disconnectMsg = c.disconnectMsg;
            loggingFormat = c.loggingFormat;
            loggingLevel = c.loggingLevel;
            maxFrameBytes = c.maxFrameBytes;
            recorderWindow = c.recorderWindow;
            processorWindow = c.processorWindow;
            ackDelay = c.ackDelay;
            retention = c.retention;
            retentionBytes = c.retentionBytes;
            recorderBuffer = c.recorderBuffer;
            recorderBufferBytes = c.recorderBufferBytes;
            heartbeat = c.heartbeat;
            heartbeatTimeout = c.heartbeatTimeout;
            handshakeTimeout = c.handshakeTimeout;
            reconnectInterval = c.reconnectInterval;
            security = c.security;
            limits = c.limits;
            monitoring = c.monitoring;
        }

        /** Tokens and TLS. */
        public Builder security(Security security) {
            this.security = Objects.requireNonNull(security, "security == null");
            return this;
        }

        /** The shared {@code TOKEN} (keeps the role tokens and TLS settings). */
        public Builder token(String token) {
            this.security = security.withTokens(Objects.requireNonNull(token, "token == null"), security.recorderToken(),
                    security.processorToken());
            return this;
        }

        /** The limits set so far. */
        public Limits limits() {
            return limits;
        }

        /** What one mailman accepts at most. */
        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits == null");
            return this;
        }

        /** {@code SERVER}; {@code null} or blank means loopback. */
        public Builder server(String host) {
            this.server = host == null || host.isBlank() ? Optional.empty() : Optional.of(host.trim());
            return this;
        }

        /** {@code PORT}; 0 picks a free port (for tests). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** {@code HEADER}. */
        public Builder header(int header) {
            this.header = header;
            return this;
        }

        /** {@code FORMAT}. */
        public Builder format(Charset format) {
            this.format = Objects.requireNonNull(format, "format == null");
            return this;
        }

        /** {@code DISCONNECT_MSG}. */
        public Builder disconnectMsg(String disconnectMsg) {
            this.disconnectMsg = Objects.requireNonNull(disconnectMsg, "disconnectMsg == null");
            return this;
        }

        /** {@code logging_format}, Python style. */
        public Builder loggingFormat(String loggingFormat) {
            this.loggingFormat = Objects.requireNonNull(loggingFormat, "loggingFormat == null");
            return this;
        }

        /** {@code logging_level}. */
        public Builder loggingLevel(LogLevel loggingLevel) {
            this.loggingLevel = Objects.requireNonNull(loggingLevel, "loggingLevel == null");
            return this;
        }

        /** {@code MAX_FRAME_BYTES}. */
        public Builder maxFrameBytes(int maxFrameBytes) {
            this.maxFrameBytes = maxFrameBytes;
            return this;
        }

        /** {@code ACK_WINDOW}: the recorder's send window; 1 is stop-and-wait. */
        public Builder recorderWindow(int recorderWindow) {
            this.recorderWindow = recorderWindow;
            return this;
        }

        /** {@code PROCESSOR_WINDOW}. */
        public Builder processorWindow(int processorWindow) {
            this.processorWindow = processorWindow;
            return this;
        }

        /**
         * {@code ACK_DELAY_MILLIS} (mailman): how long an ACK to a recorder or publisher of protocol version 3 may
         * wait for more chunks to cover (0..1 s; zero: one ACK per read batch, as for versions 1 and 2).
         */
        public Builder ackDelay(Duration ackDelay) {
            this.ackDelay = Objects.requireNonNull(ackDelay, "ackDelay == null");
            return this;
        }

        /** {@code RETENTION_SECONDS}. */
        public Builder retention(Duration retention) {
            this.retention = Objects.requireNonNull(retention, "retention == null");
            return this;
        }

        /** {@code RETENTION_BYTES}. */
        public Builder retentionBytes(long retentionBytes) {
            this.retentionBytes = retentionBytes;
            return this;
        }

        /** {@code RECORDER_BUFFER_SECONDS}. */
        public Builder recorderBuffer(Duration recorderBuffer) {
            this.recorderBuffer = Objects.requireNonNull(recorderBuffer, "recorderBuffer == null");
            return this;
        }

        /** {@code RECORDER_BUFFER_BYTES}. */
        public Builder recorderBufferBytes(long recorderBufferBytes) {
            this.recorderBufferBytes = recorderBufferBytes;
            return this;
        }

        /** {@code HEARTBEAT_SECONDS}. */
        public Builder heartbeat(Duration heartbeat) {
            this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat == null");
            return this;
        }

        /** {@code HEARTBEAT_TIMEOUT_SECONDS}. */
        public Builder heartbeatTimeout(Duration heartbeatTimeout) {
            this.heartbeatTimeout = Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout == null");
            return this;
        }

        /** {@code HANDSHAKE_TIMEOUT_SECONDS}. */
        public Builder handshakeTimeout(Duration handshakeTimeout) {
            this.handshakeTimeout = Objects.requireNonNull(handshakeTimeout, "handshakeTimeout == null");
            return this;
        }

        /** The monitoring settings so far. */
        public Monitoring monitoring() {
            return monitoring;
        }

        /** {@code HTTP_PORT}, {@code HTTP_HOST}, {@code LAG_WARN_SECONDS}. */
        public Builder monitoring(Monitoring monitoring) {
            this.monitoring = Objects.requireNonNull(monitoring, "monitoring == null");
            return this;
        }

        /** {@code RECONNECT_SECONDS}. */
        public Builder reconnectInterval(Duration reconnectInterval) {
            this.reconnectInterval = Objects.requireNonNull(reconnectInterval, "reconnectInterval == null");
            return this;
        }

        /**
         * The configuration.
         *
         * @throws ConfigException naming the key whose value is out of range
         */
        public NetworkConfig build() {
            return new NetworkConfig(server, port, header, format, disconnectMsg, loggingFormat, loggingLevel, maxFrameBytes,
                    recorderWindow, processorWindow, ackDelay, retention, retentionBytes, recorderBuffer, recorderBufferBytes, heartbeat, heartbeatTimeout,
                    handshakeTimeout, reconnectInterval, security, limits, monitoring);
        }
    }
}

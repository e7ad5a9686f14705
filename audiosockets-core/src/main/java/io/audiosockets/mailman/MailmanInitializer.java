package io.audiosockets.mailman;

import io.audiosockets.internal.channel.ChannelSettings;
import io.audiosockets.internal.protocol.codec.FrameDecoder;
import io.audiosockets.internal.protocol.codec.FrameEncoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;

/**
 * Builds the pipeline of each accepted connection. Read top to bottom, it is the protocol's story.
 */
final class MailmanInitializer extends ChannelInitializer<SocketChannel> {
    private static final FrameEncoder ENCODER = new FrameEncoder();
    private final MailmanContext mailman;
    private final SslContext tls;

    MailmanInitializer(MailmanContext mailman, SslContext tls) {
        this.mailman = mailman;
        this.tls = tls;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        mailman.channels.add(ch);
        mailman.stats.connections.increment();
        ChannelPipeline p = ch.pipeline();
        // TLS first, when configured: everything below sees plaintext frames.
        if (tls != null) {
            p.addLast("tls", tls.newHandler(ch.alloc()));
        }
        // Heartbeats first: any byte read resets the reader timer, any write the writer timer.
        p.addLast("idle", ChannelSettings.idleStateHandler(mailman.config));
        // Bytes to frames, refusing an oversized length before anything is allocated for it...
        p.addLast("decoder", new FrameDecoder(mailman.config.maxFrameBytes()));
        // ...and frames to bytes (audio frames pass through as the recorder's own bytes).
        p.addLast("encoder", ENCODER);
        // One connection too many is told so (MAX_CONNECTIONS) before it can cost anything else.
        if (mailman.channels.size() > mailman.config.limits().maxConnections()) {
            p.addLast("limit", new ConnectionLimitHandler(mailman));
        }
        // PING, BYE and a client's ERROR, in any state; idleness to PING or close.
        p.addLast("control", new ControlHandler(mailman));
        // HELLO, then this handler is replaced by the recorder's or processor's session.
        p.addLast("handshake", new HandshakeHandler(mailman));
        // Last: any exception becomes an ERROR for this client and a close; disconnects are logged.
        p.addLast("errors", new ErrorHandler(mailman));
    }
}

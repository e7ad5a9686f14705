package io.audiosockets.mailman;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.config.NetworkConfig;
import io.audiosockets.internal.protocol.ErrorMessage;
import io.audiosockets.protocol.ErrorCode;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.junit.jupiter.api.Test;

/**
 * Running out of memory is load, not a bug: the connection that could not get memory is told
 * LIMIT_REACHED (a client retries it later, and a recorder resends what was not acknowledged),
 * never ERROR INTERNAL, which a client takes as the mailman's fault.
 */
class OutOfMemoryAnswerTest {
    private static EmbeddedChannel channel() {
        MailmanContext context = new MailmanContext(NetworkConfig.defaults(),
                new DefaultChannelGroup("test", GlobalEventExecutor.INSTANCE), "test", Ticker.system());
        return new EmbeddedChannel(new ErrorHandler(context));
    }

    @Test
    void aDirectMemoryShortageWrappedByTheDecoderIsAnsweredLimitReachedAndTheConnectionClosed() {
        EmbeddedChannel ch = channel();
        ch.pipeline().fireExceptionCaught(new DecoderException(
                new OutOfMemoryError("Cannot reserve 65536 bytes of direct buffer memory (allocated: 1073741824)")));
        ErrorMessage answer = ch.readOutbound();
        assertThat(answer.code()).isEqualTo(ErrorCode.LIMIT_REACHED);
        assertThat(answer.message()).contains("try again later");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void anyOtherFailureIsStillAnInternalError() {
        EmbeddedChannel ch = channel();
        ch.pipeline().fireExceptionCaught(new IllegalStateException("a bug"));
        ErrorMessage answer = ch.readOutbound();
        assertThat(answer.code()).isEqualTo(ErrorCode.INTERNAL);
    }
}

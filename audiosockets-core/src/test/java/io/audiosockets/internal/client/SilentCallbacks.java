package io.audiosockets.internal.client;

import io.audiosockets.internal.protocol.Hello;
import io.audiosockets.internal.protocol.Message;
import io.audiosockets.internal.protocol.Role;
import io.audiosockets.internal.protocol.Welcome;
import io.audiosockets.protocol.StartPosition;
import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.Map;

/** A processor's side of a connection with nothing to say beyond its HELLO, for tests of the connection itself. */
record SilentCallbacks(String name, String token) implements ClientConnection.Callbacks {
    @Override
    public Hello hello() {
        return new Hello(Role.PROCESSOR.code(), name, 1, token, 1, StartPosition.LIVE, List.of(), Map.of());
    }

    @Override
    public void onWelcome(Channel channel, Welcome welcome, boolean reconnect) {
    }

    @Override
    public void onMessage(Channel channel, Message message) {
        ReferenceCountUtil.release(message);
    }

    @Override
    public void onDisconnected() {
    }
}

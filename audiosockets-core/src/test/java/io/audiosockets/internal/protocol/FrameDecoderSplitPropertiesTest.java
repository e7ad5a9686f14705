package io.audiosockets.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.internal.protocol.Decoding.End;
import io.audiosockets.internal.protocol.Decoding.Outcome;
import io.audiosockets.internal.protocol.codec.FrameDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Property-based tests of {@link FrameDecoder} in a Netty pipeline ({@link EmbeddedChannel}):
 * however TCP splits the bytes of a run of frames (valid ones, then perhaps a mutated one), the
 * channel gives the same frames and the same refusal as decoding the whole run at once. A
 * refusal reaches the pipeline as the {@link ProtocolException} itself: Netty wraps any other
 * exception from a decoder in a plain {@code DecoderException}, which would hide a decoder bug.
 * Every buffer written in is allocated by the channel's pooled allocator (so the paranoid leak
 * detector watches it) and must have been released by the end.
 */
class FrameDecoderSplitPropertiesTest {
    private static final int MAX = 1 << 20;

    @Provide
    Arbitrary<List<Message>> messages() {
        return FrameArbitraries.smallMessage().list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<Optional<FrameMutation>> mutation() {
        return FrameMutation.any().optional(0.5);
    }

    @Property(tries = 200)
    void anySplitGivesWhatTheWholeGives(@ForAll("messages") List<Message> messages,
                                        @ForAll("mutation") Optional<FrameMutation> mutation,
                                        @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 1 << 20) Integer> cuts) {
        // The run: every message encoded, the last one mutated if there is a mutation.
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        for (int i = 0; i < messages.size(); i++) {
            byte[] frame = Decoding.encode(messages.get(i));
            if (i == messages.size() - 1 && mutation.isPresent()) {
                frame = FrameMutation.applyWith(mutation.get(), frame, MAX);
            }
            run.writeBytes(frame);
        }
        byte[] bytes = run.toByteArray();
        Outcome whole = Decoding.decodeOnce(bytes, MAX);
        if (mutation.isEmpty()) {
            assertThat(whole.messages()).containsExactlyElementsOf(messages);
        }

        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX));
        List<ByteBuf> written = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        int from = 0;
        for (int cut : splitPoints(cuts, bytes.length)) {
            ByteBuf piece = channel.alloc().buffer(cut - from).writeBytes(bytes, from, cut - from);
            written.add(piece);
            try {
                channel.writeInbound(piece);
            } catch (DecoderException e) {
                errors.add(e);
            }
            from = cut;
        }
        List<Message> received = new ArrayList<>();
        for (Object o; (o = channel.readInbound()) != null; ) {
            received.add(Decoding.normal((Message) o));
            if (o instanceof StreamFrame f) {
                f.release();
            }
        }
        channel.finishAndReleaseAll();

        assertThat(received).as("frames through the channel, cut at %s", cuts).containsExactlyElementsOf(whole.messages());
        if (whole.end() == End.REFUSED) {
            assertThat(errors).as("refusals through the channel").hasSize(1);
            assertThat(errors.get(0)).isInstanceOf(ProtocolException.class);
            assertThat(((ProtocolException) errors.get(0)).code()).isEqualTo(whole.error().code());
        } else {
            assertThat(errors).as("refusals through the channel").isEmpty();
        }
        for (ByteBuf b : written) {
            assertThat(b.refCnt()).as("references left on a buffer written into the channel").isZero();
        }
    }

    /** The distinct cut offsets in (0, length), in order, and then {@code length}: the end of each piece. */
    private static List<Integer> splitPoints(List<Integer> cuts, int length) {
        TreeSet<Integer> points = new TreeSet<>();
        for (int c : cuts) {
            if (length > 1) {
                points.add(1 + c % (length - 1));
            }
        }
        points.add(length);
        return new ArrayList<>(points);
    }
}

package io.audiosockets.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@link FrameCodec#decode} over a byte array until it stops, as a receiver would, and
 * reports what happened: the frames it gave, how it stopped, and how many bytes the JVM
 * allocated on this thread meanwhile.
 *
 * <p>The input is a read-only buffer of fixed capacity wrapped around the array, so a decoder
 * that tried to grow, fill or write it would fail with an exception that is not a
 * {@link ProtocolException}; such an exception (or any other that is not a protocol error) is
 * turned into an {@link AssertionError} that shows the input. Every {@link AudioFrame} decoded is
 * copied into an {@link AudioMessage} and released, and the input must end with no reference
 * left: a leak fails here, not some time later in the leak detector's log.
 */
final class Decoding {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** How a run of decodes ended. */
    enum End {
        /** Every byte was consumed by valid frames. */
        CONSUMED,
        /** The decoder asked for more bytes (and had consumed nothing of the unfinished frame). */
        INCOMPLETE,
        /** The decoder refused a frame with a {@link ProtocolException}. */
        REFUSED
    }

    /**
     * What one run gave.
     *
     * @param messages the frames decoded, in order; AUDIO as {@link AudioMessage}s
     * @param end how it ended
     * @param error the refusal, if {@code end} is {@link End#REFUSED}
     * @param allocatedBytes bytes allocated by this thread during the decode calls alone
     */
    record Outcome(List<Message> messages, End end, ProtocolException error, long allocatedBytes) {
    }

    private Decoding() {
    }

    /** True if this JVM can count the bytes a thread allocates (HotSpot can). */
    static boolean canMeasureAllocation() {
        return THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled();
    }

    /** Bytes this thread has allocated so far. */
    static long allocatedByThisThread() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /**
     * Decodes {@code bytes} twice and returns the second run, whose allocation count is not
     * inflated by the classes and caches a first call may load (exception classes, formatters).
     */
    static Outcome decodeAll(byte[] bytes, int maxPayloadBytes) {
        decodeOnce(bytes, maxPayloadBytes);
        return decodeOnce(bytes, maxPayloadBytes);
    }

    /** Decodes {@code bytes} once; see the class comment. */
    static Outcome decodeOnce(byte[] bytes, int maxPayloadBytes) {
        ByteBuf backing = Unpooled.wrappedBuffer(bytes);
        ByteBuf in = backing.asReadOnly();
        List<Message> raw = new ArrayList<>(4);
        End end = End.CONSUMED;
        ProtocolException error = null;
        long before = allocatedByThisThread();
        while (in.isReadable()) {
            int at = in.readerIndex();
            Message m;
            try {
                m = FrameCodec.decode(in, maxPayloadBytes);
            } catch (ProtocolException e) {
                end = End.REFUSED;
                error = e;
                break;
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                throw new AssertionError("the decoder threw " + e + ", not a ProtocolException, for the "
                        + bytes.length + " bytes " + hex(bytes), e);
            }
            if (m == null) {
                if (in.readerIndex() != at) {
                    throw new AssertionError("decode returned null but consumed " + (in.readerIndex() - at) + " bytes of " + hex(bytes));
                }
                end = End.INCOMPLETE;
                break;
            }
            raw.add(m);
        }
        // The count stops here: copying the frames out below is the test's work, not the decoder's.
        long allocated = allocatedByThisThread() - before;
        List<Message> messages = new ArrayList<>(raw.size());
        for (Message m : raw) {
            messages.add(normal(m));
            if (m instanceof StreamFrame f) {
                f.release();
            }
        }
        backing.release();
        // (An empty array wraps to Netty's shared empty buffer, which is never freed.)
        if (bytes.length > 0 && backing.refCnt() != 0) {
            throw new AssertionError("the input buffer still has " + backing.refCnt() + " references after every frame was released");
        }
        return new Outcome(List.copyOf(messages), end, error, allocated);
    }

    /**
     * {@code m}, with an {@link AudioFrame} copied into an {@link AudioMessage} and a
     * {@link RecordFrame} into a {@link RecordMessage} (the frame's count is unchanged).
     */
    static Message normal(Message m) {
        if (m instanceof AudioFrame f) {
            return new AudioMessage(f.toChunk(), f.flags());
        }
        return m instanceof RecordFrame f ? new RecordMessage(f.toRecord(), f.flags()) : m;
    }

    /** The encoded bytes of {@code m}. */
    static byte[] encode(Message m) {
        ByteBuf b = Unpooled.buffer(FrameCodec.estimateSize(m));
        try {
            FrameCodec.encode(m, b);
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    /** Hex of at most the first 256 bytes, for failure messages. */
    static String hex(byte[] bytes) {
        int n = Math.min(bytes.length, 256);
        return ByteBufUtil.hexDump(bytes, 0, n) + (n < bytes.length ? "...(" + bytes.length + " bytes)" : "");
    }
}

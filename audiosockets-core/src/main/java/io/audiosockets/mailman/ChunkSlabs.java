package io.audiosockets.mailman;

import io.audiosockets.internal.protocol.StreamFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Arrays;

/**
 * The bytes of the chunks one {@link RetentionRing} holds, packed one after another into slabs of
 * direct memory ({@value #SLAB_BYTES} bytes), so that a retained chunk is a few numbers in the
 * ring's arrays and not three objects on the heap: at a thousand streams, the garbage collector
 * otherwise spends a sixth of the mailman's time tracking the millions of objects the retention
 * holds for half a minute each (BENCHMARKS.md).
 *
 * <p>A chunk larger than a quarter of a slab gets a buffer of its own, of its exact size, so that
 * no slab is left mostly empty. A slab is let go once every chunk in it was {@linkplain #free let go}
 * and no chunk is still to be written into it; what a reader took as a
 * {@linkplain #retainedSlice slice} keeps its bytes until the reader releases it. Memory beyond the
 * chunks' own bytes is at most two slabs per stream: the one being filled, and the oldest, whose
 * first chunks were let go; none for a stream whose chunks have all gone ({@link #releaseEmpty}).
 *
 * <p>Not thread-safe: confined under its ring's (its log's) lock. The slices it hands out are
 * reference-counted and may be released on any thread.
 */
final class ChunkSlabs {
    /** The size of a slab. Small, so that a thousand streams with a slab each hold little that is not audio. */
    static final int SLAB_BYTES = 8 * 1024;
    /** Chunks larger than this get a buffer of their own. */
    static final int OWN_BUFFER_ABOVE = SLAB_BYTES / 4;

    private final ByteBufAllocator alloc;
    /** Where the memory the slabs take is counted, all logs together. */
    private final RetentionBudget budget;
    /** The slabs by id; null where an id is free. */
    private ByteBuf[] slabs = new ByteBuf[4];
    /** How many chunks each slab holds. */
    private int[] held = new int[4];
    /** Ids free for new slabs: a stack. */
    private int[] freeIds = new int[0];
    private int freeCount;
    /** The number of ids ever used: ids below it are in use or on the free stack. */
    private int idsUsed;
    /** The slab being filled, or -1. */
    private int filling = -1;
    private long slabBytes;

    /** Slabs from {@code alloc} (direct buffers), their memory counted in {@code budget}'s {@link RetentionBudget#slabBytes()}. */
    ChunkSlabs(ByteBufAllocator alloc, RetentionBudget budget) {
        this.alloc = alloc;
        this.budget = budget;
    }

    /**
     * Copies {@code f}'s encoded bytes into a slab, its flags cleared (see {@link StreamFrame#copyTo}):
     * they are the mailman's to set. Returns where they are, for {@link #retainedSlice} and
     * {@link #free}. {@code f} is unchanged.
     */
    long put(StreamFrame f) {
        int length = f.encodedBytes();
        int id;
        if (length > OWN_BUFFER_ABOVE) {
            id = newSlab(length);
        } else {
            if (filling < 0 || slabs[filling].writableBytes() < length) {
                int full = filling;
                filling = -1;
                if (full >= 0 && held[full] == 0) {
                    releaseSlab(full);
                }
                filling = newSlab(SLAB_BYTES);
            }
            id = filling;
        }
        ByteBuf slab = slabs[id];
        int offset = slab.writerIndex();
        f.copyTo(slab, 0);
        held[id]++;
        return (long) id << 32 | offset;
    }

    /** The bytes of the chunk at {@code location}, {@code length} long, as a slice the caller owns (and releases). */
    ByteBuf retainedSlice(long location, int length) {
        return slabs[(int) (location >>> 32)].retainedSlice((int) location, length);
    }

    /** The chunk at {@code location} is let go: its slab goes once it holds no chunk and none is to come. */
    void free(long location) {
        int id = (int) (location >>> 32);
        if (--held[id] == 0 && id != filling) {
            releaseSlab(id);
        }
    }

    /**
     * Lets go of the slab being filled if it holds no chunk: the ring is empty (a reclaim took all
     * it held), and a stream that sends nothing more then keeps no memory at all.
     */
    void releaseEmpty() {
        if (filling >= 0 && held[filling] == 0) {
            int empty = filling;
            filling = -1;
            releaseSlab(empty);
        }
    }

    /** Lets go of every slab (the log has ended); chunks still held are gone with them. */
    void releaseAll() {
        for (int id = 0; id < idsUsed; id++) {
            if (slabs[id] != null) {
                releaseSlab(id);
            }
        }
        filling = -1;
        slabs = new ByteBuf[1];
        held = new int[1];
        freeIds = new int[0];
        freeCount = 0;
        idsUsed = 0;
    }

    /** The memory the slabs take, chunks and free room together. */
    long slabBytes() {
        return slabBytes;
    }

    private int newSlab(int capacity) {
        int id;
        if (freeCount > 0) {
            id = freeIds[--freeCount];
        } else {
            if (idsUsed == slabs.length) {
                slabs = Arrays.copyOf(slabs, idsUsed * 2);
                held = Arrays.copyOf(held, idsUsed * 2);
            }
            id = idsUsed++;
        }
        slabs[id] = alloc.directBuffer(capacity, capacity);
        held[id] = 0;
        slabBytes += capacity;
        budget.slabsChanged(capacity);
        return id;
    }

    private void releaseSlab(int id) {
        ByteBuf slab = slabs[id];
        slabs[id] = null;
        slabBytes -= slab.capacity();
        budget.slabsChanged(-slab.capacity());
        slab.release();
        if (freeCount == freeIds.length) {
            freeIds = Arrays.copyOf(freeIds, Math.max(4, freeCount * 2));
        }
        freeIds[freeCount++] = id;
    }
}

package io.audiosockets.mailman;

import io.audiosockets.internal.protocol.StreamFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * One replay a {@link StreamLog} asked of its recorder, for {@code from..to}, through its life:
 * {@link State#REQUESTED} until the recorder {@linkplain #answer answers} how many frames follow
 * from where; {@link State#ANSWERED} while those frames {@linkplain #add arrive}; then
 * {@link State#COMPLETE} with the last one announced (or at once if none was), or
 * {@link State#TIMED_OUT} if no answer came in time, or {@link State#CANCELLED} if the recorder
 * left or the log ended first. Once complete or timed out, {@link #frames()} is what the recorder
 * still had, for the log to put in front of its chunks, and {@link #lostUpTo()} what it no longer had.
 *
 * <p>Owns the frames received until they are handed over ({@link #frames()}, once complete) or
 * released ({@link #cancel()}).
 *
 * <p>Not thread-safe: confined under its {@link StreamLog}'s lock, like every part of the log.
 */
final class PendingReplay {
    /** Where a replay is in its life. */
    enum State {
        /** Asked; no answer yet. */
        REQUESTED,
        /** Answered; frames are arriving. */
        ANSWERED,
        /** Every frame announced came (or none was announced). */
        COMPLETE,
        /** No answer came in time: the whole range counts as lost. */
        TIMED_OUT,
        /** Forgotten before it was done; the frames received were released. */
        CANCELLED
    }

    private final long request;
    private final long from;
    private final long to;
    private State state = State.REQUESTED;
    /** The replayed frames received so far, in order; null until the answer. */
    private List<StreamFrame> frames;
    /** The first seq the recorder still had (the answer's), or {@code to + 1} if none. */
    private long answerFrom;
    private long expected;

    /** Request number {@code request} (it tells a stale timeout from a newer request's), for {@code from..to}. */
    PendingReplay(long request, long from, long to) {
        this.request = request;
        this.from = from;
        this.to = to;
    }

    long request() {
        return request;
    }

    long from() {
        return from;
    }

    long to() {
        return to;
    }

    State state() {
        return state;
    }

    /** Whether the replay is done: complete, or timed out. */
    boolean finished() {
        return state == State.COMPLETE || state == State.TIMED_OUT;
    }

    /**
     * The recorder's answer: {@code count} frames follow from {@code fromSeq}. Returns false, and
     * changes nothing, if the replay was answered already or the answer does not fit the range.
     */
    boolean answer(long fromSeq, long count) {
        if (state != State.REQUESTED || fromSeq < from || fromSeq > to + 1 || count > to - fromSeq + 1) {
            return false;
        }
        answerFrom = fromSeq;
        expected = count;
        frames = new ArrayList<>((int) Math.min(count, 4096));
        state = count > 0 ? State.ANSWERED : State.COMPLETE;
        return true;
    }

    /** Whether a replayed frame of {@code seq} is one the answer announced, after those received. */
    boolean accepts(long seq) {
        return state == State.ANSWERED && seq > lastSeq() && seq <= to;
    }

    /**
     * Takes ownership of {@code frame}, which must be {@linkplain #accepts accepted}; returns true
     * if it was the last one announced (the replay is complete).
     */
    boolean add(StreamFrame frame) {
        if (!accepts(frame.seq())) {
            throw new IllegalStateException("replayed seq " + frame.seq() + " not accepted" + announced());
        }
        frames.add(frame);
        if (frames.size() < expected) {
            return false;
        }
        state = State.COMPLETE;
        return true;
    }

    /** What the recorder announced, for an error message about a frame that does not fit it. */
    String announced() {
        return frames == null ? " (no replay announced)" : " " + answerFrom + ".." + to + " after seq " + lastSeq();
    }

    /**
     * Request {@code requestNumber} had no answer in time: the whole range counts as lost. Returns
     * false, and changes nothing, if that is not this request or it was answered.
     */
    boolean timeOut(long requestNumber) {
        if (state != State.REQUESTED || request != requestNumber) {
            return false;
        }
        answerFrom = to + 1;
        frames = new ArrayList<>();
        state = State.TIMED_OUT;
        return true;
    }

    /** Forgets the replay unless finished, releasing the frames received for it. */
    void cancel() {
        if (finished()) {
            return;
        }
        if (frames != null) {
            frames.forEach(StreamFrame::release);
        }
        state = State.CANCELLED;
    }

    /** What the recorder still had, in order: once {@linkplain #finished() finished}; their owner is then the caller. */
    List<StreamFrame> frames() {
        if (!finished()) {
            throw new IllegalStateException("replay " + request + " is " + state);
        }
        return frames;
    }

    /** The last seq of the range the recorder no longer had ({@code from..lostUpTo()}), or -1 if it had all of it. */
    long lostUpTo() {
        return answerFrom > from ? Math.min(answerFrom - 1, to) : -1;
    }

    private long lastSeq() {
        return frames.isEmpty() ? answerFrom - 1 : frames.get(frames.size() - 1).seq();
    }
}

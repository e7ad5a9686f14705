package io.audiosockets.mailman;

import static io.audiosockets.mailman.TestFrames.CHUNK_NANOS;
import static io.audiosockets.mailman.TestFrames.audio;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audiosockets.internal.protocol.ProtocolException;
import io.audiosockets.internal.protocol.StreamFrame;
import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The log as its sessions call it, without sockets: how its parts meet when a reader reads past
 * skips, evictions, a replay and the end. Items read are described as "seq" for a chunk and
 * "from..to REASON" for a gap (and released), so that a whole read is one readable list.
 */
class StreamLogTest {
    private final AtomicLong now = new AtomicLong();
    private final RetentionBudget budget = new RetentionBudget(Long.MAX_VALUE);

    /** A recorder that notes what it is asked, and that it is never asked under the log's lock. */
    private static final class AskedReplays implements StreamLog.Replayer {
        final List<long[]> asked = new ArrayList<>();

        @Override
        public void requestReplay(StreamLog log, long request, long fromSeq, long toSeq) {
            assertThat(Thread.holdsLock(log)).as("asked under the log's lock").isFalse();
            asked.add(new long[] {request, fromSeq, toSeq});
        }
    }

    private StreamLog log(int chunks) {
        return new StreamLog("mic", StreamLog.Kind.AUDIO, Duration.ofNanos(chunks * CHUNK_NANOS), Long.MAX_VALUE, -1, now::get, budget, ByteBufAllocator.DEFAULT);
    }

    private static List<String> read(StreamLog log, long next) {
        return TestFrames.readItems(log, next);
    }

    @Test
    void aReaderGetsTheChunksInOrderWithAGapForEachSkipAndEachEviction() {
        StreamLog log = log(4);
        for (long s : new long[] {0, 1, 4, 5, 6}) {
            assertThat(log.append(audio(s))).isEqualTo(StreamLog.Append.APPENDED);
        }
        StreamFrame resent = audio(5);
        assertThat(log.append(resent)).isEqualTo(StreamLog.Append.DUPLICATE);
        assertThat(resent.refCnt()).isZero();
        assertThat(read(log, 0)).containsExactly("0..0 RETENTION_EXCEEDED", "1", "2..3 SOURCE_SKIPPED", "4", "5", "6");
        assertThat(log.origin()).isZero();
        assertThat(log.coveredFrom()).isEqualTo(1);
        assertThat(log.nextSeq()).isEqualTo(7);
        log.close();
    }

    @Test
    void aReaderOlderThanTheLogWaitsForTheRecordersReplayThenReadsWhatItHadAndGapsForTheRest() {
        StreamLog log = log(100);
        AskedReplays recorder = new AskedReplays();
        log.attachReplayer(recorder);
        log.append(audio(10));
        log.append(audio(11));
        assertThat(read(log, 4)).as("waiting for the replay").isEmpty();
        assertThat(read(log, 4)).isEmpty();
        assertThat(recorder.asked).hasSize(1);
        assertThat(recorder.asked.get(0)).containsExactly(1, 4, 9);

        assertThat(log.replayAnswer(6, 2)).isTrue();
        log.replayFrame(audio(6));
        StreamFrame outside = audio(10);
        assertThatThrownBy(() -> log.replayFrame(outside)).isInstanceOf(ProtocolException.class)
                .hasMessage("replayed AUDIO seq 10 of stream 'mic' is not in the announced range 6..9 after seq 6");
        assertThat(outside.refCnt()).isZero();
        log.replayFrame(audio(8));
        // A hole within the replay is the recorder's skip; the one between the replay and the log's first chunk is lost.
        assertThat(read(log, 4)).containsExactly("4..5 NOT_AVAILABLE", "6", "7..7 SOURCE_SKIPPED", "8", "9..9 NOT_AVAILABLE", "10", "11");
        assertThat(log.origin()).isEqualTo(4);
        assertThat(log.seqArrivedSince(0)).as("replayed chunks are old audio").isEqualTo(10);
        log.close();
    }

    @Test
    void aReplayThatTimesOutCountsTheRangeAsLostAndALateAnswerIsRefused() {
        StreamLog log = log(100);
        AskedReplays recorder = new AskedReplays();
        log.attachReplayer(recorder);
        log.append(audio(10));
        read(log, 5);
        long request = recorder.asked.get(0)[0];
        assertThat(log.replayTimedOut(request + 1)).as("not that request").isFalse();
        assertThat(log.replayTimedOut(request)).isTrue();
        assertThat(log.replayAnswer(5, 1)).isFalse();
        assertThat(read(log, 5)).containsExactly("5..9 NOT_AVAILABLE", "10");
        log.close();
    }

    @Test
    void aRecorderThatLeavesMidReplayLetsTheReadersGoOnWithAGap() {
        StreamLog log = log(100);
        AskedReplays recorder = new AskedReplays();
        log.attachReplayer(recorder);
        log.append(audio(10));
        read(log, 5);
        log.replayAnswer(5, 3);
        StreamFrame received = audio(5);
        log.replayFrame(received);
        log.detachReplayer(recorder);
        assertThat(received.refCnt()).as("released with the replay").isZero();
        assertThatThrownBy(() -> log.replayFrame(audio(6))).isInstanceOf(ProtocolException.class)
                .hasMessageEndingWith("(no replay announced)");
        assertThat(read(log, 5)).containsExactly("5..9 NOT_AVAILABLE", "10");
        log.close();
    }

    @Test
    void anEndedLogReleasesEverythingAndLeavesOneGapUpToItsLastChunk() {
        StreamLog log = log(100);
        List<StreamFrame> held = List.of(audio(0), audio(1), audio(2));
        held.forEach(log::append);
        assertThat(read(log, 0)).containsExactly("0", "1", "2");
        now.addAndGet(5_000);
        assertThat(log.quietNanos(now.get())).as("reading is activity").isEqualTo(5_000);
        log.end();
        assertThat(log.ended()).isTrue();
        assertThat(held).allMatch(f -> f.refCnt() == 0);
        assertThat(budget.usedBytes()).isZero();
        StreamFrame late = audio(3);
        assertThat(log.append(late)).isEqualTo(StreamLog.Append.DUPLICATE);
        assertThat(late.refCnt()).isZero();
        assertThat(read(log, 1)).containsExactly("1..2 RETENTION_EXCEEDED");
        assertThat(read(log, 3)).isEmpty();
    }
}

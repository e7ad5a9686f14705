package io.audiosockets.mailman;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.GapReason;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gaps a stream log gives, alone: each cause has its range, its reason and a message that
 * names the stream or the setting that bounds it. The messages are what processors log, so they
 * are pinned here word for word.
 */
class GapNoticesTest {

    @Test
    void eachCauseHasItsReasonAndItsWords() {
        assertThat(GapNotices.streamEnded("mic", 3, 9)).isEqualTo(new Gap("mic", 3, 9, GapReason.RETENTION_EXCEEDED,
                "stream 'mic' ended: its recorder left and nothing came in or went out for RETENTION_SECONDS, so the "
                        + "mailman let go of chunks 3..9 before they could be sent"));
        assertThat(GapNotices.forgotten("mic", 3, 9)).isEqualTo(new Gap("mic", 3, 9, GapReason.RETENTION_EXCEEDED,
                "stream 'mic' had ended and was forgotten (RETENTION_SECONDS after its recorder left) before chunks 3..9 could be sent"));
        assertThat(GapNotices.evicted("mic", 3, 9)).isEqualTo(new Gap("mic", 3, 9, GapReason.RETENTION_EXCEEDED,
                "fell behind the mailman's retention (RETENTION_SECONDS/RETENTION_BYTES/RETENTION_MAX_BYTES): chunks 3..9 "
                        + "were evicted before they could be sent"));
        assertThat(GapNotices.sourceSkipped("mic", 3, 9)).isEqualTo(new Gap("mic", 3, 9, GapReason.SOURCE_SKIPPED,
                "the recorder never sent chunks 3..9"));
        assertThat(GapNotices.noRecorderToReplay("mic", 3, 9)).isEqualTo(new Gap("mic", 3, 9, GapReason.NOT_AVAILABLE,
                "chunks 3..9 precede everything this mailman holds (it restarted?) and no recorder is connected to replay them"));
        assertThat(GapNotices.notInRecorderBuffer("mic", 3, 9)).isEqualTo(new Gap("mic", 3, 9, GapReason.NOT_AVAILABLE,
                "chunks 3..9 were lost: the mailman restarted without them and the recorder's buffer "
                        + "(RECORDER_BUFFER_SECONDS/BYTES) no longer held them"));
        assertThat(GapNotices.holeInReplay("mic", 3, 9)).isEqualTo(new Gap("mic", 3, 9, GapReason.NOT_AVAILABLE,
                "chunks 3..9 were lost: the mailman restarted without them and the recorder no longer held them"));
    }

    @Test
    void everyNoticeCarriesExactlyTheRangeItWasGiven() {
        List<Gap> gaps = List.of(GapNotices.streamEnded("s", 7, 7), GapNotices.forgotten("s", 7, 7), GapNotices.evicted("s", 7, 7),
                GapNotices.sourceSkipped("s", 7, 7), GapNotices.noRecorderToReplay("s", 7, 7),
                GapNotices.notInRecorderBuffer("s", 7, 7), GapNotices.holeInReplay("s", 7, 7));
        assertThat(gaps).allSatisfy(g -> {
            assertThat(g.stream()).isEqualTo("s");
            assertThat(g.fromSeq()).isEqualTo(7);
            assertThat(g.toSeq()).isEqualTo(7);
            assertThat(g.count()).isEqualTo(1);
            assertThat(g.message()).contains("7..7");
        });
    }
}

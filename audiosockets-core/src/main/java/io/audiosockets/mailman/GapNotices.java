package io.audiosockets.mailman;

import io.audiosockets.protocol.Gap;
import io.audiosockets.protocol.GapReason;

/**
 * Every {@link Gap} a {@link StreamLog} gives its readers, with its exact range, reason and the
 * message that tells the processor's operator why those chunks will never come and which setting
 * bounds it. One place, so that the messages stay consistent and each cause has exactly one.
 *
 * <p>Stateless; each method is a pure function of the stream's name and the range {@code from..to}.
 */
final class GapNotices {
    private GapNotices() {
    }

    /** The stream ended (quiet for the retention after its recorder left) with {@code from..to} unread. */
    static Gap streamEnded(String stream, long from, long to) {
        return new Gap(stream, from, to, GapReason.RETENTION_EXCEEDED, "stream '" + stream
                + "' ended: its recorder left and nothing came in or went out for RETENTION_SECONDS, so the "
                + "mailman let go of chunks " + from + ".." + to + " before they could be sent");
    }

    /** {@code from..to} ended with an earlier log of the stream, which was forgotten before they were read. */
    static Gap forgotten(String stream, long from, long to) {
        return new Gap(stream, from, to, GapReason.RETENTION_EXCEEDED, "stream '" + stream + "' had ended and was "
                + "forgotten (RETENTION_SECONDS after its recorder left) before chunks " + from + ".." + to + " could be sent");
    }

    /** The reader fell behind the retention bounds: {@code from..to} were evicted unread. */
    static Gap evicted(String stream, long from, long to) {
        return new Gap(stream, from, to, GapReason.RETENTION_EXCEEDED,
                "fell behind the mailman's retention (RETENTION_SECONDS/RETENTION_BYTES/RETENTION_MAX_BYTES): chunks "
                        + from + ".." + to + " were evicted before they could be sent");
    }

    /** The recorder skipped {@code from..to}: it never sent them. */
    static Gap sourceSkipped(String stream, long from, long to) {
        return new Gap(stream, from, to, GapReason.SOURCE_SKIPPED, "the recorder never sent chunks " + from + ".." + to);
    }

    /** {@code from..to} precede everything the log holds, and no recorder is connected that could replay them. */
    static Gap noRecorderToReplay(String stream, long from, long to) {
        return new Gap(stream, from, to, GapReason.NOT_AVAILABLE, "chunks " + from + ".." + to
                + " precede everything this mailman holds (it restarted?) and no recorder is connected to replay them");
    }

    /** The recorder's buffer no longer held {@code from..to} when the log asked it to replay them. */
    static Gap notInRecorderBuffer(String stream, long from, long to) {
        return new Gap(stream, from, to, GapReason.NOT_AVAILABLE, "chunks " + from + ".." + to
                + " were lost: the mailman restarted without them and the recorder's buffer "
                + "(RECORDER_BUFFER_SECONDS/BYTES) no longer held them");
    }

    /**
     * A jump the recorder did not announce as a skip: {@code from..to} lie between what it replayed
     * and what the log held already, and neither had them.
     */
    static Gap holeInReplay(String stream, long from, long to) {
        return new Gap(stream, from, to, GapReason.NOT_AVAILABLE, "chunks " + from + ".." + to
                + " were lost: the mailman restarted without them and the recorder no longer held them");
    }
}

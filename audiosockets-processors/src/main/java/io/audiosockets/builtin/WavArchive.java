package io.audiosockets.builtin;

import io.audiosockets.audio.AudioChunk;
import io.audiosockets.audio.SampleFormat;
import java.nio.ByteBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Archives streams to WAV files: one file at a time per stream, in one directory, a new file
 * every {@code rotation} of audio (60 s by default).
 *
 * <p><b>Names:</b> {@code STREAM_yyyyMMddTHHmmss.SSSZ.wav}, where STREAM is the stream's name with
 * every character other than letters, digits, {@code .}, {@code -} and {@code _} replaced by
 * {@code _}, and the time is the UTC capture time of the file's first sample (for example
 * {@code mic-1_20261124T151230.123Z.wav}). Should that name exist already, {@code _1}, {@code _2}...
 * is added before {@code .wav}; nothing is ever overwritten.
 *
 * <p><b>Contents:</b> the chunks' sample bytes exactly as they arrived: 16-bit PCM files
 * (format tag 1) for {@link SampleFormat#PCM_S16LE}, 32-bit IEEE float files (format tag 3, with
 * a {@code fact} chunk) for {@link SampleFormat#FLOAT32LE}, at the chunks' rate and channel count.
 *
 * <p><b>Rotation:</b> each file holds exactly {@code rotation} of audio ({@code rint(rate *
 * rotation)} frames), counted from its own first sample; a chunk that crosses the boundary is
 * split between two files, and the second file's time is that of its first sample.
 *
 * <p><b>Gaps:</b> an archive never invents audio, so a gap starts a new file. A gap is a chunk
 * whose sequence number is not the previous one's plus one, or a call to {@link #onGap(String)}
 * (from {@code BaseProcessor.onGap}). A change of sample rate, channel count or format also
 * starts a new file. A file's duration and name thus always tell exactly when its audio was captured.
 *
 * <p><b>Crash safety:</b> a file appears under its name with its header already written (it is
 * created as a hidden {@code .wav-*.part} file and renamed; a kill before the rename leaves that
 * empty part file, safe to delete). After every chunk, the samples are written and then the header is
 * rewritten in place (one positional write) with the new sizes. A killed process therefore leaves
 * only valid WAV files whose header counts every chunk whose {@link #write} returned; at most the
 * chunk being written at the moment of the kill lies, partly or wholly, beyond the header's data
 * size, where readers ignore it. Files are forced to disk ({@code fsync}) when they are closed, not
 * after every chunk: a process kill loses nothing, an operating-system crash may lose the page
 * cache of the open file.
 *
 * <p>Not thread-safe: owned by one processor thread.
 */
public final class WavArchive implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WavArchive.class);
    /** The default file length. */
    public static final Duration DEFAULT_ROTATION = Duration.ofSeconds(60);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path directory;
    private final Duration rotation;
    private final Map<String, Track> tracks = new HashMap<>();
    private final List<Path> files = new ArrayList<>();
    private boolean closed;

    /** What the archive knows of one stream. */
    private static final class Track {
        WavFile file;
        long lastSeq = -1;
        long framesPerFile;
    }

    /**
     * An archive writing into {@code directory} (created if missing) with 60-second files.
     *
     * @throws IOException if the directory cannot be created
     */
    public WavArchive(Path directory) throws IOException {
        this(directory, DEFAULT_ROTATION);
    }

    /**
     * An archive writing into {@code directory} (created if missing), a new file every {@code rotation}.
     *
     * @param rotation audio per file, at least 1 ms
     * @throws IOException if the directory cannot be created
     * @throws IllegalArgumentException if {@code rotation} is shorter than 1 ms
     */
    public WavArchive(Path directory, Duration rotation) throws IOException {
        this.directory = Objects.requireNonNull(directory, "directory == null");
        this.rotation = Objects.requireNonNull(rotation, "rotation == null");
        if (rotation.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("rotation : " + rotation + " (expected: >= 1 ms)");
        }
        Files.createDirectories(directory);
    }

    /**
     * Appends a chunk to its stream's current file, starting a new file first when there is none,
     * after a gap or a format change, and at every rotation boundary. Returns once the samples and
     * the header that counts them are written.
     *
     * @throws IOException if a file cannot be created or written; the stream's file is then closed
     *                     and the next chunk starts a new one
     * @throws IllegalStateException if the archive is closed
     */
    public void write(AudioChunk chunk) throws IOException {
        Objects.requireNonNull(chunk, "chunk == null");
        if (closed) {
            throw new IllegalStateException("archive in " + directory + " is closed");
        }
        Track track = tracks.computeIfAbsent(chunk.stream(), s -> new Track());
        try {
            append(track, chunk);
        } catch (IOException | RuntimeException e) {
            closeQuietly(track);
            throw e;
        }
    }

    private void append(Track track, AudioChunk chunk) throws IOException {
        boolean contiguous = track.lastSeq >= 0 && chunk.seq() == track.lastSeq + 1;
        track.lastSeq = chunk.seq();
        WavFile f = track.file;
        if (f != null && (!contiguous || f.sampleRate() != chunk.sampleRate() || f.channels() != chunk.channels()
                || f.format() != chunk.format())) {
            closeFile(track, contiguous ? "format change" : "gap before seq " + chunk.seq());
        }
        int blockAlign = chunk.channels() * chunk.format().bytesPerSample();
        ByteBuffer data = chunk.asByteBuffer();
        int totalFrames = chunk.frames();
        int done = 0;
        while (done < totalFrames) {
            if (track.file == null) {
                long startNanos = chunk.captureTimeNanos() + done * 1_000_000_000L / chunk.sampleRate();
                track.file = open(chunk, startNanos);
                track.framesPerFile = framesPerFile(chunk.sampleRate(), blockAlign);
            }
            long room = track.framesPerFile - track.file.frames();
            int n = (int) Math.min(room, totalFrames - done);
            track.file.append(data, done * blockAlign, n * blockAlign);
            done += n;
            if (track.file.frames() >= track.framesPerFile) {
                closeFile(track, "rotation");
            }
        }
    }

    private long framesPerFile(int rate, int blockAlign) {
        long frames = Math.max(1, Math.round(rate * (rotation.toNanos() / 1e9)));
        return Math.min(frames, WavFile.MAX_DATA_BYTES / blockAlign);
    }

    private WavFile open(AudioChunk chunk, long startNanos) throws IOException {
        String base = sanitize(chunk.stream()) + "_" + STAMP.format(Instant.ofEpochSecond(0, startNanos));
        WavFile f = WavFile.create(directory, base, chunk.sampleRate(), chunk.channels(), chunk.format());
        files.add(f.path());
        log.debug("archive of '{}': opened {}", chunk.stream(), f.path().getFileName());
        return f;
    }

    /**
     * The stream name as it appears in file names: letters, digits, {@code . - _} kept, anything
     * else {@code _}, at most 100 characters, never empty.
     */
    static String sanitize(String stream) {
        StringBuilder b = new StringBuilder(Math.min(stream.length(), 100));
        for (int i = 0; i < stream.length() && b.length() < 100; i++) {
            char c = stream.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_';
            b.append(ok ? c : '_');
        }
        String s = b.toString();
        // A name of dots alone would read as a relative path component.
        return s.isEmpty() || s.chars().allMatch(c -> c == '.') ? "stream" + s.replace('.', '_') : s;
    }

    /**
     * Declares a gap in {@code stream}: its current file is closed and the next chunk starts a new
     * one. Harmless if the stream has no open file (a seq jump alone would have done the same).
     *
     * @throws IOException if closing the file fails
     */
    public void onGap(String stream) throws IOException {
        Track track = tracks.get(stream);
        if (track != null && track.file != null) {
            closeFile(track, "gap");
        }
    }

    /**
     * Closes {@code stream}'s current file, if any; its next chunk starts a new file.
     *
     * @throws IOException if closing fails
     */
    public void close(String stream) throws IOException {
        Track track = tracks.remove(stream);
        if (track != null && track.file != null) {
            closeFile(track, "closed");
        }
    }

    private void closeFile(Track track, String why) throws IOException {
        WavFile f = track.file;
        track.file = null;
        log.debug("archive: closed {} ({} frames, {})", f.path().getFileName(), f.frames(), why);
        f.close();
    }

    private static void closeQuietly(Track track) {
        if (track.file != null) {
            try {
                track.file.close();
            } catch (IOException e) {
                log.warn("archive: closing {} after a failure failed too: {}", track.file.path(), e.toString());
            }
            track.file = null;
        }
    }

    /** Every file this archive has created, oldest first. */
    public List<Path> files() {
        return Collections.unmodifiableList(new ArrayList<>(files));
    }

    /** The directory the files go to. */
    public Path directory() {
        return directory;
    }

    /** The audio per file. */
    public Duration rotation() {
        return rotation;
    }

    /**
     * Closes every open file. Later writes fail.
     *
     * @throws IOException the first failure to close a file (the others are still closed)
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException first = null;
        for (Track track : tracks.values()) {
            if (track.file != null) {
                try {
                    closeFile(track, "archive closed");
                } catch (IOException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
        }
        tracks.clear();
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "WavArchive{" + directory + ", rotation=" + rotation + ", files=" + files.size() + "}";
    }
}

package io.audiosockets.audio;

import io.audiosockets.internal.audio.PcmConverter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.TargetDataLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A microphone: a {@link TargetDataLine} of an explicitly chosen {@link InputDevice}, opened with
 * a small explicit buffer and read in small blocks on the recorder's capture thread.
 *
 * <pre>{@code
 * AudioSource mic = MicrophoneSource.builder().device("usb").sampleRate(16_000).open();
 * new Recorder(mic, options).start();
 * }</pre>
 *
 * <h3>Format</h3>
 * Unless told otherwise: the default device (the first of {@link InputDevice#list()}), 16 kHz if
 * it offers it, else 48 kHz, else its first rate; mono if it offers it; 16-bit PCM (little-endian
 * first), else the device's other PCM sizes (24, 32, float, 8). What the line delivers is
 * converted by {@link PcmConverter}: 16-bit samples become {@link SampleFormat#PCM_S16LE} bit for
 * bit, every other size {@link SampleFormat#FLOAT32LE} (exact for 8 and 24 bits, rounded to float
 * for 32-bit integers). A format the device cannot give is refused with the list of those it can.
 *
 * <h3>Buffer and overruns</h3>
 * The line is opened with {@code bufferBlocks} blocks of {@code block} (default 10 x 20 ms), not
 * the driver's default of seconds, and started at the first {@link #read}. When the reader is
 * late for longer than that, the line drops the oldest audio without saying so. Before each read
 * this source compares the line's frame position (frames captured since open) with the frames it
 * read and those still available: the difference is lost audio. A line that does not count the
 * frames it dropped in its position (some drivers) is caught by a full buffer instead, and the loss
 * is then estimated from the monotonic clock since the last read. Each loss is counted
 * ({@link #overruns()}), logged at WARN and reported through {@link #framesLost()}, which the
 * recorder turns into a gap.
 *
 * <h3>Failures</h3>
 * A line that stops delivering while we did not close it (the device was unplugged or failed)
 * makes {@link #read} throw an {@link IOException} naming the device, after the frames it did deliver.
 *
 * <p>Not thread-safe: owned by the capture thread, except {@link #close()}, which stops and closes
 * the line and so ends a blocked read.
 */
public final class MicrophoneSource implements AudioSource {
    private static final Logger log = LoggerFactory.getLogger(MicrophoneSource.class);
    /** Rates tried, in order, when none is asked for (after which the device's first). */
    private static final int[] PREFERRED_RATES = {16_000, 48_000};

    private final InputDevice device;
    private final TargetDataLine line;
    private final AudioFormat lineFormat;
    private final PcmConverter converter;
    private final StreamFormat format;
    private final int blockFrames;
    private final int bufferFrames;
    private final byte[] scratch;
    private boolean started;
    private long framesRead;
    private long framesLost;
    private long overruns;
    /** Monotonic time and device timeline (frames read + lost + available) at the last check with room in the buffer. */
    private long syncNanos;
    private long syncTimeline;
    private IOException pendingFailure;
    private volatile boolean closed;

    private MicrophoneSource(InputDevice device, TargetDataLine line, AudioFormat lineFormat, int blockFrames) {
        this.device = device;
        this.line = line;
        this.lineFormat = lineFormat;
        this.converter = PcmConverter.forFormat(lineFormat);
        this.format = new StreamFormat(Math.round(lineFormat.getSampleRate()), lineFormat.getChannels(), converter.target());
        this.blockFrames = blockFrames;
        this.bufferFrames = line.getBufferSize() / converter.inputFrameBytes();
        this.scratch = new byte[blockFrames * converter.inputFrameBytes()];
    }

    /** Options for opening a microphone; every one may be left out. */
    public static Builder builder() {
        return new Builder();
    }

    /** The device captured from. */
    public InputDevice device() {
        return device;
    }

    /** The format the line delivers, before conversion. */
    public AudioFormat lineFormat() {
        return lineFormat;
    }

    /** The line's buffer as granted by the driver, in frames. */
    public int bufferFrames() {
        return bufferFrames;
    }

    /** Times the line's buffer overflowed and audio was lost. */
    public long overruns() {
        return overruns;
    }

    @Override
    public StreamFormat format() {
        return format;
    }

    @Override
    public boolean isLive() {
        return true;
    }

    @Override
    public long framesLost() {
        return framesLost;
    }

    @Override
    public int read(byte[] buffer, int offset, int frames) throws IOException {
        if (pendingFailure != null) {
            throw pendingFailure;
        }
        if (closed) {
            return -1;
        }
        if (!started) {
            started = true;
            line.start();
            syncNanos = System.nanoTime();
        } else {
            checkOverrun();
        }
        int fb = converter.inputFrameBytes();
        int want = Math.min(frames, blockFrames);
        int bytes;
        try {
            bytes = line.read(scratch, 0, want * fb);
        } catch (RuntimeException e) {
            if (closed) {
                return -1;
            }
            throw new IOException(device + " failed: " + e, e);
        }
        int n = Math.max(0, bytes) / fb;
        if (n > 0) {
            converter.convert(scratch, 0, buffer, offset, n);
            framesRead += n;
        }
        if (n < want && !closed) {
            // A line returns less than asked only when stopped, flushed or closed; we did none of that.
            IOException e = new IOException(device + " stopped delivering audio after " + framesRead + " frames ("
                    + String.format(Locale.ROOT, "%.3f", framesRead / (double) format.sampleRate()) + " s): the line returned "
                    + Math.max(0, bytes) + " of " + want * fb + " bytes; was it unplugged or taken by another program?");
            if (n == 0) {
                throw e;
            }
            pendingFailure = e;
        }
        return n > 0 ? n : -1;
    }

    /** Compares what the line captured with what we read and can still read; the rest was lost. */
    private void checkOverrun() {
        long position = line.getLongFramePosition(); // first: what it says next is at least this recent
        int available = line.available() / converter.inputFrameBytes();
        long now = System.nanoTime();
        long lost = position - framesRead - framesLost - available;
        boolean estimated = false;
        if (available >= bufferFrames) {
            // Full: the line is dropping audio, and its position may not count (all of) what it dropped.
            long due = (now - syncNanos) * format.sampleRate() / 1_000_000_000L;
            long byClock = due - (framesRead + framesLost + available - syncTimeline);
            if (byClock > lost) {
                lost = byClock;
                estimated = true;
            }
        }
        if (lost > 0) {
            framesLost += lost;
            overruns++;
            log.warn("{}: overrun #{}: the line's buffer ({} ms) filled and {} frames ({} ms) of audio were lost{}; the recorder "
                            + "reports them as a gap", device, overruns, bufferFrames * 1000L / format.sampleRate(), lost,
                    lost * 1000 / format.sampleRate(), estimated ? " (estimated from the clock: the line does not count them)" : "");
        }
        if (available < bufferFrames || lost > 0) {
            syncNanos = now;
            syncTimeline = framesRead + framesLost + available;
        }
    }

    @Override
    public String describe() {
        return "microphone " + device.label() + " (" + format + ", line " + InputDevice.sampleName(lineFormat) + ", "
                + blockFrames * 1000L / format.sampleRate() + " ms blocks, " + bufferFrames * 1000L / format.sampleRate() + " ms buffer)";
    }

    /** Stops and closes the line, which ends a read blocked in it. Idempotent; safe from any thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        line.stop();
        line.flush();
        line.close();
    }

    /** Options of {@link MicrophoneSource#builder()}. Not thread-safe. */
    public static final class Builder {
        private String device;
        private Integer sampleRate;
        private Integer channels;
        private String sampleFormat;
        private Duration block = Duration.ofMillis(20);
        private int bufferBlocks = 10;

        private Builder() {
        }

        /** The device: a number from {@link InputDevice#list()} or part of its name; null = the default device. */
        public Builder device(String spec) {
            this.device = spec;
            return this;
        }

        /** Samples per second; null = 16 kHz if offered, else 48 kHz, else the device's first rate. */
        public Builder sampleRate(Integer hz) {
            this.sampleRate = hz;
            return this;
        }

        /** Channels; null = mono if offered, else the fewest the device offers. */
        public Builder channels(Integer channels) {
            this.channels = channels;
            return this;
        }

        /**
         * The line's sample format: {@code s16} (16-bit, either byte order), {@code s16le},
         * {@code s16be}, {@code s8}, {@code u8}, {@code s24[le|be]}, {@code s32[le|be]},
         * {@code f32[le|be]}; null = 16-bit if offered, else what the device has.
         */
        public Builder sampleFormat(String name) {
            this.sampleFormat = name;
            return this;
        }

        /** How much one read of the line takes at most (default 20 ms). */
        public Builder block(Duration block) {
            if (block.isNegative() || block.isZero()) {
                throw new IllegalArgumentException("block : " + block + " (expected: > 0)");
            }
            this.block = block;
            return this;
        }

        /** The line's buffer, in blocks (default 10). */
        public Builder bufferBlocks(int blocks) {
            if (blocks < 2) {
                throw new IllegalArgumentException("bufferBlocks : " + blocks + " (expected: >= 2)");
            }
            this.bufferBlocks = blocks;
            return this;
        }

        /**
         * Finds the device, chooses the format and opens the line (not started: the first read starts it).
         *
         * @throws IllegalArgumentException if there is no input device, the device is not found,
         *     or it cannot give the format asked for (the message lists what it can give)
         * @throws IOException if the device exists but cannot be opened now (busy, gone)
         */
        public MicrophoneSource open() throws IOException {
            InputDevice d = InputDevice.select(device);
            AudioFormat f = chooseFormat(d);
            int rate = Math.round(f.getSampleRate());
            int blockFrames = (int) Math.max(1, block.toNanos() * rate / 1_000_000_000L);
            Mixer mixer = d.mixer();
            DataLine.Info info = new DataLine.Info(TargetDataLine.class, f);
            if (!mixer.isLineSupported(info)) {
                throw new IllegalArgumentException(d + " lists " + InputDevice.describe(f) + " but refuses a line of it; "
                        + "it offers: " + offers(d.convertibleFormats()));
            }
            TargetDataLine line;
            try {
                line = (TargetDataLine) mixer.getLine(info);
                line.open(f, blockFrames * bufferBlocks * f.getFrameSize());
            } catch (LineUnavailableException | IllegalStateException | SecurityException e) {
                throw new IOException(d + " cannot be opened for " + InputDevice.describe(f) + ": " + e.getMessage()
                        + " (busy, or in use by another program?)", e);
            }
            MicrophoneSource source = new MicrophoneSource(d, line, f, blockFrames);
            log.info("{}: opened {} with a {} ms buffer ({} ms asked for)", d, InputDevice.describe(f),
                    source.bufferFrames * 1000L / rate, blockFrames * bufferBlocks * 1000L / rate);
            return source;
        }

        /** The concrete format to open: the request, with the device's defaults where it says nothing. */
        AudioFormat chooseFormat(InputDevice d) {
            List<AudioFormat> all = d.convertibleFormats();
            if (all.isEmpty()) {
                throw new IllegalArgumentException(d + " offers no PCM format we can convert; it lists: " + offers(d.formats()));
            }
            List<AudioFormat> candidates = all;
            if (sampleFormat != null) {
                candidates = filter(candidates, sampleFormatMatcher(sampleFormat));
            }
            int ch = channels != null ? channels : defaultChannels(candidates.isEmpty() ? all : candidates);
            candidates = filter(candidates, f -> f.getChannels() == AudioSystem.NOT_SPECIFIED || f.getChannels() == ch);
            int rate = sampleRate != null ? sampleRate : defaultRate(candidates.isEmpty() ? all : candidates);
            candidates = filter(candidates, f -> f.getSampleRate() == AudioSystem.NOT_SPECIFIED || Math.round(f.getSampleRate()) == rate);
            if (candidates.isEmpty()) {
                throw new IllegalArgumentException(d + " cannot capture " + rate + " Hz, " + ch + " ch"
                        + (sampleFormat == null ? "" : ", " + sampleFormat) + "; it offers: " + offers(all));
            }
            AudioFormat best = candidates.stream().min(Comparator.comparingInt(Builder::preference)).orElseThrow();
            int bytes = (best.getSampleSizeInBits() + 7) / 8;
            return new AudioFormat(best.getEncoding(), rate, best.getSampleSizeInBits(), ch, bytes * ch, rate, best.isBigEndian());
        }

        private static int defaultChannels(List<AudioFormat> formats) {
            int fewest = Integer.MAX_VALUE;
            for (AudioFormat f : formats) {
                if (f.getChannels() == AudioSystem.NOT_SPECIFIED || f.getChannels() == 1) {
                    return 1;
                }
                fewest = Math.min(fewest, f.getChannels());
            }
            return fewest;
        }

        private static int defaultRate(List<AudioFormat> formats) {
            for (int preferred : PREFERRED_RATES) {
                for (AudioFormat f : formats) {
                    if (f.getSampleRate() == AudioSystem.NOT_SPECIFIED || Math.round(f.getSampleRate()) == preferred) {
                        return preferred;
                    }
                }
            }
            return Math.round(formats.get(0).getSampleRate());
        }

        /** Lower is better: 16-bit little-endian, 16-bit big-endian, 24, 32, float, 8. */
        private static int preference(AudioFormat f) {
            int bits = f.getSampleSizeInBits();
            boolean floating = AudioFormat.Encoding.PCM_FLOAT.equals(f.getEncoding());
            int rank = bits == 16 ? 0 : bits == 24 ? 2 : bits == 32 && !floating ? 3 : floating ? 4 : 5;
            return rank * 2 + (f.isBigEndian() && bits > 8 ? 1 : 0);
        }

        private static Predicate<AudioFormat> sampleFormatMatcher(String name) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            n = switch (n) {
                case "pcm16", "int16", "pcm_s16le" -> "s16";
                case "float", "float32", "float32le" -> "f32";
                default -> n;
            };
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([suf])(8|16|24|32)(le|be)?").matcher(n);
            if (!m.matches() || (m.group(1).equals("f") && !m.group(2).equals("32"))) {
                throw new IllegalArgumentException("sample format '" + name + "' is unknown (expected s16, s16le, s16be, s8, u8, s24, "
                        + "s32 or f32, optionally ending in le or be)");
            }
            AudioFormat.Encoding enc = switch (m.group(1)) {
                case "s" -> AudioFormat.Encoding.PCM_SIGNED;
                case "u" -> AudioFormat.Encoding.PCM_UNSIGNED;
                default -> AudioFormat.Encoding.PCM_FLOAT;
            };
            int bits = Integer.parseInt(m.group(2));
            String order = m.group(3);
            return f -> enc.equals(f.getEncoding()) && f.getSampleSizeInBits() == bits
                    && (order == null || bits == 8 || f.isBigEndian() == order.equals("be"));
        }

        private static List<AudioFormat> filter(List<AudioFormat> formats, Predicate<AudioFormat> p) {
            return formats.stream().filter(p).toList();
        }

        private static String offers(List<AudioFormat> formats) {
            List<String> names = new ArrayList<>();
            formats.forEach(f -> names.add(InputDevice.describe(f)));
            return String.join("; ", names);
        }
    }
}

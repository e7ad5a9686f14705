package io.audiosockets.audio;

/**
 * How one sample is stored in an {@link AudioChunk}'s bytes and on the wire.
 *
 * <p>Samples are little-endian, as every common capture device and numpy produce them, so the
 * recorder forwards what it captured without a conversion; the frame header around them is
 * big-endian (see PROTOCOL.md). The wire code of each format is fixed forever.
 */
public enum SampleFormat {
    /** Signed 16-bit PCM, little-endian; full scale is 32768. Wire code 1. */
    PCM_S16LE(1, 2),
    /** IEEE 754 32-bit float, little-endian, nominally in [-1, 1]. Wire code 2. */
    FLOAT32LE(2, 4);

    /** {@link #values()} once: it copies the array at each call, and {@link #fromCode} runs for every AUDIO frame decoded. */
    private static final SampleFormat[] ALL = values();

    private final int code;
    private final int bytesPerSample;

    SampleFormat(int code, int bytesPerSample) {
        this.code = code;
        this.bytesPerSample = bytesPerSample;
    }

    /** The format's one-byte code on the wire. */
    public int code() {
        return code;
    }

    /** Bytes one sample of one channel takes. */
    public int bytesPerSample() {
        return bytesPerSample;
    }

    /**
     * The format with this wire code.
     *
     * @throws IllegalArgumentException if no format has this code
     */
    public static SampleFormat fromCode(int code) {
        for (SampleFormat f : ALL) {
            if (f.code == code) {
                return f;
            }
        }
        throw new IllegalArgumentException("sample format code " + code + " is unknown (expected 1 = PCM_S16LE or 2 = FLOAT32LE)");
    }

    /**
     * Parses a user-facing name: {@code s16}, {@code pcm16}, {@code int16}, {@code f32}, {@code float32}
     * or the enum name, in any letter case.
     *
     * @throws IllegalArgumentException naming the accepted spellings
     */
    public static SampleFormat parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        switch (t) {
            case "s16": case "s16le": case "pcm16": case "int16": case "pcm_s16le":
                return PCM_S16LE;
            case "f32": case "f32le": case "float32": case "float": case "float32le":
                return FLOAT32LE;
            default:
                throw new IllegalArgumentException("sample format '" + text + "' is unknown (expected s16 or f32)");
        }
    }
}

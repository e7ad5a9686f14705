package io.audiosockets.testkit;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;

/**
 * One test device: a {@link Mixer} whose {@link TargetDataLine}s are {@link TestCaptureLine}s
 * (or, for a playback device, that has only a {@link SourceDataLine} it never opens). The last
 * line handed out is kept so a test can make it overrun or fail.
 */
public final class TestMixer extends PlainLine implements Mixer {
    private final Mixer.Info info;
    private final boolean capture;
    private final DataLine.Info lineInfo;
    private volatile TestCaptureLine lastLine;

    TestMixer(String name, String description, boolean capture, AudioFormat[] formats) {
        this.info = new Mixer.Info(name, "audiosockets tests", description, "1.0") {
        };
        this.capture = capture;
        this.lineInfo = new DataLine.Info(capture ? TargetDataLine.class : SourceDataLine.class, formats,
                javax.sound.sampled.AudioSystem.NOT_SPECIFIED, javax.sound.sampled.AudioSystem.NOT_SPECIFIED);
    }

    /** The line most recently obtained from this device, or null. */
    public TestCaptureLine lastLine() {
        return lastLine;
    }

    @Override
    public Mixer.Info getMixerInfo() {
        return info;
    }

    @Override
    public Line.Info[] getSourceLineInfo() {
        return capture ? new Line.Info[0] : new Line.Info[] {lineInfo};
    }

    @Override
    public Line.Info[] getTargetLineInfo() {
        return capture ? new Line.Info[] {lineInfo} : new Line.Info[0];
    }

    @Override
    public Line.Info[] getSourceLineInfo(Line.Info requested) {
        return capture || !isLineSupported(requested) ? new Line.Info[0] : new Line.Info[] {lineInfo};
    }

    @Override
    public Line.Info[] getTargetLineInfo(Line.Info requested) {
        return capture && isLineSupported(requested) ? new Line.Info[] {lineInfo} : new Line.Info[0];
    }

    @Override
    public boolean isLineSupported(Line.Info requested) {
        // The request must match what we offer (not the reverse): its formats are among ours.
        return requested.matches(lineInfo);
    }

    @Override
    public Line getLine(Line.Info requested) throws LineUnavailableException {
        if (!capture || !isLineSupported(requested)) {
            throw new IllegalArgumentException(info.getName() + " does not support " + requested);
        }
        AudioFormat[] asked = requested instanceof DataLine.Info d ? d.getFormats() : new AudioFormat[0];
        TestCaptureLine line = new TestCaptureLine(this, asked.length > 0 ? asked[0] : lineInfo.getFormats()[0]);
        lastLine = line;
        return line;
    }

    DataLine.Info lineInfo() {
        return lineInfo;
    }

    @Override
    public int getMaxLines(Line.Info requested) {
        return isLineSupported(requested) ? javax.sound.sampled.AudioSystem.NOT_SPECIFIED : 0;
    }

    @Override
    public Line[] getSourceLines() {
        return new Line[0];
    }

    @Override
    public Line[] getTargetLines() {
        TestCaptureLine l = lastLine;
        return l != null && l.isOpen() ? new Line[] {l} : new Line[0];
    }

    @Override
    public void synchronize(Line[] lines, boolean maintainSync) {
        throw new IllegalArgumentException("synchronization is not supported");
    }

    @Override
    public void unsynchronize(Line[] lines) {
        throw new IllegalArgumentException("synchronization is not supported");
    }

    @Override
    public boolean isSynchronizationSupported(Line[] lines, boolean maintainSync) {
        return false;
    }

    @Override
    public Line.Info getLineInfo() {
        return new Line.Info(Mixer.class);
    }

    @Override
    public void open() {
        // always open
    }

    @Override
    public void close() {
        // always open
    }

    @Override
    public boolean isOpen() {
        return true;
    }
}

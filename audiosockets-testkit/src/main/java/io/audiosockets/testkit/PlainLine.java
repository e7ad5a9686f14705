package io.audiosockets.testkit;

import javax.sound.sampled.Control;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineListener;

/** The parts of a javax.sound {@link Line} the test devices have none of: controls and line events. */
abstract class PlainLine implements Line {
    @Override
    public Control[] getControls() {
        return new Control[0];
    }

    @Override
    public boolean isControlSupported(Control.Type control) {
        return false;
    }

    @Override
    public Control getControl(Control.Type control) {
        throw new IllegalArgumentException("no controls");
    }

    @Override
    public void addLineListener(LineListener listener) {
        // no events
    }

    @Override
    public void removeLineListener(LineListener listener) {
        // no events
    }
}

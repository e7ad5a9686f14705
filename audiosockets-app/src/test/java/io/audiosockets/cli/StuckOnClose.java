package io.audiosockets.cli;

/** A program whose close never returns, for {@link ServerStopTest}: only the stop deadline can end it. */
public final class StuckOnClose {
    private StuckOnClose() {
    }

    /** Installs the server's stop hook around a close that blocks for ever, says so, and waits. */
    public static void main(String[] args) throws InterruptedException {
        StopOnSignal.install(() -> Thread.sleep(Long.MAX_VALUE), "the stuck program");
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}

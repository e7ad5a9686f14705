package io.audiosockets.loadtest;

/**
 * When a benchmark source may hand over its next chunk: at a fixed pace ({@link PacedGate}) or
 * as soon as flow control allows ({@link CreditGate}).
 */
interface Gate {
    /**
     * Blocks until chunk {@code index} (0-based) may be handed over.
     *
     * @return false if the gate was closed meanwhile: the source ends
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitTurn(long index) throws InterruptedException;

    /** Ends every wait for good: {@link #awaitTurn} returns false from now on. */
    void close();
}

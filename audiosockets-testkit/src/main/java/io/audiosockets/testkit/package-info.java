/**
 * What a user needs to test a processor, a recorder or another client of the mailman, in the
 * spirit of OkHttp's mockwebserver: a real mailman on an ephemeral loopback port
 * ({@link io.audiosockets.testkit.MailmanFixture}), a processor that keeps what it receives
 * ({@link io.audiosockets.testkit.CollectingProcessor}), sources that play a script or a test
 * signal ({@link io.audiosockets.testkit.ScriptedSource}, {@link io.audiosockets.testkit.TestSignal}), a TCP proxy that
 * cuts, stalls and resumes a connection ({@link io.audiosockets.testkit.TcpProxy}), a byte-level protocol
 * client ({@link io.audiosockets.testkit.RawClient}, {@link io.audiosockets.testkit.Wire}), a test sound card
 * that {@code javax.sound} finds through its service provider interface
 * ({@link io.audiosockets.testkit.TestMixerProvider}, registered by this jar), and log capture.
 *
 * <p>Everything here runs the real components over real sockets on 127.0.0.1: nothing is mocked.
 * Add the module with test scope.
 */
package io.audiosockets.testkit;

/**
 * The load tool behind {@code audiosockets bench}: workloads that drive a mailman (embedded,
 * external or in a child JVM) with in-process recorders and processors over loopback TCP, and
 * measure what a user of the transport needs to know: deliveries per second, latency from the
 * recorder's schedule (coordinated omission accounted for) in HdrHistogram, the effect of a slow
 * or crashed processor, memory per idle connection, and the same figures for a minimal raw TCP
 * relay as the physical reference.
 *
 * <p>Entry point: {@link io.audiosockets.loadtest.BenchRunner}. Results are records
 * ({@link io.audiosockets.loadtest.BenchReport} and the per-workload results), printed as a table
 * by {@link io.audiosockets.loadtest.ReportPrinter} and written as JSON by
 * {@link io.audiosockets.loadtest.ReportJson}. Not a library API: the command is the interface.
 */
package io.audiosockets.loadtest;

package io.audiosockets.loadtest;

import java.util.List;

/**
 * One measured case of a workload: a record (serialised to JSON as it is) that can also show
 * itself as rows of a table. Results of the same {@link #table()} are printed as one table.
 */
public interface CaseResult {
    /** The title of the table these rows go in. */
    String table();

    /** The column names. */
    List<String> header();

    /** One or more rows, each as long as the header. */
    List<List<String>> rows();
}

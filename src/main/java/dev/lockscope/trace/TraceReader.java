package dev.lockscope.trace;

import java.io.IOException;
import java.io.InputStream;

/** One input format's parser: reads a whole stream and feeds its lock events to an EventSink. */
@FunctionalInterface
public interface TraceReader {
    /**
     * Reads the stream to its end. Malformed lines go to {@link Problems}; an input that is not
     * this format at all (e.g. a CSV file without the required columns) is an {@link InputProblem}.
     */
    void read(InputStream in) throws IOException, TraceFormatException, InputProblem;
}

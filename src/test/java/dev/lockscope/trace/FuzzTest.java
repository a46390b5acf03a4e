package dev.lockscope.trace;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A short fuzz round per reader (the long one is dev.lockscope.perf.FuzzRun, README "Robustness"). */
class FuzzTest {
    @ParameterizedTest
    @EnumSource(TraceFormat.class)
    void corruptInputsAreRejectedLineByLineAndNeverCrash(TraceFormat f) {
        // huge lines are covered per format by RobustnessTest; here the many small corruptions
        Fuzz fuzz = new Fuzz(0x10C5C0BEL + f.ordinal(), false);
        Fuzz.Harness h = new Fuzz.Harness();
        for (int i = 0; i < 600; i++) {
            h.run(f, fuzz.input(f), f + " #" + i);
        }
        // the generator really produces both rejected lines and events that reach the engine
        assertTrue(h.rejections > 300, f + ": " + h.rejections + " rejections");
        assertTrue(h.events > 300, f + ": " + h.events + " events");
    }
}

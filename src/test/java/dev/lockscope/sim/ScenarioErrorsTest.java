package dev.lockscope.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad scenarios are refused with {@code file:line: what is wrong}, found when parsing or compiling. */
class ScenarioErrorsTest {
    static final String HEAD = "lock mmap_lock rwsem \"&mm->mmap_lock\" per mm\n"
            + "lock m mutex \"m\" global\n"
            + "lock g glock 2 per file\n"
            + "fs f fault flt\n"
            + "proc flt(x)\nend\n"
            + "file A f 1\nmm M\nmm N\nmap b M A\n";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "task t mm M\\n  lock m\\n                   | t.scn:11: block is not closed: missing 'end'",
        "task t mm M\\n  lokc m\\nend              | t.scn:12: unknown statement 'lokc' (expected lock, unlock, call, touch, gup, alloc, wait, signal, loop, retry, pagefault_disabled, nofs, faults_disabled, signalling, if failed, maybe, demote, release, end)",
        "task t mm M\\n  lock nope\\nend           | t.scn:12: unknown lock 'nope'",
        "task t mm M\\n  lock m(A)\\nend           | t.scn:12: lock m is global: write it without (A)",
        "task t mm M\\n  lock g(A)\\nend           | t.scn:12: a glock lock needs a mode: EX or SH or DF",
        "task t mm M\\n  lock g(A) read\\nend      | t.scn:12: a glock mode is EX, SH, DF, not 'read'",
        "task t mm M\\n  lock g(M) SH\\nend        | t.scn:12: lock g is per file, but 'M' is not a file",
        "task t mm M\\n  call flt()\\nend          | t.scn:12: flt takes 1 argument (x), not 0",
        "task t mm N\\n  touch b\\nend             | t.scn:12: task t (mm N) touches mapping b of mm M",
        "task t mm M\\n  unlock m\\nend            | t.scn:12: t unlocks m, which it does not hold",
        "task t mm M\\n  loop 0\\n  end\\nend        | t.scn:12: an iteration count must be between 1 and 1000000000, not 0",
        "task t mm M\\n  demote g(A)\\nend         | t.scn:12: 'demote' is for remote actors only",
        "remote r\\n  lock m\\nend                | t.scn:12: a remote actor can only demote and release glocks",
        "task t mm M\\nend\\nvariant v x=flt     | t.scn:13: variant v: no procedure 'x'",
        "file A f 2                            | t.scn:11: 'A' is already declared at t.scn:7",
        "lock k semaphore \"k\" global          | t.scn:11: unknown lock kind 'semaphore' (expected mutex, rwsem, spinlock, glock, pagecache)",
        "task t mm M\\n  lock m extra\\nend       | t.scn:12: a mutex takes no mode, found 'extra'",
        "include nowhere.model                 | t.scn:11: include nowhere.model: no such file",
        "completion c by u\\ntask t mm M\\n  signal c\\nend\\ntask u mm M\\nend | t.scn:13: task t signals c, which only u may signal",
        "completion c by nobody\\ntask t mm M\\nend | t.scn:11: completion c: no task 'nobody'",
        "lock k mutex \"has space\" global      | t.scn:11: lock k: the lockdep name must be 1 to 255 printable ASCII characters without spaces",
        "proc p\\n  call p\\nend\\ntask t mm M\\n  call p\\nend | t.scn:12: calls nested deeper than 32 (recursive procedure p?)",
        "task t mm M\\n  lock m unless mine\\n  unlock m unless mine\\nend | t.scn:12: 'unless mine' is gfs2's gfs2_glock_is_locked_by_me() test: m is a mutex, not a glock",
        "task t mm M\\n  lock g(A) SH unless yours\\nend | t.scn:12: expected 'mine', found 'yours'",
        "task t mm M\\n  lock g(A) SH unless mine\\nend | t.scn:12: lock g(A) unless mine: no 'unlock g(A) unless mine' after it in the same block",
        "task t mm M\\n  maybe\\n    lock g(A) SH unless mine\\n  end\\n  unlock g(A) unless mine\\nend | t.scn:13: lock g(A) unless mine: no 'unlock g(A) unless mine' after it in the same block",
        "task t mm M\\n  unlock g(A) unless mine\\nend | t.scn:12: unlock g(A) unless mine: no 'lock g(A) MODE unless mine' before it in the same block",
        "task t mm M\\n  lock g(A) SH unless mine\\n  unlock g(A)\\nend | t.scn:13: unlock g(A): the lock at t.scn:12 may have been skipped (unless mine); write 'unlock g(A) unless mine'",
        "task t mm M\\n  lock g(A) SH\\n  lock g(A) EX unless mine\\n  unlock g(A) unless mine\\n  unlock g(A)\\nend | t.scn:13: t holds g(A) (SH), which does not cover (EX): gfs2 fails such a fault with VM_FAULT_SIGBUS, which the simulator does not model",
    })
    void refused(String body, String message) {
        String text = HEAD + body.replace("\\n", "\n");
        Exception e = assertThrows(RuntimeException.class, () -> {
            Program p = Compiler.compile(ScenarioParser.parse("t.scn", text), "v".equals(variantOf(text)) ? "v" : null);
            Simulator.run(p, 1, Emitter.NONE);
        });
        assertEquals(message.strip(), e.getMessage());
    }

    private static String variantOf(String text) {
        return text.contains("variant v") ? "v" : null;
    }
}

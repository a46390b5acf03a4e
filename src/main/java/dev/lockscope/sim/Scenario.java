package dev.lockscope.sim;

import java.util.List;
import java.util.Map;

/**
 * A parsed scenario: the declarations of its model files and of the scenario file itself.
 * Every element keeps the {@link Src} it was written at, so errors found later (when tasks are
 * compiled or run) still point at {@code file:line}.
 */
public record Scenario(
        Map<String, LockDecl> locks,
        Map<String, CompletionDecl> completions,
        Map<String, FsDecl> filesystems,
        Map<String, Proc> procs,
        List<Call> shrinkers,
        Map<String, FileDecl> files,
        Map<String, MmDecl> mms,
        Map<String, MapDecl> maps,
        List<TaskDecl> tasks,
        Map<String, Variant> variants,
        Memory memory,
        int cpus) {

    /** Where something was written. */
    public record Src(String file, int line) {
        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    /** Lock kinds and their semantics (see README "Scenario language"). */
    public enum Kind { mutex, rwsem, spinlock, glock, pagecache }

    /** What a lock is instantiated per: one global lock, one per file (inode), one per mm. */
    public enum Per { global, file, mm }

    /** Whether allocations enter direct reclaim: never, always, or either way (a choice). */
    public enum Memory { ok, tight, maybe }

    /** {@code lock NAME KIND "lockdep name"|glock-type per file|mm|global}. */
    public record LockDecl(String name, Kind kind, String lockdepName, Per per, Src src) {
    }

    /**
     * {@code completion NAME ["lockdep map"] [by TASK...]}: a counting wait/signal event; with
     * {@code by}, only those tasks may signal it (otherwise: whichever tasks' code does).
     */
    public record CompletionDecl(String name, String lockdepName, List<String> by, Src src) {
    }

    /** {@code fs NAME fault PROC}: user faults on a mapping of this fs's files run PROC(file). */
    public record FsDecl(String name, String faultProc, Src src) {
    }

    /** {@code file NAME FS INODE}. */
    public record FileDecl(String name, String fs, long inode, Src src) {
    }

    /** {@code mm NAME}: an address space. */
    public record MmDecl(String name, Src src) {
    }

    /** {@code map NAME MM FILE [resident]}: a shared mapping of FILE in MM. */
    public record MapDecl(String name, String mm, String file, boolean resident, Src src) {
    }

    /** {@code proc NAME(PARAMS) ... end}. */
    public record Proc(String name, List<String> params, List<Stmt> body, Src src) {
    }

    /** {@code task NAME mm MM [service] ... end} or {@code remote NAME ... end}. */
    public record TaskDecl(String name, String mm, boolean service, boolean remote, List<Stmt> body, Src src) {
    }

    /** {@code variant NAME P=Q ...}: calls of P run Q instead. */
    public record Variant(String name, Map<String, String> replace, Src src) {
    }

    /** A call site {@code P(args)}; also used for shrinkers. */
    public record Call(String proc, List<String> args, Src src) {
    }

    /** A reference to a lock instance: {@code L} or {@code L(x)}. */
    public record LockRef(String lock, String arg) {
        @Override
        public String toString() {
            return arg == null ? lock : lock + "(" + arg + ")";
        }
    }

    /** One statement of a path. */
    public sealed interface Stmt {
        Src src();
    }

    /**
     * {@code lock L(x) [MODE] [unless mine]} (MODE as written, validated per kind when compiled).
     * {@code unless mine}: gfs2's {@code gfs2_glock_is_locked_by_me()} test; a task that already
     * holds the glock takes no second holder.
     */
    public record Lock(LockRef ref, String mode, boolean unlessMine, Src src) implements Stmt {
    }

    /** {@code unlock L(x) [unless mine]}: with {@code unless mine}, skipped when its paired lock was. */
    public record Unlock(LockRef ref, boolean unlessMine, Src src) implements Stmt {
    }

    public record CallStmt(Call call, Src src) implements Stmt {
    }

    /** {@code touch B}: copy to/from user memory. */
    public record Touch(String map, Src src) implements Stmt {
    }

    /** {@code gup B}: get_user_pages under mmap_lock. */
    public record Gup(String map, Src src) implements Stmt {
    }

    /** {@code alloc}: a page allocation that may enter reclaim. */
    public record Alloc(Src src) implements Stmt {
    }

    public record Wait(String completion, Src src) implements Stmt {
    }

    public record Signal(String completion, Src src) implements Stmt {
    }

    /** A block statement: what it does around its body. */
    public enum BlockKind { loop, retry, pagefault_disabled, nofs, faults_disabled, signalling, if_failed, maybe }

    /** {@code KIND [arg] ... end}. {@code count} for loop/retry, {@code arg} a map or completion. */
    public record Block(BlockKind kind, int count, String arg, List<Stmt> body, Src src) implements Stmt {
    }

    /** Remote actor: {@code demote L(x)} asks for the glock exclusively; {@code release L(x)} gives it back. */
    public record Demote(LockRef ref, Src src) implements Stmt {
    }

    public record RemoteRelease(LockRef ref, Src src) implements Stmt {
    }
}

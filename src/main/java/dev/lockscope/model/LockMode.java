package dev.lockscope.model;

/** lockdep's {@code read} argument of {@code lock_acquire}. */
public final class LockMode {
    public static final int WRITE = 0;
    public static final int READ = 1;
    public static final int RECURSIVE_READ = 2;

    private LockMode() {
    }

    public static String name(int read) {
        return switch (read) {
            case WRITE -> "write";
            case READ -> "read";
            default -> "recursive-read";
        };
    }
}

package dev.lockscope.model;

/**
 * One entry of a task's held-lock stack as a report shows it.
 *
 * @param cls     the lock class name
 * @param addr    the instance (lockdep_map) address
 * @param read    0 exclusive, 1 shared, 2 recursive shared (lockdep's {@code read})
 * @param trylock acquired by a trylock
 * @param irq     lockdep irq context of the acquisition (see {@link Ctx})
 * @param line    input line of its {@code lock_acquire}
 */
public record HeldLock(String cls, long addr, int read, boolean trylock, int irq, long line) {
}

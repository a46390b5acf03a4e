package dev.lockscope.trace;

import dev.lockscope.util.LongIntMap;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Addresses to names for contention events, which carry only a lock's address:
 * {@code /proc/kallsyms} lines ({@code ffffffff82a0c6c0 d rtnl_mutex}, an optional
 * {@code [module]} after the name) or plain {@code ADDR NAME} lines. Only exact addresses
 * match (a static lock is its symbol). {@code #} starts a comment.
 */
public final class SymbolsFile implements LongFunction<String> {
    private final LongIntMap index = new LongIntMap(1024);
    private final List<String> names = new ArrayList<>();

    public static SymbolsFile read(Path file) throws InputProblem {
        SymbolsFile s = new SymbolsFile();
        try (BufferedReader br = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long n = 0;
            while ((line = br.readLine()) != null) {
                n++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] f = t.split("\\s+");
                if (f.length < 2) {
                    throw new InputProblem(file + ":" + n + ": expected 'ADDRESS [TYPE] NAME'");
                }
                long addr;
                try {
                    addr = Long.parseUnsignedLong(f[0].startsWith("0x") ? f[0].substring(2) : f[0], 16);
                } catch (NumberFormatException e) {
                    throw new InputProblem(file + ":" + n + ": bad address '" + f[0] + "'");
                }
                String name = f.length >= 3 && f[1].length() == 1 ? f[2] : f[1];
                if (addr != 0 && s.index.get(addr) < 0) {
                    s.index.put(addr, s.names.size());
                    s.names.add(name);
                }
            }
        } catch (NoSuchFileException e) {
            throw new InputProblem(file + ": no such file");
        } catch (IOException e) {
            throw new InputProblem(file + ": cannot read: " + e.getMessage(), e);
        }
        return s;
    }

    @Override
    public String apply(long addr) {
        int i = index.get(addr);
        return i < 0 ? null : names.get(i);
    }

    public int size() {
        return names.size();
    }
}

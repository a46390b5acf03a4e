package dev.lockscope.snapshot;

import dev.lockscope.graph.ClassGraph;
import dev.lockscope.graph.DependencyGraph;
import dev.lockscope.trace.InputProblem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The graph snapshot file, version 1: UTF-8 text, one record per line, fields separated by
 * tabs (a tab, newline or backslash inside a name is written \t, \n, \\). Classes are numbered
 * in name order and later records refer to them by number; records appear in this order:
 *
 * <pre>
 * lockscope-graph 1
 * input   NAME LINES LOCK_EVENTS
 * class   ID NAME USAGE_HEX ACQUISITIONS
 * edge    FROM_ID TO_ID TYPES COUNT DISTANCE INPUT LINE TASK TIME_NS FROM_ADDR TO_ADDR
 * chain   IRQ CLASS_ID:READ ...
 * obs     KIND CLASS_ID PRIOR_READ READ COUNT INPUT LINE TASK TIME_NS
 * end     CLASSES EDGES CHAINS OBS
 * </pre>
 *
 * TYPES are lockdep's dependency types (EN,ER,SN,SR); INPUT is the input's name ("" when not
 * known). The closing {@code end} line carries the record counts, so a truncated file is
 * rejected rather than read as a smaller graph. gzip and xz are recognised when reading.
 */
public final class GraphSnapshot {
    public static final String MAGIC = "lockscope-graph";
    public static final int VERSION = 1;

    private GraphSnapshot() {
    }

    public static void write(ClassGraph g, PrintWriter out) {
        out.print(MAGIC + " " + VERSION + "\n");
        for (ClassGraph.Input in : g.inputs()) {
            out.print(row("input", esc(in.name()), in.lines(), in.lockEvents()));
        }
        Map<String, Integer> ids = new HashMap<>();
        for (Map.Entry<String, ClassGraph.ClassInfo> c : g.classes().entrySet()) {
            int id = ids.size();
            ids.put(c.getKey(), id);
            out.print(row("class", id, esc(c.getKey()), Integer.toHexString(c.getValue().usage()),
                    c.getValue().acquisitions()));
        }
        for (ClassGraph.Edge e : g.edges().values()) {
            ClassGraph.First f = e.first();
            out.print(row("edge", ids.get(e.from()), ids.get(e.to()), DependencyGraph.typeNames(e.mask()), e.count(),
                    e.distance(), esc(f.input()), f.line(), esc(f.task()), f.timeNs(), Long.toHexString(e.fromAddr()),
                    Long.toHexString(e.toAddr())));
        }
        for (String chain : g.chains()) {
            String[] p = chain.split("\t", -1);
            StringBuilder sb = new StringBuilder("chain\t").append(p[0]);
            for (int i = 1; i + 1 < p.length; i += 2) {
                sb.append('\t').append(ids.get(p[i])).append(':').append(p[i + 1]);
            }
            out.print(sb.append('\n'));
        }
        for (ClassGraph.Obs o : g.observations().values()) {
            ClassGraph.First f = o.first();
            out.print(row("obs", o.kind(), ids.get(o.cls()), o.priorRead(), o.read(), o.count(), esc(f.input()),
                    f.line(), esc(f.task()), f.timeNs()));
        }
        out.print(row("end", g.classes().size(), g.edges().size(), g.chains().size(), g.observations().size()));
        out.flush();
    }

    /** Whether a (decompressed, mark-supporting) stream starts with the snapshot magic; the stream is reset. */
    public static boolean isSnapshot(InputStream in) throws IOException {
        byte[] magic = (MAGIC + " ").getBytes(StandardCharsets.US_ASCII);
        in.mark(magic.length);
        byte[] got = in.readNBytes(magic.length);
        in.reset();
        return java.util.Arrays.equals(magic, got);
    }

    public static ClassGraph read(InputStream in, String name) throws InputProblem {
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return new Parser(r, name).parse();
        } catch (IOException e) {
            throw new InputProblem(name + ": read error: " + e.getMessage(), e);
        }
    }

    private static final class Parser {
        private final BufferedReader r;
        private final String name;
        private long lineNo;
        private final List<String> classNames = new ArrayList<>();

        Parser(BufferedReader r, String name) {
            this.r = r;
            this.name = name;
        }

        ClassGraph parse() throws IOException, InputProblem {
            String head = r.readLine();
            lineNo = 1;
            if (head == null || !head.startsWith(MAGIC + " ")) {
                throw problem("not a lockscope graph snapshot");
            }
            if (!head.equals(MAGIC + " " + VERSION)) {
                throw problem("snapshot version '" + head.substring(MAGIC.length() + 1)
                        + "' is not supported (this lockscope reads version " + VERSION + ")");
            }
            List<ClassGraph.Input> inputs = new ArrayList<>();
            SortedMap<String, ClassGraph.ClassInfo> classes = new TreeMap<>();
            SortedMap<String, ClassGraph.Edge> edges = new TreeMap<>();
            SortedSet<String> chains = new TreeSet<>();
            SortedMap<String, ClassGraph.Obs> obs = new TreeMap<>();
            String line;
            boolean ended = false;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (ended) {
                    throw problem("data after the end record");
                }
                String[] f = line.split("\t", -1);
                switch (f[0]) {
                    case "input" -> {
                        fields(f, 4);
                        inputs.add(new ClassGraph.Input(unesc(f[1]), num(f[2]), num(f[3])));
                    }
                    case "class" -> {
                        fields(f, 5);
                        if (num(f[1]) != classNames.size()) {
                            throw problem("class ids must count up from 0");
                        }
                        String n = unesc(f[2]);
                        classNames.add(n);
                        classes.put(n, new ClassGraph.ClassInfo((int) hex(f[3]), num(f[4])));
                    }
                    case "edge" -> {
                        fields(f, 12);
                        String from = cls(f[1]);
                        String to = cls(f[2]);
                        edges.put(ClassGraph.edgeKey(from, to), new ClassGraph.Edge(from, to, types(f[3]), num(f[4]),
                                (int) num(f[5]), new ClassGraph.First(unesc(f[6]), num(f[7]), unesc(f[8]), num(f[9])),
                                hex(f[10]), hex(f[11])));
                    }
                    case "chain" -> {
                        if (f.length < 2) {
                            throw problem("chain needs an irq context");
                        }
                        StringBuilder sb = new StringBuilder().append(num(f[1]));
                        for (int i = 2; i < f.length; i++) {
                            int colon = f[i].indexOf(':');
                            if (colon < 0) {
                                throw problem("chain entry '" + f[i] + "' is not CLASS_ID:READ");
                            }
                            sb.append('\t').append(cls(f[i].substring(0, colon))).append('\t')
                                    .append(num(f[i].substring(colon + 1)));
                        }
                        chains.add(sb.toString());
                    }
                    case "obs" -> {
                        fields(f, 10);
                        ClassGraph.Obs o = new ClassGraph.Obs(f[1], cls(f[2]), (int) num(f[3]), (int) num(f[4]),
                                num(f[5]), new ClassGraph.First(unesc(f[6]), num(f[7]), unesc(f[8]), num(f[9])));
                        obs.put(o.identity(), o);
                    }
                    case "end" -> {
                        fields(f, 5);
                        if (num(f[1]) != classes.size() || num(f[2]) != edges.size() || num(f[3]) != chains.size()
                                || num(f[4]) != obs.size()) {
                            throw problem("record counts do not match the end record (file damaged?)");
                        }
                        ended = true;
                    }
                    default -> throw problem("unknown record '" + f[0] + "'");
                }
            }
            if (!ended) {
                throw problem("truncated: no end record");
            }
            Collections.sort(inputs);
            return new ClassGraph(List.copyOf(inputs), Collections.unmodifiableSortedMap(classes),
                    Collections.unmodifiableSortedMap(edges), Collections.unmodifiableSortedSet(chains),
                    Collections.unmodifiableSortedMap(obs));
        }

        private void fields(String[] f, int n) throws InputProblem {
            if (f.length != n) {
                throw problem(f[0] + " record needs " + n + " fields, has " + f.length);
            }
        }

        private String cls(String id) throws InputProblem {
            long i = num(id);
            if (i < 0 || i >= classNames.size()) {
                throw problem("class id " + id + " is not defined above");
            }
            return classNames.get((int) i);
        }

        private long num(String s) throws InputProblem {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw problem("'" + s + "' is not a number");
            }
        }

        private long hex(String s) throws InputProblem {
            try {
                return Long.parseUnsignedLong(s, 16);
            } catch (NumberFormatException e) {
                throw problem("'" + s + "' is not a hex number");
            }
        }

        private int types(String s) throws InputProblem {
            int mask = 0;
            if (s.isEmpty()) {
                return 0;
            }
            for (String t : s.split(",")) {
                int i = List.of("SR", "ER", "SN", "EN").indexOf(t);
                if (i < 0) {
                    throw problem("'" + t + "' is not a dependency type (EN, ER, SN, SR)");
                }
                mask |= 1 << i;
            }
            return mask;
        }

        private InputProblem problem(String what) {
            return new InputProblem(name + ":" + lineNo + ": " + what);
        }
    }

    private static String row(Object... f) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < f.length; i++) {
            if (i > 0) {
                sb.append('\t');
            }
            sb.append(f[i]);
        }
        return sb.append('\n').toString();
    }

    static String esc(String s) {
        if (s.indexOf('\t') < 0 && s.indexOf('\n') < 0 && s.indexOf('\\') < 0) {
            return s;
        }
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    static String unesc(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                sb.append(n == 't' ? '\t' : n == 'n' ? '\n' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}

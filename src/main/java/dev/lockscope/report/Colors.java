package dev.lockscope.report;

/**
 * ANSI colour for text reports, or none: reports call these for the words that matter
 * (FAILED, NEW, a deadlock verdict) and get them back unchanged when colour is off.
 */
public record Colors(boolean on) {
    public static final Colors NONE = new Colors(false);

    public String red(String s) {
        return wrap("1;31", s);
    }

    public String green(String s) {
        return wrap("32", s);
    }

    public String yellow(String s) {
        return wrap("33", s);
    }

    public String dim(String s) {
        return wrap("2", s);
    }

    private String wrap(String code, String s) {
        return on ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
